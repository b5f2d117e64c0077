import type { Migration } from '../../../node-common/sqlite';

/**
 * Operators as the server lists them (names and roles, never credentials), and what this workstation keeps to let
 * an operator who signed in here before sign in again while the server is out of reach: a password verifier of
 * its own (scrypt, salted here) and the server's signed ticket that vouches for them.
 */
export const operators: Migration = {
  version: 5,
  name: '0005-operators',
  up(db) {
    db.exec(`
      CREATE TABLE operators (
        id      TEXT PRIMARY KEY,
        doc     TEXT NOT NULL,
        pending INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE cached_sign_ins (
        operator     TEXT PRIMARY KEY,
        verifier     TEXT NOT NULL,
        ticket       TEXT NOT NULL,
        expires_at   TEXT NOT NULL,
        profile      TEXT NOT NULL,
        signed_in_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
