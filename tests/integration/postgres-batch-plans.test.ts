import { randomUUID } from 'node:crypto';
import pg, { type PoolClient } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migratePostgres } from '../../server/storage/postgres/migrate';
import { serverPostgresMigrations } from '../../server/storage/postgres/migrations';
import { BEGIN_AND_LOCK_SEQUENCE, readBatchBasis, writeBatch } from '../../server/storage/postgres/statements';
import { startPostgres, type TestPostgres } from '../fakes/postgres';

// A room's commands are committed in groups, each group's reads and writes in two prepared statements that every
// connection plans once and keeps (PostgresStorage.processBatch). Planned on a new database, a plan that scans whole
// tables was kept as they grew: in the server-load benchmark's first minutes, a group's read and write took 4 ms
// with a few thousand records, most of it scanning (issue 15; BEGIN_AND_LOCK_SEQUENCE).

let cluster: TestPostgres | null = null;
afterAll(() => cluster?.remove());

/** Every table a plan reads by scanning it whole (PostgreSQL's EXPLAIN, FORMAT JSON). */
function tablesScanned(plan: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const fields = node as Record<string, unknown>;
    if (fields['Node Type'] === 'Seq Scan') found.push(String(fields['Relation Name']));
    Object.values(fields).forEach(visit);
  };
  visit(plan);
  return found;
}

describe('a group of commands on PostgreSQL, planned while the tables are small', () => {
  it('reads and writes what it needs through the tables’ keys, not by scanning them whole', async () => {
    cluster = await startPostgres();
    const client = new pg.Client({ connectionString: await cluster.createDatabase() });
    await client.connect();
    try {
      await migratePostgres(client, serverPostgresMigrations);
      // As the server's transaction begins, on a new database (empty, never analysed).
      await client.query(BEGIN_AND_LOCK_SEQUENCE);
      const tx = client as unknown as PoolClient;
      const ask = {
        commandIds: [randomUUID()],
        counters: ['seq'],
        clientIds: [randomUUID()],
        keys: [{ kind: 'incident' as const, id: randomUUID() }],
        ticketsOf: ['operator-1'],
        devicesOf: ['token-hash-1'],
      };
      // The plan PostgreSQL keeps for a prepared statement is its generic one (made for any values), which it takes
      // once the plans it makes for each call's values cost no less (with a room's arrays of keys, soon): asked for here at once.
      await client.query('SET plan_cache_mode = force_generic_plan');
      await readBatchBasis(tx, ask);
      await writeBatch(tx, { audit: [], records: [], counters: new Map(), logged: [], keys: [], notify: null });

      const basisPlan = await client.query(
        `EXPLAIN (FORMAT JSON) EXECUTE cordon_batch_basis(ARRAY[$1], ARRAY['seq'], ARRAY[$2], ARRAY['incident'], ARRAY[$3], ARRAY['operator-1'], ARRAY['token-hash-1'])`.replace(
          /\$(\d)/g,
          (_, n: string) => `'${[ask.commandIds[0], ask.clientIds[0], ask.keys[0]!.id][Number(n) - 1]}'`,
        ),
      );
      expect(tablesScanned(basisPlan.rows)).toEqual([]);

      // The write's 48 parameters: arrays, but for the notification's channel and payload (44 and 45).
      const parameters = Array.from({ length: 48 }, (_, i) => (i === 43 || i === 44 ? 'NULL' : `'{}'`));
      const writePlan = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE cordon_batch_write(${parameters.join(', ')})`);
      expect(tablesScanned(writePlan.rows)).toEqual([]);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });
});
