import type { ClientBase } from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate, openSqlite } from '../../node-common/sqlite';
import { migratePostgres } from '../../server/storage/postgres/migrate';

// The checks every migration list passes, whichever database it is for (node-common/migration-checks.ts).
describe('migration lists, for SQLite and PostgreSQL alike', () => {
  const skipping = [
    { version: 1, name: '0001-first' },
    { version: 3, name: '0003-third' },
  ];

  it('are refused when they skip a number, before the database is touched', async () => {
    const db = openSqlite(':memory:', []);
    try {
      expect(() => migrate(db, skipping.map((m) => ({ ...m, up: () => {} })))).toThrow('migration 0003-third has version 3, expected 2');
      expect(db.pragma('user_version', { simple: true })).toBe(0);
    } finally {
      db.close();
    }
    const untouched = new Proxy({} as ClientBase, {
      get: () => {
        throw new Error('the database was touched');
      },
    });
    await expect(migratePostgres(untouched, skipping.map((m) => ({ ...m, sql: '' })))).rejects.toThrow('migration 0003-third has version 3, expected 2');
  });
});
