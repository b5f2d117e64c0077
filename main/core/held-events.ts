import type { Logger } from 'pino';

/** Something the outside world reported (a call ringing, a terminal's receipt), and how to record it. */
export interface OutsideEvent {
  /** What it was, for the log: the adapter's event as it came. */
  event: { type: string };
  /** Records it (issues its commands). Throws a store error if the file refuses the write. */
  apply(): void;
}

export interface HeldEventsOptions {
  log: Logger;
  /** Whether events can be recorded at all now: someone is signed in to issue them. */
  ready(): boolean;
  /** Whether an error is the store refusing the write (a full disk, a lock), rather than the rules or a bug. */
  isStoreFault(error: unknown): boolean;
  /** Whether the store is known to be refusing writes: new events then queue behind the held ones untried. */
  storeRefusing(): boolean;
  /** The store refused an event's write: raise the alarm. */
  refused(error: unknown): void;
  /** The number held changed. */
  changed(): void;
}

/**
 * Events from outside the workstation on their way into its file, kept in the order they came. Reality does not
 * wait for the disk: a 999 call rings whether or not the file can take it, so an event the store refuses (a full
 * disk, another program's lock) is held, with everything after it, and applied in order once the store takes
 * writes again, with the times it happened. Events are held, too, while nobody is signed in to issue them. An
 * event the rules refuse (a receipt for a deployment stood down meanwhile) is logged and passed over, as before:
 * holding it would hold up every call behind it for ever.
 */
export class HeldEvents {
  private readonly queue: OutsideEvent[] = [];

  constructor(private readonly options: HeldEventsOptions) {}

  get size(): number {
    return this.queue.length;
  }

  /** An event has come: recorded now if nothing is waiting ahead of it and the store takes writes, else held. */
  receive(event: OutsideEvent): void {
    this.queue.push(event);
    if (this.queue.length === 1 && !this.options.storeRefusing()) {
      try {
        this.applyWaiting();
      } catch (error) {
        this.options.refused(error);
      }
    }
    this.options.changed();
  }

  /**
   * Records the held events, oldest first, until none is left or nobody is signed in. Stops at the first one the
   * store refuses, which stays at the head, and throws that store error.
   */
  applyWaiting(): void {
    const before = this.queue.length;
    try {
      while (this.queue.length > 0 && this.options.ready()) {
        const next = this.queue[0]!;
        try {
          next.apply();
        } catch (error) {
          if (this.options.isStoreFault(error)) throw error;
          this.options.log.warn({ err: error, event: next.event }, 'an outside event was not recorded');
        }
        this.queue.shift();
      }
    } finally {
      if (this.queue.length !== before) this.options.changed();
    }
  }
}
