import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Where a workstation's browser host listened last time, and the key its windows carry: kept in the data folder so
 * that after a restart (a crash, an update) the host comes back at the same address with the same key, and the
 * Chromium windows already open on the desk reconnect by themselves instead of being stranded on a dead address.
 * The file is the operator account's alone (0600 in the 0700 data folder), as the workstation's SQLite file is.
 */
export const HostAddress = z.object({ port: z.number().int().min(1).max(65535), key: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
export type HostAddress = z.infer<typeof HostAddress>;

const FILE = 'browser-host.json';

/** The address remembered in `dataDir`, or null when there is none or it is unreadable (a fresh one is then made). */
export function rememberedAddress(dataDir: string): HostAddress | null {
  try {
    const parsed = HostAddress.safeParse(JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Keeps the address for the next start. A disk that refuses the write costs only that convenience: never fatal. */
export function rememberAddress(dataDir: string, address: HostAddress): boolean {
  try {
    writeFileSync(join(dataDir, FILE), JSON.stringify(address), { mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}
