import { deflateRawSync } from 'node:zlib';
import { LIVE_ACCESS_WITHDRAWN, LIVE_CHANGES_SINCE_VERSION, type LiveChanges, type LiveEncoding, type LiveMessage } from '../shared/sync/protocol';
import { audienceOf, changesFor, type Recipient } from './changes-for';
import { messageJson } from './change-json';
import type { ChangesPage } from './storage/storage';
import type { ForceCode } from '../shared/domain/force';
import { forcesThatSee } from './partition-filter';
import { WITHOUT_SHARE_BOOK, type Delivery } from './shares/share-delivery';

/** What the hub needs of a live channel: a `ws` WebSocket has it (and the fault simulation's fake one). */
export interface LiveSocket {
  readonly readyState: number;
  readonly OPEN: number;
  /** Bytes queued to send and not yet sent. */
  readonly bufferedAmount: number;
  /**
   * A text frame: `data` a string, or its UTF-8 bytes with `{ binary: false }` (a batch encoded once for a whole
   * audience, so that each channel's send copies and encodes nothing); or, with `{ binary: true }`, a batch
   * compressed for a workstation that asked for the `deflate` encoding.
   */
  send(text: string): void;
  send(data: Buffer, options: { binary: boolean }): void;
  close(code: number, reason: string): void;
  terminate(): void;
  /** A ping frame: the workstation answers with a pong (a WebSocket's own, as its library does unasked). */
  ping(): void;
  on(event: 'close', listener: () => void): unknown;
  /** Any frame heard from the workstation: its answer to our ping, its own ping, or a message. */
  on(event: 'pong' | 'ping' | 'message', listener: () => void): unknown;
}

export interface LiveHubOptions {
  /** The storage's `changes`: changes after `since`, at most `limit`, with the head, from one snapshot. */
  readChanges(since: number, limit: number): Promise<ChangesPage>;
  /** Runs a flush later (default: setImmediate, so that every commit answered in one turn goes in one batch). */
  defer?(flush: () => void): void;
  /** The most changes one batch carries; a longer run of them is told as a poke, and pulled (default 500). */
  maxBatch?: number;
  /** A batch could not be read (the storage is unreachable): the hub pokes instead, so nothing waits on it. */
  onReadFailed?(error: unknown): void;
  /** The forces the server serves: each is told of a batch only when it may see something in it. */
  forces: readonly ForceCode[];
  /**
   * Pacing (see LiveHub): the clock the cost of sending a batch is measured on (ms; default performance.now), and
   * how a batch is put off until its time (default setTimeout). The fault simulation passes its virtual ones.
   */
  now?(): number;
  later?(flush: () => void, ms: number): void;
  /** The share of the server's time sending batches may take at most (default 0.2; 1: no pacing by cost). */
  busyShare?: number;
  /** The least time between the starts of two batches (ms, default 0). */
  minIntervalMs?: number;
  /** What a batch carries because of the shares (server/shares/share-delivery.ts); default: own records only. */
  deliveryOf?(page: ChangesPage): Promise<Delivery>;
  /**
   * The heartbeat (see LiveHub): every this many ms each channel is pinged, and one that was heard nothing from since
   * the last ping is ended. Default: none (the fault simulation's channels cannot die without a word); the central
   * server's is LIVE_HEARTBEAT_MS.
   */
  heartbeatMs?: number;
  /** A channel was ended by the heartbeat (its workstation's, for the log). */
  onSilent?(clientId: string): void;
}

/** One open live channel: its workstation, and whether anything was heard from it since the heartbeat's last ping. */
interface Channel {
  readonly recipient: Recipient;
  heard: boolean;
}

/** A workstation that leaves this much unread on its channel is sent no more batches; it pulls when it reads again. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/**
 * zlib's fastest level: a batch of the room's changes (JSON with the same keys over and over) still comes to about
 * half or less, for tens of microseconds once per audience, against a write per channel saved.
 */
const DEFLATE_LEVEL = 1;
/** The WebSocket close code "try again later" (RFC 6455 registry, 1013). */
const TRY_AGAIN_LATER = 1013;

