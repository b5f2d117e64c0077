import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { registerTestOperators } from '../fakes/access';
import { silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { createIncidentCommand, fixedRules, pushTo } from '../fakes/storages';

// A room coming back after its server restarted pushes every workstation's outbox at once: each push is processed in
// one transaction, and on PostgreSQL a push waiting for its turn waits, however long, rather than failing.
const cluster = postgresForThisFile();

const outbox = (clientId: string, count: number) => Array.from({ length: count }, (_, i) => createIncidentCommand(clientId, i + 1));

describe('a workstation pushing its outbox after an outage', () => {
  it('has its twenty commands applied in one transaction of the SQLite server, each in its place', async () => {
    const storage = SqliteStorage.open(':memory:');
    try {
      await registerTestOperators(storage, fixedRules, ['alice']);
      const before = storage.commits;
      const head = await storage.head();
      const clientId = randomUUID();
      const answer = await pushTo(storage, clientId, outbox(clientId, 20));
      expect(answer.lastClientSeq).toBe(20);
      // Each creation writes two records: the incident and its log's first line.
      expect(answer.outcomes.map((o) => (o.status === 'applied' ? o.seq : null))).toEqual(Array.from({ length: 20 }, (_, i) => head + 2 * (i + 1)));
      expect(storage.commits).toEqual({ transactions: before.transactions + 1, commands: before.commands + 20 });
    } finally {
      await storage.close();
    }
  });

  it('on PostgreSQL waits its turn while another instance holds the sequence longer than the pool would wait, and the room is answered meanwhile', async () => {
    const url = await cluster.createDatabase();
    // Two connections: fewer than the pushes waiting, as a pool of ten is fewer than a room of 200.
    const storage = await PostgresStorage.open(url, { log: silentLog, maxConnections: 2 });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await registerTestOperators(storage, fixedRules, ['alice']);
      const head = await storage.head();
      // Another instance's long transaction holds the sequence for longer than the pool's connection timeout (5 s).
      await holder.query('BEGIN');
      await holder.query(`SELECT value FROM counters WHERE name = 'seq' FOR UPDATE`);
      const clients = Array.from({ length: 6 }, () => randomUUID());
      const pushes = clients.map((clientId) => pushTo(storage, clientId, outbox(clientId, 3)).then((answer) => ({ ok: true as const, answer }), (error: unknown) => ({ ok: false as const, error })));
      // Reads are not held up behind the waiting pushes: the health check's head is answered while they wait.
      expect(await storage.head()).toBe(head);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      await holder.query('COMMIT');
      const answers = await Promise.all(pushes);
      expect(answers.filter((a) => !a.ok).map((a) => String((a as { error: unknown }).error))).toEqual([]);
      for (const a of answers) expect(a.ok && a.answer.lastClientSeq).toBe(3);
      expect(await storage.head()).toBe(head + 6 * 3 * 2);
    } finally {
      await holder.end().catch(() => undefined);
      await storage.close();
    }
  }, 60_000);
});
