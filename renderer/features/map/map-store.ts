import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AreaManifest } from '../../../shared/area/manifest';
import { describePosition } from '../../../shared/area/grid-reference';
import type { GazetteerResult } from '../../../shared/gazetteer/entry';
import type { CordonApi } from '../../api/cordon-api';
import { reportFault } from '../../app/report-fault';
import { resultSummary } from './describe-result';

export interface MapState {
  area: AreaManifest | null;
  areaError: string | null;
  /** The result the map was last centred on, and a counter so choosing the same one again re-centres. */
  selected: GazetteerResult | null;
  selection: number;
  announcement: string;
  /** The unit the map keeps centred as it moves, if any. */
  following: string | null;
  /** Why the map cannot be drawn in this window (no WebGL, its library failed), in words; null while it can. */
  unavailable: string | null;
  follow(unitId: string | null): void;
  /** The map cannot be drawn: its panel lists incidents and units instead, and the core's log is told (once). */
  mapUnavailable(problem: string): void;
  /** Try drawing the map again (the graphics driver may have recovered). */
  retryMap(): void;
  loadArea(): Promise<void>;
  search(query: string, limit?: number): Promise<GazetteerResult[]>;
  choose(result: GazetteerResult): void;
}

export type MapStore = StoreApi<MapState>;

/** The map's state in a window: the area (from the core) and what the operator last chose to look at. */
export function createMapStore(api: CordonApi): MapStore {
  const store = createStore<MapState>()((set, get) => ({
    area: null,
    areaError: null,
    selected: null,
    selection: 0,
    announcement: '',
    following: null,
    unavailable: null,
    follow(unitId) {
      // With no map drawn, the unit chosen is what the map list measures from, and its heading says so.
      if (get().unavailable !== null) return set({ following: unitId });
      set({ following: unitId, announcement: unitId ? `Map follows ${unitId}` : 'Map no longer follows a unit' });
    },
    mapUnavailable(problem) {
      if (get().unavailable === problem) return;
      set({ unavailable: problem });
      reportFault(api, 'map', problem);
    },
    retryMap() {
      set({ unavailable: null });
    },
    async loadArea() {
      try {
        set({ area: await api.call('area.get', {}), areaError: null });
      } catch (error) {
        set({ areaError: (error as Error).message });
      }
    },
    async search(query, limit = 8) {
      const { results } = await api.call('gazetteer.search', { query, limit });
      return results;
    },
    choose(result) {
      // Where there is no map to centre, the result is said by where it is.
      const [lon, lat] = result.center;
      const announcement = get().unavailable ? `Found ${resultSummary(result)} at ${describePosition({ lat, lon })}` : `Map centred on ${resultSummary(result)}`;
      set({ selected: result, selection: get().selection + 1, announcement });
    },
  }));
  api.onLinkChange((up) => {
    if (up && !store.getState().area) void store.getState().loadArea();
  });
  return store;
}

export const MapStoreContext = createContext<MapStore | null>(null);

export function useMap<T>(selector: (state: MapState) => T): T {
  const store = useContext(MapStoreContext);
  if (!store) throw new Error('useMap outside MapStoreContext');
  return useStore(store, selector);
}
