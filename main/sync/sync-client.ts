import type { SyncStatus, ConnectionState, LinkBlock } from '../../shared/contract/views';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { RecordKey } from '../../shared/domain/records';
import { authorOf, type Whose } from '../../shared/domain/operator';
import { instantOf, type Clock } from '../../shared/domain/time';
import { LIVE_ACCESS_WITHDRAWN, SCHEMA_VERSION, type CommandOutcome, type CommandWithdrawal, type CommandEnvelope, type LiveChanges, type PullResponse } from '../../shared/sync/protocol';
import type { OutboxEntry } from '../store/outbox';
import type { WorkstationStore } from '../store/workstation-store';
import { applyLiveChanges, applyPullPage, applyPushOutcomes, dropArrived, effectsHeldUpTo, type AwaitedEffect } from './apply-server-answers';
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
  /**
   * Whose conflicts and refused commands the status counts: those the operator signed in here may open
   * (shared/domain/conflict.ts conflictScope, shared/commands/refusal-handle.ts refusedShownTo), so the status bar
   * never counts another operator's lost or refused commands to a call handler, nor any conflict to an auditor.
   * Absent: every one (the sync engine's own tests).
   */
  shownTo?(): { conflicts: Whose; refused: Whose };
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
  /**
   * The most changes kept from live batches while a sync cycle runs (default MAX_HELD_CHANGES); past it, all those
   * kept are dropped and the cycle pulls instead.
   */
  maxHeldChanges?: number;
  /**
   * How long commands the server applied may wait in the outbox for the live batch that brings their effects before
   * the workstation pulls them instead (ms, default 2,000): a batch lost, or one this workstation's force is not sent
   * because the command changed nothing it may see.
   */
  awaitEffectsMs?: number;
}

/**
 * The most changes kept from live batches while a sync cycle runs; beyond that they are dropped and the cycle pulls
 * instead. Counted in changes, not batches: a batch carries up to 500 (the hub's maxBatch), and fifty of those held
 * through a slow push were 25,000 records in memory, where a pull of the same takes them a page at a time. Four full
 * batches, or a busy room's few seconds of small ones.
 */
export const MAX_HELD_CHANGES = 2_000;

