import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultAreaDir } from '../../main/area/open-area';
import { loadForceAreas } from '../../node-common/force-areas-file';
import { forceAreaAt, nearBorder, type ForceArea } from '../../shared/area/force-areas';
import { judged, percentile, type BenchFigure, type BenchOptions, type BenchSuite } from '../bench-types';
import type { Observations } from '../fleet/fleet-protocol';
import { startFleetProcess, type FleetProcess } from '../fleet/fleet-process';
import { twoForceLatencies, type ForceConfirmation, type ForceLatencies } from '../load/two-force-latencies';
import { makeBenchDir, makeWorkstationsDir } from '../support/bench-dir';
import { startCentralServerProcess } from '../support/child-process';
import { cpuSecondsOf, round } from '../support/cpu-time';
import { runQueueWaitSeconds } from '../load/pinned-processes';
import { loadavg } from 'node:os';

const SUITE = 'combined-peak';
/** The two demonstration forces on one server, each with half the visibility suite's workstations. */
const FORCES = ['DMO', 'NBR'] as const;
type Force = (typeof FORCES)[number];
/** The unit each force lends the other in the borrowing traffic (booked on for the run by its own force). */
const LENT: Record<Force, string> = { DMO: 'DM-11', NBR: 'NB-101' };
const VISIBLE_TIMEOUT_MS = 30_000;
/** The visibility suite's limit, for each force alone and with the other's load. */
const LIMIT_P99_MS = 250;

interface Plan {
  /** Both forces' workstations together (the visibility suite's 200), half each. */
  workstations: number;
  /** Per force: workstations issuing commands, each a console core in its own process. */
  issuers: number;
  /** Per force: log lines a second across its room (the visibility suite's busy hour is 5 for the room). */
  ratePerSecond: number;
  /** Per force: log lines measured in each phase. */
  commands: number;
  warmup: number;
  /** Together: one loan cycle (asked, lent, returned) each way, and one new incident at the border per force, this often. */
  trafficEverySeconds: number;
}

/** `npm run bench -- combined-peak`: about four minutes on a quiet machine. */
const FULL: Plan = { workstations: 200, issuers: 5, ratePerSecond: 5, commands: 200, warmup: 20, trafficEverySeconds: 3 };
/** `npm run bench -- --quick combined-peak`: about a minute, coarse. */
const QUICK: Plan = { workstations: 40, issuers: 2, ratePerSecond: 4, commands: 40, warmup: 6, trafficEverySeconds: 3 };

interface ForceFleet {
  force: Force;
  issuers: FleetProcess[];
  watchers: FleetProcess;
  /** Each issuer's incident; the first is shared by hand (assist tier: its log goes to the other force too). */
  incidents: string[];
  shared: string;
}

interface Phase {
  name: 'alone' | 'together';
  /** Together: with the sharing and borrowing traffic between the forces, or their log lines only. */
  traffic?: boolean;
  /** The forces whose room issues commands in it. */
  issuing: readonly Force[];
}

/**
 * Both forces' rooms on one real central server (the demonstration forces, dist/node/server.mjs on its SQLite file):
 * each force's workstations visible-timed alone (only that force issuing) and together (both issuing, plus the
 * sharing and borrowing traffic between them), in one run, side by side; with the server's CPU per command.
 */
