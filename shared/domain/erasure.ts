import { z } from 'zod';
import { plainText } from './text';
import type { ForceCode } from './force';
import { ownerOf } from './partition';
import type { AnyRecord, RecordKey, RecordKind } from './records';
import { wallClock } from './wall-clock';

/**
 * Erasure of personal data (UK GDPR art. 17, DPA 2018 s.47): a force's records manager (its administrator) erases
 * a record once it has been kept for as long as the force's retention allows, or on a lawful request, giving the
 * reason. What goes, and with what:
 * - an incident (closed only: an open one is still being worked): the incident, its log, its deployments, its calls,
 *   the call-back tasks of those calls, its shares, unit loans and offers to another force, and any conflict or refused command about them;
 * - a call (a caller's personal data): the call and its call-back tasks, and conflicts or refusals about it; a call on
 *   an incident still open is refused (the incident needs it);
 * - a warning marker: the marker, and conflicts or refusals about it.
 * Only the erasing force's own records go (issue 12: one force never changes another's records), and the parts of a
 * transferred incident that a force which owned it before wrote (erasureRound: the incident passed whole); the lender's
 * part of the incident (lendersPart: another force's unit's deployment on it, a loan another force answered) stays, with
 * the unit's force, as its account of where its officers went. Another force's
 * record that names one that goes (a refused command or a conflict of its own operator's, about the erased incident)
 * stays that force's, in its room and its audit log: it is that force's account of what its people did, which the
 * other force's retention or a request to it does not end, and which its information-governance lead may need (a
 * look refused is evidence). It keeps the erased record's id (a serial name, not personal data) and its own words;
 * only a copy it held of the erased record itself (a conflict's `theirs`) is cleared, so nothing of the erased
 * record's contents is left anywhere (see keptAfterErasure), an alteration in that force's log saying so.
 * The server writes each record that goes as a withdrawal (no document), so every workstation holding it deletes it
 * and no pull brings it back; the audit log keeps its entries with their values made unreadable
 * (server/audit/audit-seal.ts), and an `erasure` entry of its own on each record, in the erasing force's log, saying
 * who, when and why. The preview the administrator confirms is the same search, stopped before it writes
 * (ServerStorage.erase with `preview`), so it counts exactly what goes.
 */

export const ErasableKind = z.enum(['incident', 'contact', 'marker']);
export type ErasableKind = z.infer<typeof ErasableKind>;

export const ErasureReason = plainText({ min: 1, max: 500, empty: 'give the reason for the erasure (the retention period, or the request it answers)' });

/** Words for each kind, for refusals and the desk. */
export const ERASABLE_WORDS: Record<ErasableKind, string> = { incident: 'incident', contact: 'call', marker: 'warning marker' };

/** How many records of each kind go with an erased record, as a workstation counts them before asking. */
export interface ErasureCounts {
  logEntries: number;
  calls: number;
  deployments: number;
  callBackTasks: number;
  shares: number;
  loans: number;
  offers: number;
  conflicts: number;
  refusals: number;
}

/** What goes with a target, counted by kind from the records an erasure (or its preview) found: the target itself left out. */
export function erasureCounts(erased: readonly RecordKey[]): ErasureCounts {
  const count = (kind: string) => erased.slice(1).filter((key) => key.kind === kind).length;
  return {
    logEntries: count('logEntry'),
    calls: count('contact'),
    deployments: count('assignment'),
    callBackTasks: count('task'),
    shares: count('share'),
    loans: count('loan'),
    offers: count('transfer'),
    conflicts: count('conflict'),
    refusals: count('refusal'),
  };
}

/**
 * What goes with a record, in words for the confirmation ("12 log entries", "1 call"), each kind it has any of, in
 * the order people think of an incident: its log, its calls, its deployments, then the rest.
 */
