import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CommandEnvelope, LiveMessage, PushResponse } from '../../shared/sync/protocol';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import { eventually, silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { startServerProcessOnPostgres } from '../fakes/processes';
import { createIncidentCommand, pushTo } from '../fakes/storages';
import { HttpWorkstation } from '../fakes/http-workstation';

// Its own cluster: this file stops PostgreSQL as abruptly as a crash, and starts it again.
const cluster = postgresForThisFile();

describe('a server whose PostgreSQL goes away', () => {
  it('answers 503 while the database is down, stays up, and carries on by itself when it is back', async () => {
    const url = await cluster.createDatabase();
    const server = await startServerProcessOnPostgres(url);
    // Another server instance on the same database, in this process.
    const other = await PostgresStorage.open(url, { log: silentLog });
    const clientId = randomUUID();
    const workstation = await (await HttpWorkstation.enrol(server.url, clientId)).signIn('alice');
    const push = (_base: string, command: CommandEnvelope) => workstation.push([command]);
    try {
      const socket = workstation.live();
      const messages: LiveMessage[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as LiveMessage));
      await eventually(() => messages.length > 0, 'the server says hello');
      const base = (messages[0] as { head: number }).head;
      expect((await push(server.url, createIncidentCommand(clientId, 1))).status).toBe(200);

      await cluster.stop('immediate');
      const second = createIncidentCommand(clientId, 2);
      const refused = await push(server.url, second);
      expect(refused.status).toBe(503);
      // Told when to try again, which the workstation honours with jitter (tests/integration/retry-after.test.ts).
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toEqual({ error: 'storage unavailable; try again' });
      expect((await workstation.pull()).status).toBe(503);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
      expect(server.child.exitCode).toBeNull();

      await cluster.start();
      // The workstation sends the same command again, as it would after a 503.
      let answer: PushResponse | null = null;
      await eventually(async () => {
        const response = await push(server.url, second);
        if (response.status === 200) answer = (await response.json()) as PushResponse;
        return answer !== null;
      }, 'the server applies commands again', 15_000);
      // Each creation writes two records (the incident and its log's first line).
      expect(answer).toMatchObject({ outcomes: [{ clientSeq: 2, status: 'applied', seq: base + 4 }], lastClientSeq: 2 });

      // The server listens again: a change made through the other instance reaches its live socket.
      expect((await pushTo(other, clientId, [createIncidentCommand(clientId, 3)])).outcomes).toMatchObject([{ status: 'applied', seq: base + 6 }]);
      await eventually(() => messages.some((m) => m.type === 'poke' && m.head === base + 6), 'a poke for the change made through the other server', 10_000);
      expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ ok: true, head: base + 6 });
      socket.close();
      expect(server.output()).toContain('storage unavailable');
    } finally {
      await server.stop();
      await other.close();
    }
  });
});
