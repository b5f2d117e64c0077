import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Finding, and where missing fetching, what the Electron host needs on a user's machine: Electron's binary and a
 * better-sqlite3 built for Electron's ABI (kept apart from node_modules' own build, which `npm test` uses under Node).
 * Our build machines cannot reach GitHub, where both come from, so every step here can fail and say why; the
 * caller then falls back to the browser host.
 */
export interface RuntimeDeps {
  root: string;
  exists(path: string): boolean;
  /** Runs a command to completion; resolves with its exit code and output. */
  run(command: string, args: string[], options: { cwd: string; timeoutMs: number }): Promise<{ code: number | null; output: string }>;
  now(): number;
  platform: string;
  arch: string;
  nodePath: string;
}

export type ElectronRuntime = { ok: true; binary: string; sqliteBinding: string } | { ok: false; reason: string };

const RETRY_FETCH_AFTER_MS = 24 * 60 * 60 * 1000;

export async function prepareElectronRuntime(deps: RuntimeDeps, options: { force: boolean; log(line: string): void }): Promise<ElectronRuntime> {
  const electronDir = join(deps.root, 'node_modules', 'electron');
  if (!deps.exists(join(electronDir, 'package.json'))) return { ok: false, reason: 'the electron package is not installed' };
  const version = (JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string }).version;
  const marker = join(deps.root, 'node_modules', '.cache', 'cordon', 'electron-fetch-failed');

  let binary = electronBinary(electronDir, deps);
  if (!binary) {
    if (!options.force && deps.exists(marker) && deps.now() - statSync(marker).mtimeMs < RETRY_FETCH_AFTER_MS) {
      return { ok: false, reason: `Electron ${version} is not downloaded and fetching it failed recently (delete ${marker} or pass --shell electron to try again)` };
    }
    options.log(`Fetching Electron ${version}…`);
    const fetched = await deps.run(deps.nodePath, [join(electronDir, 'install.js')], { cwd: electronDir, timeoutMs: 10 * 60_000 });
    binary = fetched.code === 0 ? electronBinary(electronDir, deps) : null;
    if (!binary) {
      remember(marker, fetched.output);
      return { ok: false, reason: `Electron ${version} could not be fetched: ${lastLine(fetched.output)}` };
    }
  }

  const binding = join(deps.root, 'native', `electron-${version}-${deps.platform}-${deps.arch}`, 'better_sqlite3.node');
  if (!deps.exists(binding)) {
    options.log(`Building SQLite for Electron ${version}…`);
    const built = await buildSqliteForElectron(deps, version, binding);
    if (!built.ok) return built;
  }
  return { ok: true, binary, sqliteBinding: binding };
}

function electronBinary(electronDir: string, deps: RuntimeDeps): string | null {
  const pathFile = join(electronDir, 'path.txt');
  if (!deps.exists(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return deps.exists(binary) ? binary : null;
}

/**
 * A copy of better-sqlite3 built against Electron's headers: first a prebuilt binary (prebuild-install), then a
 * compile with node-gyp. The copy keeps node_modules/better-sqlite3 built for Node.
 */
async function buildSqliteForElectron(deps: RuntimeDeps, version: string, binding: string): Promise<ElectronRuntime> {
  const source = join(deps.root, 'node_modules', 'better-sqlite3');
  const work = join(deps.root, 'native', 'build-better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  cpSync(source, work, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
  const target = ['--runtime=electron', `--target=${version}`, `--arch=${deps.arch}`, `--platform=${deps.platform}`];
  const attempts: [string, string[]][] = [
    [deps.nodePath, [join(deps.root, 'node_modules', 'prebuild-install', 'bin.js'), ...target]],
    [deps.nodePath, [join(dirname(dirname(deps.nodePath)), 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild', '--release', `--target=${version}`, `--arch=${deps.arch}`, '--dist-url=https://electronjs.org/headers']],
  ];
  let output = '';
  for (const [command, args] of attempts) {
    const result = await deps.run(command, args, { cwd: work, timeoutMs: 15 * 60_000 });
    output = result.output;
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (result.code === 0 && deps.exists(built)) {
      mkdirSync(dirname(binding), { recursive: true });
      cpSync(built, binding);
      rmSync(work, { recursive: true, force: true });
      return { ok: true, binary: '', sqliteBinding: binding };
    }
  }
  return { ok: false, reason: `better-sqlite3 could not be built for Electron ${version}: ${lastLine(output)}` };
}

function remember(marker: string, output: string): void {
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, output);
}

function lastLine(output: string): string {
  const lines = output.trim().split('\n').filter((l) => /error|fail|ENOTFOUND|EAI_AGAIN|ECONN/i.test(l));
  return (lines.at(0) ?? output.trim().split('\n').at(-1) ?? 'no output').trim().slice(0, 200);
}

export function existsPath(path: string): boolean {
  return existsSync(path);
}
