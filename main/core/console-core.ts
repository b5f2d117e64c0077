import { CatchUp } from './catch-up';
import { catchUpHandlers } from './handlers/catch-up-handlers';
import { UNTAKEN_LOG_PREFIX } from '../../shared/dispatch/handoffs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { EventOf } from '../../shared/contract/channels';
import { ApiError } from '../../shared/contract/errors';
import type { AssignmentView, ContactView, Session, SyncStatus } from '../../shared/contract/views';
import type { ForceConfig } from '../../shared/domain/force-config';
import { mayIssue, type Operator as OperatorProfile } from '../../shared/domain/operator';
import { conflictScope, mayOpenConflict } from '../../shared/domain/conflict';
import { mayHandleRefusal, refusedShownTo } from '../../shared/commands/refusal-handle';
import type { ForcedSignOut, SignedOutArgs } from '../../shared/commands/operator-signed-out';
import { CHANNEL_ACCESS, channelRefusal, mayUseChannel, RECORD_READS, type ChannelPlace } from '../../shared/contract/channel-access';
import type { RecordKey } from '../../shared/domain/records';
import { relayAuthor } from '../../shared/domain/relay';
import { instantOf, type Clock } from '../../shared/domain/time';
import type { ExerciseClockState } from '../../shared/domain/exercise-clock';
import { wallClock } from '../../shared/domain/wall-clock';
import type { TelephonyAdapter } from '../adapters/telephony/telephony-adapter';
import type { AreaService } from '../area/area-service';
import { WorkstationStore } from '../store/workstation-store';
import { NOT_SAVED } from '../../node-common/store-faults';
import { WalUpkeep } from '../../node-common/wal-upkeep';
import { StartProblem } from '../../node-common/start-problem';
import { CommandRefused, issueCommand, REFERENCE_GENERATION, type Operator } from '../sync/issue-command';
import { realScheduler, type Scheduler } from '../../node-common/scheduler';
import { HttpServerLink, type AuditAccess, type MeasuresAccess, type ReviewAccess, type ServerAccess, type ServerLink } from '../sync/server-link';
import { SyncClient } from '../sync/sync-client';
import type { CommandToIssue, CoreContext, IssueAround } from './core-context';
import { createDispatcher, type Admit, type Dispatch, type EventListener, type Handlers } from './dispatcher';
import { callHandlers } from './handlers/call-handlers';
import { dispatchHandlers } from './handlers/dispatch-handlers';
import { incidentHandlers } from './handlers/incident-handlers';
import { syncHandlers } from './handlers/sync-handlers';
import { deskHandlers } from './handlers/desk-handlers';
import { adminHandlers } from './handlers/admin-handlers';
import { clockHandlers } from './handlers/clock-handlers';
import { exerciseHandlers, exerciseStatus, type CoreExercise } from './handlers/exercise-handlers';
import { OperatorSession, SignInRefused, type SignedIn } from './operator-session';
import { TelephonyBridge } from './telephony-bridge';
import { DispatchBridge } from './dispatch-bridge';
import { HeldEvents } from './held-events';
import { StoreAlarm } from './store-alarm';
import { loanHandlers } from './handlers/loan-handlers';
import { refusalHandlers } from './handlers/refusal-handlers';
import { shareHandlers } from './handlers/share-handlers';
import { arrangementHandlers, transferHandlers } from './handlers/arrangement-handlers';
import { auditHandlers } from './handlers/audit-handlers';
import { measuresHandlers } from './handlers/measures-handlers';
import { reviewHandlers } from './handlers/review-handlers';
import { resendHeld } from '../sync/held-commands';
import { nextCommandId } from './request-ledger';
import { DeadlineWatch } from './deadline-watch';
import { ConsultationLog } from './consultations';
import { DeskMoments } from './desk-moments';
import type { AvlAdapter } from '../adapters/avl/avl-adapter';
import type { TerminalAdapter } from '../adapters/terminal/terminal-adapter';

