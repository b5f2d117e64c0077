import { demoOperatorsFile } from '../../server/access/operators-file';
import { startPostgres, type TestPostgres } from '../../tests/fakes/postgres';
import { judged, type BenchFigure, type BenchOptions, type BenchSuite } from '../bench-types';
import { startLoadClients, type LoadClientsProcess } from '../load/load-clients-process';
import { childrenOf, pinToCpus, processWithArgument, residentMiB, treeCpuSeconds } from '../load/pinned-processes';
import { BENCH_ENROLMENT_KEY, BENCH_OPERATOR } from '../support/bench-access';
import { makeBenchDir } from '../support/bench-dir';
import { writeBenchForce } from '../support/bench-force';
import { startBuiltScript, type RunningChild } from '../support/child-process';
import { cpuSecondsOf, round } from '../support/cpu-time';

const SUITE = 'server-instances';
const WORKSTATIONS = 200;
const ISSUERS = 20;
/** The rate of the step over which each instance's CPU is measured (commands/s, all issuers together). */
const STEP_PER_SECOND = 5;
/** Commands each issuing workstation queues as the instance fails (half the issuers were on it): something to catch up. */
const COMMANDS_AT_FAILURE = 5;
/** Every workstation of a failed instance on the other and in step within a few seconds, as after a restart. */
const FAILOVER_LIMIT_MS = 5_000;
const FAILOVER_TIMEOUT_MS = 60_000;
/** The servers and the database on one core, the protocol workstations on the other (as server-load does). */
const SERVER_CPU = '0';
const CLIENT_CPU = '1';

/**
 * Two server instances (dist/node/server.mjs, two processes) on one PostgreSQL, the room's protocol workstations
 * divided between them, each given both addresses. Measured: each instance's CPU over a step of commands (how the
 * load spreads), and, once one instance is killed (SIGKILL), how long until every workstation is live on the other
 * and at the head, nothing pending.
 */
