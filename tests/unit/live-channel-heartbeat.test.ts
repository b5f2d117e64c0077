import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { HttpServerLink } from '../../main/sync/server-link';
import { eventually } from '../fakes/fixtures';

// A server so loaded that it takes longer to answer the live channel's handshake than the heartbeat's interval.
let server: Server | null = null;
const held: Socket[] = [];
afterEach(async () => {
  for (const socket of held.splice(0)) socket.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
  server = null;
});

describe('the live channel’s heartbeat', () => {
  it('waits while the handshake is still unanswered, and the handshake’s timeout closes the channel, saying so', async () => {
    server = createServer((socket) => held.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const link = new HttpServerLink({
      baseUrl: `http://127.0.0.1:${port}`,
      device: { clientId: '00000000-0000-4000-8000-000000000001', workstation: 'WS-A', force: null, token: () => 'token', saveToken: () => {}, enrolmentKey: null },
      heartbeatMs: 20,
      timeoutMs: 300,
    });
    const closed: string[] = [];
    const stop = link.live({ onOpen: () => {}, onMessage: () => {}, onClose: (reason) => closed.push(reason) });
    await eventually(() => closed.length > 0, 'the channel is closed by its handshake timeout');
    stop();
    expect(closed[0]).toMatch(/live channel: .*handshake/i);
  });

  describe('with a server that never answers a ping', () => {
    let wss: WebSocketServer | null = null;
    afterEach(async () => {
      for (const client of wss?.clients ?? []) client.terminate();
      await new Promise((resolve) => (wss ? wss.close(resolve) : resolve(null)));
      wss = null;
    });

    /** A live channel to a WebSocket server that does not pong (a stand-in for one whose pongs are stuck), counting the pings it hears. */
    async function channel(talking: boolean) {
      wss = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
      await new Promise((resolve) => wss!.once('listening', resolve));
      const heard = { pings: 0 };
      wss.on('connection', (socket: WebSocket) => {
        socket.on('ping', () => (heard.pings += 1));
        if (talking) {
          const beat = setInterval(() => socket.send(JSON.stringify({ type: 'unknown' })), 5);
          socket.on('close', () => clearInterval(beat));
        }
      });
      const link = new HttpServerLink({
        baseUrl: `http://127.0.0.1:${(wss.address() as { port: number }).port}`,
        device: { clientId: '00000000-0000-4000-8000-000000000001', workstation: 'WS-A', force: null, token: () => 'token', saveToken: () => {}, enrolmentKey: null },
        heartbeatMs: 40,
      });
      const closed: string[] = [];
      const stop = link.live({ onOpen: () => {}, onMessage: () => {}, onClose: (reason) => closed.push(reason) });
      return { heard, closed, stop };
    }

    it('closes a silent channel, saying the ping went unanswered', async () => {
      const { closed, stop } = await channel(false);
      await eventually(() => closed.length > 0, 'the silent channel closed');
      stop();
      expect(closed[0]).toBe('live channel: no answer to ping');
    });

    it('keeps a channel open while the server is heard from, its pongs or not', async () => {
      const { heard, closed, stop } = await channel(true);
      await eventually(() => heard.pings >= 5, 'five pings sent, none answered with a pong');
      stop();
      expect(closed).toEqual([]);
    });
  });

  it('says when a frame cannot be read (bad compression, bad JSON), so that what it held is pulled, and reads the next', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    wss.on('connection', (socket: WebSocket) => {
      socket.send(Buffer.from([1, 2, 3, 4]), { binary: true });
      socket.send('{"type": "changes", ');
      socket.send(JSON.stringify({ type: 'poke', head: 7 }));
    });
    const link = new HttpServerLink({
      baseUrl: `http://127.0.0.1:${(wss.address() as { port: number }).port}`,
      device: { clientId: '00000000-0000-4000-8000-000000000001', workstation: 'WS-A', force: null, token: () => 'token', saveToken: () => {}, enrolmentKey: null },
    });
    let unreadable = 0;
    const messages: unknown[] = [];
    const stop = link.live({ onOpen: () => {}, onMessage: (message) => messages.push(message), onUnreadable: () => (unreadable += 1), onClose: () => {} });
    await eventually(() => messages.length > 0, 'the poke after the two bad frames');
    stop();
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
    expect(unreadable).toBe(2);
    expect(messages).toEqual([{ type: 'poke', head: 7 }]);
  });
});
