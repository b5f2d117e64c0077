import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';

/** What the server answered: its status and body (the body's JSON, when it is JSON). */
export interface Answer {
  status: number;
  text: string;
  json: unknown;
}

/** How long any one request may take before the test calls it a hang. */
export const ANSWER_WITHIN_MS = 15_000;

/**
 * One HTTP request with a deadline: a server that does not answer in time fails the test as a hang, never waits it.
 * `body` is sent as given (a string or bytes), with no content type unless `headers` names one.
 */
export async function send(base: string, method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Answer> {
  // fetch resolves a '.' or '..' segment (percent-encoded too) before sending: such a path goes as written, raw.
  if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(path.split('?')[0] ?? '')) {
    const { host, port } = new URL(base);
    const body = options.body === undefined ? '' : options.body.toString();
    const headers = Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    return sendRaw(Number(port), `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  const response = await fetch(`${base}${path}`, {
    method,
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  const text = await response.text();
  return { status: response.status, text, json: jsonOrNull(text) };
}

/**
 * Bytes written straight onto a connection (requests fetch will not make: a broken request line, a bad URL), and
 * the answer's status line and body as the server sent them before closing or within the deadline.
 */
export function sendRaw(port: number, bytes: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => finish(new Error(`no answer within ${ANSWER_WITHIN_MS} ms to a raw request`)), ANSWER_WITHIN_MS);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) return reject(error);
      const raw = Buffer.concat(chunks);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(raw.toString('latin1'))?.[1] ?? 0);
      const head = raw.indexOf('\r\n\r\n');
      const text = head < 0 ? '' : raw.subarray(head + 4).toString('utf8');
      resolve({ status, text, json: jsonOrNull(text) });
    };
    // A complete answer ends once its Content-Length is in: keep-alive may hold the socket open after it.
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const raw = Buffer.concat(chunks).toString('latin1');
      const head = raw.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(raw)?.[1] ?? NaN);
      if (head >= 0 && Number.isFinite(length) && Buffer.byteLength(raw.slice(head + 4), 'latin1') >= length) finish();
    });
    socket.on('end', () => finish());
    socket.on('error', (error) => (chunks.length > 0 ? finish() : finish(error)));
    socket.write(bytes, 'latin1');
  });
}

/**
 * A WebSocket upgrade request: the answer when the server refuses it, or status 101 when it accepts (the socket is
 * then closed at once).
 */
export function upgrade(base: string, path: string, headers: Record<string, string>, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      method,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), ...headers },
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    req.on('upgrade', (_response, socket) => {
      socket.destroy();
      resolve({ status: 101, text: '', json: null });
    });
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, text, json: jsonOrNull(text) });
      });
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