export function erasureWords(counts: ErasureCounts): string[] {
  const words: [number, string, string][] = [
    [counts.logEntries, 'log entry', 'log entries'],
    [counts.calls, 'call', 'calls'],
    [counts.deployments, 'deployment', 'deployments'],
    [counts.callBackTasks, 'call-back task', 'call-back tasks'],
    [counts.shares, 'share with another force', 'shares with other forces'],
    [counts.loans, 'unit loan', 'unit loans'],
    [counts.offers, 'offer to another force', 'offers to other forces'],
    [counts.conflicts, 'conflict', 'conflicts'],
    [counts.refusals, 'refused command', 'refused commands'],
  ];
  return words.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
}

/**
 * What an erasure hands to another force instead of erasing it (lendersPart), in words for the confirmation, per force:
 * "1 deployment and 1 unit loan kept by NBR (its unit's record); they leave this force's desks too".
 */
export function handedOverWords(handed: readonly AnyRecord[]): string[] {
  const byForce = new Map<string, AnyRecord[]>();
  for (const record of handed) {
    const to = ownerOf(record);
    if (to) byForce.set(to, [...(byForce.get(to) ?? []), record]);
  }
  return [...byForce].sort(([a], [b]) => a.localeCompare(b)).map(([force, records]) => {
    const count = (kind: string, one: string, many: string) => {
      const n = records.filter((record) => record.kind === kind).length;
      return n > 0 ? `${n} ${n === 1 ? one : many}` : null;
    };
    const what = [count('assignment', 'deployment', 'deployments'), count('loan', 'unit loan', 'unit loans')].filter((part): part is string => part !== null).join(' and ');
    return `${what} kept by ${force} (its unit's record of where its officers went); they leave this force's desks too`;
  });
}

/** The refusal for a record the server does not have, or that another force holds (erasureProblem). */
export function noSuchRecord(kind: ErasableKind, id: string): string {
  return `no ${ERASABLE_WORDS[kind]} ${id} on the server`;
}

/** The refusal for a record erased already (said with who and when, where the asking force erased it). */
export function erasedAlready(kind: ErasableKind, id: string): string {
  return `the ${ERASABLE_WORDS[kind]} ${id} has been erased already`;
}

/**
 * Why `force` may not erase this record now, or null when it may. `doc` is the record's stored document: undefined
 * for none, null for one erased already. `incidentOf`: the document of the incident a call is on (to refuse a call
 * of an open incident).
 */
export function erasureProblem(kind: ErasableKind, id: string, doc: unknown, force: ForceCode, incidentOf?: { status?: unknown } | null): string | null {
  if (doc === undefined) return noSuchRecord(kind, id);
  if (doc === null) return erasedAlready(kind, id);
  const owner = (doc as { force?: unknown }).force;
  // Another force's record is, to this force, one the server does not have: the same words as for an unknown id, so
  // an administrator learns nothing of another force's records from a refusal (not even that the id is one).
  if (owner !== force) return noSuchRecord(kind, id);
  if (kind === 'incident' && (doc as { status?: unknown }).status !== 'closed') return 'the incident is still open: close it before erasing it';
  if (kind === 'contact' && incidentOf && incidentOf.status !== 'closed') return 'the call is on an incident that is still open: erase it with the incident once that is closed';
  return null;
}

/**
 * Of `candidates` (records whose stored documents mention the id of the target or of a record already erased with
 * it: a cheap text search by the storage), those that go with the target, by what their documents say. Called again
 * with each round's finds until none is added (a call's tasks are found through the call).
 */
export function erasedWith(target: RecordKey, erased: ReadonlySet<string>, candidates: readonly AnyRecord[]): AnyRecord[] {
  const has = (kind: string, id: string | null | undefined) => typeof id === 'string' && erased.has(`${kind}:${id}`);
  return candidates.filter((record) => {
    if (erased.has(`${record.kind}:${record.id}`)) return false;
    switch (record.kind) {
      case 'logEntry':
      case 'assignment':
      case 'share':
      case 'loan':
      case 'transfer':
        return target.kind === 'incident' && has('incident', record.doc.incidentId);
      case 'contact':
        return target.kind === 'incident' && has('incident', record.doc.incidentId);
      case 'task':
        return has('contact', record.doc.contactId) || record.doc.calls.some((call) => has('contact', call.contactId));
      case 'conflict':
        // About an erased record, or asking for something of one (its arguments name it).
        return has(record.doc.target.kind, record.doc.target.id) || mentionsAny(record.doc.args, erased);
      case 'refusal':
        return mentionsAny(record.doc.args, erased);
      default:
        return false;
    }
  });
}

