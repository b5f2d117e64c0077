import type { ClientBase } from 'pg';
import { checkMigrationList, refuseNewerSchema } from '../../../node-common/migration-checks';
import type { PostgresMigration } from './migrations';

/** Any fixed number: the advisory lock that keeps two server instances starting together from migrating at once. */
const MIGRATION_LOCK = 4_100_001;

/**
 * Brings the database up to the newest migration, each in its own transaction recorded in schema_migrations. A
 * database migrated by a newer build is refused rather than guessed at. Several server instances may start against
 * one database at the same moment: each transaction first takes an advisory lock, so they migrate one after another
 * and the later ones find nothing left to do.
 */
export async function migratePostgres(client: ClientBase, migrations: readonly PostgresMigration[], upTo = Number.POSITIVE_INFINITY): Promise<void> {
  checkMigrationList(migrations);
  const step = async (work: (current: number) => Promise<void>) => {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version    INTEGER PRIMARY KEY,
          name       TEXT NOT NULL,
          applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )`);
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
      await work(rows[0]?.version ?? 0);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  };

  await step(async (current) => refuseNewerSchema(current, migrations, 'the PostgreSQL database'));
  for (const migration of migrations) {
    if (migration.version > upTo) break;
    await step(async (current) => {
      if (migration.version <= current) return;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    });
  }
}

/** The newest migration applied to the database (0 for an empty one). */
export async function postgresSchemaVersion(client: ClientBase): Promise<number> {
  const table = await client.query<{ exists: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`);
  if (!table.rows[0]?.exists) return 0;
  const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}
