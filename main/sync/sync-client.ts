import type { SyncStatus, ConnectionState } from '../../shared/contract/views';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { RecordKey } from '../../shared/domain/records';
import { instantOf, type Clock } from '../../shared/domain/time';
import { SCHEMA_VERSION, type PullResponse } from '../../shared/sync/protocol';
import type { WorkstationStore } from '../store/workstation-store';
import { applyPullPage, applyPushOutcomes } from './apply-server-answers';
import { backoffDelay } from './backoff';
import { LinkError, type ServerLink } from './server-link';
import type { Scheduler } from '../../node-common/scheduler';

export interface SyncClientOptions {
  store: WorkstationStore;
  link: ServerLink;
  config: ForceConfig;
  clock: Clock;
  scheduler: Scheduler;
  random?: () => number;
  onRecordsChanged(keys: RecordKey[]): void;
  onStatusChanged(status: SyncStatus): void;
  /** A sync cycle failed (before its retry is scheduled): the core notes store faults among the causes. */
  onCycleFailed?(error: unknown): void;
  pushBatchSize?: number;
  pullPageSize?: number;
  /**
   * How long a workstation in step waits, with no poke, before pulling anyway. Pokes make changes show at once;
   * this makes sure they show at all, even when a poke is lost on a connection that died without saying so.
   */
  idlePullMs?: number;
}

/**
 * Keeps a workstation and the server in step: pushes the outbox in order, pulls changes from its cursor,
 * listens for pokes, and retries on its own timer with backoff and jitter, whether or not anyone types.
 */
export class SyncClient {
  private connection: ConnectionState = 'connecting';
  private offlineSince: string | null = null;
  private lastSyncedAt: string | null = null;
  private lastError: string | null = null;
  private catchUp: { done: number; total: number } | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private retryAttempt = 0;
  private retryTimer: unknown = null;
  private liveReconnectTimer: unknown = null;
  private liveAttempt = 0;
  private closeLive: (() => void) | null = null;
  private stopped = false;
  private readonly random: () => number;

  constructor(private readonly options: SyncClientOptions) {
    this.random = options.random ?? Math.random;
  }

  start(): void {
    this.stopped = false;
    this.openLive();
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.closeLive?.();
    this.closeLive = null;
    this.options.scheduler.clearTimeout(this.retryTimer);
    this.options.scheduler.clearTimeout(this.liveReconnectTimer);
  }

  /** Asks for a sync cycle as soon as possible (a new command, a poke). Cycles never overlap. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.options.scheduler.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.running = this.cycle().finally(() => {
      this.running = null;
    });
  }

  /** Resolves once no sync cycle is running (the retry timer may still be set). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  status(): SyncStatus {
    return {
      connection: this.connection,
      offlineSince: this.offlineSince,
      pending: this.options.store.outbox.pendingCount(),
      deadLetters: this.options.store.outbox.deadCount(),
      conflicts: this.options.store.view.openConflictCount() + this.options.store.outbox.conflictsInTransit(),
      catchUp: this.catchUp,
      lastSyncedAt: this.lastSyncedAt,
      lastError: this.lastError,
    };
  }

  private async cycle(): Promise<void> {
    if (this.connection === 'offline') this.setConnection('reconnecting');
    try {
      do {
        this.again = false;
        await this.pushAll();
        await this.pullAll();
      } while (this.again && !this.stopped);
      if (this.stopped) return;
      this.retryAttempt = 0;
      this.lastError = null;
      this.lastSyncedAt = instantOf(this.options.clock);
      this.setConnection('online');
      this.retryTimer = this.options.scheduler.setTimeout(() => this.kick(), this.options.idlePullMs ?? 30_000);
    } catch (error) {
      if (this.stopped) return;
      this.lastError = error instanceof Error ? error.message : String(error);
      this.options.onCycleFailed?.(error);
      this.setConnection('offline');
      this.scheduleRetry();
    }
  }

  /**
   * Pushes the outbox in order. The server answers for each command, applied or refused, so one bad command
   * never holds up those behind it; only a failure to talk to the server at all stops the push, to be retried.
   */
  private async pushAll(): Promise<void> {
    const { store, config, link } = this.options;
    for (;;) {
      const batch = store.outbox.pending(this.options.pushBatchSize ?? 100);
      if (batch.length === 0) return;
      try {
        const response = await link.push({ clientId: store.clientId, schemaVersion: SCHEMA_VERSION, commands: batch.map((e) => e.envelope) });
        if (this.stopped) return; // the store may be closed: leave the answer to the next start's push
        this.notify(applyPushOutcomes(store, config, response.outcomes));
        // Processed commands leave the outbox with the pull that brings their effects, so nothing flickers.
        await this.pullAll();
        if (!batch.every((e) => e.envelope.clientSeq <= response.lastClientSeq)) {
          throw new LinkError(`the server stopped at command ${response.lastClientSeq + 1}`, true);
        }
      } catch (error) {
        if (this.stopped) return;
        const message = error instanceof Error ? error.message : String(error);
        try {
          store.transaction(() => store.outbox.recordFailedPush(batch[0]!.envelope.clientSeq, message));
        } catch {
          // The store cannot take even that (a full disk): the count is only a note; the push's own error matters.
        }
        throw error;
      }
    }
  }

