import { BRIDGE_PATH, BridgeMessage } from '../../shared/contract/bridge';
import { Reply } from '../../shared/contract/errors';
import type { Transport } from './transport';

const KEY_STORAGE = 'cordon.key';

/**
 * The launch key arrives in the address fragment (never sent over HTTP); it is kept for this window's session
 * so a reload still works, and removed from the address bar so it is not left on screen. Where the browser keeps
 * nothing for the console (site data blocked by policy: sessionStorage then throws), it stays in the address, or a
 * reload would lock the window out.
 */
export function takeLaunchKey(): string | null {
  const match = /(?:^#|&)key=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  try {
    if (match?.[1]) {
      sessionStorage.setItem(KEY_STORAGE, match[1]);
      history.replaceState(null, '', window.location.pathname + window.location.search);
      return match[1];
    }
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return match?.[1] ?? null;
  }
}

/**
 * In the browser host, requests and events over one WebSocket to the core on loopback. Requests made while the
 * link is down wait for it (briefly); the socket reconnects by itself.
 */
export function websocketTransport(key: string): Transport {
  const eventListeners = new Set<(event: string, payload: unknown) => void>();
  const linkListeners = new Set<(up: boolean) => void>();
  const waiting = new Map<number, { resolve: (reply: Reply) => void; timer: number }>();
  let socket: WebSocket | null = null;
  let up = false;
  let nextId = 1;
  let attempt = 0;
  const queue: string[] = [];

  const setUp = (value: boolean) => {
    if (up === value) return;
    up = value;
    for (const listener of linkListeners) listener(value);
  };

  const connect = () => {
    const url = new URL(BRIDGE_PATH, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = `?key=${encodeURIComponent(key)}`;
    url.hash = '';
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setUp(true);
      for (const message of queue.splice(0)) ws.send(message);
    };
    ws.onmessage = (event) => {
      const parsed = BridgeMessage.safeParse(JSON.parse(String(event.data)));
      if (!parsed.success) return;
      const message = parsed.data;
      if (message.type === 'event') {
        for (const listener of eventListeners) listener(message.event, message.payload);
        return;
      }
      if (message.id === null) return;
      const entry = waiting.get(message.id);
      if (!entry) return;
      waiting.delete(message.id);
      window.clearTimeout(entry.timer);
      const reply = Reply.safeParse(message.reply);
      entry.resolve(reply.success ? reply.data : { ok: false, error: { code: 'internal', message: 'malformed reply from the console core' } });
    };
    ws.onclose = () => {
      socket = null;
      setUp(false);
      attempt += 1;
      window.setTimeout(connect, Math.min(5000, 200 * 2 ** attempt));
    };
  };
  connect();

  return {
    request(channel, request) {
      return new Promise<Reply>((resolve) => {
        const id = nextId++;
        const timer = window.setTimeout(() => {
          waiting.delete(id);
          resolve({ ok: false, error: { code: 'unavailable', message: 'the console core did not answer in time' } });
        }, 15_000);
        waiting.set(id, { resolve, timer });
        const message = JSON.stringify({ id, channel, request });
        if (socket && up) socket.send(message);
        else queue.push(message);
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onLinkChange(listener) {
      linkListeners.add(listener);
      listener(up);
      return () => linkListeners.delete(listener);
    },
  };
}
