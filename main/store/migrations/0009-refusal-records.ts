import type { Migration } from '../../../node-common/sqlite';

/**
 * The room's refused commands, as the server records them (any workstation's): what supervisors see waiting at
 * their desk, and what a workstation's own refused list follows once someone has handled one elsewhere.
 */
export const refusalRecords: Migration = {
  version: 9,
  name: '0009-refusal-records',
  up(db) {
    db.exec(`
      CREATE TABLE refusals (
        id         TEXT PRIMARY KEY,
        status     TEXT NOT NULL,
        refused_at TEXT NOT NULL,
        doc        TEXT NOT NULL,
        pending    INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX refusals_by_status ON refusals (status, refused_at);
    `);
  },
};
