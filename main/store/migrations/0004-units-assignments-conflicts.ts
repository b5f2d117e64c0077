import type { Migration } from '../../../node-common/sqlite';

/** Units, their assignments to incidents, and the conflict inbox, as the workstation sees them. */
export const unitsAssignmentsConflicts: Migration = {
  version: 4,
  name: '0004-units-assignments-conflicts',
  up(db) {
    db.exec(`
      CREATE TABLE units (
        id      TEXT PRIMARY KEY,
        doc     TEXT NOT NULL,
        pending INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE assignments (
        id          TEXT PRIMARY KEY,
        unit_id     TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        status      TEXT NOT NULL,
        doc         TEXT NOT NULL,
        pending     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX assignments_by_incident ON assignments (incident_id);
      CREATE INDEX assignments_by_unit ON assignments (unit_id, status);

      CREATE TABLE conflicts (
        id          TEXT PRIMARY KEY,
        status      TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        doc         TEXT NOT NULL,
        pending     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX conflicts_by_status ON conflicts (status, detected_at);
    `);
  },
};
