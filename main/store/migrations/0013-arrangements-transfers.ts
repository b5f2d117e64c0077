import type { Migration } from '../../../node-common/sqlite';

/**
 * Standing sharing arrangements between forces (shared/domain/arrangement.ts), this force's and those made with it,
 * and offers of an incident's ownership (shared/domain/transfer.ts), made by this force or to it.
 */
export const arrangementsTransfers: Migration = {
  version: 13,
  name: '0013-arrangements-transfers',
  up(db) {
    db.exec(`
      CREATE TABLE arrangements (
        id      TEXT PRIMARY KEY,
        status  TEXT NOT NULL,
        doc     TEXT NOT NULL,
        pending INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE transfers (
        id          TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        status      TEXT NOT NULL,
        doc         TEXT NOT NULL,
        pending     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX transfers_by_incident ON transfers (incident_id);
    `);
  },
};
