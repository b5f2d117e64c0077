import { BRIDGE_PATH, BridgeMessage } from '../../shared/contract/bridge';
import { Reply } from '../../shared/contract/errors';
import { giveUpAt, NO_ANSWER, NOT_SENT } from '../../shared/contract/request-meta';
import type { Transport } from './transport';

interface Waiting {
  resolve(reply: Reply): void;
  timer: ReturnType<typeof setTimeout>;
  message: string;
  startBy: number;
  /** Sent at least once: the core may have done it. */
  sent: boolean;
  /** Sent on the socket open now (a socket that closes takes its requests' answers with it). */
  onWire: boolean;
}

/**
 * In the browser host, requests and events over one WebSocket to the core on loopback; the socket reconnects by
 * itself. A request waits for the link until its deadline: sent when the link comes back (again, if the socket it
 * went on closed before its answer came: the core does each request id once, so a repeat gets the first answer),
 * but never after its start-by time; at the deadline the operator is told whether it may have been done.
 * `pageUrl`: the window's own address, which the core's socket is beside.
 */
export function websocketTransport(key: string, pageUrl: string): Transport {
  const eventListeners = new Set<(event: string, payload: unknown) => void>();
  const linkListeners = new Set<(up: boolean) => void>();
  const waiting = new Map<number, Waiting>();
  let socket: WebSocket | null = null;
  let up = false;
  let nextId = 1;
  let attempt = 0;

  const setUp = (value: boolean) => {
    if (up === value) return;
    up = value;
    for (const listener of linkListeners) listener(value);
  };

  const send = (ws: WebSocket, entry: Waiting) => {
    // Past its start-by time the core would refuse it anyway: keep it off the wire, and let the deadline answer.
    if (Date.now() > entry.startBy) return;
    ws.send(entry.message);
    entry.sent = true;
    entry.onWire = true;
  };

  const connect = () => {
    const url = new URL(BRIDGE_PATH, pageUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = `?key=${encodeURIComponent(key)}`;
    url.hash = '';
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setUp(true);
      for (const entry of waiting.values()) if (!entry.onWire) send(ws, entry);
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
      clearTimeout(entry.timer);
      const reply = Reply.safeParse(message.reply);
      entry.resolve(reply.success ? reply.data : { ok: false, error: { code: 'internal', message: 'malformed reply from the console core' } });
    };
    ws.onclose = () => {
      socket = null;
      for (const entry of waiting.values()) entry.onWire = false;
      setUp(false);
      attempt += 1;
      setTimeout(connect, Math.min(5000, 200 * 2 ** attempt));
    };
  };
  connect();

  return {
    request(channel, request, meta) {
      return new Promise<Reply>((resolve) => {
        const id = nextId++;
        const entry: Waiting = {
          resolve,
          message: JSON.stringify({ id, channel, request, meta }),
          startBy: meta.startBy,
          sent: false,
          onWire: false,
          timer: setTimeout(() => {
            waiting.delete(id);
            resolve(entry.sent ? NO_ANSWER : NOT_SENT);
          }, Math.max(0, giveUpAt(meta) - Date.now())),
        };
        waiting.set(id, entry);
        if (socket && up) send(socket, entry);
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
