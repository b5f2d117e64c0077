import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { checkMigrationList, refuseNewerSchema, type NumberedMigration } from './migration-checks';
import { WAL_SIZE_LIMIT_BYTES } from './wal-upkeep';

export type Db = Database.Database;

export interface Migration extends NumberedMigration {
  up(db: Db): void;
}

export interface OpenOptions {
  /**
   * Path of a better_sqlite3.node built for this runtime. Under plain Node the build in node_modules is used; the
   * Electron host sets CORDON_SQLITE_NATIVE_BINDING to one built for Electron's ABI, so that `npm test` under Node
   * and the Electron app can share one node_modules.
   */
  nativeBinding?: string;
}

/**
 * Opens a SQLite file (or an in-memory copy of one, from a Buffer) for a workstation or the central server: WAL so readers never wait for the writer, and
 * synchronous=FULL because better-sqlite3 leaves WAL at NORMAL, which can lose a commit the operator was told about
 * if the power goes. The log is cut back to WAL_SIZE_LIMIT_BYTES after each checkpoint (see node-common/wal-upkeep.ts
 * for the checkpoints a long reader holds off). Migrations run before anything else touches the file.
 */
export function openSqlite(file: string | Buffer, migrations: readonly Migration[], options: OpenOptions = {}): Db {
  const nativeBinding = options.nativeBinding ?? process.env.CORDON_SQLITE_NATIVE_BINDING;
  // Calls, callers' numbers and logs: readable by this account alone. A new file is made so before SQLite opens it,
  // and its write-ahead log and shared memory files take the same permissions from it.
  if (typeof file === 'string' && file !== ':memory:' && !existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // What is deleted is overwritten, not left in free pages: an erased caller's details, a withdrawn incident's log
    // (shared/domain/erasure.ts) must not be readable from the file afterwards.
    db.pragma('secure_delete = ON');
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the file up to the newest migration, each in its own transaction with the version it reaches. A file
 * written by a newer build is refused rather than guessed at.
 */
export function migrate(db: Db, migrations: readonly Migration[], upTo = Number.POSITIVE_INFINITY): void {
  checkMigrationList(migrations);
  const current = schemaVersion(db);
  refuseNewerSchema(current, migrations, `the database ${db.name}`);
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > upTo) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

/** `PRAGMA integrity_check`: "ok" when the file is sound. */
export function integrityCheck(db: Db): string {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}
