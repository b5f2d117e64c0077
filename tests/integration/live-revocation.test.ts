import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { ServerStorage } from '../../server/storage/storage';
import { LIVE_ACCESS_WITHDRAWN, PROTOCOL_PATHS } from '../../shared/sync/protocol';
import { demoConfig, eventually, silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { makeTempDir } from '../fakes/temp-dir';

// A workstation revoked while its live channel is open loses the channel within a check, though the revocation is
// written straight into the database by another program (npm run revoke), on either storage.
const cluster = postgresForThisFile();

/** The server's storage, and a second handle on the same database, as `npm run revoke` in its own process opens. */
const storages: { name: string; open(): Promise<{ server: ServerStorage; administrator: () => Promise<ServerStorage>; remove(): void }> }[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = makeTempDir();
      const file = join(dir.path, 'central.sqlite');
      return { server: SqliteStorage.open(file), administrator: async () => SqliteStorage.open(file), remove: () => dir.remove() };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const url = await cluster.createDatabase();
      return { server: await PostgresStorage.open(url, { log: silentLog }), administrator: () => PostgresStorage.open(url, { log: silentLog }), remove: () => {} };
    },
  },
];

describe.each(storages)('a live channel on $name', (factory) => {
  let server: CentralServer;
  let opened: Awaited<ReturnType<(typeof storages)[number]['open']>>;
  afterEach(async () => {
    await server?.close();
    opened?.remove();
  });

  it('is closed, saying why, once an administrator revokes its workstation from another process; the others stay open', async () => {
    opened = await factory.open();
    server = await startCentralServer({ storage: opened.server, rules: { config: demoConfig, now: () => Date.now() }, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: 'k', revocationCheckMs: 50 });
    const listen = async (workstation: string) => {
      const clientId = randomUUID();
      const enrolled = await fetch(`${server.url}${PROTOCOL_PATHS.enrol}`, { method: 'POST', body: JSON.stringify({ clientId, workstation, enrolmentKey: 'k' }) });
      const { deviceToken } = (await enrolled.json()) as { deviceToken: string };
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}${PROTOCOL_PATHS.live}`, { headers: { authorization: `Bearer ${deviceToken}` } });
      const closed: { code: number; reason: string }[] = [];
      socket.on('close', (code, reason) => closed.push({ code, reason: reason.toString() }));
      await new Promise((resolve, reject) => socket.on('message', resolve).on('error', reject));
      return { clientId, socket, closed };
    };
    const stolen = await listen('WS-A');
    const kept = await listen('WS-B');

    const administrator = await opened.administrator();
    await administrator.revoke({ kind: 'device', subject: stolen.clientId, revokedAt: new Date().toISOString(), reason: 'reported stolen' });
    await administrator.close();

    await eventually(() => stolen.closed.length > 0, 'the revoked workstation’s channel is closed');
    expect(stolen.closed).toEqual([{ code: LIVE_ACCESS_WITHDRAWN, reason: "an administrator withdrew this workstation's access" }]);
    expect(kept.socket.readyState).toBe(WebSocket.OPEN);
    const health = (await (await fetch(`${server.url}${PROTOCOL_PATHS.health}`)).json()) as { liveClients: number };
    expect(health.liveClients).toBe(1);
    kept.socket.close();
  });
});
