import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pino } from 'pino';
import { createConsoleCore } from '../../main/core/console-core';
import { unverifiedLocation } from '../../shared/domain/location';
import { BENCH_OPERATOR, rememberBenchOperator } from '../support/bench-access';
import { openSqlite } from '../../node-common/sqlite';
import { WorkstationStore } from '../../main/store/workstation-store';
import { issueCommand } from '../../main/sync/issue-command';
import { LinkError, type ServerAccess, type ServerLink } from '../../main/sync/server-link';
import { loadForceConfig } from '../../node-common/force-config-file';
import type { ForceConfig } from '../../shared/domain/force-config';
import { systemClock } from '../../shared/domain/time';
import { judged, percentile, type BenchSuite } from '../bench-types';
import { makeBenchDir } from '../support/bench-dir';
import { round } from '../support/cpu-time';

const SUITE = 'write-path';
/**
 * The writers take turns in short slices rather than one long run each: a shared disk's speed drifts by several
 * times over seconds here, and interleaving puts every writer under the same conditions.
 */
const SLICE_MS = 250;
const SLICES = 24;
/** The target of issue 3: the whole write path at least a quarter of the bare SQLite commit rate. */
const TARGET_SHARE = 0.25;

const LOG_TEXT = 'Caller reports two men trying car door handles on Elm Street, one in a red jacket; units asked to attend';

/**
 * A server that never answers: the sync client's first push waits for ever, and every later kick only notes that
 * a cycle is wanted. So what is measured is the write path alone, not the sync traffic that follows it.
 */
const silentLink: ServerLink & ServerAccess = {
  push: () => new Promise(() => {}),
  pull: () => new Promise(() => {}),
  live: () => () => {},
  // No server: the operator signs in against what the workstation kept (see rememberBenchOperator).
  signIn: () => Promise.reject(new LinkError('no server in this benchmark', true)),
};

interface Writer {
  name: 'raw' | 'core' | 'issueCommand';
  /** Writes one unit (a row, a command) and resolves once it is committed. */
  write(): unknown;
  close(): void;
  count: number;
  ms: number;
  sliceRates: number[];
}

/**
 * Confirmed commands per second through the console core, the path an operator's keystroke takes
 * (`incidents.addLog`: the contract's validation, the rules, the view and the outbox row in one IMMEDIATE
 * transaction, synchronous=FULL, then the events to the windows), beside raw better-sqlite3 committing one row per
 * transaction with the same pragmas on the same disk. issueCommand alone is reported too, to show where time goes.
 */
export const writePathSuite: BenchSuite = {
  name: SUITE,
  description: 'confirmed commands/s (core dispatch, state + outbox, synchronous=FULL) vs raw better-sqlite3 one INSERT per transaction',
  async run() {
    const dir = makeBenchDir(SUITE);
    const config = loadForceConfig();
    const writers: Writer[] = [];
    try {
      writers.push(rawWriter(join(dir.path, 'raw.sqlite')), await coreWriter(join(dir.path, 'core'), config), await issueCommandWriter(join(dir.path, 'issue.sqlite'), config));
      for (let slice = 0; slice < SLICES; slice += 1) {
        // Rotate who goes first, so none always follows the same neighbour's checkpoint.
        for (let i = 0; i < writers.length; i += 1) await runSlice(writers[(slice + i) % writers.length]!);
      }
      const rate = (w: Writer) => w.count / (w.ms / 1000);
      const [raw, core, issue] = writers.map(rate) as [number, number, number];
      const spread = (w: Writer) => ({ p10: round(percentile(w.sliceRates, 10), 0), p50: round(percentile(w.sliceRates, 50), 0), p90: round(percentile(w.sliceRates, 90), 0) });
      const peer = { name: 'raw better-sqlite3, one INSERT per transaction, same pragmas and disk', value: round(raw, 0), unit: 'rows/s' };
      const detail = {
        method: `${SLICES} slices of ${SLICE_MS} ms per writer, interleaved; core: dispatch("incidents.addLog") awaited one at a time with the sync link held silent; raw: one INSERT per IMMEDIATE transaction`,
        fileSystem: dir.fileSystem,
        directory: dir.path,
        pragmas: 'journal_mode=WAL, synchronous=FULL, foreign_keys=ON, all through openSqlite',
        written: Object.fromEntries(writers.map((w) => [w.name, w.count])),
        sliceRatesPerSecond: Object.fromEntries(writers.map((w) => [w.name, spread(w)])),
        issueCommandOnlyPerSecond: round(issue, 0),
      };
      return [
        judged({
          suite: SUITE,
          name: 'confirmed commands per second (incidents.addLog through the console core)',
          value: round(core, 0),
          unit: 'commands/s',
          limit: { value: round(raw * TARGET_SHARE, 0), unit: 'commands/s', better: 'higher' },
          peer,
          detail,
        }),
        judged({
          suite: SUITE,
          name: 'write path as a share of the raw SQLite commit rate',
          value: round(core / raw, 3),
          unit: 'ratio',
          limit: { value: TARGET_SHARE, unit: 'ratio', better: 'higher' },
          peer,
        }),
      ];
    } finally {
      for (const writer of writers) writer.close();
      dir.remove();
    }
  },
};