export const combinedPeakSuite: BenchSuite = {
  name: SUITE,
  description: `both forces' rooms on one server (${FULL.workstations} workstations, half each): each force's confirmed-to-visible alone and with the other's load, sharing and loans; --quick for a short run`,
  async run(options?: BenchOptions) {
    const plan = options?.quick ? QUICK : FULL;
    const perForce = plan.workstations / FORCES.length;
    const dir = makeBenchDir(SUITE);
    const stations = makeWorkstationsDir(SUITE);
    const server = await startCentralServerProcess(join(dir.path, 'central.sqlite'));
    const fleets: ForceFleet[] = FORCES.map((force) => ({ force, issuers: Array.from({ length: plan.issuers }, () => startFleetProcess()), watchers: startFleetProcess(), incidents: [], shared: '' }));
    // Process order: every force's issuers, then every force's watchers. Each process's force, in that order.
    const processes = [...fleets.flatMap((f) => f.issuers), ...fleets.map((f) => f.watchers)];
    const forceOf = [...fleets.flatMap((f) => f.issuers.map(() => f.force)), ...fleets.map((f) => f.force)];
    try {
      await Promise.all(
        fleets.flatMap((f, k) => [
          ...f.issuers.map((p, i) => p.call({ type: 'start', role: 'issuers', serverUrl: server.url, first: k * plan.issuers + i, count: 1, dataDir: stations.path, force: f.force })),
          f.watchers.call({ type: 'start', role: 'watchers', serverUrl: server.url, first: FORCES.length * plan.issuers + k * perForce, count: perForce - plan.issuers, dataDir: stations.path, force: f.force }),
        ]),
      );
      const areas = loadForceAreas(defaultAreaDir());
      for (const f of fleets) {
        f.incidents = await Promise.all(f.issuers.map((p) => p.call({ type: 'createIncident' })));
        f.shared = f.incidents[0]!;
        await f.issuers[0]!.call({ type: 'share', incidentId: f.shared, sharedWith: otherThan(f.force) });
        await f.issuers[0]!.call({ type: 'bookOn', callSign: LENT[f.force] });
      }
      await allCurrent(server.url, processes, plan.workstations, 60_000);
      const offsets = (await Promise.all(processes.map((p) => p.clockOffset()))).map((o) => o.offsetMs);
      const issuerProcess = (c: ForceConfirmation) => c.issuer; // workstation i of an issuer is process i
      const counts = Object.fromEntries(FORCES.map((f) => [f, perForce]));
      const measure = async (phase: Phase, commands: number) => {
        const cpuBefore = { server: cpuSecondsOf(server.pid) ?? Number.NaN, harness: harnessCpu(processes) };
        const waitedBefore = { server: runQueueWaitSeconds(server.pid), harness: harnessWaited(processes) };
        const loadAtStart = loadavg()[0]!;
        const started = performance.now();
        const traffic = phase.traffic ? startTraffic(fleets, areas, plan.trafficEverySeconds) : null;
        const confirmations = (await Promise.all(phase.issuing.map((force) => issueOnSchedule(fleets.find((f) => f.force === force)!, plan.ratePerSecond, commands)))).flat();
        const trafficCommands = (await traffic?.stop()) ?? 0;
        const seen = await observeAll(processes, forceOf, confirmations);
        const seconds = (performance.now() - started) / 1000;
        const serverCpu = (cpuSecondsOf(server.pid) ?? Number.NaN) - cpuBefore.server;
        const harness = harnessCpu(processes) - cpuBefore.harness;
        // Of each second, how long the server and the fleet were ready to run but waiting for a core: other work on
        // the machine, latency none of them caused.
        const waited = (before: number | null, after: number | null) => (before === null || after === null ? null : round(((after - before) * 1000) / seconds, 1));
        const waitingForCpuMsPerSecond = { server: waited(waitedBefore.server, runQueueWaitSeconds(server.pid)), fleetTogether: waited(waitedBefore.harness, harnessWaited(processes)) };
        const machineLoad1m = { atStart: round(loadAtStart, 2), atEnd: round(loadavg()[0]!, 2) };
        const latencies = twoForceLatencies(confirmations, seen, forceOf, offsets, issuerProcess, counts);
        const missing = Object.values(latencies).reduce((sum, l) => sum + l.missing, 0);
        if (missing > 0) throw new Error(`${missing} (command, workstation) pairs not visible within ${VISIBLE_TIMEOUT_MS} ms in phase ${phase.name} (${phase.issuing.join(', ')})`);
        const allCommands = confirmations.length + trafficCommands;
        return {
          latencies,
          commands: allCommands,
          trafficCommands,
          seconds: round(seconds, 1),
          serverCpuMsPerCommand: round((serverCpu * 1000) / allCommands, 2),
          serverCores: round(serverCpu / seconds, 2),
          harnessCores: round(harness / seconds, 2),
          waitingForCpuMsPerSecond,
          machineLoad1m,
        };
      };

      // Warm: connections, caches and the JIT, unmeasured.
      await measure({ name: 'together', issuing: FORCES, traffic: true }, plan.warmup);
      const alone: Partial<Record<Force, Awaited<ReturnType<typeof measure>>>> = {};
      for (const force of FORCES) alone[force] = await measure({ name: 'alone', issuing: [force] }, plan.commands);
      const linesOnly = await measure({ name: 'together', issuing: FORCES }, plan.commands);
      const together = await measure({ name: 'together', issuing: FORCES, traffic: true }, plan.commands);

      const figures: BenchFigure[] = [];
      const context = {
        workstations: plan.workstations,
        perForce: `${perForce} (${plan.issuers} issuing: console cores on SQLite files, one process each; ${perForce - plan.issuers} watching: sync client and store in memory, in one process)`,
        ratePerSecondPerForce: plan.ratePerSecond,
        commandsPerForce: plan.commands,
        shared: `each force's first issuing workstation's incident is shared by hand at the assist tier: its log lines are timed at the other force's workstations too`,
        traffic: `together (the main figures; a phase without it is reported apart): every ${plan.trafficEverySeconds} s, a new incident per force near the border (shared automatically by the server) and a loan each way (asked, lent, returned), besides the log lines`,
        server: 'dist/node/server.mjs serving both demonstration forces, embedded SQLite file (synchronous=FULL), logs at info',
        fileSystem: `server's file on ${dir.fileSystem}; the simulated workstations' files on ${stations.fileSystem} (a real workstation has a disk of its own)`,
        machine: 'shared with other work (the load average is beside the figures): latencies here are upper bounds',
      };
      for (const force of FORCES) {
        const a = alone[force]!;
        const seenBy = (l: ForceLatencies | undefined, which: 'sameForce' | 'otherForce') => l?.[which] ?? [];
        for (const which of ['sameForce', 'otherForce'] as const) {
          const where = which === 'sameForce' ? `at another ${force} workstation` : `at a workstation of ${otherThan(force)} (the incident shared with it)`;
          for (const p of [50, 95, 99]) {
            const mine = seenBy(together.latencies[force], which);
            const theirs = seenBy(a.latencies[force], which);
            figures.push(
              judged({
                suite: SUITE,
                name: `${force} command confirmed to visible ${where}, p${p}, with ${otherThan(force)}'s load added`,
                value: round(percentile(mine, p), 1),
                unit: 'ms',
                peer: { name: `${force}'s load alone`, value: round(percentile(theirs, p), 1), unit: 'ms' },
                ...(p === 99 ? { limit: { value: LIMIT_P99_MS, unit: 'ms', better: 'lower' as const } } : {}),
                ...(p === 99
                  ? {
                      detail: {
                        samplesTogether: mine.length,
                        samplesAlone: theirs.length,
                        maxTogetherMs: round(Math.max(...mine), 1),
                        maxAloneMs: round(Math.max(...theirs), 1),
                        waitingForCpuMsPerSecond: { together: together.waitingForCpuMsPerSecond, alone: a.waitingForCpuMsPerSecond },
                        machineLoad1m: { together: together.machineLoad1m, alone: a.machineLoad1m },
                      },
                    }
                  : {}),
              }),
            );
          }
        }
      }
      // Apart: what the other force's log lines alone add, without the traffic between the forces.
      for (const force of FORCES) {
        for (const which of ['sameForce', 'otherForce'] as const) {
          const where = which === 'sameForce' ? `at another ${force} workstation` : `at a workstation of ${otherThan(force)} (the incident shared with it)`;
          const mine = linesOnly.latencies[force]?.[which] ?? [];
          figures.push(
            judged({
              suite: SUITE,
              name: `${force} command confirmed to visible ${where}, p99, with ${otherThan(force)}'s log lines added but no sharing or loan traffic`,
              value: round(percentile(mine, 99), 1),
              unit: 'ms',
              peer: { name: `${force}'s load alone`, value: round(percentile(alone[force]!.latencies[force]?.[which] ?? [], 99), 1), unit: 'ms' },
              limit: { value: LIMIT_P99_MS, unit: 'ms', better: 'lower' },
              detail: { p50: round(percentile(mine, 50), 1), p95: round(percentile(mine, 95), 1), waitingForCpuMsPerSecond: linesOnly.waitingForCpuMsPerSecond, machineLoad1m: linesOnly.machineLoad1m },
            }),
          );
        }
      }
      for (const force of FORCES) {
        const a = alone[force]!;
        figures.push({
          suite: SUITE,
          name: `server CPU per command, ${force}'s load alone`,
          value: a.serverCpuMsPerCommand,
          unit: 'ms',
          peer: { name: 'both forces together', value: together.serverCpuMsPerCommand, unit: 'ms' },
          detail: { commands: a.commands, seconds: a.seconds, serverCores: a.serverCores, harnessCores: a.harnessCores, waitingForCpuMsPerSecond: a.waitingForCpuMsPerSecond, machineLoad1m: a.machineLoad1m },
        });
      }
      figures.push(
        {
          suite: SUITE,
          name: 'server CPU per command, both forces together (log lines, border incidents, loans)',
          value: together.serverCpuMsPerCommand,
          unit: 'ms',
          detail: {
            ...context,
            commands: together.commands,
            trafficCommands: together.trafficCommands,
            seconds: together.seconds,
            serverCores: together.serverCores,
            waitingForCpuMsPerSecond: together.waitingForCpuMsPerSecond,
            machineLoad1m: together.machineLoad1m,
          },
        },
        {
          suite: SUITE,
          name: 'harness CPU share, both forces together (every fleet process and this one)',
          value: together.harnessCores,
          unit: 'cores',
          peer: { name: 'server in the same phase', value: together.serverCores, unit: 'cores' },
          detail: { serverWarningsOrErrors: server.problems().length, firstProblems: server.problems().slice(0, 3) },
        },
      );
      return figures;
    } finally {
      await Promise.all(processes.map((p) => p.stop()));
      await server.stop();
      dir.remove();
      stations.remove();
    }
  },
};

