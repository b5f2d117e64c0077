import type { AnyRecord, RecordKind } from './records';
import type { ForceCode } from './force';

/**
 * The partition between forces on one platform: what a force may see of a record, and what it may change. Pure, so
 * the server (which enforces it: pull, pokes, live delivery, commands) and any test ask the same rule.
 *
 * Today a force sees and changes its own records only. Sharing (an incident shown to a neighbouring force, cut to a
 * tier) comes through the `shares` hook: a policy that says, for a force and a record it does not own, which cut of
 * the record it may see and whether it may add to it. Ownership never moves through a share; only the owner shares
 * or revokes; a missing force (an account or workstation that belongs to none, a record without one) sees nothing
 * and changes nothing: every path fails closed.
 */

/** Who is asking: the force of the workstation (or operator) the question is for; null when it has none. */
export type Asker = ForceCode | null | undefined;

/**
 * A share's grant to one force on one record it does not own: the record as that force may see it (cut to the
 * share's tier, or the whole of it), and whether it may change it (a later round: adding to a shared incident's log).
 */
export interface ShareGrant {
  record: AnyRecord;
  mayChange: boolean;
  /**
   * The force holds the record (an incident, or its log or deployments) through a share at the assist tier: it may
   * write to it what the assist tier allows (log entries, its own units' deployments: shared/domain/assist-writes.ts),
   * which `mayChange` does not say. Absent: view only.
   */
  assist?: boolean;
}

/**
 * Where shares plug in. `grant` answers for a force and a record owned by another; null: not shared with it. The
 * platform today has no shares (NO_SHARES); the sharing round supplies a policy that reads the share records.
 */
export interface SharePolicy {
  grant(force: ForceCode, record: AnyRecord): ShareGrant | null;
}

export const NO_SHARES: SharePolicy = { grant: () => null };

/**
 * One policy made of several (an incident's shares, a unit's loan...): the first that grants a force a record gives
 * the cut it sees; any of them letting it change the record lets it. Each part answers for its own reason to show a
 * record to a force that does not own it, so they can be built and tested apart and put together in one place.
 */
export function anyOf(...policies: readonly SharePolicy[]): SharePolicy {
  return {
    grant(force, record) {
      let first: ShareGrant | null = null;
      let mayChange = false;
      let assist = false;
      for (const policy of policies) {
        const grant = policy.grant(force, record);
        if (!grant) continue;
        first ??= grant;
        mayChange ||= grant.mayChange;
        assist ||= grant.assist ?? false;
      }
      return first ? { record: first.record, mayChange, ...(assist ? { assist } : {}) } : null;
    },
  };
}

/**
 * The force that owns a record, or null for a document that names none (which nobody may then see): its `force`, or
 * the force that keeps it (`keptBy`) once the force that owned it erased its incident and left it with the force
 * whose officers it accounts for (erasure.ts lendersPart: a lent or assisting unit's deployment, a loan answered).
 */
export function ownerOf(record: Pick<AnyRecord, 'doc'>): ForceCode | null {
  const doc = record.doc as { force?: unknown; keptBy?: unknown } | null | undefined;
  const force = typeof doc?.keptBy === 'string' && doc.keptBy.length > 0 ? doc.keptBy : doc?.force;
  return typeof force === 'string' && force.length > 0 ? force : null;
}

/**
 * The record as `force` may see it: the whole record for its owner, the share's cut for a force it is shared with,
 * null for anyone else (and for an asker or a record without a force).
 */
export function visibleTo(force: Asker, record: AnyRecord, shares: SharePolicy = NO_SHARES): AnyRecord | null {
  if (!force) return null;
  const owner = ownerOf(record);
  if (owner === null) return null;
  if (owner === force) return record;
  return shares.grant(force, record)?.record ?? null;
}

/** Whether `force` may change the record (its owner; a force a share lets add to it); never an asker without a force. */
export function mayChange(force: Asker, record: AnyRecord, shares: SharePolicy = NO_SHARES): boolean {
  if (!force) return false;
  const owner = ownerOf(record);
  if (owner === null) return false;
  return owner === force || (shares.grant(force, record)?.mayChange ?? false);
}

const KIND_WORDS: Record<RecordKind, string> = {
  incident: 'incident',
  logEntry: 'log entry',
  unit: 'unit',
  assignment: 'deployment',
  conflict: 'conflict',
  operator: 'operator',
  contact: 'call',
  task: 'call-back task',
  marker: 'warning marker',
  refusal: 'refused command',
  loan: 'unit loan',
  share: 'share',
  arrangement: 'sharing arrangement',
  transfer: 'incident transfer',
};

