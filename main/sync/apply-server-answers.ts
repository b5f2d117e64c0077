import type { ForceConfig } from '../../shared/domain/force-config';
import { isRecordKind, parseRecord, type AnyRecord, type RecordKey } from '../../shared/domain/records';
import { isWithdrawal, type CommandOutcome, type LiveChanges, type PullResponse } from '../../shared/sync/protocol';
import type { WorkstationStore } from '../store/workstation-store';
import { rebuildView } from './rebuild-view';
import { cutAfterDeleting } from '../../node-common/wal-upkeep';

export class CursorMismatch extends Error {
  constructor(expected: number, got: number) {
    super(`the server sent changes from ${got}, but this workstation stands at ${expected}`);
    this.name = 'CursorMismatch';
  }
}

/**
 * Applies one page of a pull in one transaction: the server's documents, the end of the commands it has
 * processed, its refusals and what has been done about them anywhere, the new cursor; then rebuilds the touched part of the view. A page that does not start
 * at this workstation's cursor, or would move it backwards, is refused and changes nothing.
 *
 * The commands the server has processed leave the outbox only with a page that reaches the head it was read at (the
 * last of a catch-up): then the server's records here are all as of that read, every processed command's effects
 * among them (see WorkstationStore.pullWhole). A page short of its head lets none go. Its progress is the server's
 * whole progress, not the page's, and the server keeps only each record's newest version, at the seq of its latest
 * change: a command's effects may lie pages on (it was applied at the head, or its records were changed again
 * since), and a command let go before them would be gone from the screen and from the "not yet on the server" count
 * until they came, and for good if the link failed or the workstation stopped in between. Refusals go at once: a
 * refused command has no effects to wait for, and shows in the refused list from its own row.
 */
export function applyPullPage(store: WorkstationStore, config: ForceConfig, page: PullResponse): RecordKey[] {
  const rebuilt = applyPageInTransaction(store, config, page);
  // A withdrawal may be an erasure (shared/domain/erasure.ts), or another force's records a revoked share took away:
  // the deleted rows are overwritten in the file (secure_delete), and the write-ahead log, which still holds the pages
  // as they were, is checkpointed and cut, now or, if a reader holds it back, at the upkeep's next round it allows.
  if (store.db.open && page.changes.some(isWithdrawal)) cutAfterDeleting(store.db);
  return rebuilt;
}

function applyPageInTransaction(store: WorkstationStore, config: ForceConfig, page: PullResponse): RecordKey[] {
  return store.transaction(() => {
    const cursor = store.pullCursor;
    if (page.since !== cursor) throw new CursorMismatch(cursor, page.since);
    if (page.upTo < cursor) throw new CursorMismatch(cursor, page.upTo);

    const fresh: AnyRecord[] = [];
    const withdrawn: RecordKey[] = [];
    const erased: RecordKey[] = [];
    for (const change of page.changes) {
      // A withdrawal (no document: another force's record this workstation may hold no more) deletes the server's
      // copy; the view then rebuilds it from nothing, so it goes from the screen and the file alike.
      if (isWithdrawal(change)) {
        if (!isRecordKind(change.kind)) continue;
        store.server.withdraw({ kind: change.kind, id: change.id });
        withdrawn.push({ kind: change.kind, id: change.id });
        if (change.erased) erased.push({ kind: change.kind, id: change.id });
        continue;
      }
      const record = parseRecord(change.kind, change.id, change.doc);
      store.server.put(record, change.seq);
      fresh.push(record);
    }
    // Whole: reaching the head it was read at, the page leaves every record here as of that read (see pullWhole).
    const whole = page.upTo >= page.head;
    const wasWhole = store.pullWhole;
    // An erasure also takes what else names the record here: its commands' arguments, drafts (erased-content.ts).
    // Another force's record (one it shared with this force) is said to be erased by that force, as the view still holds it.
    const byForce = (key: RecordKey) => {
      const owner = (store.view.get(key.kind, key.id) as { force?: unknown } | undefined)?.force;
      return typeof owner === 'string' && owner !== config.force.code ? owner : null;
    };
    const cleared = erased.length > 0 ? store.erasedContent.forget(erased.map((key) => ({ ...key, byForce: byForce(key) }))) : [];
    const reset = [...withdrawn, ...cleared, ...markRejected(store, page.rejected), ...store.outbox.removeProcessed(whole ? page.lastClientSeq : 0), ...followHandled(store, fresh, whole, whole && !wasWhole)];
    store.meta.set('pull_cursor', page.upTo);
    store.meta.set('pull_whole', whole ? 1 : 0);
    const rebuilt = rebuildView(store, config, { fresh, reset });
    store.outbox.dropConflictsArrived();
    return rebuilt;
  });
}

/** A command of this workstation's the server applied, and the seq of its last change (its effects are held from there). */
export interface AwaitedEffect {
  clientSeq: number;
  seq: number;
}

/**
 * The highest clientSeq of the applied commands (in clientSeq order) whose effects a workstation holds at this cursor,
 * with every one before it: 0 when none. Commands refused or not yet answered are not among them.
 */
