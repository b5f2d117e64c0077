import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../node-common/sqlite';
import { cutAfterDeleting, WalUpkeep } from '../../node-common/wal-upkeep';
import { makeTempDir } from '../fakes/temp-dir';

// Issue 12, m4: rows deleted so that nothing of them is left (an erasure, a revoked share's records) stayed in a
// file's write-ahead log when a reader kept the cut from happening, and the upkeep, seeing a small log, never cut it.
// The server's SQLite file and a workstation's use the same cut (cutAfterDeleting) and the same upkeep.
const SECRET = '07700 900321';

describe('cutting the write-ahead log after deleting', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  const bytesOf = (file: string) => ['', '-wal', '-shm'].map((tail) => `${file}${tail}`).filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('');

  it('cuts it at once when no reader holds it, and, when one did, at the upkeep’s first round after it lets go', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const file = join(dir.path, 'file.sqlite');
    const db = openSqlite(file, []);
    db.exec('CREATE TABLE lines (id INTEGER PRIMARY KEY, text TEXT)');
    db.prepare('INSERT INTO lines (text) VALUES (?)').run(`Witness on ${SECRET}`);
    db.prepare('DELETE FROM lines').run();
    expect(cutAfterDeleting(db)).toMatchObject({ busy: false });
    expect(bytesOf(file)).not.toContain(SECRET);

    db.prepare('INSERT INTO lines (text) VALUES (?)').run(`Witness on ${SECRET}`);
    const reader = new Database(file, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM lines').get();
    db.prepare('DELETE FROM lines').run();
    cutAfterDeleting(db);
    expect(bytesOf(file), 'held off by the reader').toContain(SECRET);
    const upkeep = new WalUpkeep(db, file);
    // Still held: the cut stays owed.
    upkeep.check();
    expect(bytesOf(file)).toContain(SECRET);
    reader.exec('COMMIT');
    reader.close();
    // A log far under the size limit, cut all the same, since a cut after deleting is owed.
    expect(upkeep.check()).toBe(0);
    expect(bytesOf(file)).not.toContain(SECRET);
    db.close();
  });
});