export interface ConsoleCoreOptions {
  dataDir: string;
  workstation: string;
  /** The name to offer on the sign-in screen. */
  suggestedOperator?: string | null;
  serverUrl: string;
  /** PEM certificates of the authorities trusted for an https:// server instead of the system's (the force's own). */
  ca?: string;
  /** What this workstation presents to enrol with the server, if it has not enrolled yet. */
  enrolmentKey: string | null;
  config: ForceConfig;
  host: Session['host'];
  clock: Clock;
  log: Logger;
  /** Defaults to HTTP and WebSocket to serverUrl; tests substitute their own (the audit questions are optional there). */
  link?: ServerLink & ServerAccess & Partial<AuditAccess> & Partial<MeasuresAccess> & Partial<ReviewAccess>;
  scheduler?: Scheduler;
  /** The map and gazetteer this workstation shows; without one, the area channels answer "unavailable". */
  area?: AreaService;
  /** Where calls come from: a CTI integration, or the simulator. None: this position takes no calls. */
  telephony?: TelephonyAdapter;
  /** Vehicles' terminals (deployments out, receipts back) and positions; simulators in the demo and tests. */
  terminal?: TerminalAdapter;
  avl?: AvlAdapter;
  /**
   * A training workstation: it speaks to a training server only (which refuses it otherwise), its clock is the
   * exercise's (`clock` must be `exercise.clock`), and every window is marked as training.
   */
  exercise?: CoreExercise;
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
 * A workstation's data folder belongs to one force, the one it was first started for (and enrolled with): started
 * with another force's configuration it stops, saying so, rather than showing one force's records under the other's
 * rules, or acting at the server as the force its device token was enrolled for while showing another.
 */
function claimForce(store: WorkstationStore, force: string): void {
  const held = store.meta.get(FORCE_KEY);
  if (held === undefined) return void store.meta.set(FORCE_KEY, force);
  if (held !== force) {
    throw new StartProblem(`this data folder is a workstation of force ${held}, not ${force}: start it with ${held}'s configuration, or give --data-dir a new folder for a workstation of ${force}`);
  }
}

const FORCE_KEY = 'force';

/**
 * The console core: everything that is not pixels. Plain Node, no Electron: both hosts run this same object and
 * only relay its API to their windows. The handlers are grouped by what they are about, in ./handlers.
 */
export function createConsoleCore(options: ConsoleCoreOptions): ConsoleCore {
  const { config, clock, log } = options;
  const scheduler = options.scheduler ?? realScheduler;
  const file = join(options.dataDir, 'workstation.sqlite');
  const store = WorkstationStore.open(file);
  try {
    claimForce(store, config.force.code);
  } catch (error) {
    store.close();
    throw error;
  }
  const walUpkeep = new WalUpkeep(store.db, file, { timers: scheduler });
  const listeners = new Set<EventListener>();
  const place: ChannelPlace = { training: options.exercise !== undefined };
  const emit: EventListener = (event, payload) => {
    // Positions are units' records too: only to an operator who may read them (never to nobody).
    if (event === 'units.moved' && !mayUseChannel(currentOperator(), RECORD_READS.positions, place)) return;
    for (const listener of listeners) listener(event, payload);
  };
  const link =
    options.link ??
    new HttpServerLink({
      baseUrl: options.serverUrl,
      mode: options.exercise ? 'training' : 'live',
      // A trainee's clock follows the server's; the trainer's is the server's own clock, in this process.
      // While it cannot hear the server (an outage, a lost link), its desk says the time is not confirmed.
      ...(options.exercise?.desk === 'trainee'
        ? { onExercise: (state: ExerciseClockState) => options.exercise!.clock.follow(state), onExerciseUnheard: () => options.exercise!.clock.unheard() }
        : {}),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      device: {
        clientId: store.clientId,
        workstation: options.workstation,
        force: config.force.code,
        token: () => store.meta.get('device_token') || null,
        saveToken: (token, referenceGeneration) =>
          store.transaction(() => {
            store.meta.set('device_token', token ?? '');
            if (referenceGeneration !== undefined) store.meta.set(REFERENCE_GENERATION, referenceGeneration);
          }),
        enrolmentKey: options.enrolmentKey,
      },
    });
  const session = new OperatorSession(store, clock, (operator, password) => link.signIn(operator, password), { config, workstation: options.workstation });
  /** The signed-in operator as this workstation knows them now: roles an administrator changed apply at once. */
  const currentOperator = (): OperatorProfile | null => {
    const signedIn = session.signedIn;
    return signedIn ? (store.view.get('operator', signedIn.operator.id) ?? signedIn.operator) : null;
  };

  // A full disk or another program's lock on the file: the alarm every window shows, and the outside events (calls,
  // terminal receipts) held meanwhile, applied in order once the store takes writes again.
  const alarm: StoreAlarm = new StoreAlarm({
    clock,
    scheduler,
    log,
    dir: options.dataDir,
    waiting: () => held.size + relayed.size,
    recheck: () => {
      held.applyWaiting();
      relayed.applyWaiting();
      store.probeWrite(instantOf(clock));
    },
    busyTimeoutMs: store.db.pragma('busy_timeout', { simple: true }) as number,
    setBusyTimeout: (ms) => {
      if (store.db.open) store.db.pragma(`busy_timeout = ${ms}`);
    },
    publish: (health) => emit('store.health', health),
  });
  const heldEvents = (ready: () => boolean) =>
    new HeldEvents({
      log,
      ready,
      isStoreFault: (error) => alarm.faultOf(error) !== null,
      storeRefusing: () => alarm.raised,
      refused: (error) => alarm.noteFailure(error),
      changed: () => alarm.publish(),
    });
  // Calls are offered only to a position someone is signed in at: held until then.
  const held: HeldEvents = heldEvents(() => session.signedIn !== null);
  // Terminals' messages are relayed whoever is signed in, or nobody (see relay below): held only while the file
  // refuses writes, and, on a workstation new to the force, until its first pull has brought the force's units (a
  // crew booking on as the console starts speaks of a unit this file does not know yet: dropped, it never booked on).
  // A queue of their own, so a call waiting for a sign-in holds up no crew's receipt.
  let unitsKnown = false;
  const relayed: HeldEvents = heldEvents(() => unitsKnown || (unitsKnown = store.view.units().length > 0));
  const applyHeld = () => {
    try {
      held.applyWaiting();
    } catch (error) {
      alarm.noteFailure(error);
    }
  };

  // Why the console signed the last operator out (their account deactivated), for the sign-in screen; cleared at the next sign-in.
  let notice: string | null = null;
  /**
   * The signed-in operator's own account changed (from the server, or this workstation): every window follows their
   * roles at once, and an account deactivated by an administrator ends the session here, saying why.
   */
  const followOwnAccount = (keys: readonly RecordKey[]) => {
    const me = session.signedIn?.operator.id;
    // With nobody signed in, the sign-in screen's list of accounts follows every account's change.
    if (!me && keys.some((key) => key.kind === 'operator')) emit('session.changed', describeSession());
    if (!me || !keys.some((key) => key.kind === 'operator' && key.id === me)) return;
    const account = store.view.get('operator', me);
    if (account && !account.active) {
      // The sign-out goes to the audit log as an ordinary one does (through the outbox, with its time here), saying
      // the workstation made it and why: the server takes it though the account is inactive (a fact: operator.ts).
      const by = account.deactivated?.by ?? null;
      recordSignOut({ cause: 'account deactivated', by });
      session.signOut();
      notice = `${account.displayName}'s account was deactivated by ${by ?? 'a force administrator'} at ${wallClock(config.force.timeZone).timeZoned(clock.now())}: signed out. Ask a force administrator if this is wrong.`;
      log.info({ operator: me, by }, 'signed out: account deactivated');
      deadlines?.sessionChanged();
    }
    emit('session.changed', describeSession());
    // Their roles (or their session) changed: the conflicts the status bar counts for them may have too.
    publishStatus(sync.status());
  };

  /**
   * Puts the sign-out of the operator signed in (or of `leaving`, the session another sign-in just replaced) in the
   * outbox (operator.signedOut), with their ticket, `forced` saying why when the workstation ends the session itself.
   * Every path that ends a session comes here. The session ends even if it cannot be recorded (a full disk): the
   * failure is logged.
   */
  const recordSignOut = (forced: ForcedSignOut | null, leaving: SignedIn | null = session.signedIn) => {
    if (!leaving) return;
    try {
      const args: SignedOutArgs = forced ? { forced } : {};
      issueAs({ operator: leaving.operator.id, workstation: options.workstation, ticket: leaving.ticket }, [{ name: 'operator.signedOut', makeArgs: () => args }]);
    } catch (error) {
      log.warn({ reason: (error as Error).message }, 'could not record the sign-out');
    }
  };

  const publishRecords = (iterable: Iterable<RecordKey>) => {
    const keys = [...iterable];
    followOwnAccount(keys);
    if (!unitsKnown && keys.some((key) => key.kind === 'unit')) {
      unitsKnown = true;
      try {
        relayed.applyWaiting();
      } catch (error) {
        alarm.noteFailure(error);
      }
    }
    if (!session.signedIn) return; // nobody may see records on a workstation nobody is signed in at
    const { views, removed } = store.view.viewsOf(keys);
    const changed: EventOf<'records.changed'> = {
      incidents: views.incident,
      logEntries: views.logEntry,
      units: views.unit,
      assignments: views.assignment,
      conflicts: views.conflict,
      contacts: views.contact,
      tasks: views.task,
      markers: views.marker,
      // Whose account is deactivated, as the room's refusals list (refusal-handlers.ts) says it.
      refusals: views.refusal.map((refusal) => ({ ...refusal, accountDeactivated: refusal.operator !== null && store.view.get('operator', refusal.operator)?.active === false })),
      loans: views.loan,
      arrangements: views.arrangement,
      transfers: views.transfer,
      removed,
    };
    // Windows are sent only the kinds of record their operator may read (an auditor none of the room's); the
    // workstation's own work below (terminals, the switch, deadlines) follows every change, whoever is signed in.
    const shown = recordsShownTo(changed, currentOperator(), place);
    if (Object.values(shown).some((list) => list.length > 0)) emit('records.changed', shown);
    if (changed.assignments.length) onAssignmentsChanged(changed.assignments);
    const removedAssignments = removed.filter((key) => key.kind === 'assignment').map((key) => key.id);
    if (removedAssignments.length) onAssignmentsRemoved(removedAssignments);
    if (changed.contacts.length) onContactsChanged(changed.contacts);
    // A log line may be an untaken handoff's, which ends that deadline (shared/dispatch/deadlines.ts handoffDeadlines).
    const handoffLogged = changed.logEntries.some((entry) => entry.kind === 'system' && entry.text.startsWith(UNTAKEN_LOG_PREFIX));
    if (changed.units.length || changed.assignments.length || changed.incidents.length || removed.length || handoffLogged) deadlines?.recordsChanged();
  };
  let deadlines: DeadlineWatch | null = null;
  let onAssignmentsChanged: (assignments: AssignmentView[]) => void = () => undefined;
  let onAssignmentsRemoved: (ids: string[]) => void = () => undefined;
  let onContactsChanged: (contacts: ContactView[]) => void = () => undefined;

  /**
   * Commands held for the signed-in operator's sign-in go again as soon as they hold a newer ticket than the one
   * refused: when they sign in with the server, or when a refusal arrives after that (its push was on the way as
   * they signed in). True if any went.
   */
  const sendHeldAgain = (): boolean => {
    const signedIn = session.signedIn;
    if (signedIn?.mode !== 'online') return false;
    const { resent, changed } = resendHeld(store, config, signedIn.operator.id, signedIn.ticket, instantOf(clock));
    if (resent === 0) return false;
    log.info({ operator: signedIn.operator.id, commands: resent }, 'commands held for a sign-in sent again');
    publishRecords(changed);
    sync.send();
    return true;
  };

  // The desk's last outage, followed from the link's status, for catch-up (main/core/catch-up.ts).
  const catchUp = new CatchUp(store.meta, clock, (status) => emit('catchUp.changed', status));
  // Windows need a status only when it changes; the sync client reports after every step.
  let lastStatus = '';
  const publishStatus = (reported: SyncStatus) => {
    catchUp.observe(reported);
    const mine = session.signedIn?.operator.id;
    const status = reported.held.some((h) => h.operator === mine) && sendHeldAgain() ? sync.status() : reported;
    const text = JSON.stringify(status);
    if (text === lastStatus) return;
    lastStatus = text;
    emit('sync.status', status);
  };

  const sync = new SyncClient({
    store,
    config,
    clock,
    link,
    scheduler,
    onRecordsChanged: publishRecords,
    onStatusChanged: publishStatus,
    // Applying what the server sent can meet the full disk too: the alarm says so (the client retries on its own).
    onCycleFailed: (error) => alarm.noteFailure(error),
    // The status bar counts only the conflicts and refused commands whoever is signed in may open (none with nobody).
    shownTo: () => ({ conflicts: conflictScope(currentOperator(), place), refused: refusedShownTo(currentOperator()) }),
  });

  /**
   * Issues commands in one transaction (their arguments are built inside it, so a counter they draw from is only
   * used up if they are written), then, once committed, tells every window and wakes the sync client. If the rules
   * refuse any of them here (the operator's own view already shows why), nothing changes.
   */
  const issueAll: CoreContext['issueAll'] = (commands, around) => {
    const signedIn = session.signedIn;
    if (!signedIn) throw new ApiError('unauthenticated', 'nobody is signed in at this workstation');
    return issueAs({ operator: signedIn.operator.id, workstation: options.workstation, ticket: signedIn.ticket }, commands, around);
  };

  /**
   * A unit's terminal's (or the telephony switch's) message, relayed: in its own name, with no ticket, whoever is
   * signed in here. For a terminal nobody needs to be: the workstation is enrolled (its device token, which an
   * administrator can revoke, vouches for it), the message is the crew's and not an operator's, and holding it until
   * someone signs in would leave the room without the crew's receipt (another desk's "no receipt" alarm) and status
   * meanwhile. Nothing is shown here while nobody is signed in (publishRecords). Calls are held for a sign-in all
   * the same (the telephony bridge's held events): a call is offered only to a staffed position. Its id is its own,
   * never a window request's.
   */
  const relay: CoreContext['relay'] = (relayed, name, makeArgs, issuedAt) =>
    issueAs({ operator: relayAuthor(relayed), workstation: options.workstation, ticket: '', relay: relayed }, [{ name, makeArgs: () => makeArgs() }], undefined, { issuedAt, commandId: randomUUID });

  /** Issues commands as `who`, at the clock's time (or the time given), in one transaction; see issueAll. */
  const issueAs = (who: Operator, commands: CommandToIssue[], around?: IssueAround, given?: { issuedAt: string; commandId: () => string }): RecordKey[] => {
    try {
      const touched = store.transaction(() => {
        const ids: string[] = [];
        const changed = around?.before?.() ?? [];
        for (const { name, makeArgs, redoes } of commands) {
          const issuedAt = given?.issuedAt ?? instantOf(clock);
          const commandId = given ? given.commandId() : nextCommandId();
          const { envelope, touched: keys } = issueCommand(store, config, who, name, makeArgs(ids), issuedAt, commandId, redoes && { ...redoes, at: issuedAt });
          ids.push(envelope.commandId);
          changed.push(...keys);
        }
        around?.after?.(ids);
        return changed;
      });
      publishRecords(touched);
      publishStatus(sync.status());
      sync.send();
      return touched;
    } catch (error) {
      if (error instanceof CommandRefused) throw new ApiError(error.code === 'forbidden' ? 'forbidden' : 'bad_request', error.message);
      throw error;
    }
  };

  const ctx: CoreContext = { store, config, clock, log, workstation: options.workstation, session, sync, emit, issueAll, issue: (name, makeArgs) => issueAll([{ name, makeArgs }]), relay };
  const telephony = new TelephonyBridge(ctx, options.telephony ?? null, held);
  // An exercise's vehicles are the trainer's desk's: it answers the deployments trainees make at their own desks.
  const vehicles = new DispatchBridge(ctx, options.terminal ?? null, options.avl ?? null, relayed, { everyDeployment: options.exercise?.desk === 'trainer' });
  const consultations = new ConsultationLog(ctx, held);
  const moments = new DeskMoments(ctx, held);
  deadlines = new DeadlineWatch(ctx, options.scheduler ?? realScheduler);
  onAssignmentsChanged = (assignments) => vehicles.assignmentsChanged(assignments);
  onAssignmentsRemoved = (ids) => vehicles.assignmentsRemoved(ids);
  // A call this workstation's telephony reported, answered at another (an exercise's, by a trainee): the switch is told.
  onContactsChanged = (contacts) => telephony.contactsChanged(contacts);

  const describeSession = (): Session => ({
    workstation: options.workstation,
    clientId: store.clientId,
    host: options.host,
    serverUrl: options.serverUrl,
    operator: currentOperator(),
    signInMode: session.signedIn?.mode ?? null,
    suggestedOperator: options.suggestedOperator ?? null,
    notice,
    signInAccounts: signInAccounts(),
  });

  /**
   * The demonstration force's accounts for its sign-in screen, as they stand on this workstation: a deactivated
   * account is left out (it could not sign in), and each is listed with its roles now, not as first configured.
   */
  const signInAccounts = (): Session['signInAccounts'] => {
    const listed = config.demonstration?.accounts;
    if (!listed) return null;
    return listed.flatMap(({ name, roles }) => {
      const account = store.view.get('operator', name);
      if (account?.active === false) return [];
      return [{ name, roles: account?.roles ?? roles }];
    });
  };

  const requireArea = (): AreaService => {
    if (!options.area) throw new ApiError('unavailable', 'no area (map and gazetteer) is loaded on this workstation');
    return options.area;
  };

  const handlers: Handlers = {
    'session.get': describeSession,
    'session.signIn': async ({ operator, password }) => {
      const before = session.signedIn;
      try {
        const signedIn = await session.signIn(operator, password);
        notice = null;
        log.info({ operator, mode: signedIn.mode }, 'operator signed in');
        // Another operator signing in over a session ends it: logged before their sign-in, as its operator's. The same
        // operator proving themselves again (to send what was held) goes on with the session they had.
        if (before && before.operator.id !== signedIn.operator.id) recordSignOut({ cause: 'another sign-in', by: signedIn.operator.id }, before);
        // The server has just proved who they are again: what it refused for their sign-in goes again, as theirs.
        if (sendHeldAgain()) publishStatus(sync.status());
      } catch (error) {
        if (error instanceof SignInRefused) {
          // A refusal made offline waits in the outbox for the server's audit log: the status bar counts it.
          publishStatus(sync.status());
          throw new ApiError('unauthenticated', error.message);
        }
        throw error;
      }
      // The audit log gets every sign-in, those made offline too, through the outbox. A sign-in that cannot be
      // recorded (a full disk) is undone, not left half made.
      if (mayIssue(store.view.get('operator', operator), 'operator.signedIn')) {
        try {
          ctx.issue('operator.signedIn', () => ({ mode: session.signedIn?.mode }));
        } catch (error) {
          session.signOut();
          throw error;
        }
      }
      deadlines?.sessionChanged();
      emit('session.changed', describeSession());
      // What the status bar counts (conflicts) is the operator's own: counted again for whoever is here now.
      publishStatus(sync.status());
      // The calls and receipts that came while nobody was signed in are put through, with their original times.
      applyHeld();
      return describeSession();
    },
    'session.signOut': () => {
      // Every sign-out goes to the audit log through the outbox, with its time here (a trainee's also tells the
      // trainer's desk); signing out goes ahead even if it cannot be recorded (a full disk).
      const leaving = session.signedIn?.operator;
      if (leaving && mayIssue(store.view.get('operator', leaving.id), 'operator.signedOut')) recordSignOut(null);
      session.signOut();
      deadlines?.sessionChanged();
      emit('session.changed', describeSession());
      publishStatus(sync.status());
      return describeSession();
    },
    'config.get': () => config,
    ...clockHandlers(ctx, options.exercise?.clock ?? null),
    ...exerciseHandlers(ctx, options.exercise ?? null),
    ...catchUpHandlers(ctx, catchUp),
    'store.health': () => alarm.health(),
    ...incidentHandlers(ctx, consultations),
    ...dispatchHandlers(ctx, vehicles, moments),
    ...callHandlers(ctx, telephony, consultations, moments),
    ...syncHandlers(ctx, place),
    ...refusalHandlers(ctx),
    ...loanHandlers(ctx),
    ...shareHandlers(ctx),
    ...arrangementHandlers(ctx),
    ...transferHandlers(ctx),
    ...deskHandlers(ctx),
    ...adminHandlers(ctx, link.admin ? (request) => link.admin!(request) : null),
    ...auditHandlers(ctx, link),
    ...measuresHandlers(ctx, link),
    ...reviewHandlers(ctx, link, options.exercise ?? null),
    'area.get': () => requireArea().manifest,
    'gazetteer.search': async ({ query, limit }) => ({ query, results: await requireArea().search(query, limit) }),
  };

  const stopTellingExercise: (() => void)[] = [];
  const dispatch = createDispatcher(
    explainStoreFaults(handlers, alarm),
    (error, channel) => log.error({ err: error, channel }, 'handler failed'),
    undefined,
    accessCheck(currentOperator, place),
  );

  return {
    dispatch,
    store,
    sync,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (options.exercise) {
        const exercise = options.exercise;
        const tell = () => emit('exercise.changed', exerciseStatus(exercise));
        stopTellingExercise.push(exercise.clock.onChange(tell), ...(exercise.runner ? [exercise.runner.onChange(tell)] : []));
      }
      walUpkeep.start();
      sync.start();
      telephony.start();
      vehicles.start();
      deadlines?.start();
    },
    stop() {
      for (const stopTelling of stopTellingExercise.splice(0)) stopTelling();
      deadlines?.stop();
      telephony.stop();
      vehicles.stop();
      sync.stop();
      // Closing the console ends the session of whoever is signed in: logged, and sent when the console next starts
      // (the sync engine is stopped first, so nothing is sent to a server while the file closes).
      if (session.signedIn && store.db.open) {
        recordSignOut({ cause: 'console closed', by: null });
        session.signOut();
      }
      alarm.stop();
      walUpkeep.stop();
      listeners.clear();
      store.close();
    },
  };
}

