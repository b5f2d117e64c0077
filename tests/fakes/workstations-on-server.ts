import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createConsoleCore, type ConsoleCore, type ConsoleCoreOptions } from '../../main/core/console-core';
import { systemClock } from '../../shared/domain/time';
import { TcpProxy } from '../faults/chaos/tcp-proxy';
import { demoConfig, silentLog } from './fixtures';
import { startServerProcess, TEST_ENROLMENT_KEY, type RunningProcess } from './processes';
import { makeTempDir } from './temp-dir';

/**
 * A workstation's console core as tests run one, started: its data in `dataDir`, enrolled with the test key at
 * `serverUrl`, the demonstration force, the system clock, silent. `options` replaces any of those. The caller stops it.
 */
export function startTestCore(dataDir: string, workstation: string, serverUrl: string, options: Partial<ConsoleCoreOptions> = {}): ConsoleCore {
  const c = createConsoleCore({
    dataDir,
    workstation,
    enrolmentKey: TEST_ENROLMENT_KEY,
    serverUrl,
    config: demoConfig,
    host: 'browser',
    clock: systemClock,
    log: silentLog,
    ...options,
  });
  c.start();
  return c;
}

/** What a test in a room of workstations and one real server reaches for; valid inside a test (made afresh for each). */
export interface WorkstationsOnServer {
  /** The test's own folder: the server's database (central.sqlite) and each workstation's data folder. */
  readonly dir: string;
  /** The central server process; replaced by startServerAgain. */
  readonly server: RunningProcess & { url: string; port: number };
  /** Every console core started in this test, in the order started. */
  readonly cores: readonly ConsoleCore[];
  /**
   * A workstation's console core, started: its data in dir/<workstation>, talking to the server, on the system clock,
   * silent. `options` replaces any of those (another data folder, a proxy's URL, a manual clock, a telephony).
   */
  core(workstation: string, options?: Partial<ConsoleCoreOptions>): ConsoleCore;
  /** A link to the server the test can cut and heal (a TCP proxy): give its URL as a core's serverUrl. */
  proxy(): Promise<TcpProxy>;
  /** Starts the server again on its database and port, after the test stopped it; `args`: more server options. */
  startServerAgain(options?: { args?: string[] }): Promise<void>;
}

/**
 * Registers, for each test of the file (or describe) it is called in, a fresh folder and a real central server
 * process on SQLite there; after each, stops every core, proxy and the server, and removes the folder. Returns the
 * room, to be used inside the tests.
 */
export function workstationsOnServer(): WorkstationsOnServer {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  let server: (RunningProcess & { url: string; port: number }) | undefined;
  const cores: ConsoleCore[] = [];
  const proxies: TcpProxy[] = [];
  const database = () => join(room.dir, 'central.sqlite');

  const room: WorkstationsOnServer = {
    get dir() {
      if (!dir) throw new Error('workstationsOnServer: the room exists only inside a test');
      return dir.path;
    },
    get server() {
      if (!server) throw new Error('workstationsOnServer: the server exists only inside a test');
      return server;
    },
    cores,
    core(workstation, options = {}) {
      const c = startTestCore(join(room.dir, workstation), workstation, room.server.url, options);
      cores.push(c);
      return c;
    },
    async proxy() {
      const link = await TcpProxy.start(() => room.server.port);
      proxies.push(link);
      return link;
    },
    async startServerAgain({ args } = {}) {
      server = await startServerProcess(database(), room.server.port, { args });
    },
  };

  beforeEach(async () => {
    dir = makeTempDir();
    server = await startServerProcess(database());
  });
  afterEach(async () => {
    for (const c of cores.splice(0)) c.stop();
    for (const p of proxies.splice(0)) await p.close();
    await server?.stop();
    server = undefined;
    dir?.remove();
    dir = undefined;
  });
  return room;
}