export function effectsHeldUpTo(awaiting: readonly AwaitedEffect[], cursor: number): number {
  let upTo = 0;
  for (const effect of awaiting) {
    if (effect.seq > cursor) break;
    upTo = effect.clientSeq;
  }
  return upTo;
}

/**
 * Applies a batch of changes the server sent over the live channel, as a pull page is applied (the same one
 * transaction), if it is one this workstation can take without asking: its range (since, upTo] reaches past the
 * cursor without leaving a gap before it (since <= cursor < upTo). `awaiting`: this workstation's commands the server
 * answered as applied, with the seq of their effects; those whose effects the batch brings leave the outbox in its
 * transaction (only when the batch reaches the head it was read at, as the hub's always do: see applyPullPage), so
 * none is shown twice (from the outbox and in the server's records) nor vanishes before its effects arrive. The caller takes a batch only when the server has answered for every command it sent (one sent and not
 * answered could be in the batch, and still in the outbox). A batch that overlaps the cursor is taken from the cursor
 * on: only its changes after the cursor are applied, so none is applied twice. That is the usual case after a pull: a
 * pull ends at the head it read, which is seldom where the server's batches end (they follow its own reads, and
 * another instance's differ again). Returns the records it touched, or null when it was not taken: the caller pulls
 * from the cursor, which fills a gap (a batch lost or out of order: one starting after the cursor is never taken,
 * whatever it holds) or catches up. A batch already held (ending at or before the cursor) is also null, and needs no
 * pull.
 */
export function applyLiveChanges(store: WorkstationStore, config: ForceConfig, batch: LiveChanges, awaiting: readonly AwaitedEffect[]): RecordKey[] | null {
  const cursor = store.pullCursor;
  if (batch.since > cursor || batch.upTo <= cursor) return null;
  const changes = batch.since === cursor ? batch.changes : batch.changes.filter((change) => change.seq > cursor);
  return applyPullPage(store, config, { ...batch, since: cursor, changes, hasMore: false, lastClientSeq: effectsHeldUpTo(awaiting, batch.upTo), rejected: [] });
}

/**
 * Takes out of the outbox the applied commands up to `lastClientSeq` whose effects the workstation already holds (a
 * command that changed nothing, or whose batch came before its answer), and shows the server's records in their place.
 */
export function dropArrived(store: WorkstationStore, config: ForceConfig, lastClientSeq: number): RecordKey[] {
  return store.transaction(() => {
    const reset = store.outbox.removeProcessed(lastClientSeq);
    return reset.length > 0 ? rebuildView(store, config, { reset }) : [];
  });
}

/**
 * Records what the server said of pushed commands. Refused ones go to the dead-letter list and their optimistic
 * effects are undone; applied ones stay pending until a live batch or a pull brings the server's documents, so the
 * screen never flickers back to an older state in between.
 */
export function applyPushOutcomes(store: WorkstationStore, config: ForceConfig, outcomes: readonly CommandOutcome[]): RecordKey[] {
  const refused = outcomes.filter((o) => o.status === 'rejected');
  if (refused.length === 0) return [];
  return store.transaction(() => rebuildView(store, config, { reset: markRejected(store, refused) }));
}

/**
 * This workstation's refused commands that someone has handled, here or at another desk, as the server's refusal
 * records now say: each row follows its record. Returns the records a held command's effect touched, to be reset.
 *
 * A held command's effect leaves the screen when its row follows the record, so a held row follows only with a page
 * that reaches the head (`whole`): redone at another desk, the redo's effects are written before the refusal's
 * marking, but may have been changed again since and lie pages on, and the effect would be gone from the screen
 * until they came. The page that ends a catch-up (`settles`: whole after one that was not, or after a restart) follows
 * the records of every refused row again, those earlier pages brought among them: a held row skipped then may have
 * been handled here meanwhile (sent again as its operator signed in, dismissed), and must still end as the room's
 * record says (which then loses, as a conflict, to what was done first elsewhere).
 */
function followHandled(store: WorkstationStore, fresh: readonly AnyRecord[], whole: boolean, settles: boolean): RecordKey[] {
  const keys: RecordKey[] = [];
  const held = store.refusals.heldIds();
  const records = fresh.filter((record) => record.kind === 'refusal');
  if (settles) {
    const arrived = new Set(records.map((record) => record.id));
    for (const id of store.refusals.refusedIds()) {
      const before = arrived.has(id) ? undefined : store.server.get({ kind: 'refusal', id });
      if (before?.kind === 'refusal') records.push(before);
    }
  }
  for (const record of records) {
    if (!whole && held.has(record.id)) continue;
    const clientSeq = store.refusals.followServer(record.doc);
    if (clientSeq !== null) keys.push(...store.outbox.touchedBy(clientSeq));
  }
  return keys;
}

function markRejected(store: WorkstationStore, outcomes: readonly CommandOutcome[]): RecordKey[] {
  const keys: RecordKey[] = [];
  for (const outcome of outcomes) {
    if (outcome.status !== 'rejected') continue;
    const touched = store.outbox.touchedBy(outcome.clientSeq);
    if (store.outbox.markDead(outcome.clientSeq, outcome.code, outcome.reason)) keys.push(...touched);
  }
  return keys;
}
