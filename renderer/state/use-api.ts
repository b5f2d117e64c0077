import { createContext, useContext } from 'react';
import type { CordonApi } from '../api/cordon-api';

export const ApiContext = createContext<CordonApi | null>(null);

/**
 * The typed API, for actions. What they change comes back to every window as events, so a component calls and
 * shows any error; the store does the rest.
 */
export function useApi(): CordonApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}
