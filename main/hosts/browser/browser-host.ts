import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { ConsoleCore } from '../../core/console-core';
import { contentSecurityPolicy } from '../content-security-policy';
import { readStaticFile } from '../../../node-common/static-files';
import { AREA_URL_PREFIX, type AreaFiles } from '../../area/area-files';
import { BRIDGE_PATH, BridgeRequest, type BridgeMessage } from '../../../shared/contract/bridge';

export interface BrowserHostOptions {
  core: ConsoleCore;
  rendererDir: string;
  /** The port asked for; 0 for any free one. */
  port: number;
  /**
   * Where the host listened before (main/hosts/browser/host-address.ts): with port 0, that port is tried first and
   * the key kept, so windows still open from before reconnect. A port now taken gives a fresh port and key. With a
   * port given, the key is kept when it is the port of before (the same address), and is new at any other.
   */
  previous?: { port: number; key: string } | null;
  log: Logger;
  /** The area's tiles, glyphs and sprites, served under /area/ to the same windows. */
  area?: AreaFiles;
}

export interface BrowserHost {
  /** The origin windows load from. */
  origin: string;
  port: number;
  /** The key every window's address carries (to be remembered for the next start). */
  key: string;
  /** The address of a window of the given role, carrying this launch's secret in its fragment. */
  /** A window's address with this launch's key: at the role given, or, for null, the desk's first window (it lands on the operator's own). */
  windowUrl(role?: string | null): string;
  close(): Promise<void>;
}

/**
 * The browser host: the console core in this Node process, the renderer served to Chromium windows on loopback,
 * and the typed API carried over a WebSocket. Only a page from this origin holding this launch's secret can drive
 * the workstation: the listener is loopback only, Host and Origin must match, and the secret must be presented.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { core, log } = options;
  let secret = randomBytes(32).toString('base64url');
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  let allowedHosts: Set<string> = new Set();
  let origins: Set<string> = new Set();

  const server = createServer((request, response) => {
    void serveFile(request, response);
  });

  async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts.has(request.headers.host ?? '')) return refuse(response, 421, 'wrong Host header');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'method not allowed');
    const path = urlOf(request)?.pathname;
    if (path === undefined) return refuse(response, 400, 'unreadable URL');
    const file = path.startsWith(AREA_URL_PREFIX)
      ? ((await options.area?.read(path.slice(AREA_URL_PREFIX.length))) ?? null)
      : await readStaticFile(options.rendererDir, path);
    if (!file) return refuse(response, 404, 'not found');
    response.writeHead(200, {
      'content-type': file.contentType,
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'content-security-policy': contentSecurityPolicy(),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = urlOf(request);
    const problem = !url
      ? 'unreadable URL'
      : url.pathname !== BRIDGE_PATH
        ? 'wrong path'
        : !allowedHosts.has(request.headers.host ?? '')
          ? 'wrong Host header'
          : !origins.has(request.headers.origin ?? '')
            ? 'wrong Origin'
            : !secretMatches(url.searchParams.get('key'), secret)
              ? 'wrong or missing key'
              : null;
    if (problem) {
      log.warn({ problem, origin: request.headers.origin, host: request.headers.host }, 'refused a window connection');
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${problem}\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // A frame the protocol refuses (over maxPayload, text that is not UTF-8) is an 'error' on the socket; unheard,
    // it would be thrown and take the console core down with it.
    ws.on('error', (error) => {
      log.warn({ reason: error.message }, 'closed a window connection that sent a frame the protocol refuses');
      ws.terminate();
    });
    ws.on('message', (data, isBinary) => {
      const parsed = isBinary ? undefined : BridgeRequest.safeParse(safeJson(data.toString()));
      if (!parsed?.success) {
        send(ws, { type: 'reply', id: null, reply: { ok: false, error: { code: 'bad_request', message: 'not a request: expected {id, channel, request, meta}' } } });
        return;
      }
      const { id, channel, request, meta } = parsed.data;
      void core.dispatch(channel, request, meta).then((reply) => send(ws, { type: 'reply', id, reply }));
    });
  }

  const unsubscribe = core.onEvent((event, payload) => {
    const message: BridgeMessage = { type: 'event', event, payload };
    for (const ws of sockets) send(ws, message);
  });

  const previous = options.previous ?? null;
  if (options.port === 0 && previous && (await listen(server, previous.port).then(() => true, () => false))) {
    // The old key only at the old address: a window of the old launch never finds a host somewhere else.
    secret = previous.key;
  } else {
    await listen(server, options.port);
    // A port given (--port) and the same as last time: the same address, so the same key, and the windows open on
    // the desk reconnect, as they do with the port chosen for it.
    if (previous && options.port !== 0 && previous.port === options.port) secret = previous.key;
  }
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const origin = `http://127.0.0.1:${port}`;
  log.info({ origin }, 'browser host listening on loopback');

  return {
    origin,
    port,
    key: secret,
    windowUrl: (role: string | null = 'incidents') => `${origin}/${role ? `?role=${encodeURIComponent(role)}` : ''}#key=${secret}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Listens on loopback at `port` (0: any free one); rejects as the server does (EADDRINUSE for a port taken). */
function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', failed);
      resolve();
    });
  });
}

function secretMatches(presented: string | null, secret: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(ws: WebSocket, message: BridgeMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

/** The request's URL; null when it cannot be parsed (`GET http://[ HTTP/1.1`), which would otherwise throw out of a listener. */
function urlOf(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://host');
  } catch {
    return null;
  }
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${message}\n`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
