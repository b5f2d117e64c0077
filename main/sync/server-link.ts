import WebSocket from 'ws';
import { describeIssues } from '../../shared/validation';
import { AdminResponse, type AdminRequest } from '../../shared/sync/admin-protocol';
import {
  AccessWithdrawn,
  ApiFailure,
  EnrolResponse,
  MODE_HEADER,
  ModeMismatch,
  WorkstationNameTaken,
  PROTOCOL_PATHS,
  PullResponse,
  PushResponse,
  SCHEMA_VERSION,
  SignInResponse,
  UpgradeRequired,
  type LiveEncoding,
  type LiveMessage,
  type PushRequest,
  type ServerMode,
} from '../../shared/sync/protocol';
import { readLiveFrame } from './live-frames';
import type { ExerciseClockState } from '../../shared/domain/exercise-clock';
import type { z } from 'zod';
import {
  AUDIT_PATHS,
  AuditExportResponse,
  AuditQueryResponse,
  type AuditExportRequest,
  type AuditQueryRequest,
} from '../../shared/sync/audit-protocol';
import { MEASURES_PATH, MeasuresResponse, type MeasuresRequest } from '../../shared/sync/measures-protocol';
import { REVIEW_PATH, type ReviewRequest } from '../../shared/sync/review-protocol';
import { ExerciseReview } from '../../shared/training/review-view';
import { problemOfStatus, untrustedCertificate, type LinkProblem } from './link-problems';
import { ExchangeError, httpExchange, type ExchangeAnswer } from './http-exchange';
import { parseRetryAfter } from './backoff';

/**
 * How a failed exchange with the server is to be treated. `retryable`: the network or the server had a problem;
 * try again later. Otherwise the server understood and refused, and `problem` says what kind of refusal it is
 * (see link-problems.ts; from the status alone when not given).
 */
export class LinkError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly problem?: LinkProblem,
    /** What the server said, in its words, when it refused (its answer's `error`). */
    readonly said?: string,
    /** When the server asked to be tried again (its Retry-After, in ms from its answer), if it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LinkError';
  }
}

/**
 * How often a workstation pings its live channel (ms). No pong by the next ping closes it, and the workstation moves
 * to the next server address: a server that froze or was cut off without a word is left within two intervals
 * (5 to 10 s). A ping is a few bytes, answered by the server's WebSocket library: 400 workstations make 80 a second.
 */
export const HEARTBEAT_MS = 5_000;

export interface PullQuery {
  since: number;
  clientId: string;
  /** Report this client's refused commands after this clientSeq. */
  afterClientSeq: number;
  limit: number;
  /** The schema version the workstation speaks, so the server tells its refusals in words it knows. */
  schemaVersion?: number;
}

export interface LiveHandlers {
  onMessage(message: LiveMessage): void;
  /**
   * A frame that is no message (bad compression, bad JSON, a shape the protocol does not have, past the size limit):
   * dropped, so whatever it held must be pulled. Without this, a quiet room would wait for the idle pull.
   */
  onUnreadable?(): void;
  onOpen(): void;
  /**
   * `code`: the WebSocket close code, when the server closed the channel (LIVE_ACCESS_WITHDRAWN: revoked).
   * `retryAfterMs`: the server refused the handshake saying when to try again (a 503's or 429's Retry-After, in ms).
   */
  onClose(reason: string, code?: number, retryAfterMs?: number): void;
}

/** The workstation's one door to the central server. The fault simulation puts a fake network behind it. */
export interface ServerLink {
  push(request: PushRequest): Promise<PushResponse>;
  pull(query: PullQuery): Promise<PullResponse>;
  /**
   * Opens the live channel, saying which schema version this workstation speaks (from 5 the server sends the changes
   * themselves, not only pokes); returns a function that closes it for good.
   */
  live(handlers: LiveHandlers, schemaVersion?: number): () => void;
}