function otherThan(force: Force): Force {
  return force === 'DMO' ? 'NBR' : 'DMO';
}

/** Seconds every fleet process's threads waited for a core, together (null where /proc cannot say). */
function harnessWaited(processes: FleetProcess[]): number | null {
  const each = processes.map((p) => runQueueWaitSeconds(p.pid));
  return each.some((w) => w === null) ? null : each.reduce((sum: number, w) => sum + w!, 0);
}

/** CPU seconds of every fleet process and of this one (the suite's own scheduling and observing). */
function harnessCpu(processes: FleetProcess[]): number {
  const own = process.cpuUsage();
  return processes.reduce((sum, p) => sum + (cpuSecondsOf(p.pid) ?? 0), 0) + (own.user + own.system) / 1e6;
}

/**
 * One force's log lines at a steady rate, in turn from each of its issuing workstations, on each one's incident
 * (the first shared with the other force). Open loop, as the visibility suite: each goes at its time.
 */
async function issueOnSchedule(fleet: ForceFleet, ratePerSecond: number, commands: number): Promise<ForceConfirmation[]> {
  const intervalMs = 1000 / ratePerSecond;
  const started = performance.now();
  const confirmations: Promise<ForceConfirmation>[] = [];
  for (let k = 0; k < commands; k += 1) {
    const wait = started + k * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const i = k % fleet.issuers.length;
    const incidentId = fleet.incidents[i]!;
    confirmations.push(
      fleet.issuers[i]!.call({ type: 'issue', incidentId, text: `${fleet.force} bench line ${k}` }).then((c) => ({ ...c, force: fleet.force, shared: incidentId === fleet.shared })),
    );
  }
  return Promise.all(confirmations);
}

