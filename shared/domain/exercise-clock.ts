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
  /**
   * Which clock said it and how many changes (start, pause, speed, jump) it had made by then: a follower takes a
   * newer state as it is, even behind where it stands (it ran on through a pause it never heard), and drops an older
   * one arriving late. Absent from a server before this field (then a follower never goes back: see follow).
   */
  version: z.object({ clock: z.string().min(1).max(100), changes: z.number().int().nonnegative() }).optional(),
});
export type ExerciseClockState = z.infer<typeof ExerciseClockState>;

/**
 * The one clock of an exercise: every rule, simulator, attendance clock and record of a training server and of its
 * trainees' workstations reads it. It stands still until the trainer starts it, stands still again while paused, and
 * runs at 1, 2, 4 or 8 times the real rate of `base`. The trainer's jumps go forwards only. A trainee's clock follows
 * the server's announcements (follow): the server's word is the exercise's time, so a desk that ran on while it could
 * not hear a pause is put back to it when it hears the server again; until then it says its time is not confirmed
 * (unheard).
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
  /** The version of the server's state this clock last took (a follower's), if the server gave one. */
  private followedVersion: { clock: string; changes: number } | null = null;
  /** A follower's: whether it hears the server now (false before the first state and after unheard, until the next). */
  private heard = false;
  /** This clock's own changes so far, announced with its state (the version a follower orders states by). */
  private changes = 0;
  /** Tells this clock from another (a training server started again): its changes are counted afresh. */
  private readonly id: string;

  /**
   * `startMs`: the exercise's starting instant (ms since the epoch); `base`: the real clock it runs on; `id`: what
   * tells this clock's announcements from another's (default: the real time it was made and a random part).
   */
  constructor(
    startMs: number,
    private readonly base: Clock = systemClock,
    id?: string,
  ) {
    this.anchorAt = startMs;
    this.anchorBase = base.now();
    this.id = id ?? `${base.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
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
   * Takes the state the training server announced (a trainee's workstation: in the server's hello on every
   * (re)connection, and on each change), and counts the server as heard.
   * - The first state, a newer one (more changes), or one of another clock (the server started again): taken as it
   *   is, even behind where this clock stands. This desk may have run on through a pause it could not hear (an
   *   outage, a lost link); the server's clock is the exercise's, and every desk must show the same time.
   * - An older one (fewer changes), announced before a state this clock has already taken and delivered late:
   *   dropped, so a stale "running" cannot undo a pause.
   * - The same one again (a hello repeating the state of the last change): its trajectory is the one this clock is
   *   on, so it only moves forward to it; the state is read on the server a moment before it arrives, and going back
   *   by that moment at 8× on every reconnection would make times jitter.
   * - One without a version (a server before versions): never taken behind where this clock stands, as before.
   */
  follow(state: ExerciseClockState): void {
    const version = state.version ?? null;
    const last = this.followedVersion;
    const sameClock = version !== null && last !== null && version.clock === last.clock;
    if (this.followed && sameClock && version.changes < last.changes) {
      // Late and stale; but the server was heard.
      if (!this.heard) this.change(() => (this.heard = true));
      return;
    }
    const asItIs = !this.followed || (version !== null && (!sameClock || version.changes > last!.changes));
    const at = asItIs ? Date.parse(state.at) : Math.max(Date.parse(state.at), this.now());
    this.followed = true;
    this.followedVersion = version;
    this.heard = true;
    this.change(() => {
      this.anchorAt = at;
      this.running = state.running;
      this.speed = state.speed;
    });
  }

  /**
   * A follower that can no longer hear the server (its live channel closed or was refused: an outage, a lost link).
   * It runs on as it last heard, for the desk to keep working, but says its time is not confirmed until the server's
   * next state (follow). Tells its listeners; nothing if it was not hearing the server anyway.
   */
  unheard(): void {
    if (!this.heard) return;
    this.heard = false;
    this.change(() => undefined);
  }

  /**
   * A follower's: whether its time is confirmed by the server, i.e. it has taken a state and not been unheard since.
   * (The clock the server reads, the trainer's, follows nobody: its desk does not ask.)
   */
  hearsServer(): boolean {
    return this.heard;
  }

  state(): ExerciseClockState {
    return { at: new Date(this.now()).toISOString(), running: this.running, speed: this.speed, version: { clock: this.id, changes: this.changes } };
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
    this.changes += 1;
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
