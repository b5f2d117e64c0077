import { applyCommand, parseCommand } from '../../shared/commands/registry';
import type { ForceConfig } from '../../shared/domain/force-config';
import { keyString, type AnyRecord, type RecordKey } from '../../shared/domain/records';
import type { WorkstationStore } from '../store/workstation-store';
import { contextOf } from './command-context';

export interface Rebuild {
  /** Records just received from the server (already stored as its copy). */
  fresh?: readonly AnyRecord[];
  /** Records whose pending commands just left the outbox (processed or refused): reset and looked at again. */
  reset?: Iterable<RecordKey>;
}

/**
 * Rebase: the view of the records concerned becomes the server's copy again, then every command still pending (or
 * held for its operator to sign in again, see held-commands.ts) is applied on top, in the order it was issued. Runs inside the caller's transaction. Returns every record whose view
 * may have changed.
 *
 * A record just received that no pending command touches is written as received, without reading the server copy
 * back: that is nearly every record of a long catch-up.
 */
export function rebuildView(store: WorkstationStore, config: ForceConfig, { fresh = [], reset = [] }: Rebuild): RecordKey[] {
  const pending = new Map(store.outbox.touchedByPending().map((key) => [keyString(key), key]));
  const changed = new Map<string, RecordKey>();
  /** Records whose "not yet on the server" mark may now be wrong. */
  const recheck = new Map(pending);

  const freshByKey = new Map(fresh.map((record) => [keyString(record), record]));
  for (const [key, record] of freshByKey) {
    changed.set(key, { kind: record.kind, id: record.id });
    if (!pending.has(key)) store.view.write(record);
  }
  for (const key of reset) {
    changed.set(keyString(key), key);
    recheck.set(keyString(key), key);
  }
  // Everything else concerned starts again from the server's copy (or from nothing, if the server has none).
  for (const [key, record] of recheck) {
    if (freshByKey.has(key) && !pending.has(key)) continue; // already written just above
    const confirmed = store.server.get(record);
    if (confirmed) store.view.write(confirmed);
    else store.view.delete(record);
  }

  if (pending.size > 0) {
    for (const envelope of store.outbox.replayable()) {
      const parsed = parseCommand(envelope.name, envelope.args);
      if (!parsed.ok) continue; // cannot happen for what we wrote ourselves; the server will refuse it visibly
      const result = applyCommand(parsed.command, contextOf(envelope, config), store.view);
      if (!result.ok) continue; // no longer applies on the newer state: the server will say so, and why
      const touched = result.changes.map(({ kind, id }) => ({ kind, id }));
      for (const change of result.changes) store.view.write(change);
      for (const key of touched) {
        changed.set(keyString(key), key);
        recheck.set(keyString(key), key);
      }
      // On the newer state it may touch records it did not when issued (a claim whose record has since arrived):
      // they are reset with the rest when it leaves the outbox, or its effect would outlive it.
      store.outbox.addTouched(envelope.clientSeq, touched);
    }
  }

  store.view.refreshPending(recheck.values());
  for (const [k, key] of pending) changed.set(k, key);
  return [...changed.values()];
}