async function runSlice(writer: Writer): Promise<void> {
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < SLICE_MS) {
    await writer.write();
    count += 1;
    elapsed = performance.now() - started;
  }
  writer.count += count;
  writer.ms += elapsed;
  writer.sliceRates.push(count / (elapsed / 1000));
}

function writer(name: Writer['name'], write: () => unknown, close: () => void): Writer {
  return { name, write, close, count: 0, ms: 0, sliceRates: [] };
}

/** The baseline: the least a durable commit costs on this disk. */
function rawWriter(file: string): Writer {
  const db = openSqlite(file, [{ version: 1, name: 'rows', up: (d) => d.exec(`CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT`) }]);
  const insert = db.prepare(`INSERT INTO rows (body) VALUES (?)`);
  const write = db.transaction((body: string) => insert.run(body));
  // A body the size of a command envelope, so the bytes written are comparable.
  const body = JSON.stringify({ name: 'incident.addLog', text: LOG_TEXT, padding: 'x'.repeat(300) });
  return writer('raw', () => write.immediate(body), () => db.close());
}

async function coreWriter(dataDir: string, config: ForceConfig): Promise<Writer> {
  const core = createConsoleCore({
    dataDir,
    workstation: 'BENCH-1',
    enrolmentKey: null,
    serverUrl: 'http://127.0.0.1:9',
    config,
    host: 'browser',
    clock: systemClock,
    log: pino({ level: 'silent' }),
    link: silentLink,
  });
  await rememberBenchOperator(core.store);
  const signedIn = await core.dispatch('session.signIn', BENCH_OPERATOR);
  if (!signedIn.ok) throw new Error(`sign-in: ${signedIn.error.message}`);
  const created = await core.dispatch('incidents.create', { type: 'SUSPICIOUS', location: unverifiedLocation('Elm Street'), grade: '2', firstLog: null });
  if (!created.ok) throw new Error(`incidents.create: ${created.error.message}`);
  const incidentId = (created.value as { incident: { id: string } }).incident.id;
  return writer(
    'core',
    async () => {
      const reply = await core.dispatch('incidents.addLog', { incidentId, text: LOG_TEXT });
      if (!reply.ok) throw new Error(`incidents.addLog: ${reply.error.message}`);
    },
    () => core.stop(),
  );
}

/** issueCommand alone: without the contract's validation and the events the core sends its windows. */
async function issueCommandWriter(file: string, config: ForceConfig): Promise<Writer> {
  const store = WorkstationStore.open(file);
  const who = { operator: BENCH_OPERATOR.operator, workstation: 'BENCH-1', ticket: 'bench' };
  await rememberBenchOperator(store);
  const incidentId = randomUUID();
  const at = () => new Date().toISOString();
  issueCommand(store, config, who, 'incident.create', { incidentId, provisionalReference: 'BENCH-1-P0001', type: 'SUSPICIOUS', location: unverifiedLocation('Elm Street'), grade: '2', firstLog: null }, at());
  return writer(
    'issueCommand',
    () => issueCommand(store, config, who, 'incident.addLog', { incidentId, entryId: randomUUID(), text: LOG_TEXT }, at()),
    () => store.close(),
  );
}
