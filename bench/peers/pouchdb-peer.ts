// The PouchDB peer's packages live apart from the console's (bench/peers/pouchdb/: its own package.json and lock),
// because only the catch-up benchmark uses them and they are about 240 packages the console never needs. They
// are installed there, into a git-ignored node_modules, the first time the benchmark runs.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PouchStatic } from 'pouchdb';
import type expressPouchDB from 'express-pouchdb';
import { appRoot } from '../../node-common/app-paths';

/** The folder holding the peer's package.json, package-lock.json and, once installed, node_modules. */
export function pouchPeerDir(): string {
  return join(appRoot(), 'bench', 'peers', 'pouchdb');
}

/**
 * Installs the peer's packages with `npm ci` from its own lock when they are missing or older than the lock;
 * otherwise does nothing. npm's output goes to stderr, because stdout carries the benchmark's JSON report.
 * Throws when npm fails (no registry, say), naming the folder.
 */
export function ensurePouchPeerInstalled(): void {
  const dir = pouchPeerDir();
  // npm writes this copy of the lock when it installs: present and newer than the lock means installed from it.
  const installed = join(dir, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(dir, 'package-lock.json')).mtimeMs) return;
  console.error(`bench: installing the PouchDB peer's packages into ${join(dir, 'node_modules')} (first use)`);
  // Under `npm run` the running npm is npm_execpath; run directly, the npm on the PATH.
  const npm = process.env.npm_execpath;
  const args = ['ci', '--prefix', dir, '--no-audit', '--no-fund'];
  try {
    if (npm && /\.[cm]?js$/.test(npm)) execFileSync(process.execPath, [npm, ...args], { stdio: ['ignore', process.stderr, process.stderr] });
    else execFileSync('npm', args, { stdio: ['ignore', process.stderr, process.stderr] });
  } catch (error) {
    throw new Error(`could not install the PouchDB peer's packages in ${dir} (npm ci): ${(error as Error).message}`, { cause: error });
  }
}

const peerRequire = () => createRequire(join(pouchPeerDir(), 'package.json'));

/** PouchDB, from the peer's folder (ensurePouchPeerInstalled first). */
export function loadPouchDB(): PouchStatic {
  return peerRequire()('pouchdb') as PouchStatic;
}

/** express-pouchdb, from the peer's folder (ensurePouchPeerInstalled first). */
export function loadExpressPouchDB(): typeof expressPouchDB {
  return peerRequire()('express-pouchdb') as typeof expressPouchDB;
}

/** The installed versions, for the report: the lock decides them, not this code. */
export function pouchPeerVersions(): { pouchdb: string; expressPouchdb: string } {
  const version = (name: string) => (peerRequire()(`${name}/package.json`) as { version: string }).version;
  return { pouchdb: version('pouchdb'), expressPouchdb: version('express-pouchdb') };
}