/**
 * Keeps a workstation and the server in step: pushes the outbox in order, pulls changes from its cursor,
 * takes batches of changes (or pokes) from the live channel, and retries on its own timer with backoff and jitter, whether or not anyone types;
 * when the server said when to come back (Retry-After), no sooner, however much anyone types. An answer
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
  /**
   * The waits are of two kinds. Ours (these two timers): the backoff after a failure that named no time (the network
   * down, a 500), the live channel's short reconnect schedule, the idle pull, a blocked link's long check. A new
   * command, "sync now" or a poke may cut the first three short (the blocked link's, checkAgain alone): the server did
   * not ask us to hold back. The server's: an answer (a 503 or 429) that said when to come back (Retry-After), to a
   * push, a pull or the live channel's handshake. Those are `serverWaits`, and nothing cuts them short (waitForServer).
   */
  private retryTimer: unknown = null;
  private liveReconnectTimer: unknown = null;
  /**
   * The timers of the waits the server asked for, still running: while any is, this workstation does not contact it.
   * A cycle or a live channel asked for meanwhile is noted (cycleAfterWait, liveAfterWait) and goes when the last ends.
   */
  private readonly serverWaits = new Set<unknown>();
  private cycleAfterWait = false;
  private liveAfterWait = false;
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
  /**
   * Commands the server said it applied whose effects this workstation does not hold yet (its cursor is before their
   * seq), in clientSeq order. They stay in the outbox, their effects shown as this workstation's, until the live
   * batch (or pull page) that brings the server's records takes them out in its transaction: so nothing flickers.
   */
  private awaiting: AwaitedEffect[] = [];
  /**
   * Whether a command may have reached the server without its answer reaching this workstation (a push that failed,
   * or an outbox left by the last run): until a pull says how far the server got and what it refused, a live batch
   * could bring a command's effects while the command is still shown from the outbox (twice), so none is taken.
   */
  private get unanswered(): boolean {
    return this.sentUpTo > this.answeredUpTo;
  }
  /** The highest clientSeq this workstation may have sent (at start: any in the outbox, until a pull says), and the highest answered. */
  private sentUpTo: number;
  private answeredUpTo = 0;
  /** The next cycle pulls: asked for by a poke, a batch not taken, a timer, the live channel opening, a start. */
  private pullWanted = true;
  /** Live batches that arrived while a cycle ran: taken when the cycle has nothing on its way to the server. */
  private held: LiveChanges[] = [];
  /** The changes the held batches carry (see MAX_HELD_CHANGES). */
  private heldChanges = 0;

  constructor(private readonly options: SyncClientOptions) {
    this.random = options.random ?? Math.random;
    this.schemaVersion = options.schemaVersion ?? SCHEMA_VERSION;
    this.batchLimit = options.pushBatchSize ?? 100;
    // The last run may have sent any command still in the outbox (the newest issued is at most next_client_seq).
    this.sentUpTo = options.store.outbox.lowestPendingSeq() === null ? 0 : options.store.meta.getNumber('next_client_seq');
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
    for (const wait of this.serverWaits) this.options.scheduler.clearTimeout(wait);
    this.serverWaits.clear();
    this.cycleAfterWait = false;
    this.liveAfterWait = false;
  }

  /**
   * Asks for a sync cycle that pulls, as soon as possible (a poke, a timer, an operator's "sync now"). Cycles never
   * overlap. A blocked link waits for its own check (or checkAgain). While the server has asked this workstation to
   * wait (Retry-After), "sync now" too waits with the rest: the cycle runs when the wait ends.
   */
  kick(): void {
    this.pullWanted = true;
    if (this.blocked) return;
    this.runCycle();
  }

  /**
   * A command joined the outbox: a cycle pushes it as soon as possible. It pulls afterwards only when it must: with
   * the live channel open the server's batch brings the command's effects (and takes it out of the outbox); without
   * one, or with an answer lost on the way, the pull does as before. A blocked link waits as for kick. While the server
   * has asked this workstation to wait (Retry-After), the command waits in the outbox, and the push when the wait ends
   * carries it with the rest: a busy room's operators would otherwise each push at every command, a herd the server
   * asked to spread out. After a failure that named no time, it goes at once (the backoff is ours to cut short).
   */
  send(): void {
    if (this.blocked) return;
    this.runCycle();
  }

  /**
   * Looks again now at a blocked link, as an operator may ask once the cause is put right (or, if the server has
   * asked this workstation to wait, when the wait ends).
   */
  checkAgain(): void {
    this.runCycle();
  }

  private runCycle(): void {
    if (this.stopped) return;
    if (this.serverWaits.size > 0) {
      this.cycleAfterWait = true;
      return;
    }
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

  /**
   * Whether the workstation is paging through a pull that is not yet at the server's head (its view older than the
   * room's by more than a page): what it shows may already have been dealt with elsewhere. Cheap: no store read.
   */
  catchingUp(): boolean {
    return this.catchUp !== null;
  }

  /** Connected to the server, in step or catching up (status().connection 'online'), without counting the outbox. */
  online(): boolean {
    return this.connection === 'online';
  }

  status(): SyncStatus {
    return {
      connection: this.connection,
      offlineSince: this.offlineSince,
      pending: this.options.store.outbox.pendingCount(),
      deadLetters: this.counted('refused', (author) => this.options.store.outbox.deadCount(author)),
      tooLarge: this.counted('refused', (author) => this.options.store.refusals.tooLargeCount(author)),
      // An operator whose account is deactivated cannot sign in to send theirs: the status bar says so (held-words.ts).
      held: this.options.store.refusals.heldCounts().map((held) => ({ ...held, accountDeactivated: this.options.store.view.get('operator', held.operator)?.active === false })),
      blocked: this.blocked,
      // Open conflicts, and those refused but not pulled yet.
      conflicts: this.counted('conflicts', (author) => this.options.store.view.openConflictCount(author) + this.options.store.outbox.conflictsInTransit(author)),
      catchUp: this.catchUp,
      lastSyncedAt: this.lastSyncedAt,
      lastError: this.lastError,
    };
  }

  /** A count of kept commands, as many as the signed-in operator may open (shownTo): `count(undefined)` counts all. */
  private counted(what: 'conflicts' | 'refused', count: (author: string | undefined) => number): number {
    const author = authorOf(this.options.shownTo?.()[what] ?? { all: true });
    return author === null ? 0 : count(author);
  }

  private async cycle(): Promise<void> {
    if (this.connection === 'offline') this.setConnection('reconnecting');
    try {
      do {
        this.again = false;
        await this.pushAll();
        if (this.stopped) return;
        this.takeHeld();
        if (this.pullWanted || this.unanswered || !this.listening) {
          this.pullWanted = false;
          await this.pullAll();
          if (this.stopped) return;
          this.takeHeld();
        }
        // The server asked for a wait meanwhile (the live channel's handshake refused): the next round waits for it.
        if (this.serverWaits.size > 0 && (this.again || this.pullWanted)) {
          this.cycleAfterWait = true;
          break;
        }
      } while ((this.again || this.pullWanted) && !this.stopped);
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
      this.retryTimer = this.options.scheduler.setTimeout(() => this.kick(), this.quietDelay());
    } catch (error) {
      // What arrived meanwhile is pulled by the retry (every retry pulls).
      this.dropHeld();
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
    this.liveAfterWait = false;
    // Only the long check (or checkAgain) looks again, even once a wait the server asked for is over.
    this.cycleAfterWait = false;
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
      // Those answered already wait for their effects (in the outbox still): they are not sent again.
      const batch = store.outbox.pending(this.batchLimit, this.awaiting.at(-1)?.clientSeq ?? 0);
      if (batch.length === 0) return;
      try {
        const request = { clientId: store.clientId, schemaVersion: this.schemaVersion, commands: batch.map(onTheWire) };
        // Sent: until its answer is read, the server may have applied any of it.
        const last = batch.at(-1)!.envelope.clientSeq;
        this.sentUpTo = Math.max(this.sentUpTo, last);
        const response = await link.push(request);
        if (this.stopped) return; // the store may be closed: leave the answer to the next start's push
        forgotten(response.lastClientSeq, batch);
        this.largestAccepted = Math.max(this.largestAccepted, Buffer.byteLength(JSON.stringify(request)));
        this.notify(applyPushOutcomes(store, config, response.outcomes));
        // Applied commands leave the outbox with the batch or page that brings their effects, so nothing flickers.
        const answered = this.awaitEffects(batch, response.outcomes);
        if (!batch.every((e) => e.envelope.clientSeq <= response.lastClientSeq)) {
          throw new LinkError(`the server stopped at command ${response.lastClientSeq + 1}`, true);
        }
        if (answered) this.answeredUpTo = Math.max(this.answeredUpTo, last);
        this.notify(this.dropArrived());
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
   * Notes the seq at which each applied command of a push has its effects; true when the server answered for every
   * command sent (a command it had processed before is answered as it was then).
   */
  private awaitEffects(batch: readonly OutboxEntry[], outcomes: readonly CommandOutcome[]): boolean {
    const answers = new Map(outcomes.map((o) => [o.clientSeq, o]));
    for (const entry of batch) {
      const outcome = answers.get(entry.envelope.clientSeq);
      if (!outcome) return false;
      if (outcome.status === 'applied') this.awaiting.push({ clientSeq: outcome.clientSeq, seq: outcome.seq });
    }
    return true;
  }

  /**
   * Takes out of the outbox the applied commands whose effects this workstation holds already: its cursor is past them,
   * and stands where a page or batch reached the server's head (in the middle of a catch-up a command's records may
   * have been changed again since, and lie pages on: the page that reaches the head takes it out).
   */
  private dropArrived(): RecordKey[] {
    const { store, config } = this.options;
    const upTo = store.pullWhole ? effectsHeldUpTo(this.awaiting, store.pullCursor) : 0;
    const keys = upTo > 0 ? dropArrived(store, config, upTo) : [];
    this.forgetDropped();
    return keys;
  }

  /** Forgets awaited commands no longer in the outbox (a batch or page took them out). */
  private forgetDropped(): void {
    if (this.awaiting.length === 0) return;
    const lowest = this.options.store.outbox.lowestPendingSeq();
    this.awaiting = lowest === null ? [] : this.awaiting.filter((a) => a.clientSeq >= lowest);
  }

  /** The idle pull's wait, shorter while applied commands wait for their effects (see awaitEffectsMs). */
  private quietDelay(): number {
    const idle = this.options.idlePullMs ?? 30_000;
    return this.awaiting.length > 0 ? Math.min(idle, this.options.awaitEffectsMs ?? 2_000) : idle;
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
        behindUs(page);
        // The next page is asked for before this one is applied, so the server's read overlaps our write.
        next = page.hasMore ? this.requestPage(page.upTo) : null;
        this.catchUp = page.hasMore ? { done: page.upTo - from, total: page.head - from } : null;
        const keys = applyPullPage(store, config, page);
        this.forgetDropped();
        this.notify(keys);
      }
      // The last page said how far the server got with this workstation's commands, and what it refused.
      this.answeredUpTo = this.sentUpTo;
    } finally {
      this.catchUp = null;
    }
  }

  private requestPage(since: number): Promise<PullResponse> {
    const { store, link } = this.options;
    this.pulls += 1;
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
   * unavailable: a 503's Retry-After), then, with jitter, and nothing before (waitForServer); otherwise after our
   * backoff, which a new command or "sync now" may cut short.
   */
  private scheduleRetry(error: unknown): void {
    if (this.stopped) return;
    this.retryAttempt += 1;
    const asked = error instanceof LinkError ? error.retryAfterMs : undefined;
    if (asked === undefined) {
      this.retryTimer = this.options.scheduler.setTimeout(() => this.kick(), backoffDelay(this.retryAttempt, this.random));
      return;
    }
    // Every retry pulls (what arrived meanwhile was dropped).
    this.pullWanted = true;
    this.cycleAfterWait = true;
    this.waitForServer(asked);
  }

  /**
   * The server asked this workstation to come back no sooner than `asked` ms from now (a Retry-After): it waits that,
   * and a random part of as long again (retryAfterDelay), so the desks the server turned away in the same second come
   * back spread out. Until then no new command, "sync now", poke, idle pull or live reconnect contacts the server:
   * each is noted and goes when the wait ends (with another wait running, when the last ends), the commands issued
   * meanwhile pushed together.
   */
  private waitForServer(asked: number): void {
    const wait = this.options.scheduler.setTimeout(() => {
      this.serverWaits.delete(wait);
      if (this.serverWaits.size > 0 || this.stopped) return;
      if (this.liveAfterWait) {
        this.liveAfterWait = false;
        if (!this.closeLive && !this.blocked) this.openLive();
      }
      if (this.cycleAfterWait) {
        this.cycleAfterWait = false;
        this.runCycle();
      }
    }, retryAfterDelay(asked, this.random));
    this.serverWaits.add(wait);
  }

  private openLive(): void {
    if (this.stopped) return;
    this.options.scheduler.clearTimeout(this.liveReconnectTimer);
    this.liveReconnectTimer = null;
    if (this.serverWaits.size > 0) {
      this.liveAfterWait = true;
      return;
    }
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
      // A frame dropped unread may have held a batch: pull now rather than wait for the next batch to show the gap.
      onUnreadable: () => this.kick(),
      onClose: (reason, code, retryAfterMs) => {
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
        // Refused with a Retry-After (a 503 or 429 to the handshake): the server's wait, not our short schedule; the
        // retry and idle-pull timers wait with it.
        if (retryAfterMs !== undefined) {
          this.liveAfterWait = true;
          this.waitForServer(retryAfterMs);
          return;
        }
        // Until the live channel is back nothing pokes us: the retry or idle-pull timer keeps pulling meanwhile.
        this.liveAttempt += 1;
        this.liveReconnectTimer = this.options.scheduler.setTimeout(() => this.openLive(), liveReconnectDelay(this.liveAttempt, this.random));
      },
    }, this.schemaVersion);
  }

  /**
   * A batch of changes from the live channel. Taken at once, without a pull, when its range reaches past the cursor
   * with no gap before it (from the cursor on: what the workstation holds already is not applied again) and the server
   * has answered for every command this workstation sent (applyLiveChanges); the applied commands whose effects it
   * brings leave the outbox in its transaction. Otherwise a sync cycle pulls from the cursor, which fills whatever gap
   * there is. While a cycle runs the batch is kept, and taken once nothing is on its way to the server (takeHeld): a
   * push's answer says which commands the batch may hold, and a pull's pages must find the cursor where they were
   * asked from.
   */
  private takeLiveChanges(batch: LiveChanges): void {
    if (batch.upTo <= this.options.store.pullCursor) return; // held already
    if (this.running) {
      // A batch of nothing this force may see still counts one: a room's stream of them is not kept without end.
      const weight = Math.max(1, batch.changes.length);
      if (this.heldChanges + weight <= (this.options.maxHeldChanges ?? MAX_HELD_CHANGES)) {
        this.held.push(batch);
        this.heldChanges += weight;
      } else {
        this.dropHeld();
        this.pullWanted = true;
      }
      return;
    }
    if (!this.takeBatch(batch)) {
      this.kick();
      return;
    }
    // In step as of this batch: the idle pull (the guard against a lost message) counts from now.
    if (this.connection === 'online') {
      this.options.scheduler.clearTimeout(this.retryTimer);
      this.retryTimer = this.options.scheduler.setTimeout(() => this.kick(), this.quietDelay());
    }
  }

  private dropHeld(): void {
    this.held = [];
    this.heldChanges = 0;
  }

  /** The batches kept while a cycle ran, in the order they came: those that cannot be taken ask the cycle to pull. */
  private takeHeld(): void {
    const batches = this.held;
    this.dropHeld();
    for (const batch of batches) {
      if (batch.upTo > this.options.store.pullCursor && !this.takeBatch(batch)) this.pullWanted = true;
    }
  }

  /**
   * Applies one batch if it can be taken; false when the workstation must pull instead (a gap, an answer it has not
   * read, a store that failed, or a head beyond the batch). A batch held already is true: nothing to do.
   */
  private takeBatch(batch: LiveChanges): boolean {
    const { store, config } = this.options;
    if (batch.upTo <= store.pullCursor) return true;
    if (this.blocked || this.stopped || this.unanswered) return false;
    const overlapping = batch.since < store.pullCursor;
    let taken: RecordKey[] | null = null;
    try {
      taken = applyLiveChanges(store, config, batch, this.awaiting);
    } catch (error) {
      // The store could not take it (a full disk): a cycle pulls it again, and says what fails.
      this.options.onCycleFailed?.(error);
    }
    if (taken === null) return false;
    const waited = this.awaiting.length;
    this.forgetDropped();
    this.commandsDoneByLive += waited - this.awaiting.length;
    this.liveBatchesTaken += 1;
    if (overlapping) this.liveBatchesOverlapping += 1;
    this.lastSyncedAt = instantOf(this.options.clock);
    this.notify(taken);
    return batch.head <= store.pullCursor;
  }

  /** The applied commands still in the outbox waiting for their effects, in clientSeq order (for tests). */
  awaitingEffects(): readonly AwaitedEffect[] {
    return this.awaiting;
  }

  /** Of this workstation's applied commands, those a live batch took out of the outbox with their effects (no pull). */
  commandsDoneByLive = 0;

  /** Pulls made since start (for tests and the benchmark: how many the live batches spared). */
  pulls = 0;

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
  // Withdrawn with no arguments: a record it named was erased (main/store/erased-content.ts), not too large.
  return { commandId: envelope.commandId, clientSeq: envelope.clientSeq, withdrawn, name: envelope.name, operator: envelope.operator, issuedAt: envelope.issuedAt, ...(envelope.args === null ? { erased: true as const } : {}) };
}

