import { isRecordKind, type AnyRecord } from '../shared/domain/records';
import type { ForceCode } from '../shared/domain/force';
import { conflictAsHeld, visibleTo, type SharePolicy } from '../shared/domain/partition';
import { serverSharePolicy } from './share-policy';
import { erasedFrom } from '../shared/domain/erasure';
import { isWithdrawal, type RecordChange } from '../shared/sync/protocol';

/**
 * The one place the server applies the partition between forces to what leaves it: the pull's pages, which
 * workstations are poked, and any live delivery of changes, all call these. A change is delivered to a workstation
 * only as its force may see it (shared/domain/partition.ts): its own force's records whole, a record shared with it
 * cut to the share (when shares exist), nothing else. A workstation of no force receives nothing.
 *
 * The reasons a force may see another's record come from the server's one policy (server/share-policy.ts). A
 * record a force may no longer hold (a lent unit returned) reaches it as a withdrawal: the change with no document
 * (shared/domain/loan-policy.ts withdrawalOf), which its workstation deletes.
 */

/** The change as a workstation of `force` may receive it, or null for one it may not see. */
export function visibleChange(force: ForceCode | null, change: RecordChange, shares: SharePolicy = serverSharePolicy()): RecordChange | null {
  if (!isRecordKind(change.kind)) return null;
  // An erased record (shared/domain/erasure.ts) is stored as a withdrawal, and goes as one to every force: it names
  // a kind and an id and nothing else, and whichever force holds the record (its owner, one it was shared with or
  // lent to) must delete it, the share or loan that let it being erased with it.
  // Marked as an erasure, so a workstation also clears what else it holds naming the record (its commands' arguments).
  if (isWithdrawal(change)) return force ? { seq: change.seq, kind: change.kind, id: change.id, doc: null, erased: true } : null;
  const visible = visibleTo(force, { kind: change.kind, id: change.id, doc: change.doc } as AnyRecord, shares);
  // A record its erasure left with another force (erasure.ts lendersPart: the lender's deployment of its unit, the
  // loan it answered) goes to the force that erased it as an erasure's withdrawal: that force holds it no longer.
  if (!visible && force && erasedFrom(change.doc) === force) return { seq: change.seq, kind: change.kind, id: change.id, doc: null, erased: true };
  // A conflict's copy of another force's record goes only while that force's share still shows it (partition.ts).
  const seen = visible && force ? conflictAsHeld(force, visible, shares) : visible;
  return seen ? { seq: change.seq, kind: seen.kind, id: seen.id, doc: seen.doc } : null;
}

/** The changes of a page a workstation of `force` may receive, in order, each as it may see it. */
export function visibleChanges(force: ForceCode | null, changes: readonly RecordChange[], shares: SharePolicy = serverSharePolicy()): RecordChange[] {
  return changes.flatMap((change) => {
    const seen = visibleChange(force, change, shares);
    return seen ? [seen] : [];
  });
}

/** The forces (of those given) that may see at least one of the changes: whose workstations a poke about them is for. */
export function forcesThatSee(changes: readonly Omit<RecordChange, 'seq'>[], forces: readonly ForceCode[], shares: SharePolicy = serverSharePolicy()): Set<ForceCode> {
  return new Set(forces.filter((force) => changes.some((change) => visibleChange(force, { seq: 0, ...change }, shares) !== null)));
}
