import type { SyncStatus, ConnectionState, LinkBlock } from '../../shared/contract/views';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { RecordKey } from '../../shared/domain/records';
import { instantOf, type Clock } from '../../shared/domain/time';
import { LIVE_ACCESS_WITHDRAWN, SCHEMA_VERSION, type CommandWithdrawal, type CommandEnvelope, type LiveChanges, type PullResponse } from '../../shared/sync/protocol';
import type { OutboxEntry } from '../store/outbox';
import type { WorkstationStore } from '../store/workstation-store';
import { applyLiveChanges, applyPullPage, applyPushOutcomes } from './apply-server-answers';
import { backoffDelay, liveReconnectDelay, retryAfterDelay } from './backoff';
import { LinkError, type ServerLink } from './server-link';
import type { Scheduler } from '../../node-common/scheduler';
import { blockFor, problemOf, type LinkProblem } from './link-problems';

/**
 * How long a blocked link waits before looking again by itself. What blocks it (a workstation to update, an
 * enrolment to renew) needs a person, not a retry every few seconds; an operator may ask sooner.
 */
export const BLOCKED_CHECK_MS = 10 * 60_000;

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
   * How long a workstation in step waits, with nothing on its live channel, before pulling anyway. Live batches and
   * pokes make changes show at once; this makes sure they show at all, even when one is lost on a connection that
   * died without saying so.
   */
  idlePullMs?: number;
  /** The schema version this workstation speaks (its build's; tests of mixed versions give another). */
  schemaVersion?: number;
}