/**
 * The workstations listening for changes, and what each is sent. When the head moves (this instance's commits, or
 * another's heard through the storage) the hub reads the changes since the last batch it sent, once, and sends them
 * to every workstation as one batch carrying its range (since, upTo]: a workstation standing at `since` takes it
 * without a pull; one that is not (it missed a batch, or is catching up) pulls from its cursor. Heads that arrive
 * while a batch is being read go in the next one, so a burst of commits costs a few batches, not one per commit for
 * each workstation. What each workstation receives of a batch is changesFor's to say (the same as its pull), and a
 * batch is serialised once per audience. Workstations older than LIVE_CHANGES_SINCE_VERSION are poked as before.
 *
 * Forces (issue 12): an audience is one force's workstations (changesFor applies the partition), and it is sent a
 * batch only when the batch holds something it may see; nothing, not even a poke, tells a force that another's
 * records changed. So each audience's batch begins where the last one sent to it ended (`since` is that audience's,
 * not the room's): the hub has read every change between in order, and none was for it. A run of changes too long to
 * carry, or one the storage could not read, is told to every workstation as a poke (a head, never a record), and
 * every audience's next batch begins after it.
 *
 * Pacing: a batch costs the server about the same whether it carries one change or fifty, and most of that cost is
 * one write per open channel (tens of microseconds each, so milliseconds for a room of 400). Sent after every commit,
 * batches took most of one core at 150 commands a second. So after a batch that took d ms to send, the next waits
 * until d / busyShare ms after the start of the last (4d by default), gathering every commit meanwhile: the first
 * change after a quiet spell goes out at once, and under load the batches come at a rate the server can afford,
 * whatever the rate of commits, each a little fuller. Nothing else changes: each batch still begins where its
 * audience's last one ended.
 *
 * Heartbeat: a connection can die without a word (a NAT or firewall that forgets it, a cable pulled), and TCP tells
 * the server only when a write to it gives up (a quarter of an hour while batches are sent to it; never in a quiet
 * room). Such a channel would go on counting against its workstation's live channels (four at most) and take a write
 * per batch. So every heartbeatMs the hub pings every channel, one timer for all, and ends (terminates, as a network
 * failure) each that has sent nothing since the last ping: no pong, no ping of its own, no message. A workstation's
 * library answers pings unasked, so a channel that is alive is never ended; a dead one is ended within two intervals,
 * its slot freed as by any close.
 */
export class LiveHub {
  /** Each open socket, the workstation it belongs to, and whether it was heard from since the last ping. */
  private readonly sockets = new Map<LiveSocket, Channel>();
  /** The sockets whose workstation asked for its batches compressed (LIVE_ENCODINGS). */
  private readonly deflated = new WeakSet<LiveSocket>();
  /** The end of the last batch sent (every change up to it has been sent, or told as a poke). */
  private delivered: number;
  /**
   * Per force, the end of the last batch with something it may see: every change up to there that it may see has
   * been sent. A force not in the map has been sent everything it may see up to `everyoneFrom`. Kept for every force
   * the server serves, whether or not any of its workstations listens now: one that connects later may stand there.
   */
  private readonly forceSent = new Map<ForceCode, number>();
  private everyoneFrom: number;
  /** The newest head heard of. */
  private wanted: number;
  private scheduled = false;
  private flushing = false;
  private closed = false;
  private readonly maxBatch: number;
  private readonly defer: (flush: () => void) => void;
  private readonly now: () => number;
  private readonly later: (flush: () => void, ms: number) => void;
  private readonly busyShare: number;
  private readonly minIntervalMs: number;
  /** No batch starts before this time (on `now`'s clock): see Pacing above. */
  private nextBatchAt = Number.NEGATIVE_INFINITY;
  private readonly heartbeat: ReturnType<typeof setInterval> | undefined;
  /** When the heartbeat last ticked (on `now`'s clock). */
  private lastBeat = 0;
  /** Batches sent and sockets they went to, since start (for the health answer and the benchmark). */
  readonly sent = { batches: 0, messages: 0, pokes: 0, bytes: 0 };

