import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServerLink } from '../../main/sync/server-link';
import { eventually } from '../fakes/fixtures';

// A server so loaded that it takes longer to answer the live channel's handshake than the heartbeat's interval.
let server: Server | null = null;
const held: Socket[] = [];
afterEach(async () => {
  for (const socket of held.splice(0)) socket.destroy();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

describe('the live channel’s heartbeat', () => {
  it('waits while the handshake is still unanswered, and the handshake’s timeout closes the channel, saying so', async () => {
    server = createServer((socket) => held.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const link = new HttpServerLink({
      baseUrl: `http://127.0.0.1:${port}`,
      device: { clientId: '00000000-0000-4000-8000-000000000001', workstation: 'WS-A', token: () => 'token', saveToken: () => {}, enrolmentKey: null },
      heartbeatMs: 20,
      timeoutMs: 300,
    });
    const closed: string[] = [];
    const stop = link.live({ onOpen: () => {}, onMessage: () => {}, onClose: (reason) => closed.push(reason) });
    await eventually(() => closed.length > 0, 'the channel is closed by its handshake timeout');
    stop();
    expect(closed[0]).toMatch(/live channel: .*handshake/i);
  });
});
