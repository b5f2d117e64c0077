import type { Clock } from '../../../shared/domain/time';
import type { Scheduler } from '../../../node-common/scheduler';

interface Timer {
  at: number;
  order: number;
  fn: () => void;
}

/**
 * Simulated time: timers fire in (time, creation) order and only when the simulation advances, and between two
 * timers every promise chain runs to rest. Nothing depends on the real clock, so a seed replays exactly.
 */
export class VirtualTime implements Scheduler, Clock {
  private current: number;
  private order = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const order = ++this.order;
    this.timers.set(order, { at: this.current + Math.max(0, ms), order, fn });
    return order;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Runs every timer due up to `until`, letting promises settle after each. */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      const next = this.nextTimer();
      if (!next || next.at > until) break;
      this.timers.delete(next.order);
      this.current = next.at;
      next.fn();
      await settle();
    }
    this.current = until;
  }

  private nextTimer(): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers.values()) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.order < best.order)) best = timer;
    }
    return best;
  }
}

/** Lets every queued promise continuation run (the code under test does no real I/O in the simulation). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A workstation's clock: simulated time plus its own skew. */
export function skewedClock(time: VirtualTime, skewMs: number): Clock {
  return { now: () => time.now() + skewMs };
}