  /** `head`: the storage's head when the server starts; batches begin there. */
  constructor(
    head: number,
    private readonly options: LiveHubOptions,
  ) {
    this.delivered = head;
    this.everyoneFrom = head;
    this.wanted = head;
    this.maxBatch = options.maxBatch ?? 500;
    this.defer = options.defer ?? ((flush) => void setImmediate(flush));
    this.now = options.now ?? (() => performance.now());
    this.later = options.later ?? ((flush, ms) => void setTimeout(flush, ms));
    this.busyShare = Math.min(1, Math.max(0.01, options.busyShare ?? 0.2));
    this.minIntervalMs = options.minIntervalMs ?? 0;
    if (options.heartbeatMs !== undefined) {
      const every = options.heartbeatMs;
      this.lastBeat = this.now();
      this.heartbeat = setInterval(() => this.beat(every), every);
      this.heartbeat.unref();
    }
  }

  /** `encoding`: how the workstation asked to be sent batches (null: as text). */
  add(socket: LiveSocket, hello: LiveMessage, recipient: Recipient, encoding: LiveEncoding | null = null): void {
    const channel: Channel = { recipient, heard: true };
    this.sockets.set(socket, channel);
    if (encoding === 'deflate') this.deflated.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    const heard = () => void (channel.heard = true);
    socket.on('pong', heard);
    socket.on('ping', heard);
    socket.on('message', heard);
    socket.send(JSON.stringify(hello));
  }

  /** The workstations with a live channel open now (client ids, each once). */
  clients(): string[] {
    return [...new Set([...this.sockets.values()].map((channel) => channel.recipient.clientId))];
  }

  /**
   * Cuts every live channel of this workstation, for an exercise's outage: with no reason, as a network failure would
   * (no close frame); with one, closed as "try again later" saying why (the system is down). The workstation
   * reconnects on its own timer, as it does after a real one. `reason` must fit a close frame: 123 bytes.
   */
  dropClient(clientId: string, reason?: string): void {
    for (const [socket, { recipient }] of this.sockets) {
      if (recipient.clientId !== clientId) continue;
      if (reason === undefined) socket.terminate();
      else socket.close(TRY_AGAIN_LATER, reason);
      this.sockets.delete(socket);
    }
  }

  /** Closes every live channel of this workstation, its access withdrawn. `reason` must fit a close frame: 123 bytes. */
  closeClient(clientId: string, reason: string): void {
    for (const [socket, { recipient }] of this.sockets) {
      if (recipient.clientId !== clientId) continue;
      socket.close(LIVE_ACCESS_WITHDRAWN, reason);
      this.sockets.delete(socket);
    }
  }

  /** The head moved to `head` (a commit here, or another instance's): a batch goes out soon, with others due. */
  headMoved(head: number): void {
    if (head <= this.wanted || this.closed) return;
    this.wanted = head;
    this.schedule();
  }

  /** A message for every live channel alike (a training server's exercise clock: no record, no force's). */
  broadcast(message: LiveMessage): void {
    const text = JSON.stringify(message);
    for (const socket of this.sockets.keys()) {
      if (socket.readyState === socket.OPEN) socket.send(text);
    }
  }

  get size(): number {
    return this.sockets.size;
  }

  closeAll(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
  }

