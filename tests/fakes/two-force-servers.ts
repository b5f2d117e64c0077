import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startPostgres, type TestPostgres } from './postgres';
import { startServerProcess, startServerProcessOnPostgres } from './processes';

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
