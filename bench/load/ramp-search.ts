/**
 * The step search of the server-load benchmark: which command rate to try next, given the steps tried so far, so
 * that the highest rate the server sustains within its latency limit is found in a bounded number of steps.
 * Pure: the suite runs each step and hands its verdict back here.
 */

export interface RampStep {
  /** Commands per second the step asked for. */
  ratePerSecond: number;
  /** Whether the step met every condition (p99 within the limit, nothing missing or refused, the rate achieved). */
  passed: boolean;
}

export interface RampOptions {
  /** The first rate tried (commands/s). */
  startPerSecond: number;
  /** No rate above this is tried: well past the target, the answer "at least this" is enough. */
  capPerSecond: number;
  /** No rate below this is tried: a server that cannot carry it has failed, whatever the exact figure. */
  floorPerSecond: number;
  /** The search stops once the highest pass and the lowest failure above it are within this ratio (e.g. 1.2). */
  resolution: number;
  /** At most this many steps in all, so the run's time is bounded. */
  maxSteps: number;
}

/**
 * The rate to try next (commands/s, rounded to a tenth), or null when the search is over. Doubles from the start
 * while steps pass, halves while none has passed, then bisects (geometrically) between the highest pass and the
 * lowest failure above it until they are within `resolution`. Never tries a rate twice.
 */
export function nextRampRate(steps: readonly RampStep[], options: RampOptions): number | null {
  if (steps.length >= options.maxSteps) return null;
  if (steps.length === 0) return options.startPerSecond;
  const best = sustainedRate(steps);
  const failedAbove = steps.filter((s) => !s.passed && (best === null || s.ratePerSecond > best)).map((s) => s.ratePerSecond);
  const lowestFailure = failedAbove.length ? Math.min(...failedAbove) : null;
  let next: number;
  if (best === null) {
    // Nothing has passed yet: halve, down to the floor.
    const lowest = Math.min(...steps.map((s) => s.ratePerSecond));
    if (lowest <= options.floorPerSecond) return null;
    next = Math.max(options.floorPerSecond, lowest / 2);
  } else if (lowestFailure === null) {
    if (best >= options.capPerSecond) return null;
    next = Math.min(options.capPerSecond, best * 2);
  } else {
    if (lowestFailure / best <= options.resolution) return null;
    next = Math.sqrt(best * lowestFailure);
  }
  next = Math.round(next * 10) / 10;
  return steps.some((s) => s.ratePerSecond === next) ? null : next;
}

/** The highest rate that passed with no failure at or below it, or null when none did. */
export function sustainedRate(steps: readonly RampStep[]): number | null {
  const lowestFailure = Math.min(...steps.filter((s) => !s.passed).map((s) => s.ratePerSecond));
  const passes = steps.filter((s) => s.passed && s.ratePerSecond < lowestFailure).map((s) => s.ratePerSecond);
  return passes.length ? Math.max(...passes) : null;
}
