import type { Logger } from 'pino';
import type { StoreHealth } from '../../shared/contract/store-health';
import { instantOf, type Clock } from '../../shared/domain/time';
import { storeFaultOf, type StoreFault } from '../../node-common/store-faults';
import type { Scheduler } from '../../node-common/scheduler';

/** How often a store that refused a write is tried again (the held events, or a probe), on a timer of its own. */
export const STORE_RETRY_MS = 2000;
/**
 * How long a write waits for another program's lock while the alarm says the database is held: short, so that each
 * action and each retry is refused at once rather than stalling the whole console for the full busy timeout.
 */
const BUSY_TIMEOUT_WHILE_HELD_MS = 250;

export interface StoreAlarmOptions {
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  /** The folder of the workstation's file: an I/O error there with no space left counts as a full disk. */
  dir: string | undefined;
  /** Events waiting for the store, shown with the alarm. */
  waiting(): number;
  /**
   * Tries the store again: applies the events held, then writes a probe. Throws the store's error while it still
   * refuses.
   */
  recheck(): void;
  /** How long writes wait for another program's lock normally, and how to set it. */
  busyTimeoutMs: number;
  setBusyTimeout(ms: number): void;
  /** The health changed (fault, or events waiting): every window is told. */
  publish(health: StoreHealth): void;
}

/**
 * Whether the workstation's file takes writes. The first write it refuses (an action, a call ringing, a terminal
 * receipt, the sync client) raises the alarm, which every window shows with the number of outside events held;
 * from then on a timer of its own tries the store again every STORE_RETRY_MS, whether or not anyone types, and
 * clears the alarm the first time the store takes the held events and a probe write.
 */
export class StoreAlarm {
  private fault: StoreFault | null = null;
  private since: string | null = null;
  private timer: unknown = null;
  private stopped = false;
  private lastPublished = '';

  constructor(private readonly options: StoreAlarmOptions) {}

  get raised(): boolean {
    return this.fault !== null;
  }

  health(): StoreHealth {
    return { fault: this.fault, since: this.since, waiting: this.options.waiting() };
  }

  /** The store fault behind an error, or null when the error is not the store's (a rule, a bug). */
  faultOf(error: unknown): StoreFault | null {
    return storeFaultOf(error, this.options.dir);
  }

  /**
   * Notes a write that failed. A store fault raises (or keeps) the alarm and returns the fault; any other error
   * returns null and changes nothing.
   */
  noteFailure(error: unknown): StoreFault | null {
    const fault = this.faultOf(error);
    if (!fault) return null;
    if (fault !== this.fault) {
      this.options.log.error({ err: error, fault }, 'the workstation store refused a write');
      this.fault = fault;
      this.since = instantOf(this.options.clock);
      this.options.setBusyTimeout(fault === 'locked' ? BUSY_TIMEOUT_WHILE_HELD_MS : this.options.busyTimeoutMs);
    }
    this.scheduleRetry();
    this.publish();
    return fault;
  }

  /** Tells the windows of a change in the events waiting (or anything else), once per actual change. */
  publish(): void {
    const health = this.health();
    const text = JSON.stringify(health);
    if (text === this.lastPublished) return;
    this.lastPublished = text;
    this.options.publish(health);
  }

  stop(): void {
    this.stopped = true;
    this.options.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  private scheduleRetry(): void {
    if (this.stopped || this.timer !== null) return;
    this.timer = this.options.scheduler.setTimeout(() => {
      this.timer = null;
      this.retry();
    }, STORE_RETRY_MS);
  }

  private retry(): void {
    if (this.stopped || !this.fault) return;
    try {
      this.options.recheck();
    } catch (error) {
      if (!this.noteFailure(error)) {
        // Not the store's fault this time (a bug in applying one event is logged and skipped where it happens).
        this.options.log.error({ err: error }, 'checking the workstation store again failed');
        this.scheduleRetry();
      }
      return;
    }
    this.options.log.info({ fault: this.fault, since: this.since }, 'the workstation store takes writes again');
    this.fault = null;
    this.since = null;
    this.options.setBusyTimeout(this.options.busyTimeoutMs);
    this.publish();
  }
}
