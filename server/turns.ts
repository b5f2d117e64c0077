/**
 * Turns for something there are `limit` of (connections, writers), given out first come, first served. A caller
 * that finds none free waits in the queue as long as it takes, never failed for waiting: under a burst (a room's
 * outboxes drained at once) requests are slower, not refused.
 */
export class Turns {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a number of turns must be a positive whole number, not ${limit}`);
  }

  /** Waits for a turn; the function returned gives it back (call it once). */
  async take(): Promise<() => void> {
    if (this.held < this.limit) this.held += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.waiting.shift();
      // Handed straight to the next in line: `held` stays, so nobody arriving meanwhile takes it first.
      if (next) next();
      else this.held -= 1;
    };
  }

  /** Runs `work` in a turn, giving it back however the work ends. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const giveBack = await this.take();
    try {
      return await work();
    } finally {
      giveBack();
    }
  }

  /** Callers waiting for a turn now. */
  get queued(): number {
    return this.waiting.length;
  }
}
