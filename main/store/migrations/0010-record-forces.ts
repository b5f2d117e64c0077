import type { Migration } from '../../../node-common/sqlite';
import { FIRST_FORCE } from '../../../shared/domain/force';

/** Every table holding a record document (or an operator's, for a cached sign-in's profile). */
const DOCUMENT_TABLES = [
  ['incidents', 'doc'],
  ['incident_log', 'doc'],
  ['server_records', 'doc'],
  ['units', 'doc'],
  ['assignments', 'doc'],
  ['conflicts', 'doc'],
  ['operators', 'doc'],
  ['contacts', 'doc'],
  ['tasks', 'doc'],
  ['markers', 'doc'],
  ['refusals', 'doc'],
  ['cached_sign_ins', 'profile'],
] as const;

/**
 * Every record carries its owning force (shared/domain/partition.ts). What a workstation held before was all the
 * one force's, the demonstration force's (DMO), which the central server's migration gives the same records: the
 * copy here and the server's agree without a pull.
 */
export const recordForces: Migration = {
  version: 10,
  name: '0010-record-forces',
  up(db) {
    for (const [table, column] of DOCUMENT_TABLES) {
      db.prepare(`UPDATE ${table} SET ${column} = json_set(${column}, '$.force', ?) WHERE json_type(${column}, '$.force') IS NULL`).run(FIRST_FORCE);
    }
    // A workstation that has been enrolled already was the one force's: its folder is claimed for it (the core claims
    // a new folder for the force it is first started as).
    db.prepare(`INSERT INTO meta (key, value) SELECT 'force', ? WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'device_token' AND value <> '')`).run(FIRST_FORCE);
  },
};