/**
 * One round of the search for what goes with a target (each storage runs it until a round finds nothing new, on the
 * records whose documents mention what goes so far): of the records erasedWith relates to what goes, `force`'s own
 * go (`goes`), and another force's are kept, theirs (`kept`). A kept record is never searched from: what names it
 * does not go because of it.
 *
 * `kept` also holds the lender's part (lendersPart): a deployment on the incident of another force's unit (lent to
 * `force`, or assisting under a share) and a loan another force answered are `force`'s records, but they are the
 * unit's force's account of where its officers went and for how long (duty time, welfare, overtime), which the
 * borrower's retention or a request to it does not end. They stay, as the unit's force's own from then
 * (`keptBy`, partition.ts ownerOf): `handedOver` holds each as it is written. What names them is searched as what
 * goes is (the erasing force's own conflicts and refusals about them go), so the caller is expected to add their
 * keys to `erased` for the next round, but not to erase them.
 *
 * `formerOwners` (formerOwnersIn): forces that owned the target incident before it was transferred to `force`. Their
 * parts of the incident (what they wrote in its log, its calls and their call-back tasks, their deployments on it,
 * and their shares, loans and offers of it) go too: with an accepted transfer the whole incident passed to its new
 * owner, the force that now answers for its retention, and nothing of it may outlive its erasure at the force that
 * gave it up (nor could that force erase it: it no longer has the incident). Their refused commands and conflicts stay
 * theirs, as any other force's do: those are their account of what their own people did.
 */
export function erasureRound(
  target: RecordKey,
  force: ForceCode,
  erased: ReadonlySet<string>,
  candidates: readonly AnyRecord[],
  formerOwners: ReadonlySet<ForceCode> = new Set(),
): { goes: AnyRecord[]; kept: AnyRecord[]; handedOver: AnyRecord[] } {
  const related = erasedWith(target, erased, candidates);
  const goes = (record: AnyRecord) => {
    const owner = ownerOf(record);
    return owner === force || (owner !== null && formerOwners.has(owner) && INCIDENT_PARTS.has(record.kind));
  };
  const handedOver = related.flatMap((record) => (goes(record) && ownerOf(record) === force ? (lendersPart(record, force) ?? []) : []));
  const handed = new Set(handedOver.map((record) => `${record.kind}:${record.id}`));
  return {
    goes: related.filter((record) => goes(record) && !handed.has(`${record.kind}:${record.id}`)),
    kept: related.filter((record) => !goes(record)),
    handedOver,
  };
}

/**
 * The lender's part of an incident `force` erases, as the force that keeps it holds it from then, or null for a
 * record that is not: a deployment of another force's unit (`unitForce`: lent to `force`, or deployed by that force
 * assisting under a share), and a loan another force (`lender`) answered. Each keeps its own fields (the unit, its
 * times, statuses and receipts; the request with the incident's reference, type, common priority and place, as the
 * borrower disclosed them), none of which is the caller's or the log's, and gains `keptBy`, a new version. A loan
 * still open stops the erasure (erasureBlockedBy), so a kept loan is always ended.
 */
export function lendersPart(record: AnyRecord, force: ForceCode): AnyRecord | null {
  if (record.kind === 'assignment' && record.doc.unitForce && record.doc.unitForce !== force) {
    return { kind: 'assignment', id: record.id, doc: { ...record.doc, keptBy: record.doc.unitForce, version: record.doc.version + 1 } };
  }
  if (record.kind === 'loan' && record.doc.lender !== force) {
    return { kind: 'loan', id: record.id, doc: { ...record.doc, keptBy: record.doc.lender, version: record.doc.version + 1 } };
  }
  return null;
}

/**
 * The force that owned a record before its erasure left it with another (lendersPart: `keptBy`), or null: the record
 * reaches that force's workstations as an erasure's withdrawal (server/partition-filter.ts), since it no longer holds it.
 */
