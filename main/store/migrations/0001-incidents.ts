import type { Migration } from '../../../node-common/sqlite';

/**
 * The workstation's view of incidents and their logs: what the operator sees, the server's state with this
 * workstation's unconfirmed commands applied on top. Documents are kept whole as JSON; the columns beside them
 * exist to sort and filter.
 */
export const incidents: Migration = {
  version: 1,
  name: '0001-incidents',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE incidents (
        id                    TEXT PRIMARY KEY,
        reference             TEXT,
        provisional_reference TEXT NOT NULL,
        status                TEXT NOT NULL,
        grade                 TEXT NOT NULL,
        created_at            TEXT NOT NULL,
        doc                   TEXT NOT NULL,
        pending               INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX incidents_by_status ON incidents (status, created_at);
      CREATE INDEX incidents_by_reference ON incidents (reference);
      CREATE INDEX incidents_by_provisional_reference ON incidents (provisional_reference);

      CREATE TABLE incident_log (
        id          TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        at          TEXT NOT NULL,
        doc         TEXT NOT NULL,
        pending     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX incident_log_by_incident ON incident_log (incident_id, at);
    `);
  },
};
