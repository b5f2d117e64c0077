import { join } from 'node:path';
import type { Logger } from 'pino';
import type { EventOf } from '../../shared/contract/channels';
import { ApiError } from '../../shared/contract/errors';
import type { AssignmentView, Session, SyncStatus } from '../../shared/contract/views';
import type { ForceConfig } from '../../shared/domain/force-config';
import { mayIssue } from '../../shared/domain/operator';
import type { RecordKey } from '../../shared/domain/records';
import { instantOf, type Clock } from '../../shared/domain/time';
import type { TelephonyAdapter } from '../adapters/telephony/telephony-adapter';
import type { AreaService } from '../area/area-service';
import { WorkstationStore } from '../store/workstation-store';
import { CommandRefused, issueCommand } from '../sync/issue-command';
import { realScheduler, type Scheduler } from '../../node-common/scheduler';
import { HttpServerLink, type ServerAccess, type ServerLink } from '../sync/server-link';
import { SyncClient } from '../sync/sync-client';
import type { CoreContext } from './core-context';
import { createDispatcher, type Dispatch, type EventListener, type Handlers } from './dispatcher';
import { callHandlers } from './handlers/call-handlers';
import { dispatchHandlers } from './handlers/dispatch-handlers';
import { incidentHandlers } from './handlers/incident-handlers';
import { syncHandlers } from './handlers/sync-handlers';
import { deskHandlers } from './handlers/desk-handlers';
import { clockHandlers } from './handlers/clock-handlers';
import { OperatorSession, SignInRefused } from './operator-session';
import { TelephonyBridge } from './telephony-bridge';
import { DispatchBridge } from './dispatch-bridge';
import { DeadlineWatch } from './deadline-watch';
import type { AvlAdapter } from '../adapters/avl/avl-adapter';
import type { TerminalAdapter } from '../adapters/terminal/terminal-adapter';

