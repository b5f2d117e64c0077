import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a workstation keeps its files unless told otherwise: the platform's per-user data folder. */
export function defaultDataDir(workstation: string): string {
  const safe = workstation.replace(/[^A-Za-z0-9._-]+/g, '-');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Cordon', safe);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Cordon', safe);
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'cordon', safe);
}
