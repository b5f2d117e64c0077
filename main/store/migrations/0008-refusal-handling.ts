import type { Migration } from '../../../node-common/sqlite';

/**
 * What became of commands the server refused, kept on their outbox rows: redone (as which new command), dismissed
 * (why), or sent again after their operator signed in again; by whom and when. A handled row stays, as the
 * workstation's record of it. `withdrawn`: why this workstation gave up sending a command (too large for the
 * server), so a stand-in goes in its place and the commands after it are not held up.
 */
export const refusalHandling: Migration = {
  version: 8,
  name: '0008-refusal-handling',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN withdrawn TEXT;
      ALTER TABLE outbox ADD COLUMN handled_action TEXT CHECK (handled_action IN ('redone', 'dismissed', 'resent'));
      ALTER TABLE outbox ADD COLUMN handled_by TEXT;
      ALTER TABLE outbox ADD COLUMN handled_at TEXT;
      ALTER TABLE outbox ADD COLUMN handled_reason TEXT;
      ALTER TABLE outbox ADD COLUMN redone_as TEXT;
    `);
  },
};