export interface ConsoleCoreOptions {
  dataDir: string;
  workstation: string;
  /** The name to offer on the sign-in screen. */
  suggestedOperator?: string | null;
  serverUrl: string;
  /** What this workstation presents to enrol with the server, if it has not enrolled yet. */
  enrolmentKey: string | null;
  config: ForceConfig;
  host: Session['host'];
  clock: Clock;
  log: Logger;
  /** Defaults to HTTP and WebSocket to serverUrl; tests substitute their own. */
  link?: ServerLink & ServerAccess;
  scheduler?: Scheduler;
  /** The map and gazetteer this workstation shows; without one, the area channels answer "unavailable". */
  area?: AreaService;
  /** Where calls come from: a CTI integration, or the simulator. None: this position takes no calls. */
  telephony?: TelephonyAdapter;
  /** Vehicles' terminals (deployments out, receipts back) and positions; simulators in the demo and tests. */
  terminal?: TerminalAdapter;
  avl?: AvlAdapter;
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
 * only relay its API to their windows. The handlers are grouped by what they are about, in ./handlers.
 */
export function createConsoleCore(options: ConsoleCoreOptions): ConsoleCore {
  const { config, clock, log } = options;
  const store = WorkstationStore.open(join(options.dataDir, 'workstation.sqlite'));
  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  const link =
    options.link ??
    new HttpServerLink({
      baseUrl: options.serverUrl,
      device: {
        clientId: store.clientId,
        workstation: options.workstation,
        token: () => store.meta.get('device_token') || null,
        saveToken: (token) => store.transaction(() => store.meta.set('device_token', token ?? '')),
        enrolmentKey: options.enrolmentKey,
      },
    });
  const session = new OperatorSession(store, clock, (operator, password) => link.signIn(operator, password));

  const publishRecords = (keys: Iterable<RecordKey>) => {
    if (!session.signedIn) return; // nobody may see records on a workstation nobody is signed in at
    const { views, removed } = store.view.viewsOf(keys);
    const payload: EventOf<'records.changed'> = {
      incidents: views.incident,
      logEntries: views.logEntry,
      units: views.unit,
      assignments: views.assignment,
      conflicts: views.conflict,
      contacts: views.contact,
      tasks: views.task,
      markers: views.marker,
      removed,
    };
    if (Object.values(payload).some((list) => list.length > 0)) emit('records.changed', payload);
    if (payload.assignments.length) onAssignmentsChanged(payload.assignments);
    if (payload.units.length || payload.assignments.length || payload.incidents.length || removed.length) deadlines?.recordsChanged();
  };
  let deadlines: DeadlineWatch | null = null;
  let onAssignmentsChanged: (assignments: AssignmentView[]) => void = () => undefined;

  // Windows need a status only when it changes; the sync client reports after every step.
  let lastStatus = '';
  const publishStatus = (status: SyncStatus) => {
    const text = JSON.stringify(status);
    if (text === lastStatus) return;
    lastStatus = text;
    emit('sync.status', status);
  };

  const sync = new SyncClient({ store, config, clock, link, scheduler: options.scheduler ?? realScheduler, onRecordsChanged: publishRecords, onStatusChanged: publishStatus });

  /**
   * Issues commands in one transaction (their arguments are built inside it, so a counter they draw from is only
   * used up if they are written), then, once committed, tells every window and wakes the sync client. If the rules
   * refuse any of them here (the operator's own view already shows why), nothing changes.
   */
  const issueAll = (commands: { name: string; makeArgs: () => unknown }[]): RecordKey[] => {
    const signedIn = session.signedIn;
    if (!signedIn) throw new ApiError('unauthenticated', 'nobody is signed in at this workstation');
    const who = { operator: signedIn.operator.id, workstation: options.workstation, ticket: signedIn.ticket };
    try {
      const touched = store.transaction(() => commands.flatMap(({ name, makeArgs }) => issueCommand(store, config, who, name, makeArgs(), instantOf(clock)).touched));
      publishRecords(touched);
      publishStatus(sync.status());
      sync.kick();
      return touched;
    } catch (error) {
      if (error instanceof CommandRefused) throw new ApiError(error.code === 'forbidden' ? 'forbidden' : 'bad_request', error.message);
      throw error;
    }
  };

  const ctx: CoreContext = { store, config, clock, log, workstation: options.workstation, session, sync, emit, issueAll, issue: (name, makeArgs) => issueAll([{ name, makeArgs }]) };
  const telephony = new TelephonyBridge(ctx, options.telephony ?? null);
  const vehicles = new DispatchBridge(ctx, options.terminal ?? null, options.avl ?? null);
  deadlines = new DeadlineWatch(ctx, options.scheduler ?? realScheduler);
  onAssignmentsChanged = (assignments) => vehicles.assignmentsChanged(assignments);

  const describeSession = (): Session => ({
    workstation: options.workstation,
    clientId: store.clientId,
    host: options.host,
    serverUrl: options.serverUrl,
    operator: session.signedIn ? (store.view.get('operator', session.signedIn.operator.id) ?? session.signedIn.operator) : null,
    signInMode: session.signedIn?.mode ?? null,
    suggestedOperator: options.suggestedOperator ?? null,
  });

  const requireArea = (): AreaService => {
    if (!options.area) throw new ApiError('unavailable', 'no area (map and gazetteer) is loaded on this workstation');
    return options.area;
  };

  const handlers: Handlers = {
    'session.get': describeSession,
    'session.signIn': async ({ operator, password }) => {
      try {
        const signedIn = await session.signIn(operator, password);
        log.info({ operator, mode: signedIn.mode }, 'operator signed in');
      } catch (error) {
        if (error instanceof SignInRefused) throw new ApiError('unauthenticated', error.message);
        throw error;
      }
      // The audit log gets every sign-in, those made offline too, through the outbox.
      if (mayIssue(store.view.get('operator', operator), 'operator.signedIn')) ctx.issue('operator.signedIn', () => ({ mode: session.signedIn?.mode }));
      deadlines?.sessionChanged();
      emit('session.changed', describeSession());
      telephony.signedIn();
      vehicles.signedIn();
      return describeSession();
    },
    'session.signOut': () => {
      session.signOut();
      deadlines?.sessionChanged();
      emit('session.changed', describeSession());
      return describeSession();
    },
    'config.get': () => config,
    ...clockHandlers(ctx),
    ...incidentHandlers(ctx),
    ...dispatchHandlers(ctx, vehicles),
    ...callHandlers(ctx, telephony),
    ...syncHandlers(ctx),
    ...deskHandlers(ctx),
    'area.get': () => requireArea().manifest,
    'gazetteer.search': async ({ query, limit }) => ({ query, results: await requireArea().search(query, limit) }),
  };

  const dispatch = createDispatcher(requireSignIn(handlers, () => session.signedIn !== null), (error, channel) => log.error({ err: error, channel }, 'handler failed'));

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
      telephony.start();
      vehicles.start();
      deadlines?.start();
    },
    stop() {
      deadlines?.stop();
      telephony.stop();
      vehicles.stop();
      sync.stop();
      listeners.clear();
      store.close();
    },
  };
}

/**
 * What a workstation answers with nobody signed in: who it is, how to sign in, its configuration, its link state, and
 * its map and gazetteer (public geography, no one's personal data).
 */
const OPEN_CHANNELS = new Set<string>(['session.get', 'session.signIn', 'session.signOut', 'config.get', 'clock.now', 'sync.status', 'area.get', 'gazetteer.search']);

function requireSignIn(handlers: Handlers, signedIn: () => boolean): Handlers {
  const guarded = { ...handlers } as Record<string, (request: never) => unknown>;
  for (const [channel, handler] of Object.entries(handlers) as [string, (request: never) => unknown][]) {
    if (OPEN_CHANNELS.has(channel)) continue;
    guarded[channel] = (request) => {
      if (!signedIn()) throw new ApiError('unauthenticated', 'nobody is signed in at this workstation');
      return handler(request);
    };
  }
  return guarded as unknown as Handlers;
}
