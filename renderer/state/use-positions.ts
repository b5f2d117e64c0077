import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PositionsState, PositionsStore } from './positions-store';

export const PositionsContext = createContext<PositionsStore | null>(null);

/** The positions store itself, for the map to subscribe to without re-rendering. */
export function usePositionsStore(): PositionsStore {
  const store = useContext(PositionsContext);
  if (!store) throw new Error('usePositionsStore outside PositionsContext');
  return store;
}

export function usePositions<T>(selector: (state: PositionsState) => T): T {
  return useStore(usePositionsStore(), selector);
}