/** The workstation's standing with the server: its device token, and how to get one if it has none yet. */
export interface DeviceCredentials {
  clientId: string;
  workstation: string;
  /**
   * The force this workstation serves (its configuration's code), named at enrolment: the server then gives it that
   * force's records only, and decides its commands by that force's rules. Null: the server's only force (a server of
   * two forces refuses such an enrolment). Never left out: a link built without it was refused by the two-force
   * server every workstation meets by default (the long-shift benchmark's, found running `npm run bench`).
   */
  force: string | null;
  token(): string | null;
  /**
   * Stores a new token; null forgets it (the server no longer knows it), so the next request enrols again. An
   * enrolment also gives the generation of provisional references to mint from now on (kept until the next).
   */
  saveToken(token: string | null, referenceGeneration?: number): void;
  /** What the administrator configured for enrolment; without it a workstation that has no token cannot get one. */
  enrolmentKey: string | null;
}

/**
 * Questions to the server's audit log, for the signed-in supervisor or auditor (apart from ServerLink: sync never
 * needs it). A refusal is a LinkError whose message is the server's reason, in words.
 */
export interface AuditAccess {
  auditQuery(request: AuditQueryRequest): Promise<AuditQueryResponse>;
  auditExport(request: AuditExportRequest): Promise<AuditExportResponse>;
}

/** The room's measures, computed by the server for the signed-in supervisor (apart from ServerLink: sync never needs it). */
export interface MeasuresAccess {
  measures(request: MeasuresRequest): Promise<MeasuresResponse>;
}

/** The exercise's after-action review, computed by the training server for the signed-in trainer (apart from ServerLink). */
export interface ReviewAccess {
  review(request: ReviewRequest): Promise<ExerciseReview>;
}

/** Checking an operator's password with the server (apart from ServerLink: sync never needs it). */
export interface ServerAccess {
  signIn(operator: string, password: string): Promise<SignInResponse>;
  /** A force administrator's request the server alone answers (passwords, lockouts): online only. Absent: no such server. */
  admin?(request: AdminRequest): Promise<AdminResponse>;
}

export interface HttpLinkOptions {
  /**
   * The central server's address, or several, comma-separated: instances of one server on one database. The
   * workstation talks to one at a time and moves to the next when it cannot reach it (see HttpServerLink).
   */
  baseUrl: string;
  /**
   * PEM certificates of the authorities this workstation trusts for an https:// server, instead of the system's
   * store (a force's own authority, `--ca FILE`); undefined: the system's store.
   */
  ca?: string;
  device: DeviceCredentials;
  timeoutMs?: number;
  /** How often the live channel is pinged (ms; default HEARTBEAT_MS): silence for one interval closes it. */
  heartbeatMs?: number;
  /** Whether this workstation is live or a trainee's (default live): said on every request, refused by a server of the other mode. */
  mode?: ServerMode;
  /** A trainee's workstation: the exercise clock as the training server announces it (in its hello and on each change). */
  onExercise?(state: ExerciseClockState): void;
  /** A trainee's workstation: the live channel closed or could not open, so the exercise clock is no longer heard. */
  onExerciseUnheard?(): void;
}

/**
 * The workstation's link to the central server over HTTP(S) and a WebSocket. Given several addresses (instances of one
 * server sharing one database), it uses one at a time: a request that cannot connect is tried at once at the next
 * address, each at most once; an answer cut off, or a live channel that fails or closes, moves it to the next for
 * what follows. The cursor and the outbox are the workstation's, so moving loses and repeats nothing: the other
 * instance applies each command once (clientSeq) and its batches are taken from the cursor on.
 */
