import type { Migration } from '../../../node-common/sqlite';

/**
 * Incidents shared between forces (shared/domain/share.ts): the shares this workstation's force made, and those
 * made with it, revoked ones included (a revoked share is how a workstation learns it holds the incident no more).
 */
export const shares: Migration = {
  version: 12,
  name: '0012-shares',
  up(db) {
    db.exec(`
      CREATE TABLE shares (
        id          TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        doc         TEXT NOT NULL,
        pending     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX shares_by_incident ON shares (incident_id);
    `);
  },
};
