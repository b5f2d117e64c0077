import type { CatchUpStatus } from '../../shared/contract/catch-up';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RequestOf, ResponseOf } from '../../shared/contract/channels';
import { mayUseChannel } from '../../shared/contract/channel-access';
import type { EventOf } from '../../shared/contract/channels';
import type { ArrangementView, TransferView } from '../../shared/contract/views';
import type { AssignmentView, ConflictView, ContactView, IncidentView, LoanView, LogEntryView, MarkerView, RefusalView, Session, SyncStatus, TaskView, UnitView } from '../../shared/contract/views';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { StoreHealth } from '../../shared/contract/store-health';
import { attendanceClock, attendanceDueMs, queueDueMs, type AttendanceClock } from '../../shared/dispatch/attendance';
import { displayReference, inReadingOrder } from '../../shared/domain/incident';
import type { CordonApi } from '../api/cordon-api';
import { ApiError } from '../../shared/contract/errors';
import { followExercise, readCoreClock } from '../app/console-clock';
import type { ExerciseStatus } from '../../shared/training/exercise-view';

export interface ConsoleState {
  phase: 'loading' | 'ready' | 'failed';
  loadError: string | null;
  /** Whether this window can reach its console core (not the central server: that is `sync`). */
  linkUp: boolean;
  session: Session | null;
  config: ForceConfig | null;
  incidents: Record<string, IncidentView>;
  /** Log entries by incident id. */
  logs: Record<string, Record<string, LogEntryView>>;
  units: Record<string, UnitView>;
  assignments: Record<string, AssignmentView>;
  conflicts: Record<string, ConflictView>;
  contacts: Record<string, ContactView>;
  tasks: Record<string, TaskView>;
  markers: Record<string, MarkerView>;
  /** Whether the records above have been read since the operator signed in: until then, nothing in them is new. */
  recordsLoaded: boolean;
  /** The room's refused commands (any workstation's), as the server recorded them: waiting or handled. */
  refusals: Record<string, RefusalView>;
  /** Unit loans this force asked for or was asked for (shared/domain/loan.ts), with their answers. */
  loans: Record<string, LoanView>;
  /** Standing sharing arrangements this force proposed or was proposed (shared/domain/arrangement.ts). */
  arrangements: Record<string, ArrangementView>;
  /** Offers of incidents this force made or was made (shared/domain/transfer.ts), with their answers. */
  transfers: Record<string, TransferView>;
  selectedId: string | null;
  /**
   * An incident the core will show only with a reason (a closed one, by the force's rules): why, and the reason
   * offered (the incident being worked on). Nothing of it is shown until a reason is given.
   */
  reasonPrompt: { incidentId: string; why: string; offered: string } | null;
  /** The last open incident the operator selected: the incident being worked on, offered as the reason to look at another. */
  workingOnId: string | null;
  /** The reason given for each incident opened with one in this window, given again when its detail is read afresh. */
  reasons: Record<string, string>;
  sync: SyncStatus | null;
  /** Whether the workstation's own file takes writes (a full disk, another program's lock), for the alarm. */
  storeHealth: StoreHealth | null;
  /** The last thing worth saying aloud to a screen reader ("Incident … created"). */
  announcement: string;
  /** A training workstation's exercise (every window is marked as training), or null on a live one. */
  exercise: ExerciseStatus | null;
  /** The desk's last outage and its catch-up, as the core keeps them (shared/contract/catch-up.ts). */
  outage: CatchUpStatus | null;
  /**
   * Catch-up after the system was down: when it went down as this desk saw it (ISO UTC), while the operator enters
   * the paper records; null otherwise. Follows `outage`.
   */
  catchUp: { outageFrom: string } | null;
  /** Starts catch-up (for the outage the desk saw, or from `from`), or ends it (null). */
  setCatchUp(start: { from?: string } | null): Promise<void>;

  load(): Promise<void>;
  signIn(operator: string, password: string): Promise<Session>;
  signOut(): Promise<void>;
  /** Shows an incident: at once if it is open and known here, else once the core has answered (it may ask a reason). */
  select(id: string | null): void;
  /** Shows the incident the reason prompt is for, with this reason (recorded with the consultation). */
  giveReason(reason: string): void;
  /** Leaves the reason prompt: nothing of that incident is shown. */
  cancelReason(): void;
  /** Says something to the operator (and a screen reader): the announcements live region. */
  announce(message: string): void;
  createIncident(request: RequestOf<'incidents.create'>): Promise<IncidentView>;
  /** `paper`: a line kept on paper during an outage, entered in catch-up with the hh:mm written on it. */
  addLogEntry(incidentId: string, text: string, paper?: RequestOf<'incidents.addLog'>['paper']): Promise<LogEntryView>;
}

