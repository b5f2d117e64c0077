import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { WorkstationStore } from '../../main/store/workstation-store';
import { SyncClient } from '../../main/sync/sync-client';
import { HttpServerLink } from '../../main/sync/server-link';
import { realScheduler } from '../../node-common/scheduler';
import { systemClock } from '../../shared/domain/time';
import { PROTOCOL_PATHS } from '../../shared/sync/protocol';
import { demoConfig, eventually, silentLog } from '../fakes/fixtures';
import { upgrade } from '../fakes/raw-http';

// A live channel whose connection dies without a word (a NAT or firewall that forgets it: no bytes either way, no
// close) is ended by the server's heartbeat, freeing its place among its workstation's four; one that answers is kept.
// A raw WebSocket client that does not answer pings stands for the dead connection: the server hears nothing from it.

const HEARTBEAT_MS = 200;
let server: CentralServer;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  server = await startCentralServer({ storage: SqliteStorage.open(':memory:'), rules: { config: demoConfig, now: () => Date.now() }, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: 'k', liveHeartbeatMs: HEARTBEAT_MS });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server.close();
});

async function enrol(workstation: string): Promise<Record<string, string>> {
  const enrolled = await fetch(`${server.url}${PROTOCOL_PATHS.enrol}`, { method: 'POST', body: JSON.stringify({ clientId: randomUUID(), workstation, enrolmentKey: 'k' }) });
  const { deviceToken } = (await enrolled.json()) as { deviceToken: string };
  return { authorization: `Bearer ${deviceToken}` };
}

/** A live channel, open and said hello to; `autoPong: false`: it never answers the server's pings, as a dead link. */
async function listen(auth: Record<string, string>, options: { autoPong?: boolean } = {}) {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}${PROTOCOL_PATHS.live}`, { headers: auth, ...options });
  sockets.push(socket);
  const closed: number[] = [];
  socket.on('close', (code) => closed.push(code));
  await new Promise((resolve, reject) => socket.once('message', resolve).on('error', reject));
  return { socket, closed };
}

async function liveClients(): Promise<number> {
  return ((await (await fetch(`${server.url}${PROTOCOL_PATHS.health}`)).json()) as { liveClients: number }).liveClients;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the server's heartbeat on the live channel", () => {
  it('ends channels that answer nothing within two pings, so a workstation held at its four by dead ones may open a fifth', async () => {
    const auth = await enrol('WS-A');
    const dead = [await listen(auth, { autoPong: false }), await listen(auth, { autoPong: false }), await listen(auth, { autoPong: false }), await listen(auth, { autoPong: false })];
    expect((await upgrade(server.url, PROTOCOL_PATHS.live, auth)).status).toBe(429);

    // Ended by the server, as a network failure (no close frame: the connection is gone, there is no one to tell).
    await eventually(() => dead.every((channel) => channel.closed.length > 0), 'the server ends every silent channel', 3 * HEARTBEAT_MS + 1_000);
    expect(dead.map((channel) => channel.closed)).toEqual([[1006], [1006], [1006], [1006]]);
    await eventually(async () => (await liveClients()) === 0, 'the server counts them gone');

    const fifth = await listen(auth);
    expect(fifth.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('keeps a channel that answers its pings, and one that sends its own, across many intervals', async () => {
    const answering = await listen(await enrol('WS-A'));
    // Its pongs lost, but pinging the server itself as a workstation does: anything heard from it counts.
    const pinging = await listen(await enrol('WS-B'), { autoPong: false });
    const ownPings = setInterval(() => pinging.socket.ping(), HEARTBEAT_MS / 2);
    const silent = await listen(await enrol('WS-C'), { autoPong: false });
    try {
      await pause(8 * HEARTBEAT_MS);
    } finally {
      clearInterval(ownPings);
    }
    expect(answering.closed).toEqual([]);
    expect(pinging.closed).toEqual([]);
    expect(silent.closed).toEqual([1006]);
    expect(await liveClients()).toBe(2);
  });

  it('ends no channel because the server stalled for longer than an interval, and its answers waited unread', async () => {
    const { socket, closed } = await listen(await enrol('WS-A'));
    // The whole process stops (the workstation's socket is in it too) just after the channel answered a ping: the
    // pong is not read until the server's overdue tick has run.
    let stalled = false;
    socket.on('ping', () => {
      if (stalled) return;
      stalled = true;
      const until = Date.now() + 3 * HEARTBEAT_MS;
      while (Date.now() < until);
    });
    await eventually(() => stalled, 'the server pings');
    await pause(4 * HEARTBEAT_MS);
    expect(closed).toEqual([]);
    expect(await liveClients()).toBe(1);
  });
});

/**
 * A TCP proxy that can be cut as a NAT or firewall that forgets its connections is: while cut, every byte either way
 * is dropped, a workstation's close included (the server's end of a connection closed meanwhile stays open, and hears
 * nothing more, as does the server's end of one opened meanwhile); healed, the connections it still knows carry again.
 */
class CuttingProxy {
  cut = false;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(targetPort: number): Promise<CuttingProxy> {
    const holder: { proxy?: CuttingProxy } = {};
    const server = createServer((client) => {
      const proxy = holder.proxy!;
      const upstream = connect(targetPort, '127.0.0.1');
      let forgotten = proxy.cut;
      client.on('data', (bytes) => void (proxy.cut || forgotten ? undefined : upstream.write(bytes)));
      upstream.on('data', (bytes) => void (proxy.cut || forgotten ? undefined : client.write(bytes)));
      client.on('close', () => (proxy.cut || forgotten ? (forgotten = true) : upstream.destroy()));
      upstream.on('close', () => client.destroy());
      for (const socket of [client, upstream]) {
        proxy.sockets.add(socket);
        socket.on('error', () => socket.destroy());
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.proxy = new CuttingProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.proxy;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('a workstation behind a link that forgets its connections now and then', () => {
  let proxy: CuttingProxy | undefined;
  let store: WorkstationStore | undefined;
  let sync: SyncClient | undefined;
  afterEach(async () => {
    sync?.stop();
    store?.close();
    await proxy?.close();
  });

  it('gets its live channel back after every cut, however many: the server ends the channels the cuts left dead', async () => {
    proxy = await CuttingProxy.start(server.port);
    store = WorkstationStore.open(':memory:');
    let token: string | null = null;
    const link = new HttpServerLink({
      baseUrl: proxy.url,
      device: { clientId: store.clientId, workstation: 'WS-A', force: null, token: () => token, saveToken: (t) => (token = t), enrolmentKey: 'k' },
      heartbeatMs: HEARTBEAT_MS,
      timeoutMs: 1_000,
    });
    sync = new SyncClient({ store, link, config: demoConfig, clock: systemClock, scheduler: realScheduler, onRecordsChanged: () => {}, onStatusChanged: () => {} });
    sync.start();
    await eventually(() => sync!.listening, 'the workstation listens');

    // One more cut than the four channels a workstation may hold: without the server's heartbeat, the fifth channel
    // was refused (429) and the workstation showed offline for good.
    for (let cut = 1; cut <= 5; cut++) {
      proxy.cut = true;
      await eventually(() => !sync!.listening, `the workstation sees its channel dead (cut ${cut})`);
      await pause(3 * HEARTBEAT_MS);
      proxy.cut = false;
      await eventually(() => sync!.listening, `the workstation listens again after cut ${cut}`, 10_000);
    }
    await eventually(async () => (await liveClients()) === 1, 'the server holds its one live channel, the dead ones ended');
  });
});
