import { afterEach, beforeEach } from 'vitest';
import { TICKET_SECRET } from '../../server/access/access-routes';
import type { ServerRules } from '../../server/commands/plan-command';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { registerTestOperators } from './access';
import { demoConfig } from './fixtures';
import { makeTempDir } from './temp-dir';
import { T0, type WorkstationHarness } from './workstation-harness';

/** A room for WorkstationHarness tests: the server's storage in memory, its rules at T0, the operators registered. */
export interface HarnessRoom {
  /** The workstations' folder (each harness makes its own inside). */
  dir: ReturnType<typeof makeTempDir>;
  server: SqliteStorage;
  rules: ServerRules;
  /** The server's ticket secret, for an InProcessLink. */
  secret: string;
  /** Harnesses to close after each test. */
  open: WorkstationHarness[];
}

/**
 * Registers hooks that give each test a fresh room (`operators`: the test operators' names, e.g. 'op-WS-A') and take
 * it down after, its harnesses closed; the returned object's fields are the current test's.
 */
export function harnessRoom(operators: string[]): HarnessRoom {
  const room = { open: [] as WorkstationHarness[] } as unknown as HarnessRoom;
  beforeEach(async () => {
    room.dir = makeTempDir();
    room.server = SqliteStorage.open(':memory:');
    room.rules = { config: demoConfig, now: () => T0 };
    room.secret = await room.server.secret(TICKET_SECRET);
    await registerTestOperators(room.server, room.rules, operators);
  });
  afterEach(async () => {
    for (const w of room.open.splice(0)) w.close();
    await room.server.close();
    room.dir.remove();
  });
  return room;
}
