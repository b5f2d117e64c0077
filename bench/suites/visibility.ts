import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { judged, percentile, type BenchFigure, type BenchSuite } from '../bench-types';
import type { Confirmation, Observations } from '../fleet/fleet-protocol';
import { startFleetProcess, type FleetProcess } from '../fleet/fleet-process';
import { makeBenchDir, makeWorkstationsDir } from '../support/bench-dir';
import { startCentralServerProcess } from '../support/child-process';
import { cpuShare, round } from '../support/cpu-time';

const SUITE = 'visibility';
const WORKSTATIONS = 200;
/**
 * Workstations that issue commands, in turn, each in its own process: each one's fsyncs then hold up only itself,
 * as on its own machine. All of them, and the rest, watch.
 */
const ISSUERS = 10;
/**
 * Processes sharing the watching workstations. Two, on a two-core machine: one would queue every workstation's
 * pull behind the 189 others in a single event loop, a delay a control room (one machine per workstation) has not.
 */
const WATCHER_PROCESSES = 2;
/**
 * Commands per second across the room. A 12-hour shift of 50,000 changes averages about 1.2 a second; 5 is a
 * busy hour, 10 a major incident. Both are measured, the same fleet one after the other.
 */
const PHASES = [
  { ratePerSecond: 5, commands: 200 },
  { ratePerSecond: 10, commands: 300 },
];
/** Commands first issued and waited for, unmeasured, so that connections, caches and the JIT are warm. */
const WARMUP = { ratePerSecond: 5, commands: 30 };
const VISIBLE_TIMEOUT_MS = 30_000;
const LIMIT_P99_MS = 250;

/**
 * Time from a command confirmed at one workstation (its outbox row committed, the operator told "done") to the
 * record in the view of each other workstation (its pull applied and committed), with 200 workstations connected
 * to the real central server over loopback: WebSocket poke, then HTTP pull from each one's cursor.
 */
export const visibilitySuite: BenchSuite = {
  name: SUITE,
  description: `command confirmed at one workstation to visible at each of the others, ${WORKSTATIONS} workstations, real server process`,
  async run() {
    const dir = makeBenchDir(SUITE);
    const stations = makeWorkstationsDir(SUITE);
    const server = await startCentralServerProcess(join(dir.path, 'central.sqlite'));
    const issuers = Array.from({ length: ISSUERS }, () => startFleetProcess());
    const watchers = Array.from({ length: WATCHER_PROCESSES }, () => startFleetProcess());
    const fleet = [...issuers, ...watchers];
    try {
      const share = Math.ceil((WORKSTATIONS - ISSUERS) / WATCHER_PROCESSES);
      await Promise.all([
        ...issuers.map((p, i) => p.call({ type: 'start', role: 'issuers', serverUrl: server.url, first: i, count: 1, dataDir: stations.path })),
        ...watchers.map((p, i) => {
          const first = ISSUERS + i * share;
          return p.call({ type: 'start', role: 'watchers', serverUrl: server.url, first, count: Math.min(share, WORKSTATIONS - first), dataDir: stations.path });
        }),
      ]);
      // Each issuing workstation opens an incident; every workstation holds them all before anything is timed.
      const incidents = await Promise.all(issuers.map((p) => p.call({ type: 'createIncident' })));
      await allCurrent(server.url, fleet, 60_000);
      const offsets = await Promise.all(fleet.map((p) => p.clockOffset()));
      await observeAll(fleet, await issueOnSchedule(issuers, incidents, WARMUP));

      const figures: BenchFigure[] = [];
      for (const phase of PHASES) {
        await Promise.all(fleet.map((p) => p.call({ type: 'window', action: 'open' })));
        const cpu = cpuShare({
          server: server.pid,
          ...Object.fromEntries(issuers.map((p, i) => [`issuer${i + 1}`, p.pid])),
          ...Object.fromEntries(watchers.map((p, i) => [`watchers${i + 1}`, p.pid])),
        });
        const started = performance.now();
        const confirmations = await issueOnSchedule(issuers, incidents, phase);
        const issuedOverSeconds = (performance.now() - started) / 1000;
        const seen = await observeAll(fleet, confirmations);
        const busy = cpu();
        const loops = await Promise.all(fleet.map((p) => p.call({ type: 'window', action: 'close' })));

        const { latencies, everywhere, missing } = latenciesOf(confirmations, seen, offsets.map((o) => o.offsetMs));
        const detail = {
          workstations: WORKSTATIONS,
          issuing: `${ISSUERS} console cores (dispatch "incidents.addLog") on SQLite files, WAL, synchronous=FULL, one process each`,
          watching: `${WORKSTATIONS - ISSUERS} real SyncClient + HttpServerLink + WorkstationStore with in-memory SQLite, in ${WATCHER_PROCESSES} processes`,
          server: 'dist/node/server.mjs in its own process, embedded SQLite file (synchronous=FULL), logs at info',
          ratePerSecond: phase.ratePerSecond,
          commandsMeasured: confirmations.length,
          warmupCommands: WARMUP.commands,
          issuedOverSeconds: round(issuedOverSeconds, 1),
          samples: latencies.length,
          missingAfterTimeout: missing,
          maxMs: round(Math.max(...latencies), 1),
          visibleAtEveryWorkstationMs: { p50: round(percentile(everywhere, 50), 1), p99: round(percentile(everywhere, 99), 1) },
          cpuCoresBusy: summariseIssuers(busy),
          eventLoopDelayMs: {
            issuersWorstP99: Math.max(...loops.slice(0, ISSUERS).map((l) => l?.loopDelayMs.p99 ?? 0)),
            ...Object.fromEntries(watchers.map((_, i) => [`watchers${i + 1}`, loops[ISSUERS + i]?.loopDelayMs])),
          },
          clockOffsetsMs: {
            largest: round(Math.max(...offsets.map((o) => Math.abs(o.offsetMs))), 3),
            uncertainty: round(Math.max(...offsets.map((o) => o.uncertaintyMs)), 3),
          },
          serverWarningsOrErrors: server.problems().length,
          fileSystem: `server's file on ${dir.fileSystem}; the simulated workstations' files on ${stations.fileSystem} (a real workstation has a disk of its own)`,
        };
        if (missing > 0) throw new Error(`${missing} (command, workstation) pairs not visible within ${VISIBLE_TIMEOUT_MS} ms: ${JSON.stringify(detail)}`);
        const figure = (p: number, limit?: number) =>
          judged({
            suite: SUITE,
            name: `confirmed at one workstation to visible at another, p${p} (${WORKSTATIONS} workstations, ${phase.ratePerSecond} commands/s)`,
            value: round(percentile(latencies, p), 1),
            unit: 'ms',
            ...(limit === undefined ? {} : { limit: { value: limit, unit: 'ms', better: 'lower' as const } }),
            ...(p === 99 ? { detail } : {}),
          });
        figures.push(figure(50), figure(95), figure(99, LIMIT_P99_MS));
      }
      return figures;
    } finally {
      await Promise.all(fleet.map((p) => p.stop()));
      await server.stop();
      dir.remove();
      stations.remove();
    }
  },
};

