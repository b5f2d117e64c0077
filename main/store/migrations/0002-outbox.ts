import type { Migration } from '../../../node-common/sqlite';

/**
 * The outbox: every command the operator was told is done, kept until the server has processed it. It is the one
 * part of the local file that cannot be rebuilt from the server. `outbox_touch` lists the records each command's
 * optimistic effect wrote, so a pull knows which records to rebuild and which rows still await confirmation.
 */
export const outbox: Migration = {
  version: 2,
  name: '0002-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        client_seq  INTEGER PRIMARY KEY,
        command_id  TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL,
        envelope    TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'dead')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        reject_code TEXT,
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_by_state ON outbox (state, client_seq);

      CREATE TABLE outbox_touch (
        client_seq INTEGER NOT NULL REFERENCES outbox (client_seq) ON DELETE CASCADE,
        kind       TEXT NOT NULL,
        id         TEXT NOT NULL,
        PRIMARY KEY (client_seq, kind, id)
      ) STRICT;
      CREATE INDEX outbox_touch_by_record ON outbox_touch (kind, id);
    `);
  },
};