/**
 * Every channel asks what shared/contract/channel-access.ts allows it: with nobody signed in, only the open ones (who
 * the workstation is, how to sign in, its configuration, its link state, its map and gazetteer, a window's report
 * of its own fault); signed in, only those the operator's roles name, refused `forbidden` with the role it needs
 * before the request is read (the dispatcher asks this first), so a refused role learns nothing of what the channel
 * takes, a refused read shows nothing and records no consultation.
 */
function accessCheck(operator: () => OperatorProfile | null, place: ChannelPlace): Admit {
  return (channel) => {
    if (CHANNEL_ACCESS[channel].kind === 'open') return;
    const who = operator();
    const refusal = channelRefusal(who, channel, place);
    if (refusal) throw new ApiError(who ? 'forbidden' : 'unauthenticated', refusal);
  };
}

/** The part of `changed` an operator is shown: each kind of record only if they may read it (RECORD_READS). */
function recordsShownTo(changed: EventOf<'records.changed'>, operator: OperatorProfile | null, place: ChannelPlace): EventOf<'records.changed'> {
  const may = (kind: Exclude<keyof typeof RECORD_READS, 'positions'>) => mayUseChannel(operator, RECORD_READS[kind], place);
  return {
    incidents: may('incidents') ? changed.incidents : [],
    logEntries: may('logEntries') ? changed.logEntries : [],
    units: may('units') ? changed.units : [],
    assignments: may('assignments') ? changed.assignments : [],
    // Only the conflicts the operator may open (their own; a supervisor's, the room's), as conflicts.list shows them.
    conflicts: may('conflicts') ? changed.conflicts.filter((conflict) => mayOpenConflict(operator, conflict, place)) : [],
    contacts: may('contacts') ? changed.contacts : [],
    tasks: may('tasks') ? changed.tasks : [],
    markers: may('markers') ? changed.markers : [],
    // Only the refusals the operator may handle (their own; a supervisor's, the room's), as refusals.list shows them.
    refusals: may('refusals') ? changed.refusals.filter((refusal) => mayHandleRefusal(operator ?? undefined, refusal.operator)) : [],
    loans: may('loans') ? changed.loans : [],
    arrangements: may('arrangements') ? changed.arrangements : [],
    transfers: may('transfers') ? changed.transfers : [],
    // A record gone from view names its kind: only the kinds the operator is shown.
    removed: changed.removed.filter(({ kind }) => {
      const key = kind === 'logEntry' ? 'logEntries' : `${kind}s`;
      return !(key in RECORD_READS) || key === 'positions' || may(key as Exclude<keyof typeof RECORD_READS, 'positions'>);
    }),
  };
}

/**
 * An action the workstation's file refused (a full disk, another program's lock) is answered with exactly that
 * ("Not saved: the local disk is full"), not as a failure of the console, and raises the alarm. The transaction
 * was rolled back: nothing of the action was written.
 */
function explainStoreFaults(handlers: Handlers, alarm: StoreAlarm): Handlers {
  const explained = {} as Record<string, (request: never) => unknown>;
  for (const [channel, handler] of Object.entries(handlers) as [string, (request: never) => unknown][]) {
    explained[channel] = async (request) => {
      try {
        return await handler(request);
      } catch (error) {
        const fault = alarm.noteFailure(error);
        if (fault) throw new ApiError('unavailable', NOT_SAVED[fault]);
        throw error;
      }
    };
  }
  return explained as unknown as Handlers;
}
