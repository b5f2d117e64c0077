import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { WAL_SIZE_LIMIT_BYTES, walBytes } from '../../node-common/wal-upkeep';
import { logDestination } from '../../node-common/log-destination';
import { WorkstationStore } from '../../main/store/workstation-store';
import { LinkError, type ServerAccess, type ServerLink } from '../../main/sync/server-link';
import { TICKET_SECRET } from '../../server/access/access-routes';
import type { ServerRules } from '../../server/commands/plan-command';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { unverifiedLocation } from '../../shared/domain/location';
import { ManualClock } from '../../shared/domain/time';
import { registerTestOperators, rememberSignIn } from '../fakes/access';
import { demoConfig, silentLog } from '../fakes/fixtures';
import { InProcessLink } from '../fakes/in-process-link';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { makeTempDir } from '../fakes/temp-dir';
import { T0, WorkstationHarness } from '../fakes/workstation-harness';

/** A server that never answers: what is measured is the workstation's own file. */
const silentLink: ServerLink & ServerAccess = {
  push: () => new Promise(() => {}),
  pull: () => new Promise(() => {}),
  live: () => () => {},
  signIn: () => Promise.reject(new LinkError('no server in this test', true)),
};

/** Another program reading the file (a backup, an inspection tool): its snapshot stays open until it lets go. */
function holdReader(file: string): { letGo(): void } {
  const reader = new Database(file, { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM sqlite_schema').get();
  return {
    letGo() {
      reader.exec('COMMIT');
      reader.close();
    },
  };
}

describe("the workstation's write-ahead log, with another program reading the file", () => {
  let dir: ReturnType<typeof makeTempDir>;
  let core: ConsoleCore;
  let scheduler: ManualScheduler;
  let file: string;
  let incidentId: string;

  const call = async <T>(channel: string, request: unknown): Promise<T> => {
    const reply = await core.dispatch(channel, request);
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value as T;
  };
  /** Log lines until the log is past its limit, as a busy hour would write them while the reader holds on. */
  const writeUntilPastLimit = async () => {
    for (let i = 0; walBytes(file) <= WAL_SIZE_LIMIT_BYTES * 1.25; i += 1) {
      if (i > 2000) throw new Error('the log never grew past its limit');
      await call('incidents.addLog', { incidentId, text: `Update ${i}: units searching the area, caller still on the line` });
    }
  };

  beforeEach(async () => {
    dir = makeTempDir();
    scheduler = new ManualScheduler();
    const dataDir = join(dir.path, 'ws');
    file = join(dataDir, 'workstation.sqlite');
    core = createConsoleCore({
      dataDir,
      workstation: 'WS-W',
      enrolmentKey: null,
      serverUrl: 'http://127.0.0.1:9',
      config: demoConfig,
      host: 'browser',
      clock: new ManualClock(T0),
      log: silentLog,
      link: silentLink,
      scheduler,
    });
    await rememberSignIn(core.store, 'alice', 'demo', ['call_handler', 'dispatcher']);
    core.start();
    await call('session.signIn', { operator: 'alice', password: 'demo' });
    incidentId = (await call<{ incident: { id: string } }>('incidents.create', { type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: null })).incident.id;
  });
  afterEach(() => {
    core.stop();
    dir.remove();
  });

  it('is given back once the reader lets go, even if the workstation writes nothing more', async () => {
    const reader = holdReader(file);
    await writeUntilPastLimit();
    reader.letGo();
    scheduler.advance(10_000); // the workstation's own upkeep, on its own timer
    expect(walBytes(file)).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
  });

  it('is cut back to its limit as work goes on once the reader has let go', async () => {
    const reader = holdReader(file);
    await writeUntilPastLimit();
    reader.letGo();
    for (let i = 0; i < 3; i += 1) await call('incidents.addLog', { incidentId, text: `After the reader: ${i}` });
    expect(walBytes(file)).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
  });
});

describe("the central server's SQLite file, with another program reading it", () => {
  it('has its write-ahead log cut back to the limit once the reader lets go', async () => {
    const dir = makeTempDir();
    const file = join(dir.path, 'central.sqlite');
    const storage = SqliteStorage.open(file);
    try {
      const rules: ServerRules = { config: demoConfig, now: () => T0 };
      const reader = holdReader(file);
      for (let batch = 0; walBytes(file) <= WAL_SIZE_LIMIT_BYTES * 1.25; batch += 1) {
        if (batch > 200) throw new Error('the log never grew past its limit');
        await registerTestOperators(storage, rules, Array.from({ length: 20 }, (_, i) => `op-${batch}-${i}`));
      }
      reader.letGo();
      await registerTestOperators(storage, rules, ['op-after-1', 'op-after-2', 'op-after-3']);
      expect(walBytes(file)).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    } finally {
      await storage.close();
      dir.remove();
    }
  });
});

describe('commands issued offline', () => {
  it('write as many rows with a long outbox as with a short one: a failed push is noted once, not on every command waiting', async () => {
    const dir = makeTempDir();
    const server = SqliteStorage.open(':memory:');
    const rules: ServerRules = { config: demoConfig, now: () => T0 };
    const w = new WorkstationHarness(dir.path, 'WS-O', new InProcessLink(server, rules, await server.secret(TICKET_SECRET)));
    try {
      await registerTestOperators(server, rules, [w.operator]);
      w.link.up = false;
      const incidentId = randomUUID();
      w.issue('incident.create', { incidentId, provisionalReference: 'WS-O-P0001', type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: null });
      const rowsChanged = w.store.db.prepare('SELECT total_changes()').pluck();
      /** Rows one log line writes, with the push that follows it and fails, as the core does after every command. */
      const rowsForOneCommand = async () => {
        const before = rowsChanged.get() as number;
        w.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'Units searching the area' });
        await w.syncNow();
        return (rowsChanged.get() as number) - before;
      };
      const early = await rowsForOneCommand();
      for (let i = 0; i < 150; i += 1) await rowsForOneCommand();
      expect(w.store.outbox.pendingCount()).toBe(152);
      expect(await rowsForOneCommand()).toBe(early);
      expect(early).toBeLessThan(12);
    } finally {
      w.close();
      await server.close();
      dir.remove();
    }
  });
});

describe('who can read a workstation’s files', () => {
  it('its data folder, database, write-ahead log and log file are this account’s alone, even in a folder made open before', () => {
    const dir = makeTempDir();
    try {
      const folder = join(dir.path, 'ws');
      mkdirSync(folder, { mode: 0o755 });
      chmodSync(folder, 0o755);
      const store = WorkstationStore.open(join(folder, 'workstation.sqlite'));
      store.transaction(() => store.meta.set('probe', 'written'));
      const log = logDestination(join(folder, 'console.log'));
      log.write('a line\n');
      log.end();
      const mode = (file: string) => (statSync(join(folder, file)).mode & 0o777).toString(8);
      expect(mode('.')).toBe('700');
      expect(mode('workstation.sqlite')).toBe('600');
      expect(mode('workstation.sqlite-wal')).toBe('600');
      expect(mode('console.log')).toBe('600');
      store.close();
    } finally {
      dir.remove();
    }
  });
});
