import WebSocket from 'ws';
import type { Reply } from '../../shared/contract/errors';

/** Connects to a browser host the way a window does; resolves with a small client or rejects with the HTTP status. */
export function connectBridge(origin: string, key: string, headers: Record<string, string> = { origin }): Promise<BridgeClient> {
  const url = `${origin.replace('http', 'ws')}/api?key=${encodeURIComponent(key)}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_request, response) => reject(new Error(`refused: ${response.statusCode}`)));
    socket.on('error', reject);
    socket.on('open', () => resolve(new BridgeClient(socket)));
  });
}

export class BridgeClient {
  readonly events: { event: string; payload: unknown }[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  readonly errors: Reply[] = [];

  constructor(readonly socket: WebSocket) {
    // A window whose core dies gets no reply: requests still waiting are answered "unavailable", never left hanging.
    socket.on('close', () => {
      for (const resolve of this.waiting.values()) resolve({ ok: false, error: { code: 'unavailable', message: 'the console core went away' } });
      this.waiting.clear();
    });
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'event') this.events.push({ event: message.event, payload: message.payload });
      else if (message.id === null) this.errors.push(message.reply);
      else {
        this.waiting.get(message.id)?.(message.reply);
        this.waiting.delete(message.id);
      }
    });
  }

  /** Sends a request, with the request id and deadline a window gives it when `meta` is given. */
  call(channel: string, request: unknown, meta?: { requestId: string; startBy: number }): Promise<Reply> {
    if (this.socket.readyState !== this.socket.OPEN) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not connected' } });
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ id, channel, request, ...(meta ? { meta } : {}) }));
    });
  }

  async value<T = unknown>(channel: string, request: unknown): Promise<T> {
    const reply = await this.call(channel, request);
    if (!reply.ok) throw new Error(`${channel}: ${reply.error.code}: ${reply.error.message}`);
    return reply.value as T;
  }

  close(): void {
    this.socket.close();
  }
}
