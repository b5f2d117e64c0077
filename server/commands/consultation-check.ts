import type { StateView } from '../../shared/commands/types';
import type { ForceCode } from '../../shared/domain/force';
import type { RecordKey } from '../../shared/domain/records';
import { arrangementId, arrangementShareId } from '../../shared/domain/arrangement';
import { fixedShareIds } from '../../shared/domain/share';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import { auditReads } from '../audit/command-audit';
import type { ServerRules } from './plan-command';

/**
 * A consultation (`record.consulted`) changes no record, but it writes into the audit log of each force whose record
 * it names (server/audit/command-audit.ts, lookedAtByAnotherForce): on the workstation's word alone, a workstation
 * of one force could fill another force's log with looks at records it never had. So the server takes a look at
 * another force's record only where that force could have had it: the record is of an incident (the incident, its
 * log entries or deployments, the kinds a share hands over: shared/domain/share-policy.ts) that was shared with the
 * looking force at some time (a share of it with that force exists, revoked or not: a look made offline before a
 * revocation still counts), or that the looking force opened and transferred away (its `origin`). Anything else
 * (another force's call, an incident never shared) is treated as a record the server does not have: the look goes
 * in the looking force's log alone, and nothing is written to the owner's (neverHeld).
 *
 * A record erased since, or unknown here, is not checked: no owner's entry is written for an unknown one, and an
 * erased one's shares went with it (the owner's log still gets the look, as command-audit.ts says).
 */

/** The records a consultation names (the one looked at, those its answer showed), which the server reads to check them. */
export function consultationReads(envelope: Pick<CommandEnvelope, 'name' | 'args'>): RecordKey[] {
  return auditReads(envelope);
}

/**
 * Read once the named records are known: for each of another force's, its incident (for a log entry or a
 * deployment) and that incident's shares with the looking force whose ids are fixed (by hand, automatic, by any
 * standing arrangement another force served here could have made).
 */
export function consultationThenReads(named: readonly RecordKey[], state: StateView, rules: ServerRules): RecordKey[] {
  const own = rules.config.force.code;
  const more: RecordKey[] = [];
  for (const key of named) {
    const doc = state.get(key.kind, key.id) as { force?: unknown; incidentId?: unknown } | undefined;
    if (!doc || doc.force === own) continue;
    const incidentId = incidentOf(key, doc);
    if (!incidentId) continue;
    if (key.kind !== 'incident') more.push({ kind: 'incident', id: incidentId });
    more.push(...sharesWith(incidentId, own, rules).map((id) => ({ kind: 'share' as const, id })));
  }
  return more;
}

/**
 * The records a consultation names that are another force's and that the looking force never held: the look is
 * still applied and logged in the looking force's own log, as a look at an id the server never had is (a record made
 * offline whose making was refused), but nothing is written to the owner's log (the storage's audit drafting leaves
 * them out: Decision.unseen). So a crafted look neither fills another force's log nor learns, from a refusal that
 * an unknown id would not get, that the id is another force's record.
 */
export function neverHeld(named: readonly RecordKey[], state: StateView, rules: ServerRules): RecordKey[] {
  const own = rules.config.force.code;
  return named.filter((key) => {
    const doc = state.get(key.kind, key.id) as { force?: unknown; incidentId?: unknown } | undefined;
    if (!doc || typeof doc.force !== 'string' || doc.force === own) return false;
    return !everHeld(key, doc, own, state, rules);
  });
}

/**
 * Whether force `own` ever held another force's record: it is of an incident shared with `own` at some time (a share
 * of it exists, revoked or not) or that `own` opened and transferred away, or it is a unit last lent to `own`. Records the state was not asked to read
 * (a share the command did not read) count as absent.
 */
export function everHeld(key: RecordKey, doc: { incidentId?: unknown }, own: ForceCode, state: StateView, rules: ServerRules): boolean {
  const read = <T>(get: () => T): T | undefined => {
    try {
      return get();
    } catch {
      return undefined;
    }
  };
  return heldThrough(key, doc, own, { get: (kind, id) => read(() => state.get(kind, id)) }, rules);
}

function heldThrough(key: RecordKey, doc: { incidentId?: unknown }, own: ForceCode, state: StateView, rules: ServerRules): boolean {
  // A unit lent to `own` and since taken back or returned (shared/domain/loan.ts): its workstations held it, so a
  // command made there before they heard (an offline deployment) is told what became of it (issue 12 M3: it was
  // refused as "no unit NB-104", once the lender had moved the unit again).
  if (key.kind === 'unit') return (doc as { loanEnded?: { to?: unknown } | null }).loanEnded?.to === own;
  const incidentId = incidentOf(key, doc);
  if (!incidentId) return false;
  const incident = (key.kind === 'incident' ? doc : state.get('incident', incidentId)) as { origin?: { force?: unknown } } | undefined;
  if (incident?.origin?.force === own) return true;
  return sharesWith(incidentId, own, rules).some((id) => {
    const share = state.get('share', id);
    return share !== undefined && share.sharedWith === own && share.incidentId === incidentId;
  });
}

/** The incident a record belongs to, for the kinds a share hands over; null for any other kind (never shared). */
function incidentOf(key: RecordKey, doc: { incidentId?: unknown }): string | null {
  if (key.kind === 'incident') return key.id;
  if (key.kind === 'logEntry' || key.kind === 'assignment') return typeof doc.incidentId === 'string' ? doc.incidentId : null;
  return null;
}

/** The fixed ids of every share of an incident with `own` any other served force could have made. */
function sharesWith(incidentId: string, own: ForceCode, rules: ServerRules): string[] {
  const arrangements = [rules.config, ...(rules.alsoServes ?? [])]
    .filter((config) => config.force.code !== own)
    .flatMap((config) => config.incidentTypes.map((type) => arrangementId(config.force.code, type.code, own)));
  return [...fixedShareIds(incidentId, own), ...arrangements.map((arrangement) => arrangementShareId(incidentId, arrangement))];
}

