import { HttpError } from './http/read-body';
import { Turns } from './turns';

export interface PushAdmissionOptions {
  /** Pushes processed at once (default 16): enough for SQLite's group commit to gather a group from them. */
  concurrent?: number;
  /**
   * The longest a push is let wait for its turn (ms, default 4 s), as estimated from the pushes ahead of it and how
   * long pushes have lately taken: well inside a workstation's request timeout (10 s), so it is answered, not given up
   * on and sent again while the first is still queued.
   */
  maxWaitMs?: number;
  now?(): number;
}

/**
 * Admits pushes through a bounded queue. A room coming back after its server restarted pushes every workstation's
 * outbox within a second or two; the pushes wait their turn while the wait is short, and past that a push is turned
 * away at once with 503 and Retry-After (seconds, the wait as estimated), which the workstation honours with jitter
 * (main/sync/sync-client.ts), so the room's pushes come back spread out rather than all hammering the server and
 * piling up requests that time out. A push turned away has changed nothing: its commands stay in the outbox.
 */
export class PushAdmission {
  private readonly turns: Turns;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  /** Pushes admitted and not yet answered: running, or waiting for their turn. */
  private admitted = 0;
  /** How long a push has lately taken to process (ms, a moving average); 0 before the first. */
  private averageMs = 0;
  /** Pushes turned away since start (for the health answer and tests). */
  turnedAway = 0;

  constructor(options: PushAdmissionOptions = {}) {
    this.turns = new Turns(options.concurrent ?? 16);
    this.maxWaitMs = options.maxWaitMs ?? 4_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** The estimated wait for a push arriving now (ms). */
  expectedWaitMs(): number {
    const ahead = this.admitted - this.turns.limit + 1;
    return ahead <= 0 ? 0 : (ahead * this.averageMs) / this.turns.limit;
  }

  /** Runs `push` in its turn; throws HttpError 503 with retryAfterSeconds when the wait would be too long. */
  async admit<T>(push: () => Promise<T>): Promise<T> {
    const wait = this.expectedWaitMs();
    if (wait > this.maxWaitMs) {
      this.turnedAway += 1;
      throw new HttpError(503, 'the server is busy taking other workstations’ commands; try again after the time it gives', {}, Math.max(1, Math.ceil(wait / 1000)));
    }
    this.admitted += 1;
    try {
      return await this.turns.run(async () => {
        const started = this.now();
        try {
          return await push();
        } finally {
          const took = this.now() - started;
          this.averageMs = this.averageMs === 0 ? took : 0.8 * this.averageMs + 0.2 * took;
        }
      });
    } finally {
      this.admitted -= 1;
    }
  }
}
