import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '../../../bench/bench-types';
import { derivedId } from '../../../shared/domain/derived-id';
import type { Reply } from '../../../shared/contract/errors';
import { connectBridge, type BridgeClient } from '../../fakes/bridge-client';
import { startPostgres, type TestPostgres } from '../../fakes/postgres';
import { startConsoleProcess, startServerProcessOnPostgres, type RunningProcess } from '../../fakes/processes';
import { makeTempDir } from '../../fakes/temp-dir';
import { Random } from '../sim/random';
import { TcpProxy } from './tcp-proxy';
import { unverifiedLocation } from '../../../shared/domain/location';

/**
 * The real-process chaos run: the real server on PostgreSQL, real workstation processes with their own SQLite
 * files, driven through the same API their windows use. Workstations and the server are killed with SIGKILL at
 * random moments (some in the middle of a burst of commands, so during a commit), PostgreSQL is stopped as abruptly
 * as a crash, and the network between workstations and server is cut; then everything heals and the invariants are
 * checked. CORDON_CHAOS_SECONDS sets how long the faults go on (40 by default); the seed is printed.
 */
const CHAOS_MS = Number(process.env.CORDON_CHAOS_SECONDS ?? 40) * 1000;
const seed = Number(process.env.CORDON_CHAOS_SEED ?? Math.floor(Math.random() * 1_000_000));

type Confirmed =
  | { kind: 'create'; incidentId: string }
  | { kind: 'log'; entryId: string }
  | { kind: 'assign'; assignmentId: string }
  | { kind: 'status'; assignmentId: string; status: string }
  | { kind: 'close'; incidentId: string };

interface Station {
  name: string;
  operator: string;
  mayDispatch: boolean;
  dataDir: string;
  process: (RunningProcess & { origin: string; key: string }) | null;
  bridge: BridgeClient | null;
  confirmed: Confirmed[];
}

const faults = { workstationKills: 0, killsDuringBursts: 0, serverKills: 0, postgresStops: 0, networkCuts: 0 };
let cluster: TestPostgres;
let dir: ReturnType<typeof makeTempDir>;
beforeAll(async () => {
  cluster = await startPostgres();
  dir = makeTempDir('cordon-chaos-');
}, 60_000);
afterAll(async () => {
  await cluster?.remove();
  dir?.remove();
});

