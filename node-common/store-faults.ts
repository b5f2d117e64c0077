import { statfsSync } from 'node:fs';
import type { StoreFaultKind } from '../shared/contract/store-health';

/**
 * Why a SQLite file could not take a write, in the terms an operator can act on:
 * - `disk_full`: the disk holding the file has no room (SQLITE_FULL, or an I/O error on a disk with no space left);
 * - `locked`: another program (a backup, an inspection tool) holds the database longer than the busy timeout;
 * - `io_error`: the disk refused the write for another reason (a failing disk, a file system gone read-only).
 */
export type StoreFault = StoreFaultKind;

/** What the operator is told when their action could not be written, per fault. */
export const NOT_SAVED: Record<StoreFault, string> = {
  disk_full: 'Not saved: the local disk is full',
  locked: 'Not saved: the local database is held by another program',
  io_error: 'Not saved: the local disk could not be written',
};

/**
 * The store fault behind an error thrown by better-sqlite3, or null when the error is something else (a rule, a
 * bug), which must not be mistaken for a disk that will come back. `dir`, the folder holding the file, lets an I/O
 * error on a disk with no space left count as full: SQLite reports ENOSPC as SQLITE_FULL on most writes but as an
 * I/O error on some (growing the shared-memory index, syncing).
 */
export function storeFaultOf(error: unknown, dir?: string): StoreFault | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (code === 'SQLITE_FULL') return 'disk_full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') {
    return dir !== undefined && noSpaceLeft(dir) ? 'disk_full' : 'io_error';
  }
  return null;
}

/** Whether the file system holding dir has (next to) no space left for an unprivileged writer. */
function noSpaceLeft(dir: string): boolean {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize < 64 * 1024;
  } catch {
    return false;
  }
}
