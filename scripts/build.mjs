#!/usr/bin/env node
// Builds what runs: the renderer (Vite), the Node-side entry points and the Electron shell (esbuild).
//   node scripts/build.mjs              build everything
//   node scripts/build.mjs --if-stale   only if a source file is newer than the last build
//   node scripts/build.mjs --node-only  skip the renderer (for the server and the tests of the core)
import { build as esbuild } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const nodeOnly = args.has('--node-only');
const SOURCE_DIRS = ['shared', 'node-common', 'main', 'server', 'launch', 'bench', ...(nodeOnly ? [] : ['renderer', 'assets'])];
const nodeStamp = join(root, 'dist', '.node-build-stamp');
const stamp = nodeOnly ? nodeStamp : join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // The benchmark's own packages (bench/peers/pouchdb/node_modules) are not sources.
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const exerciseArea = join(root, 'dist', 'areas', 'exercise');

function isStale() {
  if (!existsSync(stamp) || !existsSync(join(exerciseArea, 'area.json'))) return true;
  const built = statSync(stamp).mtimeMs;
  const inputs = [...SOURCE_DIRS.map((d) => newestMtime(join(root, d))), statSync(join(root, 'package-lock.json')).mtimeMs];
  return inputs.some((t) => t > built);
}

if (args.has('--if-stale') && !isStale()) process.exit(0);

const started = performance.now();
// import.meta is only read where __filename is absent, so its emptiness in the CommonJS bundles is harmless.
const common = { logOverride: { 'empty-import-meta': 'silent' }, bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', absWorkingDir: root };

await esbuild({
  ...common,
  entryPoints: {
    console: 'launch/console-main.ts',
    launch: 'launch/launch.ts',
    server: 'launch/server-main.ts',
    revoke: 'launch/revoke-main.ts',
    unlock: 'launch/unlock-main.ts',
    bench: 'bench/run.ts',
    'area-import': 'launch/area-import-main.ts',
    'area-exercise': 'launch/area-exercise-main.ts',
    audit: 'launch/audit-main.ts',
    // Processes the benchmarks start: simulated workstations (console cores; protocol clients for the server-load
    // suite), and the PouchDB peer of the catch-up suite.
    'bench-fleet': 'bench/fleet/fleet-main.ts',
    'bench-load-clients': 'bench/load/load-clients-main.ts',
    'bench-pouchdb-peer': 'bench/peers/pouchdb-peer-main.ts',
  },
  outdir: 'dist/node',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  packages: 'external',
});

// The Electron shell: main process and core process as CommonJS; the preload bundled whole, because a sandboxed
// preload can require nothing but electron's own modules.
await esbuild({
  ...common,
  entryPoints: { main: 'launch/electron-main.ts', 'core-process': 'launch/electron-core-process.ts' },
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  packages: 'external',
});
await esbuild({
  ...common,
  entryPoints: { preload: 'main/hosts/electron/preload.ts' },
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  external: ['electron'],
  platform: 'browser',
  target: 'chrome130',
});

// The default area: generated from a fixed seed, so it only changes when the generator does.
const generator = join(root, 'dist', 'node', 'area-exercise.mjs');
const generatorHash = createHash('sha256').update(readFileSync(generator)).digest('hex');
const areaStamp = join(root, 'dist', 'areas', 'exercise.stamp');
if (!existsSync(join(exerciseArea, 'area.json')) || !existsSync(areaStamp) || readFileSync(areaStamp, 'utf8') !== generatorHash) {
  execFileSync(process.execPath, [generator, '--out', exerciseArea], { stdio: 'inherit' });
  writeFileSync(areaStamp, generatorHash);
}

if (!nodeOnly) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

mkdirSync(dirname(stamp), { recursive: true });
for (const written of new Set([stamp, nodeStamp])) writeFileSync(written, new Date().toISOString());
console.log(`cordon: built ${nodeOnly ? 'the Node side' : 'everything'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
