import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_RECORDS_OF_INCIDENT, PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import { SQLITE_RECORDS_OF_INCIDENT, SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { silentLog } from '../fakes/fixtures';
import { startPostgres, type TestPostgres } from '../fakes/postgres';

// A share hands the other force an incident with its deployments and log entries (recordsOfIncident). On a platform's
// record of many incidents, those are found by an index of their incidentId (server migration 9), not a scan of every
// record: asked of each database's own planner, on a record of 300 incidents with 40 log entries each.
const INCIDENTS = 300;
const ENTRIES_EACH = 40;
const incidentIds = Array.from({ length: INCIDENTS }, () => randomUUID());
const records = incidentIds.flatMap((incidentId, i) => [
  { kind: 'incident', id: incidentId, doc: { id: incidentId, force: 'DMO', status: 'open' } },
  ...Array.from({ length: ENTRIES_EACH }, (_, k) => ({ kind: 'logEntry', id: randomUUID(), doc: { id: `${i}-${k}`, force: 'DMO', incidentId, text: `Line ${k}` } })),
  { kind: 'assignment', id: randomUUID(), doc: { id: `a-${i}`, force: 'DMO', incidentId, unitId: 'DM-11', status: 'cleared' } },
]);
const asked = incidentIds[INCIDENTS / 2]!;

describe('an incident’s records found by its incident through an index', () => {
  it('on SQLite: the query plan searches records_incident_id, and finds the incident, its entries and deployment', async () => {
    const storage = SqliteStorage.open(':memory:');
    try {
      const db = storage.database;
      const insert = db.prepare('INSERT INTO records (kind, id, seq, doc) VALUES (?, ?, ?, ?)');
      db.transaction(() => records.forEach((r, seq) => insert.run(r.kind, r.id, seq + 1, JSON.stringify(r.doc))))();
      db.exec('ANALYZE');
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${SQLITE_RECORDS_OF_INCIDENT}`).all({ id: asked }) as { detail: string }[]).map((row) => row.detail);
      expect(plan.join('\n')).toMatch(/SEARCH records USING INDEX records_incident_id/);
      expect(plan.join('\n')).not.toMatch(/SCAN records(?! USING)/);
      const found = await storage.recordsOfIncident(asked);
      expect(found.map((r) => r.kind).sort()).toEqual(['assignment', 'incident', ...Array<string>(ENTRIES_EACH).fill('logEntry')].sort());
    } finally {
      await storage.close();
    }
  });

  let cluster: TestPostgres | null = null;
  afterAll(() => cluster?.remove());

  it('on PostgreSQL: the query plan scans records_incident_id, and finds the incident, its entries and deployment', async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase();
    const storage = await PostgresStorage.open(url, { log: silentLog });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('INSERT INTO records (kind, id, seq, doc) SELECT * FROM json_to_recordset($1::json) AS r(kind text, id text, seq bigint, doc text)', [
        JSON.stringify(records.map((r, seq) => ({ kind: r.kind, id: r.id, seq: seq + 1, doc: JSON.stringify(r.doc) }))),
      ]);
      await client.query('ANALYZE records');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${POSTGRES_RECORDS_OF_INCIDENT}`, [asked]);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Scan using records_incident_id|Bitmap Index Scan on records_incident_id/);
      expect(plan).not.toMatch(/Seq Scan on records/);
      const found = await storage.recordsOfIncident(asked);
      expect(found.map((r) => r.kind).sort()).toEqual(['assignment', 'incident', ...Array<string>(ENTRIES_EACH).fill('logEntry')].sort());
    } finally {
      await client.end();
      await storage.close();
    }
  }, 120_000);
});
