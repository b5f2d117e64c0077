/**
 * An exercise's system injects as the training server plays them: a trainee's workstation losing the network, or the
 * whole system going down ("CAD down"), each until an instant of exercise time. The server asks it of every request
 * and live channel; the trainer's own workstation, which runs the exercise, is never cut off (the trainer keeps the
 * clock and the timeline through an outage, as a trainer with a stopwatch and the script would).
 *
 * Instants are ms of exercise time: a paused exercise's outage lasts as long as the pause, and 8× shortens it.
 */
/**
 * What a training server answers every trainee's request with while the whole system is down (503, retryable): the
 * trainee's desk finds these words in its link's last error and says the system is down, offering the paper forms.
 */
export const SYSTEM_DOWN = 'the system is down (training exercise: CAD down): work on paper until it is back';

export type Outage = { kind: 'network'; until: number } | { kind: 'system'; until: number };

export class ExerciseOutages {
  private readonly cutOff = new Map<string, number>();
  private systemUntil: number | null = null;
  private readonly listeners = new Set<() => void>();

  /** `trainerWorkstation`: the workstation that runs the exercise, which no outage reaches. */
  constructor(private readonly trainerWorkstation: string) {}

  /** One workstation (by the name it joined with) loses the network until `untilMs`. A longer cut is never shortened. */
  cutWorkstation(workstation: string, untilMs: number): void {
    this.cutOff.set(workstation, Math.max(untilMs, this.cutOff.get(workstation) ?? 0));
    this.changed();
  }

  /** The whole system is down until `untilMs`. */
  takeSystemDown(untilMs: number): void {
    this.systemUntil = Math.max(untilMs, this.systemUntil ?? 0);
    this.changed();
  }

  /**
   * What stands between `workstation` and the server at `nowMs`: null when nothing does. The system being down wins
   * over one workstation's network (it is what the trainee's desk should say).
   */
  outageOf(workstation: string, nowMs: number): Outage | null {
    if (workstation === this.trainerWorkstation) return null;
    if (this.systemUntil !== null && nowMs < this.systemUntil) return { kind: 'system', until: this.systemUntil };
    const until = this.cutOff.get(workstation);
    return until !== undefined && nowMs < until ? { kind: 'network', until } : null;
  }

  /**
   * Until when the whole system is down at `nowMs` (ms of exercise time), or null when it is up: the trainer's desk,
   * which no outage reaches, says so in its banner.
   */
  systemDownUntil(nowMs: number): number | null {
    return this.systemUntil !== null && nowMs < this.systemUntil ? this.systemUntil : null;
  }

  /** Told whenever an outage begins, so the server can drop the live channels it cuts off. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