export function erasedFrom(doc: unknown): ForceCode | null {
  const { force, keptBy } = (doc ?? {}) as { force?: unknown; keptBy?: unknown };
  return typeof keptBy === 'string' && typeof force === 'string' && keptBy !== force ? force : null;
}

/** The kinds of record that are part of an incident, which pass with it to a force it is transferred to (erasureRound). */
const INCIDENT_PARTS: ReadonlySet<RecordKind> = new Set(['logEntry', 'contact', 'task', 'assignment', 'share', 'loan', 'transfer']);

/**
 * The forces that gave up the target incident to another by an accepted transfer, as the transfer records among
 * `candidates` say (each storage's first round of the search holds every offer of the incident, for each names it):
 * the offering force of each accepted offer, and the accepting force of each but the last. Other than `force`, the
 * one erasing it. Empty for a target that is not an incident, or one never transferred.
 */
export function formerOwnersIn(target: RecordKey, force: ForceCode, candidates: readonly AnyRecord[]): ForceCode[] {
  if (target.kind !== 'incident') return [];
  const owners = new Set<ForceCode>();
  for (const record of candidates) {
    if (record.kind !== 'transfer' || record.doc.incidentId !== target.id || record.doc.status !== 'accepted') continue;
    owners.add(record.doc.force);
    owners.add(record.doc.to);
  }
  owners.delete(force);
  return [...owners];
}

/**
 * Another force's record that names what an erasure took, as it stays: a conflict whose `theirs` is the erased
 * record as that force was shown it (cut to a share) keeps everything but that copy (`theirs` null, its version
 * on), since the erased record's contents must not outlive it anywhere; null for a record that stays as it is (a
 * refused command holds the erasing force's ids and the other force's own words, nothing of the record's contents).
 */
export function keptAfterErasure(record: AnyRecord, erased: ReadonlySet<string>): AnyRecord | null {
  if (record.kind !== 'conflict' || record.doc.theirs === null || !erased.has(`${record.doc.target.kind}:${record.doc.target.id}`)) return null;
  return { kind: 'conflict', id: record.id, doc: { ...record.doc, theirs: null, version: record.doc.version + 1 } };
}

/**
 * Why the records found to go with a target stop its erasure, or null: a unit loan for the incident still open (a
 * request waiting, or a unit lent and not returned), whose record the lent unit's return needs.
 */
export function erasureBlockedBy(found: readonly AnyRecord[]): string | null {
  const open = found.find((record) => record.kind === 'loan' && (record.doc.status === 'requested' || record.doc.status === 'accepted'));
  if (!open || open.kind !== 'loan') return null;
  return open.doc.status === 'accepted'
    ? `the unit lent for it by ${open.doc.lender} has not been returned: return it first`
    : `its request to ${open.doc.lender} for a unit is still waiting: withdraw it first`;
}

/** Each kind an erasure takes, in words, for what a workstation says of a command naming one. */
const ERASED_KIND_WORDS: Record<string, string> = {
  ...ERASABLE_WORDS,
  logEntry: 'log entry',
  assignment: 'deployment',
  share: 'share',
  loan: 'unit loan',
  transfer: 'offer to another force',
  task: 'call-back task',
  conflict: 'conflict',
  refusal: 'refused command',
};

/**
 * Why a workstation withdrew a command it had not yet sent (main/store/erased-content.ts): a record it named was
 * erased meanwhile, by its own force's administrator, or (`byForce`) by another force that owned it (an incident it
 * shared with this force): never "the force's administrator" for another force's act. Says nothing of the record but
 * its kind, nor of what the command said (gone with it).
 */
export function erasedBeforeSent(kind: string, byForce?: string | null): string {
  return `the ${ERASED_KIND_WORDS[kind] ?? 'record'} it named was erased by ${byForce ?? "the force's administrator"} before it reached the server: what it said was erased with it`;
}