/**
 * This workstation holds the room's changes up to its cursor, each told it by the server. A server whose changes end
 * before that has lost some (restored from an older copy): the next changes it makes take numbers this workstation
 * has passed already, and pulling from its cursor would skip them for good. Like forgotten commands, no retry mends
 * it: the link is blocked, saying so, until someone looks (found in use: tryout15a, trusted silently).
 */
function behindUs(page: PullResponse): void {
  if (page.head >= page.since) return;
  throw serverForgot(`the server's changes end at ${page.head}, before the ${page.since} this workstation holds: it may have been restored from an older copy`);
}

/** What a server that has lost what this workstation holds (behindUs, forgotten) is: the link blocked, saying why. */
function serverForgot(message: string): LinkError {
  return new LinkError(message, false, undefined, { kind: 'forgotten' });
}

/**
 * Commands before the first pending one left the outbox only once the server had said it processed them. If it now
 * says it has processed fewer, it has lost them (restored from an older copy) and waits for commands this
 * workstation no longer has: no retry can fill that gap.
 */
function forgotten(lastClientSeq: number, batch: readonly OutboxEntry[]): void {
  const lowest = batch[0]?.envelope.clientSeq ?? 0;
  if (lastClientSeq >= lowest - 1) return;
  throw serverForgot(`the server has no record of this workstation's commands ${lastClientSeq + 1} to ${lowest - 1}, which it had taken: it may have been restored from an older copy`);
}