export class HttpServerLink implements ServerLink, ServerAccess, AuditAccess, MeasuresAccess, ReviewAccess {
  private readonly bases: URL[];
  /** The address in use (an index into bases). */
  private current = 0;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpLinkOptions) {
    this.bases = options.baseUrl.split(',').map((url) => new URL(url.trim()));
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** The server address in use now. */
  get serverUrl(): string {
    return this.base.toString().replace(/\/$/, '');
  }

  private get base(): URL {
    return this.bases[this.current]!;
  }

  /** The address `from` failed: the next one is used from now on (unless another failure moved on already). */
  private moveOn(from: number): void {
    if (this.current === from) this.current = (from + 1) % this.bases.length;
  }

  push(request: PushRequest): Promise<PushResponse> {
    return this.exchange(PROTOCOL_PATHS.push, { method: 'POST', body: JSON.stringify(request) }, PushResponse);
  }

  /** Checks an operator's password with the server; a LinkError with status 403 means it was wrong. */
  signIn(operator: string, password: string): Promise<SignInResponse> {
    return this.exchange(PROTOCOL_PATHS.signIn, { method: 'POST', body: JSON.stringify({ operator, password }) }, SignInResponse);
  }

  admin(request: AdminRequest): Promise<AdminResponse> {
    return this.exchange(PROTOCOL_PATHS.admin, { method: 'POST', body: JSON.stringify(request) }, AdminResponse);
  }

  auditQuery(request: AuditQueryRequest): Promise<AuditQueryResponse> {
    return this.askAudit(AUDIT_PATHS.query, request, AuditQueryResponse);
  }

  auditExport(request: AuditExportRequest): Promise<AuditExportResponse> {
    return this.askAudit(AUDIT_PATHS.export, request, AuditExportResponse);
  }

  measures(request: MeasuresRequest): Promise<MeasuresResponse> {
    return this.askAudit(MEASURES_PATH, request, MeasuresResponse);
  }

  review(request: ReviewRequest): Promise<ExerciseReview> {
    return this.askAudit(REVIEW_PATH, request, ExerciseReview);
  }

  /** A question the server answers at once (audit, measures); a refusal (4xx) comes back as the server's reason alone, to be shown as it is. */
  private async askAudit<T>(path: string, request: unknown, schema: z.ZodType<T>): Promise<T> {
    try {
      return await this.exchange(path, { method: 'POST', body: JSON.stringify(request) }, schema);
    } catch (error) {
      if (!(error instanceof LinkError) || error.status === undefined || error.status >= 500) throw error;
      const answer = ApiFailure.safeParse(safeJson(error.message.replace(/^server answered \d+: /, '')));
      throw new LinkError(answer.success ? answer.data.error : error.message, false, error.status, error.problem);
    }
  }

  pull(query: PullQuery): Promise<PullResponse> {
    const params = new URLSearchParams({
      since: String(query.since),
      clientId: query.clientId,
      afterClientSeq: String(query.afterClientSeq),
      limit: String(query.limit),
      ...(query.schemaVersion === undefined ? {} : { schemaVersion: String(query.schemaVersion) }),
    });
    return this.exchange(`${PROTOCOL_PATHS.pull}?${params}`, { method: 'GET' }, PullResponse);
  }

  live(handlers: LiveHandlers, schemaVersion: number = SCHEMA_VERSION): () => void {
    const token = this.options.device.token();
    if (!token) {
      // Not enrolled yet: the next sync cycle enrols; the channel opens on the retry after that.
      queueMicrotask(() => handlers.onClose('not enrolled yet'));
      return () => {};
    }
    const at = this.current;
    const url = new URL(PROTOCOL_PATHS.live, this.base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('schemaVersion', String(schemaVersion));
    // Batches compressed once for the room: a server that does not know the encoding sends text, read as before.
    url.searchParams.set('encoding', 'deflate' satisfies LiveEncoding);
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${token}`, [MODE_HEADER]: this.options.mode ?? 'live' },
      handshakeTimeout: this.timeoutMs,
      ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
    });
    let closed = false;
    const close = (reason: string, code?: number, retryAfterMs?: number) => {
      clearInterval(heartbeat);
      if (closed) return;
      closed = true;
      // This instance failed or went away: the next try (and every request) goes to the next address. Closed by the
      // server for a reason of its own (access withdrawn, storage unavailable), another instance would say the same.
      if (code === undefined || code === 1006) this.moveOn(at);
      this.options.onExerciseUnheard?.();
      handlers.onClose(reason, code, retryAfterMs);
    };
    // A connection can die without a word (a NAT forgetting it, a cable pulled): ping it, and treat silence as a close.
    let alive = true;
    const heartbeat = setInterval(() => {
      if (!alive) {
        close('live channel: no answer to ping');
        socket.terminate();
        return;
      }
      // Still opening (a slow or loaded server): its handshake timeout watches it; ping() would throw.
      if (socket.readyState === WebSocket.CONNECTING) return;
      alive = false;
      socket.ping();
    }, this.options.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
    socket.on('pong', () => (alive = true));
    socket.on('open', () => handlers.onOpen());
    socket.on('message', (data, isBinary) => {
      // Anything heard is as good as a pong: a server busy sending batches is alive even if its pong is queued behind them.
      alive = true;
      const message = readLiveFrame(frameBytes(data), isBinary);
      if (!message) return void handlers.onUnreadable?.();
      if ((message.type === 'hello' || message.type === 'exercise') && message.exercise) this.options.onExercise?.(message.exercise);
      handlers.onMessage(message);
    });
    socket.on('close', (code) => close(`live channel closed (${code})`, code));
    // The server answered the handshake with something other than the upgrade (a 503 while it is busy or its storage
    // is away, a 429): ws alone would say only "Unexpected server response", and the Retry-After would be lost.
    socket.on('unexpected-response', (_request, response) => {
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now()) ?? undefined;
      response.resume();
      close(`live channel refused: the server answered ${response.statusCode ?? 'without a status'}`, undefined, retryAfterMs);
      socket.terminate();
    });
    socket.on('error', (error) => {
      close(`live channel: ${error.message}`);
      socket.terminate();
    });
    return () => {
      closed = true;
      clearInterval(heartbeat);
      socket.terminate();
    };
  }

  /**
   * The device token, enrolling first if this workstation has none. One enrolment at a time: two requests racing
   * to enrol would each replace the other's token.
   */
  private deviceToken(): Promise<string> {
    const existing = this.options.device.token();
    if (existing) return Promise.resolve(existing);
    this.enrolling ??= this.enrol().finally(() => {
      this.enrolling = null;
    });
    return this.enrolling;
  }

  private enrolling: Promise<string> | null = null;

  /** Set once the server has turned this workstation's device token away: a failed enrolment then means revoked. */
  private tokenRefused = false;

  private async enrol(): Promise<string> {
    const { clientId, workstation, enrolmentKey, force } = this.options.device;
    const revoked = this.tokenRefused;
    if (!enrolmentKey) {
      const message = revoked
        ? 'the server no longer knows this workstation (its enrolment was revoked), and it has no enrolment key to enrol again'
        : 'this workstation is not enrolled with the server; start it with --enrolment-key';
      throw new LinkError(message, false, undefined, { kind: 'enrolment', revoked });
    }
    let answer: z.infer<typeof EnrolResponse>;
    try {
      answer = await this.request(PROTOCOL_PATHS.enrol, { method: 'POST', body: JSON.stringify({ clientId, workstation, enrolmentKey, ...(force ? { force } : {}) }) }, EnrolResponse, null);
    } catch (error) {
      // An administrator revoked this workstation, the server is of the other mode, or (an exercise's) another
      // workstation joined under this one's name: that, not the key, is what the operator must be told.
      if (error instanceof LinkError && (error.problem?.kind === 'withdrawn' || error.problem?.kind === 'mode' || error.problem?.kind === 'name_taken')) throw error;
      // The server refused the key itself (changed, or never right): asking again with it cannot help.
      if (error instanceof LinkError && !error.retryable && error.status !== undefined && error.status < 500) {
        throw new LinkError(`the server refused this workstation's enrolment (${error.message})`, false, error.status, { kind: 'enrolment', revoked });
      }
      throw error;
    }
    this.options.device.saveToken(answer.deviceToken, answer.referenceGeneration);
    this.tokenRefused = false;
    return answer.deviceToken;
  }

  private async exchange<T>(path: string, init: RequestParts, schema: z.ZodType<T>): Promise<T> {
    const token = await this.deviceToken();
    try {
      return await this.request(path, init, schema, token);
    } catch (error) {
      // The server has forgotten this workstation (a rebuilt server, a revoked token): enrol again, once. Only the
      // token that failed is forgotten, so a newer one another request already got is kept.
      if (!(error instanceof LinkError) || error.status !== 401) throw error;
      this.tokenRefused = true;
      if (this.options.device.token() === token) this.options.device.saveToken(null);
      return this.request(path, init, schema, await this.deviceToken());
    }
  }

  private async request<T>(path: string, init: RequestParts, schema: z.ZodType<T>, token: string | null): Promise<T> {
    let response: ExchangeAnswer;
    // Each address at most once: one that cannot be reached is left for the next (the request never arrived there).
    for (let tried = 1; ; tried += 1) {
      const at = this.current;
      try {
        response = await httpExchange(new URL(path, this.base), {
          method: init.method,
          ...(init.body === undefined ? {} : { body: init.body }),
          headers: { 'content-type': 'application/json', [MODE_HEADER]: this.options.mode ?? 'live', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          timeoutMs: this.timeoutMs,
          ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
        });
        break;
      } catch (error) {
        if (!(error instanceof ExchangeError)) throw error;
        // A certificate this workstation does not trust will not be trusted on the next try either: blocked, not offline.
        const untrusted = error.phase === 'connect' ? untrustedCertificate(error.code, error.message) : null;
        if (untrusted?.kind === 'untrusted') throw new LinkError(`the server's certificate is not trusted (${untrusted.reason})`, false, undefined, untrusted);
        this.moveOn(at);
        if (error.phase === 'connect' && tried < this.bases.length) continue;
        // Cut off: it may have arrived (a push applied, its answer lost); the retry, to the next address, is answered from the log.
        if (error.phase === 'connect') throw new LinkError(`cannot reach the server: ${error.message}`, true);
        throw new LinkError(`the server's answer was cut off: ${error.message}`, true);
      }
    }
    const { text } = response;
    if (response.status < 200 || response.status > 299) {
      const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
      const problem = problemOfStatus(response.status);
      const upgrade = response.status === 426 ? UpgradeRequired.safeParse(safeJson(text)) : null;
      const withdrawn = response.status === 403 ? AccessWithdrawn.safeParse(safeJson(text)) : null;
      const otherMode = response.status === 409 ? ModeMismatch.safeParse(safeJson(text)) : null;
      const nameTaken = response.status === 409 ? WorkstationNameTaken.safeParse(safeJson(text)) : null;
      throw new LinkError(
        `server answered ${response.status}: ${text.slice(0, 300)}`,
        retryable,
        response.status,
        upgrade?.success
          ? { kind: 'upgrade', accepts: upgrade.data.accepts }
          : withdrawn?.success
            ? { kind: 'withdrawn', ...withdrawn.data.revoked }
            : otherMode?.success
              ? { kind: 'mode', serverMode: otherMode.data.serverMode, said: otherMode.data.error }
              : nameTaken?.success
                ? { kind: 'name_taken', said: nameTaken.data.error }
                : (problem ?? undefined),
        ApiFailure.safeParse(safeJson(text)).data?.error,
        parseRetryAfter(response.retryAfter, Date.now()) ?? undefined,
      );
    }
    const parsed = schema.safeParse(safeJson(text));
    if (!parsed.success) throw new LinkError(`the server's answer is malformed: ${describeIssues(parsed.error)}`, true, response.status);
    return parsed.data;
  }
}

/** A ws message's data as one buffer (ws gives a Buffer, or for fragmented frames an array of them). */
function frameBytes(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What a request to the server says besides its path: how it asks, and what it sends. */
interface RequestParts {
  method: 'GET' | 'POST';
  body?: string;
}