/**
 * Keeps a workstation and the server in step: pushes the outbox in order, pulls changes from its cursor,
 * takes batches of changes (or pokes) from the live channel, and retries on its own timer with backoff and jitter, whether or not anyone types. An answer
 * that retrying cannot change (a workstation too old for the server, an enrolment revoked) blocks the link instead:
 * it says why, keeps every command, and looks again only on a long timer or when asked. A request too large for
 * the server is split; a command too large alone is withdrawn to the refused list, and the rest go on.
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
  private blocked: LinkBlock | null = null;
  /** Commands per push: lowered when the server (or a proxy) says a request was too large. */
  private batchLimit: number;
  /** The largest push body the server has taken since start, in bytes: a command no larger is not too large. */
  private largestAccepted = 0;
  private readonly random: () => number;
  private readonly schemaVersion: number;

  constructor(private readonly options: SyncClientOptions) {
    this.random = options.random ?? Math.random;
    this.schemaVersion = options.schemaVersion ?? SCHEMA_VERSION;
    this.batchLimit = options.pushBatchSize ?? 100;
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

  /**
   * Asks for a sync cycle as soon as possible (a new command, a poke). Cycles never overlap. A blocked link waits
   * for its own check (or checkAgain): a new command changes nothing of what blocks it.
   */
  kick(): void {
    if (this.blocked) return;
    this.runCycle();
  }

  /** Looks again now at a blocked link, as an operator may ask once the cause is put right. */
  checkAgain(): void {
    this.runCycle();
  }

  private runCycle(): void {
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
      tooLarge: this.options.store.refusals.tooLargeCount(),
      held: this.options.store.refusals.heldCounts(),
      blocked: this.blocked,
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
      const wasBlocked = this.blocked !== null;
      this.blocked = null;
      this.setConnection('online');
      // The server answers again: a live channel waiting out its backoff opens now. Until it does, nothing would poke
      // this desk about changes made at others, while it showed itself online (stale until the idle pull).
      if (!this.closeLive && (wasBlocked || this.liveReconnectTimer !== null)) this.openLive();
      this.retryTimer = this.options.scheduler.setTimeout(() => this.kick(), this.options.idlePullMs ?? 30_000);
    } catch (error) {
      if (this.stopped) return;
      this.lastError = error instanceof Error ? error.message : String(error);
      this.options.onCycleFailed?.(error);
      const problem = problemOf(error);
      if (problem) {
        this.block(problem, this.lastError);
        return;
      }
      this.setConnection('offline');
      this.scheduleRetry(error);
    }
  }

  /** The server will keep giving this answer: say why, and look again only on the long timer (or when asked). */
  private block(problem: LinkProblem, detail: string): void {
    const now = this.options.clock.now();
    const since = this.blocked?.since ?? new Date(now).toISOString();
    this.blocked = blockFor(problem, detail, this.schemaVersion, since, new Date(now + BLOCKED_CHECK_MS).toISOString());
    this.retryAttempt = 0;
    this.retryTimer = this.options.scheduler.setTimeout(() => this.checkAgain(), BLOCKED_CHECK_MS);
    // The live channel would only be refused, or poke a link that cannot push: it opens again once unblocked.
    this.options.scheduler.clearTimeout(this.liveReconnectTimer);
    this.liveReconnectTimer = null;
    this.closeLive?.();
    this.closeLive = null;
    this.setConnection('blocked');
  }

  /**
   * Pushes the outbox in order. The server answers for each command, applied or refused, so one bad command
   * never holds up those behind it; only a failure to talk to the server at all stops the push, to be retried.
   */
  private async pushAll(): Promise<void> {
    const { store, config, link } = this.options;
    for (;;) {
      const batch = store.outbox.pending(this.batchLimit);
      if (batch.length === 0) return;
      try {
        const request = { clientId: store.clientId, schemaVersion: this.schemaVersion, commands: batch.map(onTheWire) };
        const response = await link.push(request);
        if (this.stopped) return; // the store may be closed: leave the answer to the next start's push
        forgotten(response.lastClientSeq, batch);
        this.largestAccepted = Math.max(this.largestAccepted, Buffer.byteLength(JSON.stringify(request)));
        this.notify(applyPushOutcomes(store, config, response.outcomes));
        // Processed commands leave the outbox with the pull that brings their effects, so nothing flickers.
        await this.pullAll();
        if (!batch.every((e) => e.envelope.clientSeq <= response.lastClientSeq)) {
          throw new LinkError(`the server stopped at command ${response.lastClientSeq + 1}`, true);
        }
      } catch (error) {
        if (this.stopped) return;
        if (problemOf(error)?.kind === 'too_large' && this.shrink(batch)) continue;
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
   * A push was too large for the server or a proxy before it: send fewer commands at a time, down to one; a command
   * too large alone is withdrawn (a stand-in goes in its place, refused, and it waits in the refused list). False when
   * nothing smaller can be sent.
   */
  private shrink(batch: readonly OutboxEntry[]): boolean {
    if (batch.length > 1) {
      this.batchLimit = Math.max(1, Math.floor(batch.length / 2));
      return true;
    }
    const [only] = batch;
    if (!only || only.withdrawn) return false;
    const bytes = Buffer.byteLength(JSON.stringify(only.envelope));
    // The server took a larger request before: the limit is not this command's doing (a proxy set too low, say),
    // and withdrawing would send every command after it the same way. Block, and say so, instead.
    if (bytes <= this.largestAccepted) return false;
    const { store } = this.options;
    store.transaction(() => store.refusals.withdraw(only.envelope.clientSeq, `too large for the server: ${bytes} bytes, sent alone, were refused (413)`));
    this.batchLimit = this.options.pushBatchSize ?? 100;
    return true;
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
      schemaVersion: this.schemaVersion,
    });
    // A prefetched page nobody waits for (stopped, or the apply before it failed) must not surface as unhandled.
    page.catch(() => undefined);
    return page;
  }

  /**
   * The next try after a failed cycle: when the server said when (busy taking a room's outboxes, or its storage
   * unavailable: a 503's Retry-After), then, with jitter; otherwise after the backoff.
   */
  private scheduleRetry(error: unknown): void {
    if (this.stopped) return;
    this.retryAttempt += 1;
    const asked = error instanceof LinkError ? error.retryAfterMs : undefined;
    const delay = asked === undefined ? backoffDelay(this.retryAttempt, this.random) : retryAfterDelay(asked, this.random);
    this.retryTimer = this.options.scheduler.setTimeout(() => this.kick(), delay);
  }

  private openLive(): void {
    if (this.stopped) return;
    this.options.scheduler.clearTimeout(this.liveReconnectTimer);
    this.liveReconnectTimer = null;
    this.closeLive = this.options.link.live({
      onOpen: () => {
        this.listening = true;
        this.kick();
      },
      onMessage: (message) => {
        // The server answered on the channel: it is back, and the next loss starts the short schedule again.
        if (message.type === 'hello') this.liveAttempt = 0;
        if (message.type === 'changes') this.takeLiveChanges(message);
        else if (message.head > this.options.store.pullCursor) this.kick();
      },
      onClose: (reason, code) => {
        this.listening = false;
        if (this.stopped) return;
        this.closeLive = null;
        // A blocked link says why it is blocked, not that the channel closed; it opens again once unblocked.
        if (this.blocked) return;
        // Closed because an administrator revoked this workstation: ask now, so the refusal blocks the link at once.
        if (code === LIVE_ACCESS_WITHDRAWN) this.kick();
        this.lastError = reason;
        this.setConnection('offline');
        if (this.stopped) return;
        // Until the live channel is back nothing pokes us: the retry or idle-pull timer keeps pulling meanwhile.
        this.liveAttempt += 1;
        this.liveReconnectTimer = this.options.scheduler.setTimeout(() => this.openLive(), liveReconnectDelay(this.liveAttempt, this.random));
      },
    }, this.schemaVersion);
  }

  /**
   * A batch of changes from the live channel. Taken at once, without a pull, when its range reaches past the cursor
   * with no gap before it (from the cursor on: what the workstation holds already is not applied again) and nothing
   * of this workstation awaits the server (applyLiveChanges); otherwise a sync cycle pulls from the cursor,
   * which fills whatever gap there is. Never while a cycle runs: its pull is on its way, and its pages must find the
   * cursor where they were asked from (the cycle pulls the batch's changes anyway).
   */
  private takeLiveChanges(batch: LiveChanges): void {
    const { store, config } = this.options;
    if (batch.upTo <= store.pullCursor) return; // held already
    let taken: RecordKey[] | null = null;
    const overlapping = batch.since < store.pullCursor;
    if (!this.running && !this.blocked && !this.stopped) {
      try {
        taken = applyLiveChanges(store, config, batch);
      } catch (error) {
        // The store could not take it (a full disk): a cycle pulls it again, and says what fails.
        this.options.onCycleFailed?.(error);
      }
    }
    if (taken === null || batch.head > store.pullCursor) {
      this.kick();
      if (taken === null) return;
    }
    this.liveBatchesTaken += 1;
    if (overlapping) this.liveBatchesOverlapping += 1;
    this.lastSyncedAt = instantOf(this.options.clock);
    // In step as of this batch: the idle pull (the guard against a lost message) counts from now.
    if (this.connection === 'online' && !this.running) {
      this.options.scheduler.clearTimeout(this.retryTimer);
      this.retryTimer = this.options.scheduler.setTimeout(() => this.kick(), this.options.idlePullMs ?? 30_000);
    }
    this.notify(taken);
  }

  /** Live batches taken without a pull since start (for tests and the status of the link). */
  liveBatchesTaken = 0;
  /** Of those, batches that began before the cursor (after a pull, or from another server instance), taken from it. */
  liveBatchesOverlapping = 0;
  /** Whether the live channel is open (the server hears of changes to tell this workstation). */
  listening = false;

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

/** A command as pushed: itself, or the stand-in for one this workstation withdrew. */
function onTheWire(entry: OutboxEntry): CommandEnvelope | CommandWithdrawal {
  const { envelope, withdrawn } = entry;
  if (!withdrawn) return envelope;
  // What it was, who issued it and when go with the stand-in, for the refusal the room sees; never its arguments.
  return { commandId: envelope.commandId, clientSeq: envelope.clientSeq, withdrawn, name: envelope.name, operator: envelope.operator, issuedAt: envelope.issuedAt };
}

/**
 * Commands before the first pending one left the outbox only once the server had said it processed them. If it now
 * says it has processed fewer, it has lost them (restored from an older copy) and waits for commands this
 * workstation no longer has: no retry can fill that gap.
 */
function forgotten(lastClientSeq: number, batch: readonly OutboxEntry[]): void {
  const lowest = batch[0]?.envelope.clientSeq ?? 0;
  if (lastClientSeq >= lowest - 1) return;
  throw new LinkError(
    `the server has no record of this workstation's commands ${lastClientSeq + 1} to ${lowest - 1}, which it had taken: it may have been restored from an older copy`,
    false,
    undefined,
    { kind: 'forgotten' },
  );
}
