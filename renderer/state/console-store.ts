import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RequestOf } from '../../shared/contract/channels';
import type { IncidentView, LogEntryView, Session, SyncStatus } from '../../shared/contract/views';
import type { ForceConfig } from '../../shared/domain/force-config';
import { displayReference } from '../../shared/domain/incident';
import type { CordonApi } from '../api/cordon-api';

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
  selectedId: string | null;
  sync: SyncStatus | null;
  /** The last thing worth saying aloud to a screen reader ("Incident … created"). */
  announcement: string;

  load(): Promise<void>;
  select(id: string | null): void;
  createIncident(request: RequestOf<'incidents.create'>): Promise<IncidentView>;
  addLogEntry(incidentId: string, text: string): Promise<LogEntryView>;
}

export type ConsoleStore = StoreApi<ConsoleState>;

/**
 * A window's state, fed by the core's events. Every window of a workstation holds its own copy; they agree
 * because they all listen to the same core.
 */
export function createConsoleStore(api: CordonApi): ConsoleStore {
  const store = createStore<ConsoleState>()((set, get) => ({
    phase: 'loading',
    loadError: null,
    linkUp: false,
    session: null,
    config: null,
    incidents: {},
    logs: {},
    selectedId: null,
    sync: null,
    announcement: '',

    async load() {
      try {
        const [session, config, list, sync] = await Promise.all([
          api.call('session.get', {}),
          api.call('config.get', {}),
          api.call('incidents.list', { status: 'open' }),
          api.call('sync.status', {}),
        ]);
        set({ session, config, sync, incidents: Object.fromEntries(list.incidents.map((i) => [i.id, i])), phase: 'ready', loadError: null });
        const selected = get().selectedId;
        if (selected) await loadLog(selected);
      } catch (error) {
        set({ phase: 'failed', loadError: (error as Error).message });
      }
    },

    select(id) {
      set({ selectedId: id });
      if (id) void loadLog(id);
    },

    async createIncident(request) {
      const { incident } = await api.call('incidents.create', request);
      mergeIncidents([incident]);
      set({ selectedId: incident.id, announcement: `Incident ${displayReference(incident)} created` });
      await loadLog(incident.id);
      return incident;
    },

    async addLogEntry(incidentId, text) {
      const { entry } = await api.call('incidents.addLog', { incidentId, text });
      mergeLog([entry]);
      return entry;
    },
  }));

  const { getState: get, setState: set } = store;

  async function loadLog(incidentId: string): Promise<void> {
    try {
      const { incident, log } = await api.call('incidents.get', { id: incidentId });
      mergeIncidents([incident]);
      mergeLog(log);
    } catch (error) {
      set({ announcement: (error as Error).message });
    }
  }

  function mergeIncidents(incidents: IncidentView[]): void {
    set((state) => {
      const next = { ...state.incidents };
      for (const incident of incidents) next[incident.id] = incident;
      return { incidents: next };
    });
  }

  function mergeLog(entries: LogEntryView[]): void {
    if (entries.length === 0) return;
    set((state) => {
      const logs = { ...state.logs };
      for (const entry of entries) logs[entry.incidentId] = { ...logs[entry.incidentId], [entry.id]: entry };
      return { logs };
    });
  }

  api.on('incidents.changed', ({ incidents }) => mergeIncidents(incidents));
  api.on('log.changed', ({ entries }) => mergeLog(entries));
  api.on('sync.status', (sync) => set({ sync }));
  api.onLinkChange((up) => {
    set({ linkUp: up });
    // Events may have been missed while the link was down: read everything afresh.
    if (up) void get().load();
  });

  return store;
}

/** Open incidents, newest first. */
export function openIncidents(state: Pick<ConsoleState, 'incidents'>): IncidentView[] {
  return Object.values(state.incidents)
    .filter((i) => i.status === 'open')
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id.localeCompare(b.id)));
}

/** An incident's log in the order it was written. */
export function logOf(state: Pick<ConsoleState, 'logs'>, incidentId: string): LogEntryView[] {
  return Object.values(state.logs[incidentId] ?? {}).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id.localeCompare(b.id)));
}
