import { z } from 'zod';
import { Instant, systemClock, type Clock } from './time';

/** The speeds a trainer may run an exercise at: times the real rate. */
export const ExerciseSpeed = z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)]);
export type ExerciseSpeed = z.infer<typeof ExerciseSpeed>;
export const EXERCISE_SPEEDS: readonly ExerciseSpeed[] = [1, 2, 4, 8];

/**
 * The exercise clock as the protocol carries it: the exercise's time when the state was read, whether it runs, and
 * how fast. A trainee's workstation follows it (ExerciseClock.follow); a window reckons from it the same way.
 */
export const ExerciseClockState = z.object({
  at: Instant,
  running: z.boolean(),
  speed: ExerciseSpeed,
});
export type ExerciseClockState = z.infer<typeof ExerciseClockState>;

/**
 * The one clock of an exercise: every rule, simulator, attendance clock and record of a training server and of its
 * trainees' workstations reads it. It stands still until the trainer starts it, stands still again while paused, and
 * runs at 1, 2, 4 or 8 times the real rate of `base`. It never runs backwards: a jump goes forwards only, and a state
 * followed from the server that is behind what this clock has shown is taken from where this clock stands.
 */
export class ExerciseClock implements Clock {
  /** Exercise time (ms) at `anchorBase`, and the base clock's time then. */
  private anchorAt: number;
  private anchorBase: number;
  private running = false;
  private speed: ExerciseSpeed = 1;
  private readonly listeners = new Set<(state: ExerciseClockState) => void>();
  /** Whether a server's state has been followed yet: the first is taken as it is, wherever this clock stood. */
  private followed = false;

  /** `startMs`: the exercise's starting instant (ms since the epoch); `base`: the real clock it runs on. */
  constructor(
    startMs: number,
    private readonly base: Clock = systemClock,
  ) {
    this.anchorAt = startMs;
    this.anchorBase = base.now();
  }

  now(): number {
    return this.running ? this.anchorAt + (this.base.now() - this.anchorBase) * this.speed : this.anchorAt;
  }

  /** Starts or resumes the exercise from where it stands. */
  start(): void {
    this.change(() => (this.running = true));
  }

  /** Resumes a paused exercise (the same as start: from where it stands). */
  resume(): void {
    this.start();
  }

  pause(): void {
    this.change(() => (this.running = false));
  }

  setSpeed(speed: ExerciseSpeed): void {
    this.change(() => (this.speed = speed));
  }

  /** Moves the exercise on to `atMs` at once (the trainer's "next inject"); a time already past changes nothing. */
  jumpTo(atMs: number): void {
    if (atMs <= this.now()) return;
    this.change(() => (this.anchorAt = atMs));
  }

  /**
   * Takes the state the training server announced (a trainee's workstation), never going back on what it showed once
   * it has followed the server (before that it stood at a placeholder time, which nothing was done at).
   */
  follow(state: ExerciseClockState): void {
    const at = this.followed ? Math.max(Date.parse(state.at), this.now()) : Date.parse(state.at);
    this.followed = true;
    this.change(() => {
      this.anchorAt = at;
      this.running = state.running;
      this.speed = state.speed;
    });
  }

  state(): ExerciseClockState {
    return { at: new Date(this.now()).toISOString(), running: this.running, speed: this.speed };
  }

  /** Called after every change (start, pause, speed, jump, follow) with the new state; returns the unsubscribe. */
  onChange(listener: (state: ExerciseClockState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private change(apply: () => void): void {
    // Re-anchored first, so what has already elapsed is kept at the old rate.
    this.anchorAt = this.now();
    this.anchorBase = this.base.now();
    apply();
    const state = this.state();
    for (const listener of this.listeners) listener(state);
  }
}

/**
 * A window's or a follower's reckoning of the exercise's time from a state received at `receivedAtMs` (its own
 * clock): standing still while paused, and at the exercise's speed while running.
 */
export function exerciseTimeFrom(state: ExerciseClockState, receivedAtMs: number, nowMs: number): number {
  const at = Date.parse(state.at);
  return state.running ? at + (nowMs - receivedAtMs) * state.speed : at;
}
