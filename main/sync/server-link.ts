import WebSocket from 'ws';
import { describeIssues } from '../../shared/validation';
import {
  LiveMessage,
  PROTOCOL_PATHS,
  PullResponse,
  PushResponse,
  type PushRequest,
} from '../../shared/sync/protocol';
import type { z } from 'zod';

/**
 * How a failed exchange with the server is to be treated. `retryable`: the network or the server had a problem;
 * try again later. `permanent`: the server understood and refused; trying again will not help.
 */
export class LinkError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LinkError';
  }
}

export interface PullQuery {
  since: number;
  clientId: string;
  /** Report this client's refused commands after this clientSeq. */
  afterClientSeq: number;
  limit: number;
}

export interface LiveHandlers {
  onMessage(message: LiveMessage): void;
  onOpen(): void;
  onClose(reason: string): void;
}

/** The workstation's one door to the central server. The fault simulation puts a fake network behind it. */
export interface ServerLink {
  push(request: PushRequest): Promise<PushResponse>;
  pull(query: PullQuery): Promise<PullResponse>;
  /** Opens the live channel; returns a function that closes it for good. */
  live(handlers: LiveHandlers): () => void;
}

export interface HttpLinkOptions {
  baseUrl: string;
  /** Sent as a bearer token with every request. */
  token?: string;
  timeoutMs?: number;
  heartbeatMs?: number;
}

export class HttpServerLink implements ServerLink {
  private readonly base: URL;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpLinkOptions) {
    this.base = new URL(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  push(request: PushRequest): Promise<PushResponse> {
    return this.exchange(PROTOCOL_PATHS.push, { method: 'POST', body: JSON.stringify(request) }, PushResponse);
  }

  pull(query: PullQuery): Promise<PullResponse> {
    const params = new URLSearchParams({
      since: String(query.since),
      clientId: query.clientId,
      afterClientSeq: String(query.afterClientSeq),
      limit: String(query.limit),
    });
    return this.exchange(`${PROTOCOL_PATHS.pull}?${params}`, { method: 'GET' }, PullResponse);
  }

  live(handlers: LiveHandlers): () => void {
    const url = new URL(PROTOCOL_PATHS.live, this.base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url, { headers: this.headers(), handshakeTimeout: this.timeoutMs });
    let closed = false;
    const close = (reason: string) => {
      clearInterval(heartbeat);
      if (closed) return;
      closed = true;
      handlers.onClose(reason);
    };
    // A connection can die without a word (a NAT forgetting it, a cable pulled): ping it, and treat silence as a close.
    let alive = true;
    const heartbeat = setInterval(() => {
      if (!alive) {
        close('live channel: no answer to ping');
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    }, this.options.heartbeatMs ?? 15_000);
    heartbeat.unref();
    socket.on('pong', () => (alive = true));
    socket.on('open', () => handlers.onOpen());
    socket.on('message', (data) => {
      const parsed = LiveMessage.safeParse(safeJson(data.toString()));
      if (parsed.success) handlers.onMessage(parsed.data);
    });
    socket.on('close', (code) => close(`live channel closed (${code})`));
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

  private headers(): Record<string, string> {
    return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
  }

  private async exchange<T>(path: string, init: RequestInit, schema: z.ZodType<T>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.base), {
        ...init,
        headers: { 'content-type': 'application/json', ...this.headers() },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new LinkError(`cannot reach the server: ${errorMessage(error)}`, true);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new LinkError(`the server's answer was cut off: ${errorMessage(error)}`, true, response.status);
    }
    if (!response.ok) {
      const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
      throw new LinkError(`server answered ${response.status}: ${text.slice(0, 300)}`, retryable, response.status);
    }
    const parsed = schema.safeParse(safeJson(text));
    if (!parsed.success) throw new LinkError(`the server's answer is malformed: ${describeIssues(parsed.error)}`, true, response.status);
    return parsed.data;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
