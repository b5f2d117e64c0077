import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { BENCH_ENROLMENT_KEY } from '../support/bench-access';
import { loadForceConfig } from '../../node-common/force-config-file';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { ForceConfig } from '../../shared/domain/force-config';
import { systemClock } from '../../shared/domain/time';
import { judged, type BenchSuite } from '../bench-types';
import { makeBenchDir } from '../support/bench-dir';
import { startBuiltScript, startCentralServerProcess, type RunningChild } from '../support/child-process';
import { round } from '../support/cpu-time';
import { writeShift } from '../support/shift-of-changes';
import { ensurePouchPeerInstalled, loadPouchDB, pouchPeerVersions } from '../peers/pouchdb-peer';

const SUITE = 'catch-up';
/** A twelve-hour shift of a busy control room. */
const CHANGES = 50_000;
const TARGET_SPEEDUP = 5;
/** PouchDB reads and writes in batches of this many (ten times its default of 100); Cordon pulls pages of 5,000, its default. */
const POUCH_BATCH = 1000;

/**
 * A workstation that was current at the start of a twelve-hour shift and has been off the network since comes
 * back: the time from its core starting until its cursor is at the server's head and its view holds all 50,000
 * changes. Beside it, PouchDB replicating the same 50,000 documents from a CouchDB-compatible peer
 * (express-pouchdb) into a local database, both on disk, both servers in their own process on loopback.
 */
export const catchUpSuite: BenchSuite = {
  name: SUITE,
  description: `a workstation back after a 12-hour shift (${CHANGES.toLocaleString('en-GB')} changes) until current, vs PouchDB replication of the same documents`,
  async run() {
    // Before anything is timed: the peer's packages are the benchmark's own, installed on its first run.
    ensurePouchPeerInstalled();
    const versions = pouchPeerVersions();
    const dir = makeBenchDir(SUITE);
    const config = loadForceConfig();
    const serverFile = join(dir.path, 'central.sqlite');
    const dataDir = join(dir.path, 'workstation');
    let server: (RunningChild & { url: string }) | null = null;
    let core: ConsoleCore | null = null;
    try {
      // The workstation is current at the start of the shift (the force's units), then goes off the network.
      server = await startCentralServerProcess(serverFile);
      core = startCore(dataDir, server.url, config);
      core.start();
      const before = await serverHead(server.url);
      await untilCurrent(core, before, 30_000);
      core.stop();
      core = null;
      await server.stop();
      server = null;

      // The shift, written while the workstation is away. Seeding only: the file's durability is loosened while it
      // is written (one fsync per command would take minutes) and is back to synchronous=FULL when the server opens it.
      const seeding = performance.now();
      const storage = SqliteStorage.open(serverFile);
      storage.database.pragma('synchronous = OFF');
      const shift = await writeShift(storage, config, CHANGES, Date.now() - 12 * 60 * 60 * 1000);
      const docs = (storage.database.prepare(`SELECT kind, id, doc FROM records WHERE seq > ? ORDER BY seq`).all(before) as { kind: string; id: string; doc: string }[]).map(
        (row) => ({ _id: `${row.kind}:${row.id}`, kind: row.kind, ...(JSON.parse(row.doc) as object) }),
      );
      await storage.close();
      const docsFile = join(dir.path, 'shift-docs.json');
      writeFileSync(docsFile, JSON.stringify(docs));
      const seededIn = (performance.now() - seeding) / 1000;

      // The workstation comes back.
      server = await startCentralServerProcess(serverFile);
      core = startCore(dataDir, server.url, config);
      const startedAt = performance.now();
      let pages = 0;
      core.onEvent((event) => {
        if (event === 'records.changed') pages += 1;
      });
      core.start();
      await untilCurrent(core, shift.head, 300_000);
      const cordonSeconds = (performance.now() - startedAt) / 1000;
      const held = {
        incidents: count(core, 'incidents'),
        logEntries: count(core, 'incident_log'),
      };
      const serverProblems = server.problems();
      core.stop();
      core = null;
      await server.stop();
      server = null;
      if (held.incidents !== shift.incidents || held.logEntries !== shift.logEntries) {
        throw new Error(`the workstation is at the head but its view holds ${JSON.stringify(held)}, not ${JSON.stringify(shift)}`);
      }

      const pouch = await pouchReplication(dir.path, docsFile, docs.length);

      const peer = {
        name: `PouchDB ${versions.pouchdb} replication from express-pouchdb ${versions.expressPouchdb}, LevelDB on disk at both ends, batch_size ${POUCH_BATCH}`,
        value: round(pouch.seconds, 2),
        unit: 's',
      };
      const detail = {
        changes: shift.changes,
        incidents: shift.incidents,
        logEntries: shift.logEntries,
        cordon: {
          measured: 'core.start() on the workstation file left at the start of the shift, until its pull cursor reaches the head; view then counted',
          pullPageSize: 5000,
          recordsChangedEvents: pages,
          store: 'workstation SQLite file, WAL, synchronous=FULL, one transaction per page',
          server: 'dist/node/server.mjs in its own process',
          serverWarningsOrErrors: serverProblems.length,
        },
        pouchdb: {
          measured: 'PouchDB.replicate(peer, local) until it resolves; local doc_count then checked',
          docsWritten: pouch.docsWritten,
          localDocCount: pouch.docCount,
          adapters: 'leveldb (leveldown 6.1.1 prebuilt) at both ends; LevelDB does not fsync each write by default, which favours PouchDB',
          server: 'express-pouchdb in its own process (dist/node/bench-pouchdb-peer.mjs)',
        },
        seedingSeconds: round(seededIn, 1),
        seeding: 'server storage written through planCommand + SqliteStorage.process, one command per transaction, synchronous=OFF while seeding only',
        fileSystem: dir.fileSystem,
      };
      return [
        judged({
          suite: SUITE,
          name: `catch-up after a 12-hour shift offline (${CHANGES.toLocaleString('en-GB')} changes): time until current`,
          value: round(cordonSeconds, 2),
          unit: 's',
          limit: { value: round(pouch.seconds / TARGET_SPEEDUP, 2), unit: 's', better: 'lower' },
          peer,
          detail,
        }),
        judged({
          suite: SUITE,
          name: 'catch-up speed-up over PouchDB replication of the same documents',
          value: round(pouch.seconds / cordonSeconds, 2),
          unit: 'x',
          limit: { value: TARGET_SPEEDUP, unit: 'x', better: 'higher' },
          peer,
        }),
      ];
    } finally {
      core?.stop();
      await server?.stop();
      dir.remove();
    }
  },
};