  /**
   * Pulls until current, a page per transaction so the console stays usable in between. A workstation back after
   * hours away reports how far it has got, for the progress bar.
   */
  private async pullAll(): Promise<void> {
    const { store, config } = this.options;
    const from = store.pullCursor;
    try {
      let next: Promise<PullResponse> | null = this.requestPage(from);
      while (next) {
        const page: PullResponse = await next;
        if (this.stopped) return;
        // The next page is asked for before this one is applied, so the server's read overlaps our write.
        next = page.hasMore ? this.requestPage(page.upTo) : null;
        this.catchUp = page.hasMore ? { done: page.upTo - from, total: page.head - from } : null;
        this.notify(applyPullPage(store, config, page));
      }
    } finally {
      this.catchUp = null;
    }
  }

  private requestPage(since: number): Promise<PullResponse> {
    const { store, link } = this.options;
    const lowest = store.outbox.lowestPendingSeq();
    const page = link.pull({
      since,
      clientId: store.clientId,
      // Refusals are asked for from the oldest command still waiting; one already handled is ignored on arrival.
      afterClientSeq: lowest === null ? store.meta.getNumber('next_client_seq') : lowest - 1,
      limit: this.options.pullPageSize ?? 5000,
    });
    // A prefetched page nobody waits for (stopped, or the apply before it failed) must not surface as unhandled.
    page.catch(() => undefined);
    return page;
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.retryAttempt += 1;
    const delay = backoffDelay(this.retryAttempt, this.random);
    this.retryTimer = this.options.scheduler.setTimeout(() => this.kick(), delay);
  }

  private openLive(): void {
    if (this.stopped) return;
    this.closeLive = this.options.link.live({
      onOpen: () => {
        this.liveAttempt = 0;
        this.kick();
      },
      onMessage: (message) => {
        if (message.head > this.options.store.pullCursor) this.kick();
      },
      onClose: (reason) => {
        if (this.stopped) return;
        this.closeLive = null;
        this.lastError = reason;
        this.setConnection('offline');
        if (this.stopped) return;
        // Until the live channel is back nothing pokes us: the retry or idle-pull timer keeps pulling meanwhile.
        this.liveAttempt += 1;
        this.liveReconnectTimer = this.options.scheduler.setTimeout(() => this.openLive(), backoffDelay(this.liveAttempt, this.random));
      },
    });
  }

  private setConnection(next: ConnectionState): void {
    if (next === 'offline' && this.connection !== 'offline') this.offlineSince = instantOf(this.options.clock);
    if (next === 'online') this.offlineSince = null;
    this.connection = next;
    this.publishStatus();
  }

  private publishStatus(): void {
    this.options.onStatusChanged(this.status());
  }

  private notify(keys: RecordKey[]): void {
    if (keys.length > 0) this.options.onRecordsChanged(keys);
    this.publishStatus();
  }
}
