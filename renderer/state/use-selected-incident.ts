import type { IncidentView } from '../../shared/contract/views';
import { useConsole } from './use-console';

/**
 * The incident selected in this window (by FIND, a list, the map, an alarm), or null: what the window's command line
 * acts on, and names beside itself, on every desk.
 */
export function useSelectedIncident(): IncidentView | null {
  return useConsole((s) => (s.selectedId ? (s.incidents[s.selectedId] ?? null) : null));
}