describe('sync under real faults', () => {
  it(`loses nothing when workstations and the server are killed, PostgreSQL stops and the network is cut (seed ${seed})`, async () => {
    const random = new Random(seed);
    const databaseUrl = await cluster.createDatabase();
    let server: (RunningProcess & { port: number; url: string }) | null = await startServerProcessOnPostgres(databaseUrl);
    const serverPort = server.port;
    const proxy = await TcpProxy.start(() => serverPort);
    const stations: Station[] = [
      { name: 'WS-1', operator: 'alice', mayDispatch: false },
      { name: 'WS-2', operator: 'bob', mayDispatch: true },
      { name: 'WS-3', operator: 'dan', mayDispatch: true },
      { name: 'WS-4', operator: 'carol', mayDispatch: true },
    ].map((s) => ({ ...s, dataDir: join(dir.path, s.name), process: null, bridge: null, confirmed: [] }));

    const startStation = async (station: Station) => {
      station.process = await startConsoleProcess({ server: proxy.url, workstation: station.name, operator: station.operator, dataDir: station.dataDir });
      station.bridge = await connectBridge(station.process.origin, station.process.key);
      // Online, or (server away) offline against what an earlier sign-in here left.
      const signedIn = await station.bridge.call('session.signIn', { operator: station.operator, password: 'demo' });
      if (!signedIn.ok) throw new Error(`${station.name} could not sign in: ${signedIn.error.message}`);
    };
    const stopped = new Set<string>();
    const restartServer = async () => {
      server = await startServerProcessOnPostgres(databaseUrl, serverPort);
    };

    try {
      for (const station of stations) await startStation(station);

      // Operators at work: commands as fast as a busy room makes them, each confirmed or not by its reply.
      let working = true;
      const act = async (station: Station) => {
        const bridge = station.bridge;
        if (!bridge || stopped.has(station.name)) return;
        const value = async <T>(reply: Promise<Reply>) => {
          const r = await reply;
          return r.ok ? (r.value as T) : null;
        };
        const open = (await value<{ incidents: { id: string; version: number; activeUnits: string[] }[] }>(bridge.call('incidents.list', { status: 'open' })))?.incidents ?? [];
        const incident = random.pick(open);
        const roll = random.next();
        if (roll < 0.25 || !incident) {
          const made = await value<{ incident: { id: string } }>(bridge.call('incidents.create', { type: 'ASSAULT', location: unverifiedLocation(`${random.int(300)} Shirley Road`), grade: '2', firstLog: `chaos ${random.uuid()}` }));
          if (made) station.confirmed.push({ kind: 'create', incidentId: made.incident.id });
        } else if (roll < 0.55 || !station.mayDispatch) {
          const written = await value<{ entry: { id: string } }>(bridge.call('incidents.addLog', { incidentId: incident.id, text: `chaos note ${random.uuid()}` }));
          if (written) station.confirmed.push({ kind: 'log', entryId: written.entry.id });
        } else if (roll < 0.75) {
          const units = (await value<{ units: { id: string; version: number; duty: string; commitment: unknown }[] }>(bridge.call('units.list', {})))?.units ?? [];
          const unit = random.pick(units.filter((u) => u.duty !== 'unavailable' && !u.commitment));
          if (!unit) return;
          if (unit.duty === 'off_duty') {
            // A unit comes on duty only by booking on: the dispatcher books it on, for longer than the run.
            await bridge.call('units.setDuty', { unitId: unit.id, duty: 'on_duty', unitVersion: unit.version, until: new Date(Date.now() + 4 * 3_600_000).toISOString() });
            return;
          }
          const made = await value<{ assignment: { id: string } }>(bridge.call('units.assign', { unitId: unit.id, incidentId: incident.id, unitVersion: unit.version }));
          if (made) station.confirmed.push({ kind: 'assign', assignmentId: made.assignment.id });
        } else if (roll < 0.92) {
          const detail = await value<{ assignments: { id: string; status: string; version: number }[] }>(bridge.call('incidents.get', { id: incident.id }));
          const assignment = random.pick(detail?.assignments.filter((a) => a.status !== 'cleared') ?? []);
          if (!assignment) return;
          const status = random.pick({ assigned: ['en_route', 'cleared'], en_route: ['at_scene', 'cleared'], at_scene: ['cleared'] }[assignment.status] ?? [])!;
          const moved = await value(bridge.call('assignments.setStatus', { assignmentId: assignment.id, status, assignmentVersion: assignment.version }));
          if (moved) station.confirmed.push({ kind: 'status', assignmentId: assignment.id, status });
        } else if (incident.activeUnits.length === 0) {
          const closed = await value(bridge.call('incidents.close', { incidentId: incident.id, closingCode: 'RESOLVED', incidentVersion: incident.version }));
          if (closed) station.confirmed.push({ kind: 'close', incidentId: incident.id });
        }
      };
      const workLoops = stations.map(async (station) => {
        while (working) {
          await act(station);
          await sleep(random.between(20, 250));
        }
      });

      // Faults, one after another, each healed after a while.
      const chaosEnd = Date.now() + CHAOS_MS;
      const pending: Promise<unknown>[] = [];
      while (Date.now() < chaosEnd) {
        await sleep(random.between(600, 2000));
        const roll = random.next();
        const station = random.pick(stations.filter((s) => !stopped.has(s.name)));
        if (roll < 0.4 && station) {
          faults.workstationKills += 1;
          stopped.add(station.name);
          // A burst of commands in flight when the process dies: some kills land inside a commit.
          if (random.chance(0.6) && station.bridge) {
            faults.killsDuringBursts += 1;
            for (let i = 0; i < 5; i++) void act(station);
            await sleep(random.between(0, 15));
          }
          await station.process!.kill9();
          station.bridge = null;
          pending.push(
            sleep(random.between(300, 3000)).then(async () => {
              await startStation(station);
              stopped.delete(station.name);
            }),
          );
        } else if (roll < 0.6 && server) {
          faults.serverKills += 1;
          const dying = server;
          server = null;
          await dying.kill9();
          pending.push(sleep(random.between(300, 3000)).then(restartServer));
        } else if (roll < 0.75) {
          faults.postgresStops += 1;
          await cluster.stop('immediate');
          await sleep(random.between(500, 3000));
          await cluster.start();
        } else {
          faults.networkCuts += 1;
          proxy.cutAll();
          await sleep(random.between(500, 5000));
          proxy.heal();
        }
        await Promise.all(pending.splice(0));
      }
      working = false;
      await Promise.all(workLoops);

      // Heal: every process up, the network whole; then wait until every workstation is in step.
      proxy.heal();
      if (!server) await restartServer();
      const healedAt = Date.now();
      // A desk's convergence time is its first moment in step. The comparison waits until every desk is in step at
      // once, at one head: a desk checked alone falls behind again when another's queue drains after it.
      const firstInStep = new Map<string, number>();
      await waitUntil(
        async () => {
          const head = await serverHead(server!);
          if (head === null) return false;
          let all = true;
          for (const station of stations) {
            if (!(await inStep(station, head))) all = false;
            else if (!firstInStep.has(station.name)) firstInStep.set(station.name, Date.now() - healedAt);
          }
          return all && (await serverHead(server!)) === head;
        },
        'every workstation is in step with the server at once',
        90_000,
      );
      const convergedAfter = [...firstInStep.values()];

      // Every workstation stops cleanly, and its file is read as it was left.
      for (const station of stations) await station.process!.stop();
      await server!.stop();
      await cluster.start().catch(() => {});
      const serverRecords = await readServerRecords(databaseUrl);
      const problems: string[] = [];
      let confirmed = 0;
      let applied = 0;
      let conflicts = 0;
      let deadLettered = 0;
      let lost = 0;
      let divergent = 0;
      // Shown in the inbox or the refused list: a conflict's own command, and a command the server kept in a conflict's
      // or a refusal's list of what followed from it (a crew's status press for a deployment refused before it).
      const refusedRecords = [...serverRecords.values()].filter((r) => r.kind === 'conflict' || r.kind === 'refusal');
      const conflictArgs = [
        ...refusedRecords.filter((r) => r.kind === 'conflict').map((r) => r.doc as { commandName: string; args: Record<string, unknown> }),
        ...refusedRecords.flatMap((r) => (r.doc as { followedBy?: { commandName: string; args: Record<string, unknown> }[] }).followedBy ?? []),
      ];
      const has = (kind: string, id: string) => serverRecords.has(`${kind}:${id}`);
      for (const station of stations) {
        const db = new Database(join(station.dataDir, 'workstation.sqlite'), { readonly: true });
        const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])[0]?.integrity_check;
        if (integrity !== 'ok') problems.push(`${station.name} integrity_check: ${integrity}`);
        const dead = (db.prepare(`SELECT envelope FROM outbox WHERE state = 'dead'`).all() as { envelope: string }[]).map((r) => JSON.parse(r.envelope) as { name: string; args: Record<string, unknown> });
        const inConflictOrDead = (name: string, match: (args: Record<string, unknown>) => boolean) =>
          conflictArgs.some((c) => c.commandName === name && match(c.args)) ? 'conflict' : dead.some((d) => d.name === name && match(d.args)) ? 'dead' : null;
        for (const command of station.confirmed) {
          confirmed += 1;
          let outcome: 'applied' | 'conflict' | 'dead' | null = null;
          if (command.kind === 'create') outcome = has('incident', command.incidentId) ? 'applied' : inConflictOrDead('incident.create', (a) => a.incidentId === command.incidentId);
          if (command.kind === 'log') outcome = has('logEntry', command.entryId) ? 'applied' : inConflictOrDead('incident.addLog', (a) => a.entryId === command.entryId);
          if (command.kind === 'assign') outcome = has('assignment', command.assignmentId) ? 'applied' : inConflictOrDead('unit.assign', (a) => a.assignmentId === command.assignmentId);
          if (command.kind === 'status') {
            outcome = has('logEntry', derivedId(command.assignmentId, `status:${command.status}`))
              ? 'applied'
              : inConflictOrDead('assignment.setStatus', (a) => a.assignmentId === command.assignmentId && a.status === command.status);
          }
          if (command.kind === 'close') {
            const incident = serverRecords.get(`incident:${command.incidentId}`)?.doc as { status: string } | undefined;
            outcome = incident?.status === 'closed' ? 'applied' : inConflictOrDead('incident.close', (a) => a.incidentId === command.incidentId);
          }
          if (outcome === 'applied') applied += 1;
          else if (outcome === 'conflict') conflicts += 1;
          else if (outcome === 'dead') deadLettered += 1;
          else {
            lost += 1;
            problems.push(`${station.name}: confirmed ${JSON.stringify(command)} is neither on the server nor refused visibly`);
          }
        }
        const mine = viewRecords(db);
        const differ = [...new Set([...serverRecords.keys(), ...mine.keys()])].filter((key) => canonical(serverRecords.get(key)?.doc) !== canonical(mine.get(key)));
        if (differ.length) {
          divergent += 1;
          const side = (key: string) => (!serverRecords.has(key) ? 'only here' : !mine.has(key) ? 'only on the server' : `here ${canonical(mine.get(key))} / server ${canonical(serverRecords.get(key)?.doc)}`);
          problems.push(`${station.name} differs from the server on ${differ.length} records, e.g. ${differ.slice(0, 3).map((key) => `${key} (${side(key)})`).join(', ')}`);
        }
        db.close();
      }
      const notes = new Map<string, number>();
      for (const r of serverRecords.values()) if (r.kind === 'logEntry') notes.set((r.doc as { text: string }).text, (notes.get((r.doc as { text: string }).text) ?? 0) + 1);
      const duplicated = [...notes.entries()].filter(([text, n]) => n > 1 && text.startsWith('chaos')).length;
      const activeByUnit = new Map<string, number>();
      for (const r of serverRecords.values()) {
        const a = r.doc as { unitId?: string; status?: string };
        if (r.kind === 'assignment' && a.status !== 'cleared') activeByUnit.set(a.unitId!, (activeByUnit.get(a.unitId!) ?? 0) + 1);
      }
      for (const [unit, n] of activeByUnit) if (n > 1) problems.push(`unit ${unit} is on ${n} active assignments`);

      console.log(
        `chaos run: seed ${seed} | ${CHAOS_MS / 1000} s of faults | faults: ${Object.entries(faults).map(([k, v]) => `${k} ${v}`).join(', ')} | ` +
          `commands confirmed ${confirmed} / applied ${applied} / rejected as conflict ${conflicts} / dead-lettered ${deadLettered} | ` +
          `lost ${lost}, duplicated ${duplicated}, divergent ${divergent} | converge after heal p50 ${(percentile(convergedAfter, 50) / 1000).toFixed(1)} s, p99 ${(percentile(convergedAfter, 99) / 1000).toFixed(1)} s`,
      );
      if (problems.length) throw new Error(`chaos run failed (seed ${seed}):\n  ${problems.slice(0, 15).join('\n  ')}`);
      expect(lost + duplicated + divergent).toBe(0);
      expect(confirmed).toBeGreaterThan(50);
    } finally {
      for (const station of stations) await station.process?.kill9();
      await server?.kill9();
      await proxy.close();
    }
  }, 300_000);
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what} (seed ${seed})`);
    await sleep(200);
  }
}

/** The server's head, or null while it does not answer. */
async function serverHead(server: { url: string }): Promise<number | null> {
  const health = (await (await fetch(`${server.url}/healthz`).catch(() => null))?.json().catch(() => null)) as { head?: number } | null;
  return health?.head ?? null;
}

/** Nothing waiting to send, online, and the cursor at `head`. */
async function inStep(station: Station, head: number): Promise<boolean> {
  const status = await station.bridge!.call('sync.status', {});
  if (!status.ok) return false;
  const sync = status.value as { pending: number; connection: string };
  if (sync.pending > 0 || sync.connection !== 'online') return false;
  const db = new Database(join(station.dataDir, 'workstation.sqlite'), { readonly: true });
  try {
    const cursor = Number((db.prepare(`SELECT value FROM meta WHERE key = 'pull_cursor'`).get() as { value: string }).value);
    const inTransit = (db.prepare(`SELECT count(*) AS n FROM outbox o WHERE o.state = 'dead' AND o.reject_code = 'conflict' AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.id = o.command_id)`).get() as { n: number }).n;
    return cursor === head && inTransit === 0;
  } finally {
    db.close();
  }
}

async function readServerRecords(url: string): Promise<Map<string, { kind: string; doc: unknown }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ kind: string; id: string; doc: string }>('SELECT kind, id, doc FROM records');
    return new Map(rows.map((r) => [`${r.kind}:${r.id}`, { kind: r.kind, doc: JSON.parse(r.doc) as unknown }]));
  } finally {
    await client.end();
  }
}

function viewRecords(db: Database.Database): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [kind, table] of [['incident', 'incidents'], ['logEntry', 'incident_log'], ['unit', 'units'], ['assignment', 'assignments'], ['conflict', 'conflicts'], ['operator', 'operators'], ['contact', 'contacts'], ['task', 'tasks'], ['marker', 'markers']] as const) {
    for (const row of db.prepare(`SELECT id, doc FROM ${table}`).all() as { id: string; doc: string }[]) out.set(`${kind}:${row.id}`, JSON.parse(row.doc) as unknown);
  }
  return out;
}

function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sort(x)])) : v;
  return JSON.stringify(sort(value));
}