  /**
   * The heartbeat's tick: ends each channel heard nothing from since the last tick (as dropClient, a network failure:
   * its 'close' frees its slot and does all a close does), and pings the rest. Nothing is made per channel but the ping.
   * A tick late by half an interval or more ends none: the server was stalled (a long synchronous task, a pause of the
   * process), and the answers to the last pings may be waiting unread, as the timer runs before the sockets are read.
   */
  private beat(every: number): void {
    const at = this.now();
    const late = at - this.lastBeat >= 1.5 * every;
    this.lastBeat = at;
    for (const [socket, channel] of this.sockets) {
      if (!channel.heard && !late) {
        this.sockets.delete(socket);
        socket.terminate();
        this.options.onSilent?.(channel.recipient.clientId);
        continue;
      }
      channel.heard = false;
      if (socket.readyState === socket.OPEN) socket.ping();
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    const wait = this.nextBatchAt - this.now();
    if (wait > 0) this.later(run, wait);
    else this.defer(run);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.delivered < this.wanted && !this.closed) {
        let page: ChangesPage;
        let delivery: Delivery = WITHOUT_SHARE_BOOK;
        try {
          page = await this.options.readChanges(this.delivered, this.maxBatch);
          if (!page.hasMore && page.upTo > this.delivered && this.options.deliveryOf) delivery = await this.options.deliveryOf(page);
        } catch (error) {
          this.options.onReadFailed?.(error);
          this.pokeAll(this.wanted);
          this.delivered = this.wanted;
          break;
        }
        if (this.closed) break;
        if (page.upTo <= this.delivered) {
          // Heard of a head that is not there (a commit that may have happened and did not): nothing to send.
          this.wanted = this.delivered;
          break;
        }
        const started = this.now();
        if (page.hasMore) {
          // Too many to carry: every workstation pulls them, in pages, from its own cursor.
          this.pokeAll(page.head);
          this.delivered = Math.max(page.head, page.upTo);
        } else {
          this.send(page, delivery);
          this.delivered = page.upTo;
        }
        this.wanted = Math.max(this.wanted, this.delivered);
        this.nextBatchAt = started + Math.max(this.minIntervalMs, (this.now() - started) / this.busyShare);
        // Heads heard meanwhile wait for the next batch's time (the finally below schedules it).
        if (this.nextBatchAt > this.now()) break;
      }
    } finally {
      this.flushing = false;
      if (this.delivered < this.wanted && !this.closed) this.schedule();
    }
  }

  /**
   * One batch to every open channel whose force may see something in it: the changes to those that read them (from
   * the end of the last batch their audience was sent), a poke to the older ones.
   */
  private send(page: ChangesPage, delivery: Delivery): void {
    this.sent.batches += 1;
    // Each force that may see something here: where its batch begins, and from now on where its next one does.
    const since = new Map<ForceCode, number>();
    for (const force of forcesThatSee(page.changes, this.options.forces, delivery.shares)) {
      since.set(force, this.forceSent.get(force) ?? this.everyoneFrom);
      this.forceSent.set(force, page.upTo);
    }
    // Each audience's batch as UTF-8 bytes, made once: sent as text, it would be measured and encoded again for every
    // channel (ws writes a string by its byte length), which for a room of 400 was most of a batch's cost but the writes.
    // The writes then cost by their bytes, so a workstation that asks is sent the batch compressed, compressed once too
    // (the WebSocket's permessage-deflate would compress every channel's copy apart, and keep a zlib context for each).
    const texts = new Map<string, Buffer>();
    const compressed = new Map<string, Buffer>();
    for (const [socket, { recipient }] of this.sockets) {
      if (socket.readyState !== socket.OPEN) continue;
      const from = recipient.force === null ? undefined : since.get(recipient.force);
      // Nothing its force may see: not a word, not even that the head moved.
      if (from === undefined) continue;
      if (recipient.schemaVersion < LIVE_CHANGES_SINCE_VERSION) {
        this.pokeOne(socket, page.upTo);
        continue;
      }
      // Not reading: skipping a batch is safe, the next one shows it the gap to pull. A slow reader is still heard (its
      // own pings come the other way, past the batches queued to it); a dead connection is not, and the heartbeat ends it.
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      const audience = audienceOf(recipient);
      let text = texts.get(audience);
      if (text === undefined) {
        const batch: LiveChanges = { type: 'changes', since: from, upTo: page.upTo, head: page.head, changes: changesFor(recipient, page.changes, delivery) };
        text = messageJson(batch);
        texts.set(audience, text);
      }
      const deflate = this.deflated.has(socket);
      let data = text;
      if (deflate) {
        data = compressed.get(audience) ?? deflateRawSync(text, { level: DEFLATE_LEVEL });
        compressed.set(audience, data);
      }
      socket.send(data, { binary: deflate });
      this.sent.messages += 1;
      this.sent.bytes += data.length;
    }
  }

  private pokeAll(head: number): void {
    for (const socket of this.sockets.keys()) if (socket.readyState === socket.OPEN) this.pokeOne(socket, head);
    // Every workstation pulls past it: every force's next batch begins at its end.
    this.forceSent.clear();
    this.everyoneFrom = head;
  }

  /** Each poke names a head above the last (batches only move forward), so none is sent twice. */
  private pokeOne(socket: LiveSocket, head: number): void {
    socket.send(JSON.stringify({ type: 'poke', head } satisfies LiveMessage));
    this.sent.pokes += 1;
  }
}
