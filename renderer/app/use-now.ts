import { useCallback, useSyncExternalStore } from 'react';
import { consoleNow } from './console-clock';

interface Tick {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
}

/**
 * One timer per period, shared by every clock on screen: 5,000 attendance clocks in the queue tick together in one
 * render a second, not in 5,000 renders of their own, and they all read the same second.
 */
const ticks = new Map<number, Tick>();

function tickOf(everyMs: number): Tick {
  let tick = ticks.get(everyMs);
  if (!tick) ticks.set(everyMs, (tick = { now: consoleNow(), listeners: new Set(), timer: null }));
  return tick;
}

/** The core's time, updated every `everyMs`: for clocks that count on screen (waiting times, attendance). */
export function useNow(everyMs = 1000): number {
  const subscribe = useCallback(
    (listener: () => void) => {
      const tick = tickOf(everyMs);
      tick.listeners.add(listener);
      if (!tick.timer) {
        // The first clock after a pause starts from now (React reads the time again once subscribed).
        tick.now = consoleNow();
        tick.timer = setInterval(() => {
          tick.now = consoleNow();
          for (const notify of tick.listeners) notify();
        }, everyMs);
      }
      return () => {
        tick.listeners.delete(listener);
        if (tick.listeners.size === 0 && tick.timer) {
          clearInterval(tick.timer);
          tick.timer = null;
        }
      };
    },
    [everyMs],
  );
  return useSyncExternalStore(subscribe, () => tickOf(everyMs).now);
}

/** 75 000 ms as "1:15"; an hour or more as "1:02:03". */
export function elapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
