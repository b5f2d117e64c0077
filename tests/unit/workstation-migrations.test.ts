import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workstationMigrations } from '../../main/store/migrations/index';
import { integrityCheck, migrate, openSqlite, schemaVersion } from '../../node-common/sqlite';
import { WorkstationStore } from '../../main/store/workstation-store';
import { makeTempDir } from '../fakes/temp-dir';

const latest = workstationMigrations.length;
let dir: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => dir.remove());

/** A file as an older build would have left it: migrated only up to `version`. */
function fileAtVersion(version: number): string {
  const file = join(dir.path, `v${version}.sqlite`);
  const db = new Database(file);
  migrate(db, workstationMigrations, version);
  expect(schemaVersion(db)).toBe(version);
  db.close();
  return file;
}

describe('workstation store migrations', () => {
  it('creates a new file at the latest version, in WAL mode with synchronous=FULL', () => {
    const store = WorkstationStore.open(join(dir.path, 'new.sqlite'));
    expect(schemaVersion(store.db)).toBe(latest);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(integrityCheck(store.db)).toBe('ok');
    store.close();
  });

  it('upgrades a file written at version 1 and keeps what was in it', () => {
    const file = fileAtVersion(1);
    const old = new Database(file);
    old.prepare(`INSERT INTO meta (key, value) VALUES ('client_id', 'c0ffee00-0000-4000-8000-000000000001')`).run();
    old.prepare(`INSERT INTO incidents (id, reference, provisional_reference, status, grade, created_at, doc)
      VALUES ('i1', 'DMO-1', 'WS-P0001', 'open', '1', '2026-01-01T00:00:00.000Z', '{"id":"i1"}')`).run();
    old.close();

    const store = WorkstationStore.open(file);
    expect(schemaVersion(store.db)).toBe(latest);
    expect(store.clientId).toBe('c0ffee00-0000-4000-8000-000000000001');
    expect(store.db.prepare(`SELECT id, reference FROM incidents`).all()).toEqual([{ id: 'i1', reference: 'DMO-1' }]);
    expect(store.pullCursor).toBe(0);
    expect(store.outbox.pendingCount()).toBe(0);
    store.close();
  });

  it.each(workstationMigrations.slice(1).map((m) => [m.name, m.version] as const))('applies %s on top of the version before it', (_name, version) => {
    const file = fileAtVersion(version - 1);
    const db = openSqlite(file, workstationMigrations.slice(0, version));
    expect(schemaVersion(db)).toBe(version);
    expect(integrityCheck(db)).toBe('ok');
    db.close();
  });

  it('gives what a workstation held before forces to the demonstration force, and claims an enrolled folder for it', () => {
    const file = fileAtVersion(9);
    const old = new Database(file);
    old.prepare(`INSERT INTO meta (key, value) VALUES ('device_token', 'a-token')`).run();
    old.prepare(`INSERT INTO incidents (id, reference, provisional_reference, status, grade, created_at, doc)
      VALUES ('i1', 'DMO-1', 'WS-P0001', 'open', '1', '2026-01-01T00:00:00.000Z', '{"id":"i1"}')`).run();
    old.prepare(`INSERT INTO server_records (kind, id, seq, doc) VALUES ('incident', 'i1', 3, '{"id":"i1"}')`).run();
    old.prepare(`INSERT INTO operators (id, doc) VALUES ('alice', '{"id":"alice"}')`).run();
    old.close();

    const store = WorkstationStore.open(file);
    const forces = (table: string) => (store.db.prepare(`SELECT json_extract(doc, '$.force') AS force FROM ${table}`).all() as { force: string }[]).map((row) => row.force);
    expect([...forces('incidents'), ...forces('server_records'), ...forces('operators')]).toEqual(['DMO', 'DMO', 'DMO']);
    expect(store.meta.get('force')).toBe('DMO');
    store.close();
  });

  it('refuses a file written by a newer build rather than guessing at it', () => {
    const file = fileAtVersion(latest);
    const db = new Database(file);
    db.pragma(`user_version = ${latest + 1}`);
    db.close();
    expect(() => WorkstationStore.open(file)).toThrow(/newer than this build knows/);
  });

  it('rolls a failing migration back whole, leaving the file at the version before it', () => {
    const file = fileAtVersion(1);
    const broken = [...workstationMigrations.slice(0, 1), { version: 2, name: '0002-broken', up: (db: Database.Database) => db.exec(`CREATE TABLE half (x); SELECT * FROM missing_table;`) }];
    expect(() => openSqlite(file, broken)).toThrow(/missing_table/);
    const db = new Database(file);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).all()).toEqual([]);
    db.close();
  });
});
