import type { Migration } from '../../../node-common/sqlite';

/**
 * The sign-ins this workstation refused for a wrong password while it could not reach its server, by the name typed:
 * what its own lockout counts (shared/domain/sign-in-lockout.ts), kept in the file so a restart does not reset it.
 * Never the password tried.
 */
export const signInFailures: Migration = {
  version: 14,
  name: '0014-sign-in-failures',
  up(db) {
    db.exec(`
      CREATE TABLE sign_in_failures (
        operator  TEXT NOT NULL,
        failed_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sign_in_failures_by_operator ON sign_in_failures (operator);
    `);
  },
};
