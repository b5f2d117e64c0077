import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Session, UnitFixView } from '../../shared/contract/views';
import type { CordonApi } from '../api/cordon-api';
import { mayUseChannel } from '../../shared/contract/channel-access';

export interface PositionsState {
  /** The last AVL fix of each unit that has reported. */
  fixes: Record<string, UnitFixView>;
  /** The fixes of the latest report only: the map moves just these, never redrawing the rest. */
  latest: UnitFixView[];
}

export type PositionsStore = StoreApi<PositionsState>;

/**
 * Vehicle positions, apart from the console's records: they change every second for every unit, and a window's
 * lists should not re-render for that. The map subscribes to this store directly.
 */
export function createPositionsStore(api: CordonApi): PositionsStore {
  const store = createStore<PositionsState>()(() => ({ fixes: {}, latest: [] }));
  const take = (fixes: UnitFixView[]) => store.setState((state) => ({ fixes: { ...state.fixes, ...Object.fromEntries(fixes.map((f) => [f.unitId, f])) }, latest: fixes }));
  const loadAll = () =>
    void api
      .call('units.positions', {})
      .then(({ fixes }) => store.setState({ fixes: Object.fromEntries(fixes.map((f) => [f.unitId, f])), latest: fixes }))
      .catch(() => undefined); // signed out, or the core is restarting: the next report brings them
  api.on('units.moved', ({ fixes }) => take(fixes));
  // Asked only for an operator who may read positions somewhere (a trainer in an exercise; never an auditor, whose
  // desk would be refused them).
  const mayRead = (operator: Session['operator']) => mayUseChannel(operator, 'units.positions', { training: true });
  api.on('session.changed', (session) => (session.operator && mayRead(session.operator) ? loadAll() : store.setState({ fixes: {}, latest: [] })));
  api.onLinkChange((up) => up && loadAll());
  return store;
}