function startCore(dataDir: string, serverUrl: string, config: ForceConfig): ConsoleCore {
  return createConsoleCore({
    dataDir,
    workstation: 'WS-LATE',
    enrolmentKey: BENCH_ENROLMENT_KEY,
    serverUrl,
    config,
    host: 'browser',
    clock: systemClock,
    log: pino({ level: 'silent' }),
  });
}

async function serverHead(serverUrl: string): Promise<number> {
  const health = (await (await fetch(new URL('/healthz', serverUrl))).json()) as { head: number };
  return health.head;
}

/** Resolves at the first event after which the workstation's cursor is at head (each page committed sends one). */
function untilCurrent(core: ConsoleCore, head: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the workstation is at ${core.store.pullCursor}, not ${head}, after ${timeoutMs} ms`));
    }, timeoutMs);
    const check = () => {
      if (core.store.pullCursor < head) return;
      clearTimeout(timer);
      stop();
      resolve();
    };
    const stop = core.onEvent(check);
    check();
  });
}

function count(core: ConsoleCore, table: 'incidents' | 'incident_log'): number {
  return (core.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

async function pouchReplication(dir: string, docsFile: string, expected: number): Promise<{ seconds: number; docsWritten: number; docCount: number }> {
  const peer = await startBuiltScript('dist/node/bench-pouchdb-peer.mjs', [dir, docsFile], /\{"url":"([^"]+)"/, {}, 300_000);
  try {
    const PouchDB = loadPouchDB();
    const local = new PouchDB(join(dir, 'pouch-local'));
    await local.info(); // opens the database first, as the Cordon workstation's file is open before its clock starts
    const started = performance.now();
    const result = await PouchDB.replicate(peer.match[1]!, local, { batch_size: POUCH_BATCH });
    const seconds = (performance.now() - started) / 1000;
    const { doc_count: docCount } = await local.info();
    await local.close();
    if (docCount !== expected) throw new Error(`PouchDB replicated ${docCount} documents, not ${expected}`);
    return { seconds, docsWritten: result.docs_written, docCount };
  } finally {
    await peer.stop();
  }
}