/**
 * The traffic between the forces while both rooms are busy: every `everySeconds`, a new incident per force near the
 * border (the server shares it with the other force), and a loan each way, asked for by the borrower's second
 * issuing workstation (or its first), lent and then returned. stop() waits for the cycle under way and counts the
 * commands it made.
 */
function startTraffic(fleets: ForceFleet[], areas: readonly ForceArea[], everySeconds: number): { stop(): Promise<number> } {
  let stopping = false;
  let commands = 0;
  const points = Object.fromEntries(
    fleets.map((f) => {
      const point = pointNearBorder(areas, f.force, otherThan(f.force));
      if (!point) throw new Error(`no point of ${f.force}'s area near ${otherThan(f.force)}'s border in the server's exercise area`);
      return [f.force, point];
    }),
  );
  const loop = (async () => {
    while (!stopping) {
      const started = performance.now();
      await Promise.all(
        fleets.map(async (borrower) => {
          const desk = borrower.issuers[1] ?? borrower.issuers[0]!;
          const lender = fleets.find((f) => f.force !== borrower.force)!.issuers[0]!;
          await desk.call({ type: 'createIncident', point: points[borrower.force] });
          commands += 1;
          const loanId = await desk.call({ type: 'loanRequest', incidentId: borrower.incidents[1] ?? borrower.incidents[0]!, lender: otherThan(borrower.force), callSign: LENT[otherThan(borrower.force)] });
          await lender.call({ type: 'loanAccept', loanId, timeoutMs: VISIBLE_TIMEOUT_MS });
          await desk.call({ type: 'loanReturn', loanId, timeoutMs: VISIBLE_TIMEOUT_MS });
          commands += 3;
        }),
      );
      const wait = started + everySeconds * 1000 - performance.now();
      if (wait > 0 && !stopping) await sleep(wait);
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return commands;
    },
  };
}

/** A point in `force`'s area within 800 m of `other`'s (on the server's exercise area), or null where none is found. */
export function pointNearBorder(areas: readonly ForceArea[], force: string, other: string): { lat: number; lon: number } | null {
  const ring = areas.find((a) => a.force === other)?.shape[0]?.[0] ?? [];
  // A step of about 200–400 m off each vertex of the other's outline, north, south, east or west.
  const steps: [number, number][] = [0.002, -0.002, 0.004, -0.004].flatMap((d): [number, number][] => [[0, d], [d, 0]]);
  for (const [lon, lat] of ring) {
    for (const [dLon, dLat] of steps) {
      const at: [number, number] = [lon + dLon, lat + dLat];
      if (forceAreaAt(at, areas).force === force && nearBorder(at, areas, 800) === other) return { lat: at[1], lon: at[0] };
    }
  }
  return null;
}

/** When each workstation saw each command, waiting only for those each process's force should receive. */
function observeAll(processes: FleetProcess[], forceOf: readonly string[], confirmations: ForceConfirmation[]): Promise<Observations[]> {
  return Promise.all(
    processes.map((p, i) =>
      p.call({
        type: 'observations',
        entries: confirmations.map((c) => ({ entryId: c.entryId, issuer: c.issuer, expected: c.force === forceOf[i] || c.shared })),
        timeoutMs: VISIBLE_TIMEOUT_MS,
      }),
    ),
  );
}

/** Waits until every workstation's cursor has reached the server's head and all are connected live. */
async function allCurrent(serverUrl: string, processes: FleetProcess[], workstations: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(new URL('/healthz', serverUrl))).json()) as { head: number; liveClients: number };
    const lowest = Math.min(...(await Promise.all(processes.map((p) => p.call({ type: 'cursors' })))));
    if (lowest >= health.head && health.liveClients >= workstations) return;
    if (performance.now() > deadline) throw new Error(`workstations not current after ${timeoutMs} ms: lowest cursor ${lowest}, head ${health.head}, ${health.liveClients} live`);
    await sleep(50);
  }
}