export type ConsoleStore = StoreApi<ConsoleState>;

/**
 * A window's state, fed by the core's events. Every window of a workstation holds its own copy; they agree
 * because they all listen to the same core.
 */
export function createConsoleStore(api: CordonApi): ConsoleStore {
  const store = createStore<ConsoleState>()((set) => ({
    phase: 'loading',
    loadError: null,
    linkUp: false,
    session: null,
    config: null,
    // Nobody is signed in yet: the same state sign-out leaves, from one list, so a field added to it is cleared too.
    ...signedOutState(),
    sync: null,
    storeHealth: null,
    exercise: null,
    outage: null,
    catchUp: null,

    async load() {
      try {
        const storeHealth = api.call('store.health', {});
        const outage = api.call('catchUp.status', {});
        const [session, config, sync, exercise] = await Promise.all([
          api.call('session.get', {}),
          api.call('config.get', {}),
          api.call('sync.status', {}),
          api.call('exercise.status', {}),
          readCoreClock(() => api.call('clock.now', {})),
        ]);
        set({ session, config, sync, exercise, ...withOutage(await outage), storeHealth: await storeHealth, phase: 'ready', loadError: null });
        if (session.operator) await loadRecords();
      } catch (error) {
        set({ phase: 'failed', loadError: (error as Error).message });
      }
    },

    async signIn(operator, password) {
      const session = await api.call('session.signIn', { operator, password });
      await sessionChanged(session);
      return session;
    },

    async signOut() {
      await sessionChanged(await api.call('session.signOut', {}));
    },

    announce(message) {
      set({ announcement: message });
    },

    select(id) {
      if (id === null) return set({ selectedId: null });
      if (get().incidents[id]?.status === 'open') {
        set({ selectedId: id, workingOnId: id });
        void loadLog(id);
      } else void openAnswered(id, get().reasons[id] ?? null);
    },

    giveReason(reason) {
      const prompt = get().reasonPrompt;
      if (!prompt) return;
      set((state) => ({ reasonPrompt: null, reasons: { ...state.reasons, [prompt.incidentId]: reason } }));
      void openAnswered(prompt.incidentId, reason);
    },

    cancelReason() {
      set({ reasonPrompt: null });
    },

    async createIncident(request) {
      const { incident } = await api.call('incidents.create', request);
      mergeIncidents([incident]);
      set({ selectedId: incident.id, workingOnId: incident.id, announcement: `Incident ${displayReference(incident)} created` });
      await loadLog(incident.id);
      return incident;
    },

    async setCatchUp(start) {
      set(withOutage(start ? await api.call('catchUp.start', start) : await api.call('catchUp.finish', {})));
    },

    async addLogEntry(incidentId, text, paper) {
      const { entry } = await api.call('incidents.addLog', paper ? { incidentId, text, paper } : { incidentId, text });
      mergeLog([entry]);
      return entry;
    },
  }));

  const { getState: get, setState: set } = store;

  /**
   * What an operator may see is read afresh at sign-in, and cleared from the window at sign-out: nothing of one
   * operator's session (their records, selection, reasons, the last thing said to them) is shown to the next. When
   * the signed-in operator's roles change (an administrator's change reaching this workstation), their records are
   * read again for the roles now held, so nothing a removed role could read stays on screen.
   */
  async function sessionChanged(session: Session): Promise<void> {
    const previous = get().session?.operator ?? null;
    set({ session });
    const current = session.operator;
    const another = current?.id !== previous?.id;
    if (!current || another) set(signedOutState());
    if (current && (previous === null || another || !sameRoles(current.roles, previous.roles))) await loadRecords();
  }

  /**
   * Reads the records the operator's roles may read (shared/contract/channel-access.ts), each kind they may not
   * left empty: an auditor's or an administrator's window asks nothing of the room's, and shows no refusal for it.
   */
  async function loadRecords(): Promise<void> {
    const operator = get().session?.operator;
    const place = { training: get().exercise !== null };
    const read = <C extends ReadAtSignIn>(channel: C, request: RequestOf<C>, none: ResponseOf<C>): Promise<ResponseOf<C>> =>
      mayUseChannel(operator, channel, place) ? api.call(channel, request) : Promise.resolve(none);
    const [list, units, conflicts, contacts, tasks, markers, refusals, loans, arrangements, transfers] = await Promise.all([
      read('incidents.list', { status: 'open' }, { incidents: [] }),
      read('units.list', {}, { units: [], assignments: [] }),
      read('conflicts.list', {}, { conflicts: [] }),
      read('contacts.queue', {}, { contacts: [] }),
      read('tasks.list', {}, { tasks: [] }),
      read('markers.list', {}, { markers: [] }),
      read('refusals.list', {}, { refusals: [] }),
      read('loans.list', {}, { loans: [] }),
      read('arrangements.list', {}, { arrangements: [] }),
      read('transfers.list', {}, { transfers: [] }),
    ]);
    set({
      incidents: byId(list.incidents),
      units: byId(units.units),
      assignments: { ...get().assignments, ...byId(units.assignments) },
      conflicts: byId(conflicts.conflicts),
      contacts: byId(contacts.contacts),
      tasks: byId(tasks.tasks),
      markers: byId(markers.markers),
      recordsLoaded: true,
      refusals: byId(refusals.refusals),
      loans: byId(loans.loans),
      arrangements: byId(arrangements.arrangements),
      transfers: byId(transfers.transfers),
    });
    const selected = get().selectedId;
    if (selected && mayUseChannel(operator, 'incidents.get', place)) await loadLog(selected);
    else if (selected) set({ selectedId: null, logs: {} });
  }

  /**
   * Reads an incident's detail (its log, its deployments) into the window; true if the core showed it. Where the
   * core wants a reason first, the prompt opens instead, offering the incident being worked on, and the incident is
   * no longer the one selected: nothing of it shows until a reason is given.
   */
  async function loadLog(incidentId: string, reason: string | null = get().reasons[incidentId] ?? null): Promise<boolean> {
    try {
      const { incident, log, assignments } = await api.call('incidents.get', { id: incidentId, reason });
      merge({ ...none, incidents: [incident], logEntries: log, assignments });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'reason_needed') {
        set((state) => {
          const working = state.workingOnId && state.workingOnId !== incidentId ? state.incidents[state.workingOnId] : undefined;
          return {
            reasonPrompt: { incidentId, why: error.message, offered: working ? `Working on ${displayReference(working)}` : '' },
            selectedId: state.selectedId === incidentId ? null : state.selectedId,
          };
        });
      } else set({ announcement: (error as Error).message });
      return false;
    }
  }

  /** Selects an incident once the core has shown its detail (one that is closed, or not yet known in this window). */
  async function openAnswered(incidentId: string, reason: string | null): Promise<void> {
    if (await loadLog(incidentId, reason)) set({ selectedId: incidentId });
  }

  /** Folds changed records into the state in one update, so a window never shows half a change. */
  function merge(changed: EventOf<'records.changed'>): void {
    set((state) => {
      const gone = (kind: string) => new Set(changed.removed.filter((r) => r.kind === kind).map((r) => r.id));
      const logs = changed.logEntries.length || changed.removed.length ? { ...state.logs } : state.logs;
      for (const entry of changed.logEntries) logs[entry.incidentId] = { ...logs[entry.incidentId], [entry.id]: entry };
      const goneEntries = gone('logEntry');
      if (goneEntries.size) for (const [incidentId, entries] of Object.entries(logs)) logs[incidentId] = without(entries, goneEntries);
      return {
        incidents: without(withAll(state.incidents, changed.incidents), gone('incident')),
        logs,
        units: without(withAll(state.units, changed.units), gone('unit')),
        assignments: without(withAll(state.assignments, changed.assignments), gone('assignment')),
        conflicts: without(withAll(state.conflicts, changed.conflicts), gone('conflict')),
        contacts: without(withAll(state.contacts, changed.contacts), gone('contact')),
        tasks: without(withAll(state.tasks, changed.tasks), gone('task')),
        markers: without(withAll(state.markers, changed.markers), gone('marker')),
        refusals: without(withAll(state.refusals, changed.refusals), gone('refusal')),
        loans: without(withAll(state.loans, changed.loans), gone('loan')),
        arrangements: without(withAll(state.arrangements, changed.arrangements), gone('arrangement')),
        transfers: without(withAll(state.transfers, changed.transfers), gone('transfer')),
      };
    });
  }
  const none = { incidents: [], logEntries: [], units: [], assignments: [], conflicts: [], contacts: [], tasks: [], markers: [], refusals: [], loans: [], arrangements: [], transfers: [], removed: [] };
  const mergeIncidents = (incidents: IncidentView[]) => merge({ ...none, incidents });
  const mergeLog = (logEntries: LogEntryView[]) => merge({ ...none, logEntries });

  api.on('records.changed', merge);
  api.on('sync.status', (sync) => set({ sync }));
  api.on('catchUp.changed', (outage) => set(withOutage(outage)));
  api.on('store.health', (storeHealth) => set({ storeHealth }));
  api.on('exercise.changed', (exercise) => {
    followExercise(exercise.clock);
    set({ exercise });
  });
  api.on('session.changed', (session) => void sessionChanged(session));
  api.onLinkChange((up) => {
    set({ linkUp: up });
    // Events may have been missed while the link was down: read everything afresh.
    if (up) void get().load();
  });

  return store;
}

