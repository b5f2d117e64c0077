import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ApiError } from '../../shared/contract/errors';
import type { Session, SyncStatus } from '../../shared/contract/views';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { RecordKey } from '../../shared/domain/records';
import { instantOf, type Clock } from '../../shared/domain/time';
import { WorkstationStore } from '../store/workstation-store';
import { CommandRefused, issueCommand, mintProvisionalReference } from '../sync/issue-command';
import { realScheduler, type Scheduler } from '../sync/scheduler';
import { HttpServerLink, type ServerLink } from '../sync/server-link';
import { SyncClient } from '../sync/sync-client';
import { createDispatcher, type Dispatch, type EventListener, type Handlers } from './dispatcher';
import type { AreaService } from '../area/area-service';

export interface ConsoleCoreOptions {
  dataDir: string;
  workstation: string;
  operator: string;
  serverUrl: string;
  config: ForceConfig;
  host: Session['host'];
  clock: Clock;
  log: Logger;
  /** Defaults to HTTP and WebSocket to serverUrl; the simulation substitutes its own network. */
  link?: ServerLink;
  scheduler?: Scheduler;
  /** The map and gazetteer this workstation shows; without one, the area channels answer "unavailable". */
  area?: AreaService;
}

export interface ConsoleCore {
  readonly dispatch: Dispatch;
  readonly store: WorkstationStore;
  readonly sync: SyncClient;
  /** Subscribes to the events windows receive; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  start(): void;
  stop(): void;
}

/**
 * The console core: everything that is not pixels. Plain Node, no Electron: both hosts run this same object and
 * only relay its API to their windows.
 */
export function createConsoleCore(options: ConsoleCoreOptions): ConsoleCore {
  const { config, clock, log } = options;
  const store = WorkstationStore.open(join(options.dataDir, 'workstation.sqlite'));
  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  const who = { operator: options.operator, workstation: options.workstation };

  const publishRecords = (keys: Iterable<RecordKey>) => {
    const { incidents, entries } = store.view.viewsOf(keys);
    if (incidents.length) emit('incidents.changed', { incidents });
    if (entries.length) emit('log.changed', { entries });
  };

  // Windows need a status only when it changes; the sync client reports after every step.
  let lastStatus = '';
  const publishStatus = (status: SyncStatus) => {
    const text = JSON.stringify(status);
    if (text === lastStatus) return;
    lastStatus = text;
    emit('sync.status', status);
  };

  const sync = new SyncClient({
    store,
    config,
    clock,
    link: options.link ?? new HttpServerLink({ baseUrl: options.serverUrl }),
    scheduler: options.scheduler ?? realScheduler,
    onRecordsChanged: publishRecords,
    onStatusChanged: publishStatus,
  });

  /**
   * Issues a command in one transaction (its arguments are built inside it, so a counter they draw from is only
   * used up if the command is written), then, once committed, tells every window and wakes the sync client.
   */
  const issue = (name: string, makeArgs: () => unknown): RecordKey[] => {
    try {
      const { touched } = store.transaction(() => issueCommand(store, config, who, name, makeArgs(), instantOf(clock)));
      publishRecords(touched);
      publishStatus(sync.status());
      sync.kick();
      return touched;
    } catch (error) {
      if (error instanceof CommandRefused) throw new ApiError('bad_request', error.message);
      throw error;
    }
  };

  const handlers: Handlers = {
    'session.get': () => ({ ...who, clientId: store.clientId, host: options.host, serverUrl: options.serverUrl }),
    'config.get': () => config,
    'incidents.list': ({ status }) => ({ incidents: store.view.incidents(status) }),
    'incidents.get': ({ id }) => {
      const incident = store.view.incident(id);
      if (!incident) throw new ApiError('not_found', `no incident ${id} on this workstation`);
      return { incident, log: store.view.logOf(id) };
    },
    'incidents.create': (request) => {
      const incidentId = randomUUID();
      issue('incident.create', () => ({
        incidentId,
        provisionalReference: mintProvisionalReference(store, options.workstation),
        type: request.type,
        locationText: request.locationText,
        grade: request.grade,
        firstLog: request.firstLog ? { entryId: randomUUID(), text: request.firstLog } : null,
      }));
      const incident = store.view.incident(incidentId);
      if (!incident) throw new Error('the incident just created is not in the view');
      return { incident };
    },
    'incidents.addLog': ({ incidentId, text }) => {
      if (!store.view.incident(incidentId)) throw new ApiError('not_found', `no incident ${incidentId} on this workstation`);
      const entryId = randomUUID();
      issue('incident.addLog', () => ({ incidentId, entryId, text }));
      const entry = store.view.logEntry(entryId);
      if (!entry) throw new Error('the log entry just written is not in the view');
      return { entry };
    },
    'sync.status': () => sync.status(),
    'area.get': () => requireArea().manifest,
    'gazetteer.search': async ({ query, limit }) => ({ query, results: await requireArea().search(query, limit) }),
  };

  function requireArea(): AreaService {
    if (!options.area) throw new ApiError('unavailable', 'no area (map and gazetteer) is loaded on this workstation');
    return options.area;
  }

  const dispatch = createDispatcher(handlers, (error, channel) => log.error({ err: error, channel }, 'handler failed'));

  return {
    dispatch,
    store,
    sync,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      sync.start();
    },
    stop() {
      sync.stop();
      listeners.clear();
      store.close();
    },
  };
}
