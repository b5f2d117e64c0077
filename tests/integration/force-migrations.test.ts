import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../node-common/sqlite';
import { serverSqliteMigrations } from '../../server/storage/sqlite/migrations';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { serverPostgresMigrations } from '../../server/storage/postgres/migrations';
import { migratePostgres } from '../../server/storage/postgres/migrate';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import type { ServerStorage } from '../../server/storage/storage';
import { silentLog } from '../fakes/fixtures';
import { startPostgres, type TestPostgres } from '../fakes/postgres';
import { makeTempDir } from '../fakes/temp-dir';

// Migration 7 on a server written before forces: what it held was the demonstration force's, and stays usable.
const incidentId = randomUUID();
const clientId = randomUUID();
const doc = JSON.stringify({ id: incidentId, reference: 'DMO-20261129-0004', description: 'says "\\" and \u00e9' });
const day = '2026-11-29';

/** The server as it stands after migration 7: what a workstation of DMO is given, and what it is known by. */
async function expectForceGiven(storage: ServerStorage): Promise<void> {
  expect(await storage.record({ kind: 'incident', id: incidentId })).toMatchObject({ force: 'DMO', reference: 'DMO-20261129-0004', description: 'says "\\" and \u00e9' });
  const page = await storage.pull({ since: 0, clientId, afterClientSeq: 0, limit: 10 });
  expect(page.changes.map((c) => (c.doc as { force: string }).force)).toEqual(['DMO']);
  expect(await storage.deviceByTokenHash('hash-of-ws-a')).toMatchObject({ clientId, workstation: 'WS-A', force: 'DMO' });
  // Enrolling the same workstation again for another force does not move it.
  expect(await storage.enrolDevice({ clientId, workstation: 'WS-A', force: 'NBR', tokenHash: 'another', enrolledAt: '2026-11-30T10:00:00.000Z' })).toEqual({ enrolledFor: 'DMO' });
}

describe('migration 7 (forces) on a server SQLite file written before it', () => {
  it('gives every record and enrolled workstation to the demonstration force, and its reference counters its name', async () => {
    const dir = makeTempDir();
    const file = join(dir.path, 'central.sqlite');
    try {
      const old = openSqlite(file, serverSqliteMigrations.slice(0, 6));
      old.prepare(`INSERT INTO records (kind, id, seq, doc) VALUES ('incident', ?, 1, ?)`).run(incidentId, doc);
      old.prepare(`UPDATE counters SET value = 1 WHERE name = 'seq'`).run();
      old.prepare(`INSERT INTO counters (name, value) VALUES (?, 4)`).run(`incident-reference:${day}`);
      old.prepare(`INSERT INTO devices (client_id, workstation, token_hash, enrolled_at) VALUES (?, 'WS-A', 'hash-of-ws-a', '2026-11-29T08:00:00.000Z')`).run(clientId);
      old.close();

      const storage = SqliteStorage.open(file);
      try {
        await expectForceGiven(storage);
        // DMO's incidents go on from the day's fourth, not from one again.
        expect(storage.database.prepare(`SELECT name, value FROM counters WHERE name LIKE 'incident-reference:%'`).all()).toEqual([{ name: `incident-reference:DMO:${day}`, value: 4 }]);
      } finally {
        await storage.close();
      }
    } finally {
      dir.remove();
    }
  });
});

let cluster: TestPostgres | null = null;
afterAll(() => cluster?.remove());

describe('migration 7 (forces) on a PostgreSQL database written before it', () => {
  it('gives every record and enrolled workstation to the demonstration force, and its reference counters its name', async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migratePostgres(client, serverPostgresMigrations, 6);
      await client.query(`INSERT INTO records (kind, id, seq, doc) VALUES ('incident', $1, 1, $2)`, [incidentId, doc]);
      await client.query(`UPDATE counters SET value = 1 WHERE name = 'seq'`);
      await client.query(`INSERT INTO counters (name, value) VALUES ($1, 4)`, [`incident-reference:${day}`]);
      await client.query(`INSERT INTO devices (client_id, workstation, token_hash, enrolled_at) VALUES ($1, 'WS-A', 'hash-of-ws-a', '2026-11-29T08:00:00.000Z')`, [clientId]);
    } finally {
      await client.end();
    }

    const storage = await PostgresStorage.open(url, { log: silentLog });
    try {
      await expectForceGiven(storage);
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      try {
        const { rows } = await check.query(`SELECT name, value::int AS value FROM counters WHERE name LIKE 'incident-reference:%'`);
        expect(rows).toEqual([{ name: `incident-reference:DMO:${day}`, value: 4 }]);
      } finally {
        await check.end();
      }
    } finally {
      await storage.close();
    }
  }, 60_000);
});
