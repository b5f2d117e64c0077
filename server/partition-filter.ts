import { isRecordKind, type AnyRecord } from '../shared/domain/records';
import type { ForceCode } from '../shared/domain/force';
import { NO_SHARES, visibleTo, type SharePolicy } from '../shared/domain/partition';
import type { RecordChange } from '../shared/sync/protocol';

/**
 * The one place the server applies the partition between forces to what leaves it: the pull's pages, which
 * workstations are poked, and any live delivery of changes, all call these. A change is delivered to a workstation
 * only as its force may see it (shared/domain/partition.ts): its own force's records whole, a record shared with it
 * cut to the share (when shares exist), nothing else. A workstation of no force receives nothing.
 *
 * Shares plug in through `shares`; today there are none (NO_SHARES). A share withdrawn will be a change like any
 * other (design.md §11): the record's next change then no longer passes for the force that lost it, so these
 * functions are where that force's workstations are to be sent a withdrawal of the record instead, to delete it.
 */

/** The change as a workstation of `force` may receive it, or null for one it may not see. */
export function visibleChange(force: ForceCode | null, change: RecordChange, shares: SharePolicy = NO_SHARES): RecordChange | null {
  if (!isRecordKind(change.kind)) return null;
  const seen = visibleTo(force, { kind: change.kind, id: change.id, doc: change.doc } as AnyRecord, shares);
  return seen ? { seq: change.seq, kind: seen.kind, id: seen.id, doc: seen.doc } : null;
}

/** The changes of a page a workstation of `force` may receive, in order, each as it may see it. */
export function visibleChanges(force: ForceCode | null, changes: readonly RecordChange[], shares: SharePolicy = NO_SHARES): RecordChange[] {
  return changes.flatMap((change) => {
    const seen = visibleChange(force, change, shares);
    return seen ? [seen] : [];
  });
}

/** The forces (of those given) that may see at least one of the changes: whose workstations a poke about them is for. */
export function forcesThatSee(changes: readonly Omit<RecordChange, 'seq'>[], forces: readonly ForceCode[], shares: SharePolicy = NO_SHARES): Set<ForceCode> {
  return new Set(forces.filter((force) => changes.some((change) => visibleChange(force, { seq: 0, ...change }, shares) !== null)));
}
