import type { Migration } from '../../../node-common/sqlite';

/**
 * The server's confirmed documents, as last pulled, and the cursor they were pulled to. A pull rebuilds the
 * view from these plus the pending outbox, so the screen never keeps optimism the server has overtaken.
 */
export const serverCopy: Migration = {
  version: 3,
  name: '0003-server-copy',
  up(db) {
    db.exec(`
      CREATE TABLE server_records (
        kind TEXT NOT NULL,
        id   TEXT NOT NULL,
        seq  INTEGER NOT NULL,
        doc  TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      ) STRICT;
    `);
    db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('pull_cursor', '0')`).run();
  },
};
