import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareElectronRuntime, type RuntimeDeps } from '../../launch/electron-runtime';
import { makeTempDir } from '../fakes/temp-dir';

let dir: ReturnType<typeof makeTempDir>;
let runs: string[][];
let network: 'up' | 'down';

function deps(): RuntimeDeps {
  const root = dir.path;
  return {
    root,
    exists: existsSync,
    now: () => Date.now(),
    platform: 'linux',
    arch: 'x64',
    nodePath: '/usr/bin/node',
    async run(_command, args, { cwd }) {
      runs.push(args);
      if (network === 'down') return { code: 1, output: 'RequestError: getaddrinfo ENOTFOUND github.com' };
      if (args[0]?.endsWith('install.js')) {
        writeFileSync(join(root, 'node_modules/electron/path.txt'), 'electron');
        mkdirSync(join(root, 'node_modules/electron/dist'), { recursive: true });
        writeFileSync(join(root, 'node_modules/electron/dist/electron'), '');
      } else {
        mkdirSync(join(cwd, 'build/Release'), { recursive: true });
        writeFileSync(join(cwd, 'build/Release/better_sqlite3.node'), 'electron-abi');
      }
      return { code: 0, output: '' };
    },
  };
}

beforeEach(() => {
  dir = makeTempDir();
  runs = [];
  network = 'up';
  mkdirSync(join(dir.path, 'node_modules/electron'), { recursive: true });
  writeFileSync(join(dir.path, 'node_modules/electron/package.json'), JSON.stringify({ version: '41.7.1' }));
  mkdirSync(join(dir.path, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
  writeFileSync(join(dir.path, 'node_modules/better-sqlite3/package.json'), '{}');
  writeFileSync(join(dir.path, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), 'node-abi');
});
afterEach(() => dir.remove());

const log = () => {};

describe('preparing the Electron runtime on a user machine', () => {
  it('fetches a missing binary and builds SQLite for Electron beside, not over, the Node build', async () => {
    const runtime = await prepareElectronRuntime(deps(), { force: false, log });
    expect(runtime).toEqual({
      ok: true,
      binary: join(dir.path, 'node_modules/electron/dist/electron'),
      sqliteBinding: join(dir.path, 'native/electron-41.7.1-linux-x64/better_sqlite3.node'),
    });
    expect(runs[1]).toEqual(expect.arrayContaining(['--runtime=electron', '--target=41.7.1']));
    expect(existsSync(join(dir.path, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(await prepareElectronRuntime(deps(), { force: false, log })).toMatchObject({ ok: true });
    expect(runs).toHaveLength(2); // nothing fetched or built twice
  });

  it('says why when the binary cannot be fetched, and does not retry on every start', async () => {
    network = 'down';
    expect(await prepareElectronRuntime(deps(), { force: false, log })).toEqual({ ok: false, reason: 'Electron 41.7.1 could not be fetched: RequestError: getaddrinfo ENOTFOUND github.com' });
    expect(await prepareElectronRuntime(deps(), { force: false, log })).toMatchObject({ ok: false, reason: expect.stringContaining('failed recently') });
    expect(runs).toHaveLength(1);
    await prepareElectronRuntime(deps(), { force: true, log });
    expect(runs).toHaveLength(2);
  });

  it('tries again a day after a failed fetch', async () => {
    network = 'down';
    await prepareElectronRuntime(deps(), { force: false, log });
    const marker = join(dir.path, 'node_modules/.cache/cordon/electron-fetch-failed');
    const dayAndABitAgo = (Date.now() - 25 * 3600_000) / 1000;
    utimesSync(marker, dayAndABitAgo, dayAndABitAgo);
    network = 'up';
    expect(await prepareElectronRuntime(deps(), { force: false, log })).toMatchObject({ ok: true });
  });
});
