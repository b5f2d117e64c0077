import { z } from 'zod';

/** An instant as an ISO-8601 UTC string. Wall clocks are for display and audit; the server's sequence orders changes. */
export const Instant = z.iso.datetime({ offset: false });
export type Instant = z.infer<typeof Instant>;

/**
 * The one source of time for rules, the core and the server. Tests fix it, the fault simulation skews it and
 * training pauses or speeds it; nothing else calls Date.now().
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that runs at the machine's rate from a chosen instant: for tests and exercises that need another day or
 * season than today's (`npm start -- --clock-start`), never for a live desk.
 */
export function clockStartingAt(startMs: number, base: Clock = systemClock): Clock {
  const offsetMs = startMs - base.now();
  return { now: () => base.now() + offsetMs };
}

/**
 * The latest of `instants` (ISO UTC; null and absent ones skipped), or null when there is none: for a time held to
 * everything it follows (shared/commands/types.ts notBefore), and what a unit may be deployed from (loan.ts).
 */
export function latestInstant(instants: Iterable<string | null | undefined>): string | null {
  let latest: string | null = null;
  for (const at of instants) if (at && (latest === null || Date.parse(at) > Date.parse(latest))) latest = at;
  return latest;
}

export function instantOf(clock: Clock): Instant {
  return new Date(clock.now()).toISOString();
}

/** A clock that only moves when told to: for tests and the simulation. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}
