import type { StateView } from '../../shared/commands/types';
import type { AnyRecord, RecordKey } from '../../shared/domain/records';
import type { LogEntry } from '../../shared/domain/incident';
import type { Arrangement } from '../../shared/domain/arrangement';
import { arrangementId, arrangementShare, arrangementShareId, arrangementsFor } from '../../shared/domain/arrangement';
import { fixedShareIds, revokedByHand } from '../../shared/domain/share';
import { derivedId } from '../../shared/domain/derived-id';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import { SYSTEM_AUTHOR } from '../../shared/domain/automatic';
import type { ServerRules } from './plan-command';

/** The other forces the platform serves, besides the command's own. */
function partners(rules: ServerRules): string[] {
  const own = rules.config.force.code;
  return [rules.config, ...(rules.alsoServes ?? [])]
    .map((config) => config.force.code)
    .filter((code) => code !== own);
}

/**
 * Every share the command's force could have made of an incident with `other`, by any way (automatic, by hand, kept
 * after a transfer, by each of its types' arrangements): their ids are fixed, so the server reads them all in the
 * command's transaction, for whether the force revoked one by hand (revokedByHand).
 */
export function ownSharesWith(incidentId: string, other: string, rules: ServerRules): string[] {
  const own = rules.config.force.code;
  return [...fixedShareIds(incidentId, other), ...rules.config.incidentTypes.map((type) => arrangementShareId(incidentId, arrangementId(own, type.code, other)))];
}

/**
 * What deciding a command's arrangement shares reads: for each incident it reads, the arrangement of each of the
 * force's incident types with each other force (their ids are fixed, shared/domain/arrangement.ts) and every share the
 * force could have made of it with that force (ownSharesWith), so the server sees whether one acts, whether it shared
 * the incident before, and whether a dispatcher revoked a share of it by hand. None on a one-force server.
 */
export function arrangementShareReads(reads: readonly RecordKey[], rules: ServerRules): RecordKey[] {
  const others = partners(rules);
  if (others.length === 0) return [];
  const own = rules.config.force.code;
  const arrangements = rules.config.incidentTypes.flatMap((type) => others.map((other) => arrangementId(own, type.code, other)));
  return reads
    .filter((key) => key.kind === 'incident')
    .flatMap((key) => [
      ...arrangements.map((id) => ({ kind: 'arrangement' as const, id })),
      ...others.flatMap((other) => ownSharesWith(key.id, other, rules)).map((id) => ({ kind: 'share' as const, id })),
    ]);
}

/** The share of the incident the force revoked by hand from `other`, among those the command declared it reads. */
export function handRevocation(incidentId: string, other: string, state: StateView, rules: ServerRules, may: ReadonlySet<string>) {
  const shares = ownSharesWith(incidentId, other, rules).map((id) => (may.has(`share:${id}`) ? state.get('share', id) : undefined));
  return revokedByHand(shares, rules.config.force.code, other);
}

/**
 * The shares the force's acting arrangements make of its incidents this command creates or retypes
 * (arrangementsFor), each once, with a line in the incident's log; whoever's command it was, an offline workstation's
 * included. Never with a force a dispatcher revoked a share of the incident from by hand (revokedByHand): their
 * decision stands, whatever the incident's type becomes. Only the command's own force's incidents, and only arrangements of that force: an incident it holds
 * through a share is never passed on. Only for incidents whose arrangement reads the command declared.
 */
export function arrangementShares(changes: readonly AnyRecord[], state: StateView, rules: ServerRules, envelope: CommandEnvelope, declared: readonly RecordKey[], sharedAt: string): AnyRecord[] {
  const may = new Set(declared.map((key) => `${key.kind}:${key.id}`));
  const own = rules.config.force.code;
  const made: AnyRecord[] = [];
  for (const change of changes) {
    if (change.kind !== 'incident' || change.doc.force !== own) continue;
    const found: Arrangement[] = [];
    for (const other of partners(rules)) {
      const id = arrangementId(own, change.doc.type, other);
      const arrangement = may.has(`arrangement:${id}`) ? state.get('arrangement', id) : undefined;
      if (arrangement) found.push(arrangement);
    }
    for (const arrangement of arrangementsFor(change.doc, state.get('incident', change.id), found)) {
      const share = arrangementShare(change.doc, arrangement, envelope.operator, sharedAt);
      if (!may.has(`share:${share.id}`) || state.get('share', share.id) || made.some((record) => record.id === share.id)) continue;
      if (handRevocation(change.id, share.sharedWith, state, rules, may)) continue;
      const line: LogEntry = {
        id: derivedId(share.id, 'shared'),
        force: share.force,
        incidentId: share.incidentId,
        kind: 'system',
        text: `Shared with ${share.sharedWith} (${share.tier}) by standing arrangement: ${arrangement.typeName} incidents, approved by ${arrangement.ownerApproval.by} (${arrangement.force}) and ${arrangement.partnerApproval?.by ?? ''} (${arrangement.sharedWith})`,
        // The server's act, following the operator's command: the log names the system, not them (automatic.ts).
        author: SYSTEM_AUTHOR,
        signedIn: envelope.operator,
        workstation: envelope.workstation,
        at: sharedAt,
        // Nothing of the caller in it: another force assisting reads it as written (share-cut.ts logEntryCut).
        sharedText: null,
      };
      made.push({ kind: 'share', id: share.id, doc: share }, { kind: 'logEntry', id: line.id, doc: line });
    }
  }
  return made;
}
