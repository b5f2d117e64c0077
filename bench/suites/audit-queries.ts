import { statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { handleAuditQuery, type AuditRouteDeps } from '../../server/audit/audit-routes';
import { issueTicket } from '../../server/access/tickets';
import { TICKET_SECRET } from '../../server/access/access-routes';
import { runSystemCommands } from '../../server/commands/system-commands';
import type { ServerRules } from '../../server/commands/plan-command';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import type { ServerStorage } from '../../server/storage/storage';
import type { AuditEntry } from '../../server/audit/audit-chain';
import { loadForceConfig } from '../../node-common/force-config-file';
import type { AuditQuestion } from '../../shared/sync/audit-protocol';
import { judged, percentile, type BenchFigure, type BenchSuite } from '../bench-types';
import { fileSystemOf, makeBenchDir } from '../support/bench-dir';
import { round } from '../support/cpu-time';
import { HANDLERS, MEAN_ENTRIES_PER_INCIDENT, YEAR_MS, YEAR_START, operatorName, seeded, syntheticAuditYear } from '../support/synthetic-audit-year';
import { startPostgres } from '../../tests/fakes/postgres';

/** Issue 13: each question answered within a second on a year's log at a large force's volume. */
const LIMIT_MS = 1000;
/** Which storages to fill and ask (CORDON_BENCH_AUDIT_STORAGES=sqlite,postgres). */
const STORAGES = (process.env.CORDON_BENCH_AUDIT_STORAGES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const ASKS = 300;
const AUDITOR = 'bench-auditor';
const CLIENT_ID = '11111111-1111-4111-8111-111111111111';
const log = pino({ level: 'silent' });

/** Which run: the suite's name (for its figures) and the year's size in incidents. */
interface Scale {
  suite: string;
  incidents: number;
}

/**
 * The auditor's three questions (server/audit/audit-routes.ts) on a synthetic year of audit log
 * (bench/support/synthetic-audit-year.ts: ≈ 14.3 entries an incident, a valid hash chain), on the embedded SQLite
 * file and on PostgreSQL: p50 and p95 over a few hundred random asks each, the whole route as the server runs it
 * (validation, ticket and role checks, the question's own consultation entry appended to the chain, the page of 50
 * read), beside issue 13's limit of one second. CORDON_BENCH_AUDIT_INCIDENTS overrides the year's size (a quick try).
 */
function auditQueriesAt(suite: string, incidents: number, onlyWhenNamed: boolean): BenchSuite {
  const scale: Scale = { suite, incidents: Number(process.env.CORDON_BENCH_AUDIT_INCIDENTS ?? incidents) };
  return {
    name: suite,
    description: `audit log questions on a synthetic year (${scale.incidents} incidents, ≈ ${round(MEAN_ENTRIES_PER_INCIDENT, 1)} entries each): p50/p95 vs ${LIMIT_MS} ms`,
    onlyWhenNamed,
    run: () => runAt(scale),
  };
}

/** In every `npm run bench`: a small force's year (100,000 incidents, ≈ 1.4 million entries), minutes. */
export const auditQueriesSuite = auditQueriesAt('audit-queries', 100_000, false);
/**
 * Issue 13's scale, run only when named (`npm run bench -- audit-queries-year`): a large force's year, 2 million
 * incidents, ≈ 28.6 million entries; an hour or more on a shared machine, most of it writing the year.
 */
export const auditQueriesYearSuite = auditQueriesAt('audit-queries-year', 2_000_000, true);

async function runAt(scale: Scale): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const written = process.env.CORDON_BENCH_AUDIT_SQLITE_FILE;
  if (written) {
    // Asking again on a log written before (a year takes hours to write on a shared machine): nothing is written
    // but the questions' own entries, the file is left where it is, and PostgreSQL is not asked.
    const storage = SqliteStorage.open(written);
    try {
      figures.push(...(await askAll(scale, storage, 'SQLite', { ...alreadyWritten(storage), fileSystem: fileSystemOf(written), megabytes: Math.round(fileSize(written) / 2 ** 20) })));
    } finally {
      await storage.close();
    }
  } else if (STORAGES.includes('sqlite')) {
    const dir = makeBenchDir(scale.suite);
    const file = join(dir.path, 'central.sqlite');
    const storage = SqliteStorage.open(file);
    try {
      const db = storage.database;
      // Loading only (not measured): the year is written as fast as the disk allows, then the pragmas go back.
      db.pragma('synchronous = OFF');
      db.pragma('cache_size = -1048576');
      const insert = db.prepare(`INSERT INTO audit_log (seq, recorded_at, issued_at, operator, workstation, client_id, force, command_id, command,
        kind, record_kind, record_id, field, before, after, prev_hash, hash)
        VALUES (@seq, @recordedAt, @issuedAt, @operator, @workstation, @clientId, @force, @commandId, @command,
        @kind, @recordKind, @recordId, @field, @before, @after, @prevHash, @hash)`);
      const reveal = db.prepare(`INSERT INTO audit_reveals (record_kind, record_id, seq) VALUES (?, ?, ?)`);
      const insertBatch = db.transaction((entries: AuditEntry[]) => {
        for (const entry of entries) {
          insert.run(entry);
          for (const record of entry.reveals ?? []) reveal.run(record.kind, record.id, entry.seq);
        }
      });
      const loaded = await fill(scale, storage, async (entries) => insertBatch(entries));
      db.pragma('synchronous = FULL');
      figures.push(...(await askAll(scale, storage, 'SQLite', { ...loaded, fileSystem: dir.fileSystem, megabytes: Math.round(fileSize(file) / 2 ** 20) })));
    } finally {
      await storage.close();
      dir.remove();
    }
  }
  if (STORAGES.includes('postgres') && !written) {
    const cluster = await startPostgres();
    try {
      const url = await cluster.createDatabase();
      const storage = await PostgresStorage.open(url, { log });
      const loader = new pg.Client({ connectionString: url });
      await loader.connect();
      try {
        await loader.query('SET synchronous_commit = off');
        const loaded = await fill(scale, storage, async (entries) => {
          const column = (pick: (e: AuditEntry) => string | number | null) => entries.map(pick);
          await loader.query(
            `INSERT INTO audit_log (seq, recorded_at, issued_at, operator, workstation, client_id, force, command_id, command,
               kind, record_kind, record_id, field, before, after, prev_hash, hash)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
               $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])`,
            [
              column((e) => e.seq), column((e) => e.recordedAt), column((e) => e.issuedAt), column((e) => e.operator),
              column((e) => e.workstation), column((e) => e.clientId), column((e) => e.force), column((e) => e.commandId),
              column((e) => e.command), column((e) => e.kind), column((e) => e.recordKind), column((e) => e.recordId),
              column((e) => e.field), column((e) => e.before), column((e) => e.after), column((e) => e.prevHash), column((e) => e.hash),
            ],
          );
          const reveals = entries.flatMap((e) => (e.reveals ?? []).map((record) => [record.kind, record.id, e.seq] as const));
          if (reveals.length > 0) {
            await loader.query(`INSERT INTO audit_reveals (record_kind, record_id, seq) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])`, [
              reveals.map((r) => r[0]),
              reveals.map((r) => r[1]),
              reveals.map((r) => r[2]),
            ]);
          }
        });
        // As autovacuum would after a year of writes: the planner's statistics of the table.
        await loader.query('ANALYZE audit_log');
        await loader.query('ANALYZE audit_reveals');
        const { rows } = await loader.query<{ mb: string }>(`SELECT (pg_total_relation_size('audit_log') / 1048576)::text AS mb`);
        figures.push(...(await askAll(scale, storage, 'PostgreSQL', { ...loaded, megabytes: Number(rows[0]?.mb) })));
      } finally {
        await loader.end();
        await storage.close();
      }
    } finally {
      await cluster.remove();
    }
  }
  return figures;
}

interface Loaded {
  /** Incidents in the log, and its entries. */
  incidentCount: number;
  entries: number;
  /** Writing the year: making the entries (generateSeconds) and inserting them (insertSeconds), in seconds. */
  loadSeconds: number;
  generateSeconds: number;
  insertSeconds: number;
  /** Incidents to ask about, sampled evenly from the year. */
  incidents: string[];
  disclosures: number[];
  /** The span of server time the log covers, in ms: the operator questions ask about shifts within it. */
  span: { from: number; to: number };
}

/**
 * What askAll needs of a SQLite log written by an earlier run (CORDON_BENCH_AUDIT_SQLITE_FILE, kept with
 * CORDON_KEEP_BENCH_FILES=1, or the file of a run stopped while writing): the incidents to ask about, sampled
 * evenly by their creation, its disclosures, the span its records' entries cover (not the benchmark auditor's own,
 * written at the year's end). Its writing time is not known (0).
 */
function alreadyWritten(storage: SqliteStorage): Loaded {
  const db = storage.database;
  const created = db.prepare(`SELECT record_id AS id FROM audit_log WHERE kind = 'collection' AND record_kind = 'incident' ORDER BY seq`).pluck().all() as string[];
  const every = Math.max(1, Math.floor(created.length / ASKS));
  const { entries, first, last } = db.prepare(`SELECT count(*) AS entries, min(recorded_at) AS first, max(recorded_at) AS last FROM audit_log WHERE record_kind NOT IN ('audit-log', 'operator')`).get() as { entries: number; first: string; last: string };
  return {
    incidentCount: created.length,
    entries,
    loadSeconds: 0,
    generateSeconds: 0,
    insertSeconds: 0,
    incidents: created.filter((_, i) => i % every === 0),
    disclosures: db.prepare(`SELECT seq FROM audit_log WHERE kind = 'disclosure' ORDER BY seq`).pluck().all() as number[],
    span: { from: Date.parse(first), to: Date.parse(last) },
  };
}

/** Registers the auditor, then writes the year after the log's head through `insert`, a batch at a time. */
async function fill(scale: Scale, storage: ServerStorage, insert: (entries: AuditEntry[]) => Promise<void>): Promise<Loaded> {
  await runSystemCommands(storage, rules, [{ name: 'operator.register', args: { name: AUDITOR, displayName: 'Bench auditor', roles: ['auditor'], active: true } }]);
  const before = await storage.auditEntries(0, 10_000);
  const last = before.at(-1);
  const sampleEvery = Math.max(1, Math.floor(scale.incidents / ASKS));
  const incidents: string[] = [];
  const disclosures: number[] = [];
  const started = performance.now();
  let entries = 0;
  let reported = 0;
  let inserting = 0;
  let span = { from: Number.POSITIVE_INFINITY, to: 0 };
  for (const batch of syntheticAuditYear({ incidents: scale.incidents, head: last ? { seq: last.seq, hash: last.hash } : null, batchSize: 20_000, seed: 13, onIncident: (i, id) => i % sampleEvery === 0 && incidents.push(id) })) {
    const insertStarted = performance.now();
    await insert(batch.entries);
    inserting += performance.now() - insertStarted;
    for (const entry of batch.entries) if (entry.kind === 'disclosure') disclosures.push(entry.seq);
    entries += batch.entries.length;
    span = { from: Math.min(span.from, Date.parse(batch.entries[0]!.recordedAt)), to: Date.parse(batch.entries.at(-1)!.recordedAt) };
    if (batch.incidents - reported >= 100_000) {
      reported = batch.incidents;
      console.error(`bench: ${scale.suite}: ${storage.kind}: ${batch.incidents} incidents, ${entries} entries, ${Math.round((performance.now() - started) / 1000)} s`);
    }
  }
  const loading = performance.now() - started;
  return { incidentCount: scale.incidents, entries, loadSeconds: round(loading / 1000, 1), generateSeconds: round((loading - inserting) / 1000, 1), insertSeconds: round(inserting / 1000, 1), incidents, disclosures, span };
}

const rules: ServerRules = { config: loadForceConfig(), now: () => YEAR_START + YEAR_MS + 3_600_000 };

/** Each question ASKS times, as the route answers it; p50 and p95 beside the limit. */
async function askAll(scale: Scale, storage: ServerStorage, name: string, loaded: Loaded & Record<string, unknown>): Promise<BenchFigure[]> {
  const secret = await storage.secret(TICKET_SECRET);
  const deps: AuditRouteDeps = { storage, rules, log, device: { clientId: CLIENT_ID, workstation: 'AUDIT-1', force: rules.config.force.code, tokenHash: 'bench', enrolledAt: '2026-01-01T00:00:00.000Z' }, ticketSecret: secret };
  const ticket = issueTicket(secret, { operator: AUDITOR, clientId: CLIENT_ID, expiresAt: rules.now() + 86_400_000 });
  const random = seeded(62);
  const shift = 8 * 3_600_000;
  const questions: Record<string, () => AuditQuestion> = {
    'who looked at or changed an incident': () => ({ about: 'record', recordKind: 'incident', recordId: loaded.incidents[Math.floor(random() * loaded.incidents.length)]! }),
    'what an operator did in a shift': () => {
      const from = loaded.span.from + Math.floor(random() * Math.max(0, loaded.span.to - loaded.span.from - shift));
      return { about: 'operator', operator: operatorName('h', Math.floor(random() * HANDLERS) + 1), from: new Date(from).toISOString(), to: new Date(from + shift).toISOString() };
    },
    'every disclosure': () => ({ about: 'disclosures' }),
  };
  const { incidentCount, entries, loadSeconds, generateSeconds, insertSeconds, incidents: sampled, disclosures, span, ...detail } = loaded;
  const figures: BenchFigure[] = [];
  for (const [question, ask] of Object.entries(questions)) {
    const ms: number[] = [];
    let found = 0;
    for (let i = 0; i < ASKS; i++) {
      // Half the disclosure questions page on from somewhere in the year, as an auditor reading back would.
      const deep = question === 'every disclosure' && i % 2 === 1 && disclosures.length > 0;
      const cursor = deep ? Buffer.from(JSON.stringify([disclosures[Math.floor(random() * disclosures.length)], ''])).toString('base64url') : null;
      const body = { operator: AUDITOR, ticket, issuedAt: new Date(rules.now()).toISOString(), question: ask(), reason: 'benchmark', limit: 50, cursor };
      const started = performance.now();
      const answer = await handleAuditQuery(body, deps);
      ms.push(performance.now() - started);
      found += answer.entries.length;
    }
    for (const p of [50, 95] as const) {
      figures.push(
        judged({
          suite: scale.suite,
          name: `${name}: ${question}, p${p}`,
          value: round(percentile(ms, p), 2),
          unit: 'ms',
          limit: { value: LIMIT_MS, unit: 'ms', better: 'lower' },
          ...(p === 95
            ? {
                detail: {
                  asks: ASKS,
                  incidentsAskedAbout: sampled.length,
                  disclosuresInYear: disclosures.length,
                  meanEntriesPerAnswer: round(found / ASKS, 1),
                  incidents: incidentCount,
                  logCovers: { from: new Date(span.from).toISOString(), to: new Date(span.to).toISOString() },
                  entries,
                  entriesPerIncident: round(entries / incidentCount, 2),
                  loadSeconds,
                  generateSeconds,
                  insertSeconds,
                  ...detail,
                  note: 'the whole route (validation, ticket and role checks, the consultation entry appended, a page of 50 read); the machine is shared with other helpers running tests and benchmarks, see loadAverage',
                },
              }
            : {}),
        }),
      );
    }
  }
  return figures;
}

function fileSize(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(file + suffix).size;
    } catch {
      // no WAL file: nothing to add
    }
  }
  return total;
}