/**
 * Why `force` may not change this record, in words for the refusal the room sees; null when it may. Names the
 * owning force's code, never what the record says (its reference, its caller), which the asker may not see.
 */
export function refusalToChange(force: Asker, record: AnyRecord, shares: SharePolicy = NO_SHARES): string | null {
  if (mayChange(force, record, shares)) return null;
  const what = KIND_WORDS[record.kind];
  if (!force) return `this workstation or account belongs to no force, so it may change nothing (the ${what} was not touched)`;
  const owner = ownerOf(record);
  if (owner === null) return `the ${what} names no owning force, so no force may change it`;
  // An account's name is itself about a person of the other force: saying whose it is would tell a crafted push that
  // the name is another force's operator, so the refusal says only that this force has none of that name.
  if (record.kind === 'operator') return `no operator named ${record.id} at force ${force}, and the name may not be used here: choose another`;
  return `the ${what} belongs to force ${owner}, which has not shared it with ${force} to change: ${force} may not change it`;
}

/**
 * A conflict as a workstation of its own force receives it. Its `theirs` is the record the command lost on as the
 * force was shown it when it lost (server/commands/plan-command.ts conflictRecord): for another force's record, the
 * share's cut of it. That copy is still the other force's record (issue 12: revoking a share removes the record from
 * the holder's workstations), so it goes only while the force may still see that record now: the share active, at
 * a tier that shows it (a log entry's copy goes no further once the share is cut to view). Otherwise the conflict
 * goes with `theirs` null, the rest of it (the force's own command, its reason, its operator) as it is, for it to
 * resolve or dismiss. Asked with the shares as they stand now, so a conflict delivered again later (resolved, or to a
 * workstation pulling from the start) is cut the same way. Any other record is returned as it is.
 */
export function conflictAsHeld(force: ForceCode, record: AnyRecord, shares: SharePolicy): AnyRecord {
  if (record.kind !== 'conflict') return record;
  const { theirs, target } = record.doc;
  if (theirs === null || theirs === undefined || typeof theirs !== 'object') return record;
  const owner = ownerOf({ doc: theirs } as AnyRecord);
  if (owner === force) return record;
  // The copy is already the share's cut of the record; asked of the policy as the record it was, so a log entry's
  // copy (its words for other forces already its text) is asked as one whose words were sorted.
  const copy = (target.kind === 'logEntry' ? { sharedText: null, ...theirs } : theirs) as AnyRecord['doc'];
  const stillShown = owner !== null && shares.grant(force, { kind: target.kind, id: target.id, doc: copy } as AnyRecord) !== null;
  return stillShown ? record : { ...record, doc: { ...record.doc, theirs: null } };
}

/**
 * A conflict as its force receives it, judged against the record it lost on as that record stands now (`current`),
 * for what its copy (`theirs`) cannot tell of itself: a unit lent to the force and since returned still says, in the
 * copy, that it was lent; an incident the force owned when the conflict was made (its copy whole) and has since
 * transferred is now another force's, of which the force sees only a share's cut. The copy goes:
 * - as it is, while the force owns the record now (or the record is gone: an erasure clears copies itself);
 * - cut as the force may see it now, when the copy was the force's own record, whole, and the record is now
 *   another's that the force still sees (a transferred incident's kept view);
 * - as it is, when it was already the other force's cut and the force still sees the record;
 * - not at all (`theirs` null) when the force may no longer see the record.
 * Pure; the server reads `current` (server/shares/share-delivery.ts). Any record but a conflict is returned as it is.
 */
export function conflictCopyNow(record: AnyRecord, current: AnyRecord | null, shares: SharePolicy): AnyRecord {
  if (record.kind !== 'conflict' || current === null || current.doc === null || current.doc === undefined) return record;
  const { force, theirs, target } = record.doc;
  if (theirs === null || theirs === undefined || typeof theirs !== 'object') return record;
  const owner = ownerOf(current);
  if (owner === force) return record;
  const withTheirs = (doc: unknown): AnyRecord => (doc === theirs ? record : { ...record, doc: { ...record.doc, theirs: doc } });
  // A grant of no document is a withdrawal (a lent unit at the version that ended its loan): not seen.
  if (!shares.grant(force, current)?.record.doc) return withTheirs(null);
  if (ownerOf({ doc: theirs } as AnyRecord) !== force) return record;
  return withTheirs(shares.grant(force, { kind: target.kind, id: target.id, doc: theirs } as AnyRecord)?.record.doc ?? null);
}