export const serverInstancesSuite: BenchSuite = {
  name: SUITE,
  description: `two server instances on one PostgreSQL, ${WORKSTATIONS} protocol workstations divided between them: CPU per instance, and one instance's failure`,
  async run(options?: BenchOptions): Promise<BenchFigure[]> {
    const quick = options?.quick ?? false;
    const dir = makeBenchDir(SUITE);
    const force = writeBenchForce(dir.path, ISSUERS);
    let postgres: TestPostgres | null = null;
    const servers: RunningChild[] = [];
    let clients: LoadClientsProcess | null = null;
    try {
      postgres = await startPostgres();
      const postmaster = processWithArgument(`-p ${postgres.port}`, /\/postgres$/);
      if (postmaster !== null) for (const pid of [postmaster, ...childrenOf(postmaster)]) pinToCpus(pid, SERVER_CPU);
      const databaseUrl = await postgres.createDatabase();
      for (let i = 0; i < 2; i += 1) {
        const server = await startBuiltScript(
          'dist/node/server.mjs',
          ['--port', '0', '--database-url', databaseUrl, '--enrolment-key', BENCH_ENROLMENT_KEY, '--force-config', force.file, '--operators', demoOperatorsFile()],
          /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
          { CORDON_LOG_LEVEL: 'info' },
        );
        servers.push(server);
        pinToCpus(server.pid, SERVER_CPU);
      }
      const urls = servers.map((s) => s.match[1]!);
      clients = startLoadClients();
      pinToCpus(clients.pid, CLIENT_CPU);
      console.error(`bench: ${SUITE}: ${WORKSTATIONS} workstations divided between ${urls.join(' and ')}`);
      const connected = await clients.call({
        type: 'connect',
        serverUrl: urls[0]!,
        otherServerUrls: urls.slice(1),
        enrolmentKey: BENCH_ENROLMENT_KEY,
        workstations: WORKSTATIONS,
        issuers: ISSUERS,
        operator: { name: BENCH_OPERATOR.operator, password: BENCH_OPERATOR.password },
        units: force.config.units.map((u) => u.callSign),
        delivery: 'live',
      });
      const divided = (await clients.call({ type: 'counters' })).byServer ?? {};

      // How the load spreads: each instance's CPU over one step, the database's apart.
      await clients.call({ type: 'quiesce', timeoutMs: 120_000 });
      const cpu = () => ({ servers: servers.map((s) => cpuSecondsOf(s.pid) ?? Number.NaN), database: postmaster === null ? null : treeCpuSeconds(postmaster) });
      const before = cpu();
      const started = performance.now();
      const step = await clients.call({ type: 'step', ratePerSecond: STEP_PER_SECOND, seconds: quick ? 4 : 10, settleTimeoutMs: 10_000 });
      const wall = (performance.now() - started) / 1000;
      const after = cpu();
      const perInstance = servers.map((_, i) => round((after.servers[i]! - before.servers[i]!) / wall, 3));
      const msPerCommand = servers.map((_, i) => round(((after.servers[i]! - before.servers[i]!) * 1000) / step.commands, 2));
      console.error(`bench: ${SUITE}: CPU per instance ${perInstance.join(' and ')} cores at ${STEP_PER_SECOND} commands/s, p99 visible ${step.visibleEverywhereMs.p99} ms`);

      const residentMiBs = servers.map((s) => residentMiB(s.pid));
      // One instance fails as the room works on: its workstations move to the other and catch up, their commands
      // (and those of the other instance's) applied there.
      await clients.call({ type: 'quiesce', timeoutMs: 120_000 });
      const cpuBeforeFailure = cpu();
      servers[0]!.child.kill('SIGKILL');
      const { queued } = await clients.call({ type: 'queue', workstations: ISSUERS, commandsEach: COMMANDS_AT_FAILURE });
      const failover = await clients.call({ type: 'drain', timeoutMs: FAILOVER_TIMEOUT_MS, leaving: urls[0]! });
      const cpuAfterFailure = cpu();
      // The surviving instance's CPU (and the database's) over the failover: less swayed by other work than the wall time.
      const failoverCpuSeconds = cpuAfterFailure.servers[1]! - cpuBeforeFailure.servers[1]! + (cpuAfterFailure.database ?? 0) - (cpuBeforeFailure.database ?? 0);
      const afterFailure = (await clients.call({ type: 'counters' })).byServer ?? {};
      console.error(`bench: ${SUITE}: after ${urls[0]} was killed, every workstation on the other and in step in ${failover.drainedInMs ?? `more than ${FAILOVER_TIMEOUT_MS}`} ms`);

      const where = `PostgreSQL, two instances, ${WORKSTATIONS} workstations`;
      return [
        {
          suite: SUITE,
          name: `server CPU per instance at ${STEP_PER_SECOND} commands/s, workstations divided between two instances (${where})`,
          value: Math.max(...perInstance),
          unit: 'cores',
          peer: { name: 'the other instance', value: Math.min(...perInstance), unit: 'cores' },
          detail: {
            perInstanceCores: perInstance,
            perInstanceCpuMsPerCommand: msPerCommand,
            databaseCores: after.database === null || before.database === null ? null : round((after.database - before.database) / wall, 3),
            workstationsPerInstance: divided,
            commands: step.commands,
            visibleEverywhereMs: step.visibleEverywhereMs,
            pulls: step.pulls,
            liveBatches: step.liveBatches,
            missing: step.missing,
            residentMiB: residentMiBs,
            connectedInMs: connected.connectedInMs,
            pinning: `servers and PostgreSQL on CPU ${SERVER_CPU}, protocol workstations on CPU ${CLIENT_CPU}`,
          },
        },
        judged({
          suite: SUITE,
          name: `one instance killed: every workstation live on the other and in step (${where})`,
          value: failover.drainedInMs ?? Number.NaN,
          unit: 'ms',
          limit: { value: FAILOVER_LIMIT_MS, unit: 'ms', better: 'lower' },
          detail: { ...failover, queuedAtFailure: queued, survivorAndDatabaseCpuSeconds: round(failoverCpuSeconds, 2), workstationsPerInstanceBefore: divided, workstationsPerInstanceAfter: afterFailure },
        }),
        ...servers.flatMap((s, i) => (s.problems().length ? [{ suite: SUITE, name: `instance ${i + 1} warnings or errors`, value: s.problems().length, unit: 'lines', detail: { first: s.problems().slice(0, 3) } }] : [])),
      ];
    } finally {
      await clients?.stop();
      for (const server of servers) await server.stop();
      await postgres?.remove();
      dir.remove();
    }
  },
};
