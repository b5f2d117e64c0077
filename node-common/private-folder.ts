import { chmodSync, mkdirSync } from 'node:fs';

/**
 * Makes `path` (and any missing parents) a folder only this account can enter: a workstation's data folder holds
 * callers' numbers, incident logs and the operators' cached sign-ins. A folder made by an earlier version with the
 * default permissions (0755) is closed too. Throws as mkdirSync and chmodSync do (a path that is a file, no rights).
 */
export function privateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}