/**
 * What a force's own audit log says of a record's erasure: its newest `erasure` entry on the record
 * (ServerStorage.erasureOf): who (`operator`: the erasing force's administrator in that force's log; the server, on
 * behalf of the erasing force, in the log of a force that held the incident), when (`recordedAt`, server time,
 * ISO-8601 UTC), and its `after` (JSON: the references the force was shown, `byForce` in another force's log, `with`
 * the target a record went with). A force that never held the record has no such entry, and is told nothing.
 */
export interface ErasureSeen {
  operator: string;
  recordedAt: string;
  after: string | null;
}

/**
 * Why a command on a record its force's log says was erased is refused (a command queued offline, or sent from a desk
 * not yet told, on an incident erased meanwhile), in the words of that force's own erasure entry, in its time zone:
 * - the erasing force: "the incident DMO-20261202-0001 was erased by admin (DMO's force administrator) on 2026-12-02
 *   10:42 GMT: what it held went with it, and nothing more can be done on it"; a record that went with the incident
 *   (a deployment, a loan) "the deployment went with the incident DMO-…, erased by …";
 * - a force that held it (a share, a loan): "the incident DMO-… was erased by DMO on 2026-12-02 10:42 GMT: …", naming
 *   only what that force was shown (the reference its share showed; never who erased it, nor why).
 * `kind`: the erased record's kind; `force`: the command's force.
 */
export function erasedMeanwhile(kind: string, seen: ErasureSeen, force: ForceCode, timeZone: string): string {
  let detail: { byForce?: unknown; references?: unknown; with?: { kind?: unknown; references?: unknown } };
  try {
    detail = (seen.after ? JSON.parse(seen.after) : null) ?? {};
  } catch {
    detail = {};
  }
  const first = (references: unknown) => (Array.isArray(references) && typeof references[0] === 'string' && references[0] ? references[0] : null);
  const named = (what: string, reference: string | null) => (reference ? `the ${what} ${reference}` : `the ${what}`);
  const byForce = typeof detail.byForce === 'string' && detail.byForce !== force ? detail.byForce : null;
  const by = byForce ?? `${seen.operator} (${force}'s force administrator)`;
  const when = wallClock(timeZone).dateTimeZoned(seen.recordedAt);
  const went = detail.with && typeof detail.with.kind === 'string' && detail.with.kind !== kind;
  const what = went
    ? `the ${ERASED_KIND_WORDS[kind] ?? 'record'} went with ${named(ERASED_KIND_WORDS[detail.with!.kind as string] ?? 'record', first(detail.with!.references))}, erased by ${by} on ${when}`
    : `${named(ERASED_KIND_WORDS[kind] ?? 'record', first(detail.references))} was erased by ${by} on ${when}`;
  return `${what}: what it held went with it, and nothing more can be done on it`;
}

/** The kinds of record an erasure takes (the targets, and what goes with them: erasedWith). */
export const ERASED_KINDS = ['incident', 'contact', 'marker', 'logEntry', 'assignment', 'share', 'loan', 'transfer', 'task', 'conflict', 'refusal'] as const satisfies readonly RecordKind[];

/** At most this many ids are taken from one command's arguments (possiblyNamed): far more than any command names. */
const MAX_IDS_NAMED = 32;

/**
 * The records a command's arguments may name, read as text: every id (a UUID, as every record an erasure takes
 * has) anywhere in them, as each kind an erasure takes. For a command whose arguments do not parse (so its
 * definition cannot say what it names), refused before the rules: the storage checks these for an erased record
 * before keeping its arguments, as erasedWith's text search finds one stored before the erasure. The first
 * MAX_IDS_NAMED ids, each once.
 */
export function possiblyNamed(args: unknown): RecordKey[] {
  const text = JSON.stringify(args ?? null) ?? 'null';
  const ids = [...new Set(text.toLowerCase().match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])].slice(0, MAX_IDS_NAMED);
  return ids.flatMap((id) => ERASED_KINDS.map((kind) => ({ kind, id })));
}

/** Whether a command's arguments name any of the erased records' ids (anywhere in them). */
function mentionsAny(args: unknown, erased: ReadonlySet<string>): boolean {
  const text = JSON.stringify(args ?? null);
  for (const key of erased) if (text.includes(key.slice(key.indexOf(':') + 1))) return true;
  return false;
}
