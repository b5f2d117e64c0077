import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';
import type { ConsoleCore, ConsoleCoreOptions } from '../../main/core/console-core';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import { startPostgres, type TestPostgres } from './postgres';
import { startServerProcess, startServerProcessOnPostgres, type RunningProcess } from './processes';
import { makeTempDir } from './temp-dir';
import { startTestCore } from './workstations-on-server';

/**
 * The real central server serving both demonstration forces, on each storage, for `describe.each`: SQLite in the
 * test's folder, and PostgreSQL in one cluster started at first use for the whole file (and removed after it). Call
 * at a test file's top level (it registers the file's afterAll).
 */
export function twoForceServerStorages() {
  let cluster: TestPostgres | null = null;
  afterAll(() => cluster?.remove());
  return [
    { name: 'SQLite', start: (dir: string) => startServerProcess(join(dir, 'central.sqlite'), 0, { forces: 'demonstration' }) },
    {
      name: 'PostgreSQL',
      start: async () => {
        cluster ??= await startPostgres();
        return startServerProcessOnPostgres(await cluster.createDatabase(), 0, { forces: 'demonstration' });
      },
    },
  ];
}

/**
 * A room of both forces on one real server, for one `describe.each(twoForceServerStorages())` block: before each test
 * a fresh folder and server (`start`), after it every workstation stopped, the server stopped and the folder removed.
 * `workstation` starts a console core enrolled for DMO or NBR; `fileBytes` is what anyone with the disk could read of
 * a workstation's SQLite file and its write-ahead log. Call inside the describe block.
 */
export function twoForceRoom(start: (dir: string) => Promise<RunningProcess & { url: string }>) {
  const neighbour = loadForceConfig(demonstrationForces()[1]!.configFile);
  let dir: ReturnType<typeof makeTempDir>;
  let server: RunningProcess & { url: string };
  const cores: ConsoleCore[] = [];
  beforeEach(async () => {
    dir = makeTempDir();
    server = await start(dir.path);
  }, 60_000);
  afterEach(async () => {
    for (const c of cores.splice(0)) c.stop();
    await server.stop();
    dir.remove();
  });
  return {
    get dir() {
      return dir;
    },
    get server() {
      return server;
    },
    /** `options`: more of the core's options (a telephony that rings calls, say). */
    workstation(name: string, force: 'DMO' | 'NBR', options: Partial<ConsoleCoreOptions> = {}): ConsoleCore {
      const c = startTestCore(join(dir.path, name), name, server.url, { ...(force === 'NBR' ? { config: neighbour } : {}), ...options });
      cores.push(c);
      return c;
    },
    /** Stops a workstation now (it goes away from the room), and not again after the test. */
    stopWorkstation(c: ConsoleCore): void {
      c.stop();
      cores.splice(cores.indexOf(c), 1);
    },
    fileBytes(name: string): string {
      const file = join(dir.path, name, 'workstation.sqlite');
      return [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('');
    },
  };
}