/** A window's state of nobody's session: what sign-out clears, and what the next operator starts from. */
function signedOutState() {
  return {
    incidents: {},
    logs: {},
    units: {},
    assignments: {},
    conflicts: {},
    contacts: {},
    tasks: {},
    markers: {},
    refusals: {},
    loans: {},
    arrangements: {},
    transfers: {},
    recordsLoaded: false,
    selectedId: null,
    reasonPrompt: null,
    workingOnId: null,
    reasons: {},
    announcement: '',
  } satisfies Partial<ConsoleState>;
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/** The reads a window makes at sign-in, each only if the operator may. */
type ReadAtSignIn = 'incidents.list' | 'units.list' | 'conflicts.list' | 'contacts.queue' | 'tasks.list' | 'markers.list' | 'refusals.list' | 'loans.list' | 'arrangements.list' | 'transfers.list';

/** The store's fields that follow the core's catch-up status. */
function withOutage(outage: CatchUpStatus): Pick<ConsoleState, 'outage' | 'catchUp'> {
  return { outage, catchUp: outage.active && outage.outage ? { outageFrom: outage.outage.from } : null };
}

function byId<T extends { id: string }>(list: T[]): Record<string, T> {
  return Object.fromEntries(list.map((item) => [item.id, item]));
}

function without<T>(current: Record<string, T>, ids: Set<string>): Record<string, T> {
  if (ids.size === 0 || ![...ids].some((id) => id in current)) return current;
  return Object.fromEntries(Object.entries(current).filter(([id]) => !ids.has(id)));
}

function withAll<T extends { id: string }>(current: Record<string, T>, changed: T[]): Record<string, T> {
  if (changed.length === 0) return current;
  const next = { ...current };
  for (const item of changed) next[item.id] = item;
  return next;
}

/** The units' deployments and reservations not yet cleared. */
export function activeAssignments(state: Pick<ConsoleState, 'assignments'>): AssignmentView[] {
  return Object.values(state.assignments).filter((a) => a.status !== 'cleared');
}

/** Open incidents, newest first. */
export function openIncidents(state: Pick<ConsoleState, 'incidents'>): IncidentView[] {
  return Object.values(state.incidents)
    .filter((i) => i.status === 'open')
    .sort(newestFirst);
}

function newestFirst(a: IncidentView, b: IncidentView): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * When an incident's attendance falls due, worked out once per incident record: records keep their identity in the
 * store until they change, and thousands of clocks and the queue's order ask every second and on every change.
 */
const dueTimes = new WeakMap<ForceConfig, WeakMap<IncidentView, number | null>>();
export function dueOf(config: ForceConfig, incident: IncidentView): number | null {
  let byIncident = dueTimes.get(config);
  if (!byIncident) dueTimes.set(config, (byIncident = new WeakMap()));
  let due = byIncident.get(incident);
  if (due === undefined) byIncident.set(incident, (due = attendanceDueMs(config, incident)));
  return due;
}

/** An incident's attendance clock at `nowMs`, on its due time worked out once (see dueOf). */
export function clockOf(config: ForceConfig, incident: IncidentView, nowMs: number): AttendanceClock {
  return attendanceClock(config, incident, nowMs, dueOf(config, incident));
}

/**
 * The dispatcher's queue of the open incidents among `incidents`: those nobody has reached or been sent to first, by
 * when their attendance falls due (grades without a target last, oldest first; another force's shared incident as if
 * graded by this force at its common priority, see queueDueMs); then the rest, newest first.
 */
export function queueOrder(config: ForceConfig, incidents: Iterable<IncidentView>): IncidentView[] {
  const waiting: { incident: IncidentView; due: number }[] = [];
  const rest: IncidentView[] = [];
  for (const incident of incidents) {
    if (incident.status !== 'open') continue;
    if (incident.activeUnits.length > 0 || incident.attendedAt) rest.push(incident);
    else waiting.push({ incident, due: (incident.force === config.force.code ? dueOf(config, incident) : queueDueMs(config, incident)) ?? Number.MAX_SAFE_INTEGER });
  }
  waiting.sort((a, b) => a.due - b.due || (a.incident.createdAt < b.incident.createdAt ? -1 : a.incident.createdAt > b.incident.createdAt ? 1 : 0));
  return [...waiting.map((w) => w.incident), ...rest.sort(newestFirst)];
}

/** An incident's log in the order it is read (inReadingOrder: as the server accepted it, paper lines at their paper times). */
export function logOf(state: Pick<ConsoleState, 'logs'>, incidentId: string): LogEntryView[] {
  return inReadingOrder(Object.values(state.logs[incidentId] ?? {}));
}
