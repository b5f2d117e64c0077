import { applyCommand, parseCommand } from '../../shared/commands/registry';
import type { ForceConfig } from '../../shared/domain/force-config';
import { keyString, type RecordKey } from '../../shared/domain/records';
import type { WorkstationStore } from '../store/workstation-store';
import { contextOf } from './command-context';

/**
 * Rebase: the view of the given records becomes the server's copy again, then every command still pending is
 * applied on top, in the order it was issued. Runs inside the caller's transaction. Returns every record whose
 * view may have changed.
 */
export function rebuildView(store: WorkstationStore, config: ForceConfig, affected: Iterable<RecordKey>): RecordKey[] {
  const keys = new Map<string, RecordKey>();
  for (const key of affected) keys.set(keyString(key), key);
  for (const key of store.outbox.touchedByPending()) keys.set(keyString(key), key);

  for (const key of keys.values()) {
    const confirmed = store.server.get(key);
    if (confirmed) store.view.write(confirmed);
    else store.view.delete(key);
  }

  for (const { envelope } of store.outbox.pending()) {
    const parsed = parseCommand(envelope.name, envelope.args);
    if (!parsed.ok) continue; // cannot happen for what we wrote ourselves; the server will refuse it visibly
    const result = applyCommand(parsed.command, contextOf(envelope, config), store.view);
    if (!result.ok) continue; // no longer applies on the newer state: the server will say so, and why
    for (const change of result.changes) {
      store.view.write(change);
      keys.set(keyString(change), { kind: change.kind, id: change.id });
    }
  }

  const all = [...keys.values()];
  store.view.refreshPending(all);
  return all;
}
