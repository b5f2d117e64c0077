import type { Migration } from '../../../node-common/sqlite';

/**
 * Half-filled forms, saved as the operator types, so that a console killed in the middle of a call comes back with
 * the call as it was. Workstation-local: never sent anywhere.
 */
export const drafts: Migration = {
  version: 7,
  name: '0007-drafts',
  up(db) {
    db.exec(`
      CREATE TABLE drafts (
        key      TEXT PRIMARY KEY,
        data     TEXT NOT NULL,
        saved_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
