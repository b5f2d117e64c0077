import type { Migration } from '../../../node-common/sqlite';

/** Contacts (calls and reports), call-back tasks, and warning markers on locations, as the workstation sees them. */
export const contactsTasksMarkers: Migration = {
  version: 6,
  name: '0006-contacts-tasks-markers',
  up(db) {
    db.exec(`
      CREATE TABLE contacts (
        id           TEXT PRIMARY KEY,
        state        TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        caller_number TEXT,
        doc          TEXT NOT NULL,
        pending      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX contacts_by_state ON contacts (state, received_at);
      CREATE INDEX contacts_by_caller ON contacts (caller_number);

      CREATE TABLE tasks (
        id      TEXT PRIMARY KEY,
        state   TEXT NOT NULL,
        doc     TEXT NOT NULL,
        pending INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE markers (
        id      TEXT PRIMARY KEY,
        doc     TEXT NOT NULL,
        pending INTEGER NOT NULL DEFAULT 0
      ) STRICT;
    `);
  },
};
