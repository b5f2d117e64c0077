import type { Migration } from '../../../node-common/sqlite';

/**
 * Unit loans between forces (shared/domain/loan.ts): the requests this workstation's force made, and those made to
 * it, with their answers; the dispatcher's desk lists those waiting.
 */
export const loans: Migration = {
  version: 11,
  name: '0011-loans',
  up(db) {
    db.exec(`
      CREATE TABLE loans (
        id           TEXT PRIMARY KEY,
        status       TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        doc          TEXT NOT NULL,
        pending      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX loans_by_status ON loans (status, requested_at);
    `);
  },
};
