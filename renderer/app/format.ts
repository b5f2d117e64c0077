import { wallClock, type WallClock } from '../../shared/domain/wall-clock';
import { useConsole } from '../state/use-console';

/**
 * The force's wall clock, for every time a window shows: 24-hour, in the force's zone from its configuration (never
 * the machine's or the browser's), marked BST/GMT where an hour repeats. Its formatters are made once per zone:
 * building one per call cost seconds when the queue of 5,000 incidents rendered its times.
 */
export function useWallClock(): WallClock {
  const clock = useWallClockIfLoaded();
  if (!clock) throw new Error('times are shown only once the force configuration has loaded');
  return clock;
}

/** The same, or null before the force configuration has loaded: for what shows from the start (the status bar). */
export function useWallClockIfLoaded(): WallClock | null {
  const zone = useConsole((s) => s.config?.force.timeZone);
  return zone ? wallClock(zone) : null;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
