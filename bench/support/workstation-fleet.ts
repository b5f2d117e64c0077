import { join } from 'node:path';
import { pino } from 'pino';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { WorkstationStore } from '../../main/store/workstation-store';
import { realScheduler } from '../../node-common/scheduler';
import { HttpServerLink, type DeviceCredentials } from '../../main/sync/server-link';
import { BENCH_ENROLMENT_KEY, BENCH_OPERATOR } from './bench-access';
import { SyncClient } from '../../main/sync/sync-client';
import type { LogEntryView } from '../../shared/contract/views';
import type { ForceConfig } from '../../shared/domain/force-config';
import { systemClock } from '../../shared/domain/time';

/** Told, at the moment a workstation's view holds them (after the pull's commit), which log entries it received. */
export type SeenListener = (workstation: number, entryIds: readonly string[]) => void;

export interface FleetWorkstation {
  index: number;
  store: WorkstationStore;
  sync: SyncClient;
  /** Present on the workstations that issue commands: the whole console core, as an operator drives it. */
  core?: ConsoleCore;
}

/**
 * A workstation that issues commands: the real console core on its own SQLite file (WAL, synchronous=FULL), with
 * HTTP and WebSocket to the server, exactly as `npm start -- --server URL` runs it.
 */
export async function startIssuer(
  index: number,
  dataDir: string,
  serverUrl: string,
  config: ForceConfig,
  onSeen: SeenListener,
  operator: { operator: string; password: string } = BENCH_OPERATOR,
): Promise<FleetWorkstation> {
  const core = createConsoleCore({
    dataDir: join(dataDir, `ws-${index}`),
    workstation: `WS-${index}`,
    enrolmentKey: BENCH_ENROLMENT_KEY,
    serverUrl,
    config,
    host: 'browser',
    clock: systemClock,
    log: pino({ level: 'silent' }),
  });
  core.onEvent((event, payload) => {
    if (event !== 'records.changed') return;
    const entries = (payload as { logEntries: LogEntryView[] }).logEntries;
    if (entries.length > 0) onSeen(index, entries.map((e) => e.id));
  });
  core.start();
  const signedIn = await core.dispatch('session.signIn', operator);
  if (!signedIn.ok) throw new Error(`WS-${index} could not sign in: ${signedIn.error.message}`);
  return { index, store: core.store, sync: core.sync, core };
}

/**
 * A workstation that only watches: the real sync client, HTTP link and workstation store (the same schema, pull,
 * rebase and view code), but with the store in memory. Two hundred workstations share one disk and one event loop
 * here, where a control room gives each its own machine: a fsync per pull per workstation, one after another on a
 * synchronous SQLite binding, would measure this machine's disk queue, not the sync path.
 */
export function startWatcher(index: number, serverUrl: string, config: ForceConfig, onSeen: SeenListener): FleetWorkstation {
  const store = WorkstationStore.open(':memory:');
  const sync = new SyncClient({
    store,
    link: new HttpServerLink({ baseUrl: serverUrl, device: memoryDevice(store.clientId, `WATCH-${index}`, config.force.code) }),
    config,
    clock: systemClock,
    scheduler: realScheduler,
    onRecordsChanged: (keys) => {
      const ids = keys.filter((k) => k.kind === 'logEntry' && store.view.logEntry(k.id) !== undefined).map((k) => k.id);
      if (ids.length > 0) onSeen(index, ids);
    },
    onStatusChanged: () => {},
  });
  sync.start();
  return { index, store, sync };
}

/** Stops every workstation, lets requests in flight finish, then closes the stores. */
export async function stopFleet(fleet: readonly FleetWorkstation[]): Promise<void> {
  for (const ws of fleet) ws.sync.stop();
  await Promise.all(fleet.map((ws) => ws.sync.settled()));
  for (const ws of fleet) {
    if (ws.core) ws.core.stop();
    else ws.store.close();
  }
}

/** A watcher's enrolment for its force, kept in memory like the rest of its store. */
function memoryDevice(clientId: string, workstation: string, force: string): DeviceCredentials {
  let token: string | null = null;
  return { clientId, workstation, token: () => token, saveToken: (t) => (token = t), enrolmentKey: BENCH_ENROLMENT_KEY, force };
}
