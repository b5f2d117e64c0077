import type { Clock } from '../shared/domain/time';
import { realScheduler, type Scheduler } from './scheduler';

/**
 * Timers on the exercise's time rather than the machine's: a timer set for 60 s fires after 60 s of exercise, so
 * sooner at 8×, and never while the exercise is paused. The simulators (calls, terminals, AVL) take it in place of
 * the real scheduler, so a paused exercise stops every call and vehicle with the clocks.
 */
export class ExerciseScheduler implements Scheduler {
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  private nextHandle = 1;
  private ticking: unknown = null;

  /**
   * `running`: whether the exercise runs now; while it is paused (or not yet started) nothing fires, not even what is
   * due at the very instant it stands at. `tickMs`: how often (real ms) due timers are looked for; a timer fires within
   * one tick of its exercise time.
   */
  constructor(
    private readonly clock: Clock & { state(): { running: boolean } },
    private readonly tickMs = 100,
    private readonly real: Scheduler = realScheduler,
  ) {}

  setTimeout(fn: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.due.set(handle, { at: this.clock.now() + Math.max(0, ms), fn });
    this.tick();
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  /** Fires what is due now, if the exercise runs (also called on every change of the clock: a jump fires what it passed at once). */
  fireDue(): void {
    if (!this.clock.state().running) return;
    const now = this.clock.now();
    const ready = [...this.due.entries()].filter(([, timer]) => timer.at <= now).sort((a, b) => a[1].at - b[1].at || a[0] - b[0]);
    for (const [handle, timer] of ready) {
      if (!this.due.delete(handle)) continue;
      timer.fn();
    }
  }

  /** Stops looking: timers not yet fired never fire. */
  stop(): void {
    this.due.clear();
    if (this.ticking !== null) this.real.clearTimeout(this.ticking);
    this.ticking = null;
  }

  private tick(): void {
    if (this.ticking !== null || this.due.size === 0) return;
    this.ticking = this.real.setTimeout(() => {
      this.ticking = null;
      this.fireDue();
      this.tick();
    }, this.tickMs);
  }
}