/**
 * Issues log lines at a steady rate, in turn from each issuing workstation, through its core as an operator
 * would. Open loop: each goes at its time whether or not the one before has been seen anywhere.
 */
async function issueOnSchedule(issuers: FleetProcess[], incidents: string[], phase: { ratePerSecond: number; commands: number }): Promise<Confirmation[]> {
  const intervalMs = 1000 / phase.ratePerSecond;
  const started = performance.now();
  const confirmations: Promise<Confirmation>[] = [];
  for (let k = 0; k < phase.commands; k += 1) {
    const wait = started + k * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const text = `Bench line ${k}: unit requests an update`;
    confirmations.push(issuers[k % issuers.length]!.call({ type: 'issue', incidentId: incidents[(k * 3) % incidents.length]!, text }));
  }
  return Promise.all(confirmations);
}

/** When each workstation of each process saw each command (all but its issuer), waiting until all have. */
function observeAll(fleet: FleetProcess[], confirmations: Confirmation[]): Promise<Observations[]> {
  const entries = confirmations.map(({ entryId, issuer }) => ({ entryId, issuer }));
  return Promise.all(fleet.map((p) => p.call({ type: 'observations', entries, timeoutMs: VISIBLE_TIMEOUT_MS })));
}

/**
 * Confirmed-to-visible for every (command, other workstation) pair, each process's times first moved onto this
 * process's clock (offsets are a fraction of a millisecond here, and measured, not assumed).
 */
function latenciesOf(confirmations: Confirmation[], seen: Observations[], offsets: number[]): { latencies: number[]; everywhere: number[]; missing: number } {
  const latencies: number[] = [];
  const everywhere: number[] = [];
  let missing = 0;
  for (const c of confirmations) {
    // The issuer of workstation i is fleet process i (issuers first, one workstation each).
    const confirmedAt = c.confirmedAt - offsets[c.issuer]!;
    let last = 0;
    let count = 0;
    seen.forEach((observations, p) => {
      for (const [, at] of observations[c.entryId] ?? []) {
        const latency = at - offsets[p]! - confirmedAt;
        latencies.push(latency);
        last = Math.max(last, latency);
        count += 1;
      }
    });
    missing += WORKSTATIONS - 1 - count;
    if (count === WORKSTATIONS - 1) everywhere.push(last);
  }
  return { latencies, everywhere, missing };
}

/** The issuer processes' CPU as a total, beside each watcher process's. */
function summariseIssuers(busy: Record<string, number | null>): Record<string, number | null> {
  const issuers = Object.entries(busy).filter(([name]) => name.startsWith('issuer'));
  const rest = Object.entries(busy).filter(([name]) => !name.startsWith('issuer'));
  return { ...Object.fromEntries(rest), issuersTogether: round(issuers.reduce((sum, [, v]) => sum + (v ?? 0), 0), 2) };
}

/** Waits until every workstation's cursor has reached the server's head and all are connected live. */
async function allCurrent(serverUrl: string, fleet: FleetProcess[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(new URL('/healthz', serverUrl))).json()) as { head: number; liveClients: number };
    const lowest = Math.min(...(await Promise.all(fleet.map((p) => p.call({ type: 'cursors' })))));
    if (lowest >= health.head && health.liveClients >= WORKSTATIONS) return;
    if (performance.now() > deadline) throw new Error(`workstations not current after ${timeoutMs} ms: lowest cursor ${lowest}, head ${health.head}, ${health.liveClients} live`);
    await sleep(50);
  }
}
