import { randomUUID } from 'node:crypto';
import { request, type Agent } from 'node:http';
import { inflateRawSync } from 'node:zlib';
import WebSocket from 'ws';
import { backoffDelay, liveReconnectDelay, parseRetryAfter, retryAfterDelay } from '../../main/sync/backoff';
import { HEARTBEAT_MS } from '../../main/sync/server-link';
import { provisionalReference } from '../../shared/domain/reference';
import { PROTOCOL_PATHS, SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';

/** The shapes read from the server's answers: only the fields the protocol needs, unchecked beyond that (see below). */
interface PullPage {
  since: number;
  upTo: number;
  head: number;
  changes: unknown[];
  hasMore: boolean;
}
interface PushAnswer {
  outcomes: ({ clientSeq: number; status: 'applied'; seq: number } | { clientSeq: number; status: 'rejected'; code: string; reason: string })[];
  lastClientSeq: number;
}

/** What a workstation tells the process that drives it, as it happens (times from performance.now()). */
export interface WorkstationEvents {
  /** Changes arrived, by a pull page or a live batch: the cursor is now `upTo`, `changes` records came with it. */
  onPage(workstation: number, upTo: number, changes: number, at: number, via: 'pull' | 'live'): void;
  /** The server answered for one of this workstation's commands. `issuedAt`: when it went into the outbox. */
  onOutcome(workstation: number, outcome: { status: 'applied'; seq: number } | { status: 'rejected'; reason: string }, issuedAt: number, at: number): void;
  /** A request or the live channel failed (it is retried); for the benchmark's report. */
  onProblem(workstation: number, problem: string): void;
  /** A push or pull is sent (when), to see how the room's requests spread. */
  onRequest?(at: number): void;
  /** A message of `bytes` bytes came over the live channel (as sent: what the server wrote to it). */
  onLiveBytes?(bytes: number): void;
}

export interface ProtocolWorkstationOptions {
  index: number;
  baseUrl: URL;
  /**
   * Further instances of the same server (on one database), as a workstation given several addresses: it moves to
   * the next when a request cannot connect (tried there at once) or its live channel fails, as HttpServerLink does.
   */
  otherUrls?: URL[];
  /** Keep-alive connections shared by the process's workstations (the server sees as many as are in use at once). */
  agent: Agent;
  enrolmentKey: string;
  events: WorkstationEvents;
  /** As the real sync client: pull anyway after this long without a poke (ms). */
  idlePullMs?: number;
  /** As the real link: ping the live channel this often (ms), and treat no pong by the next as a dead channel. */
  heartbeatMs?: number;
  /**
   * `live`: as this build's workstation (schema 5): takes batches of changes from the live channel, and reopens it
   * on the short schedule (liveReconnectDelay). `pokes`: as a workstation of schema 4 and the build before it, poked
   * and pulling, reopening on the long backoff: the benchmark's baseline, measured in the same run.
   */
  delivery?: Delivery;
}

/**
 * How a workstation takes the room's changes: as this build's (batches over the live channel, asked for compressed),
 * this build's with its batches as text (as the build before compression), or as the build before batches (schema 4:
 * poked, then pulling).
 */
export type Delivery = 'live' | 'live-text' | 'pokes';

/** A live-channel message as the harness reads it (read only: one parse is shared by every workstation it reached). */
type LiveMessageRead = { type?: unknown; head?: unknown; since?: unknown; upTo?: unknown; changes?: unknown[] };

/** The last few messages parsed, newest first, with their bytes: the server sends one batch's same bytes to every workstation. */
const recentlyParsed: { bytes: Buffer; message: LiveMessageRead | null }[] = [];
const RECENTLY_PARSED = 8;

/**
 * A live-channel message parsed, or null when it is not JSON. The server sends a batch's same bytes to each of a
 * force's workstations, and these workstations share one process: decoding and parsing it once for all of them (a
 * comparison of its bytes with the last few is a memcmp, a small part of a decode and parse) keeps the harness's CPU
 * on what it measures, not on 400 identical parses (issue 15: the harness's own CPU share is reported, and must not
 * be what the figures measure). Nothing changes of what each workstation does with it: each still takes it against
 * its own cursor, as the real client does.
 */
function parsedOnce(bytes: Buffer, compressed: boolean): LiveMessageRead | null {
  const seen = recentlyParsed.find((recent) => recent.bytes.equals(bytes));
  if (seen) return seen.message;
  let message: LiveMessageRead | null;
  try {
    message = JSON.parse((compressed ? inflateRawSync(bytes) : bytes).toString('utf8')) as LiveMessageRead;
  } catch {
    message = null;
  }
  recentlyParsed.unshift({ bytes, message });
  recentlyParsed.length = Math.min(recentlyParsed.length, RECENTLY_PARSED);
  return message;
}

/**
 * A workstation reduced to its protocol, for the load benchmark: enrols with the enrolment key, signs its operator in
 * for a ticket, pushes command envelopes in clientSeq order, pulls pages from its cursor, and keeps a live WebSocket
 * open, pulling after each poke exactly as main/sync/sync-client.ts does (one cycle at a time, a poke during a cycle
 * runs one more; an idle pull after 30 s; reconnect with backoff and jitter). A push is followed by a pull only when
 * the live channel is closed or something asked for one: the live batch brings the commands' effects (a workstation
 * of the build before, `pokes`, pulls after every push). What it leaves out
 * is the workstation's SQLite, its rebase and its view: it counts the records it receives instead of storing them,
 * so a few hundred fit in one process without the harness being what is measured.
 *
 * The answers are parsed but not validated with the protocol's zod schemas: validation is the workstation's cost,
 * not the server's, and the benchmark checks what matters itself (a page must start at the cursor; every command
 * must be applied).
 *
 * Changes arrive through `receivePage`, whatever brought them: a pull, or a batch over the live channel to a
 * workstation at the head (see onLiveMessage), taken as the real client takes it (applyLiveChanges): only where it
 * reaches past the cursor without a gap, never while a push awaits its answer (kept until then); otherwise it pulls.
 */
export class ProtocolWorkstation {
  readonly clientId = randomUUID();
  readonly name: string;
  cursor = 0;
  private token: string | null = null;
  private referenceGeneration: number | null = null;
  private ticket: string | null = null;
  private operator: string | null = null;
  private nextClientSeq = 1;
  private readonly outbox: { envelope: CommandEnvelope; issuedAt: number }[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  /** The next cycle pulls (a poke, a batch not taken, a timer, the channel opening): as the real client's pullWanted. */
  private pullWanted = true;
  /** Batches that came while a cycle ran, taken after its push is answered (as the real client's takeHeld). */
  private held: { since: number; upTo: number; head?: unknown; changes: unknown[] }[] = [];
  /** The seq of the newest effect of this workstation's applied commands: the batch bringing it ends their wait. */
  private awaitedSeq = 0;
  private stopped = false;
  private retryAttempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private liveAttempt = 0;
  private socket: WebSocket | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private liveOpen = false;
  private readonly idlePullMs: number;
  private readonly delivery: Delivery;

  /** The server addresses, and the one in use. */
  private readonly urls: URL[];
  private at = 0;

  constructor(private readonly options: ProtocolWorkstationOptions) {
    this.urls = [options.baseUrl, ...(options.otherUrls ?? [])];
    this.name = `LOAD-${options.index}`;
    this.idlePullMs = options.idlePullMs ?? 30_000;
    this.delivery = options.delivery ?? 'live';
  }

  /** The server address in use now. */
  get serverUrl(): string {
    return this.urls[this.at]!.toString();
  }

  /** The address `from` failed: use the next from now on (unless another failure moved on already). */
  private moveOn(from: number): void {
    if (this.at === from) this.at = (from + 1) % this.urls.length;
  }

  /** Whether an operator is signed in here (commands can be issued). */
  get signedIn(): boolean {
    return this.ticket !== null;
  }

  /** Whether the live channel is open (the server counts it among its live clients). */
  get live(): boolean {
    return this.liveOpen;
  }

  /** Commands issued and not yet answered by the server. */
  get pending(): number {
    return this.outbox.length;
  }

  /** Enrols (POST /v1/enrol) for a device token, then opens the live channel, which starts the first sync cycle. */
  async start(): Promise<void> {
    const enrol = () =>
      this.exchange<{ deviceToken: string; referenceGeneration?: number }>('POST', PROTOCOL_PATHS.enrol, {
        clientId: this.clientId,
        workstation: this.name,
        enrolmentKey: this.options.enrolmentKey,
      });
    // As a workstation would, it tries again after a failure of the network (a connection reset by a restarted server).
    let answer: Awaited<ReturnType<typeof enrol>> | null = null;
    for (let attempt = 1; answer === null; attempt += 1) {
      try {
        answer = await enrol();
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, Math.random)));
      }
    }
    this.token = answer.deviceToken;
    this.referenceGeneration = answer.referenceGeneration ?? null;
    this.openLive();
  }

  /** Signs an operator in (POST /v1/sign-in): the ticket every command of theirs carries. */
  async signIn(operator: string, password: string): Promise<void> {
    const answer = await this.exchange<{ ticket: string }>('POST', PROTOCOL_PATHS.signIn, { operator, password });
    this.ticket = answer.ticket;
    this.operator = operator;
  }

  /** The provisional reference of this workstation's n-th incident, as a console mints it. */
  reference(n: number): string {
    return provisionalReference(this.name, this.referenceGeneration, n);
  }

  /** Puts a command in the outbox and asks for a sync cycle, as a console does once its transaction commits. */
  issue(name: string, args: unknown): void {
    if (!this.ticket || !this.operator) throw new Error(`${this.name} has no operator signed in`);
    const envelope: CommandEnvelope = {
      commandId: randomUUID(),
      clientId: this.clientId,
      clientSeq: this.nextClientSeq++,
      name,
      args,
      issuedAt: new Date().toISOString(),
      operator: this.operator,
      ticket: this.ticket,
      workstation: this.name,
      schemaVersion: SCHEMA_VERSION,
    };
    this.outbox.push({ envelope, issuedAt: performance.now() });
    this.send();
  }

  /**
   * A command joined the outbox: a cycle that pushes it, pulling afterwards only when it must, as the real client's
   * send(). A workstation of the build before (`pokes`) pulled after every push, as kick() does.
   */
  private send(): void {
    if (this.delivery === 'pokes') this.pullWanted = true;
    this.runCycle();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.socket?.terminate();
    this.socket = null;
  }

  /** Asks for a sync cycle; cycles never overlap, and one asked for during a cycle runs right after it. */
  kick(): void {
    this.pullWanted = true;
    this.runCycle();
  }

  private runCycle(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.running = this.cycle().finally(() => {
      this.running = null;
    });
  }

  /**
   * Records that arrived, by a pull or a live batch. A pull page that does not start at the cursor is a gap (or a
   * repeat): it is not taken, and a pull from the cursor fills it. A live batch is taken, as the real client takes it
   * (applyLiveChanges), when its range reaches past the cursor with no gap before it, from the cursor on: only its
   * changes after the cursor count.
   */
  receivePage(page: Pick<PullPage, 'since' | 'upTo' | 'changes'>, via: 'pull' | 'live'): boolean {
    if (via === 'pull' ? page.since !== this.cursor : page.since > this.cursor || page.upTo <= this.cursor) return false;
    const cursor = this.cursor;
    const changes = page.since === cursor ? page.changes.length : page.changes.filter((c) => (c as { seq: number }).seq > cursor).length;
    this.cursor = page.upTo;
    this.options.events.onPage(this.options.index, page.upTo, changes, performance.now(), via);
    return true;
  }

  private async cycle(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.pushAll();
        this.takeHeld();
        if (this.pullWanted || !this.liveOpen) {
          this.pullWanted = false;
          await this.pullAll();
          this.takeHeld();
        }
      } while ((this.again || this.pullWanted) && !this.stopped);
      this.retryAttempt = 0;
      if (!this.stopped) this.retryTimer = setTimeout(() => this.kick(), this.quietDelay()).unref();
    } catch (error) {
      this.held = [];
      if (this.stopped) return;
      this.options.events.onProblem(this.options.index, (error as Error).message);
      this.retryAttempt += 1;
      // As the real client: when the server said when (a 503's Retry-After), then, with jitter; else the backoff.
      const asked = (error as { retryAfterMs?: number }).retryAfterMs;
      this.retryTimer = setTimeout(() => this.kick(), asked === undefined ? backoffDelay(this.retryAttempt, Math.random) : retryAfterDelay(asked, Math.random)).unref();
    }
  }

  private async pushAll(): Promise<void> {
    while (this.outbox.length > 0 && !this.stopped) {
      const batch = this.outbox.slice(0, 100);
      const answer = await this.exchange<PushAnswer>('POST', PROTOCOL_PATHS.push, {
        clientId: this.clientId,
        schemaVersion: SCHEMA_VERSION,
        commands: batch.map((b) => b.envelope),
      });
      const at = performance.now();
      for (const outcome of answer.outcomes) {
        const sent = batch.find((b) => b.envelope.clientSeq === outcome.clientSeq);
        if (!sent) continue;
        if (outcome.status === 'applied') this.awaitedSeq = Math.max(this.awaitedSeq, outcome.seq);
        this.options.events.onOutcome(this.options.index, outcome.status === 'applied' ? { status: 'applied', seq: outcome.seq } : { status: 'rejected', reason: `${outcome.code}: ${outcome.reason}` }, sent.issuedAt, at);
      }
      // Everything up to lastClientSeq is processed, answered in this batch or an earlier one.
      while (this.outbox.length > 0 && this.outbox[0]!.envelope.clientSeq <= answer.lastClientSeq) this.outbox.shift();
      if (answer.outcomes.length === 0) throw new Error(`push: the server processed none of ${batch.length} commands (lastClientSeq ${answer.lastClientSeq})`);
    }
  }

  /** As the real client: the idle pull comes sooner while applied commands wait for the batch with their effects. */
  private quietDelay(): number {
    return this.awaitedSeq > this.cursor ? Math.min(this.idlePullMs, 2_000) : this.idlePullMs;
  }

  /** The batches kept while a cycle ran, in order: one that cannot be taken asks the cycle to pull. */
  private takeHeld(): void {
    for (const batch of this.held.splice(0)) {
      if (batch.upTo <= this.cursor) continue;
      if (!this.receivePage(batch, 'live') || (typeof batch.head === 'number' && batch.head > this.cursor)) this.pullWanted = true;
    }
  }

  private async pullAll(): Promise<void> {
    for (;;) {
      const params = new URLSearchParams({
        since: String(this.cursor),
        clientId: this.clientId,
        afterClientSeq: String(this.nextClientSeq - 1 - this.outbox.length),
        limit: '5000',
        schemaVersion: String(SCHEMA_VERSION),
      });
      const page = await this.exchange<PullPage>('GET', `${PROTOCOL_PATHS.pull}?${params}`);
      if (this.stopped) return;
      if (!this.receivePage(page, 'pull')) throw new Error(`pull: a page from ${page.since} answered a pull from ${this.cursor}`);
      if (!page.hasMore) return;
    }
  }

  private openLive(): void {
    if (this.stopped || !this.token) return;
    const at = this.at;
    const url = new URL(PROTOCOL_PATHS.live, this.urls[at]);
    url.protocol = 'ws:';
    url.searchParams.set('schemaVersion', String(this.delivery !== 'pokes' ? SCHEMA_VERSION : 4));
    if (this.delivery === 'live') url.searchParams.set('encoding', 'deflate');
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${this.token}` }, handshakeTimeout: 10_000 });
    this.socket = socket;
    let alive = true;
    let closed = false;
    const close = (reason: string) => {
      if (closed) return;
      closed = true;
      this.liveOpen = false;
      this.moveOn(at);
      if (this.heartbeat) clearInterval(this.heartbeat);
      if (this.stopped) return;
      this.options.events.onProblem(this.options.index, reason);
      this.liveAttempt += 1;
      const delay = this.delivery !== 'pokes' ? liveReconnectDelay(this.liveAttempt, Math.random) : backoffDelay(this.liveAttempt, Math.random);
      setTimeout(() => this.openLive(), delay).unref();
    };
    this.heartbeat = setInterval(() => {
      if (!alive) {
        close('live channel: no answer to ping');
        socket.terminate();
        return;
      }
      // Still opening (a slow or loaded server): its handshake timeout watches it; ping() would throw.
      if (socket.readyState === WebSocket.CONNECTING) return;
      alive = false;
      socket.ping();
    }, this.options.heartbeatMs ?? HEARTBEAT_MS).unref();
    socket.on('pong', () => (alive = true));
    socket.on('open', () => {
      // As the real clients: the build before reset its schedule on opening, this one on the server's hello.
      if (this.delivery === 'pokes') this.liveAttempt = 0;
      this.liveOpen = true;
      this.kick();
    });
    socket.on('message', (data, isBinary) => {
      alive = true;
      this.onLiveMessage(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data), isBinary);
    });
    socket.on('close', (code) => close(`live channel closed (${code})`));
    socket.on('error', (error) => {
      close(`live channel: ${error.message}`);
      socket.terminate();
    });
  }

  /**
   * A message on the live channel. A poke (or the hello on connecting) naming a head past the cursor asks for a
   * cycle, as the real client does. A batch of changes is taken as the real client takes it; one it cannot take asks
   * for a cycle, whose pull fills the gap.
   */
  private onLiveMessage(bytes: Buffer, compressed: boolean): void {
    this.options.events.onLiveBytes?.(bytes.length);
    const message = parsedOnce(bytes, compressed);
    if (message === null) return;
    if (message.type === 'hello') this.liveAttempt = 0;
    if (message.type === 'changes' && typeof message.since === 'number' && typeof message.upTo === 'number' && Array.isArray(message.changes)) {
      if (message.upTo <= this.cursor) return;
      // During a cycle the batch waits for its push's answer, as the real client's takeHeld (50 at most).
      if (this.running && this.delivery !== 'pokes') {
        if (this.held.length < 50) this.held.push({ since: message.since, upTo: message.upTo, head: message.head, changes: message.changes });
        else {
          this.held = [];
          this.pullWanted = true;
        }
        return;
      }
      const free = !this.running && (this.delivery !== 'pokes' || this.outbox.length === 0);
      if (free && this.receivePage({ since: message.since, upTo: message.upTo, changes: message.changes }, 'live')) {
        if (typeof message.head === 'number' && message.head > this.cursor) this.kick();
        else if (this.retryTimer) {
          // In step as of this batch: the idle pull counts from now, as the real client's does.
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.kick(), this.quietDelay()).unref();
        }
        return;
      }
      this.kick();
      return;
    }
    if ((message.type === 'poke' || message.type === 'hello') && typeof message.head === 'number' && message.head > this.cursor) this.kick();
  }

  /**
   * One request with this workstation's device token; the parsed JSON answer, or an Error saying what failed. An
   * address that refuses the connection is left for the next, where the request is sent at once (each at most once).
   */
  private async exchange<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    for (let tried = 1; ; tried += 1) {
      const at = this.at;
      try {
        return await this.exchangeAt<T>(this.urls[at]!, method, path, body);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') this.moveOn(at);
        if (code !== 'ECONNREFUSED' || tried >= this.urls.length) throw error;
      }
    }
  }

  private exchangeAt<T>(base: URL, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (text !== undefined) headers['content-length'] = String(Buffer.byteLength(text));
    this.options.events.onRequest?.(performance.now());
    return new Promise<T>((resolve, reject) => {
      const req = request(new URL(path, base), { method, headers, agent: this.options.agent, timeout: 30_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const answer = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 299) {
            const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
            return reject(Object.assign(new Error(`${method} ${path.split('?')[0]}: ${status} ${answer.slice(0, 200)}`), retryAfterMs === null ? {} : { retryAfterMs }));
          }
          try {
            resolve(JSON.parse(answer) as T);
          } catch (error) {
            reject(error as Error);
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path.split('?')[0]}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(text);
    });
  }
}
