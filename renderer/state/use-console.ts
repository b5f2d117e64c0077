import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ConsoleState, ConsoleStore } from './console-store';

export const ConsoleStoreContext = createContext<ConsoleStore | null>(null);

/** Reads from this window's console store; re-renders only when the selected slice changes. */
export function useConsole<T>(selector: (state: ConsoleState) => T): T {
  const store = useContext(ConsoleStoreContext);
  if (!store) throw new Error('useConsole outside ConsoleStoreContext');
  return useStore(store, selector);
}
