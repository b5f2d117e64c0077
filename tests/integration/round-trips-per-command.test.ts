import { Agent } from 'node:http';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS_PER_INCIDENT, IncidentLifecycle } from '../../bench/load/incident-lifecycle';
import { ProtocolWorkstation, type WorkstationEvents } from '../../bench/load/protocol-workstation';
import { registerBenchOperators } from '../../bench/support/bench-access';
import { writeBenchForce } from '../../bench/support/bench-force';
import { hashPassword } from '../../node-common/passwords';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import { PullCoalescer } from '../../server/pull-coalescer';
import { randomUUID } from 'node:crypto';
import { createIncidentCommand, fixedRules, pushTo } from '../fakes/storages';
import { registerTestOperators } from '../fakes/access';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { ServerStorage } from '../../server/storage/storage';
import { eventually, silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { makeTempDir } from '../fakes/temp-dir';

// What one command of the incident lifecycle costs the database, counted, not timed: the statements the server sends
// PostgreSQL (each a round trip, a wake-up of a backend and of the server) from the push's arrival to the live batch
// that shows its effect to the room. Issue 15: on one core these round trips, not the statements' work, were what
// held PostgreSQL to a sixth of SQLite's rate. The same run on SQLite checks that what the room sees is the same.

/** The most statements one command of the lifecycle may send PostgreSQL, over the whole lifecycle (push, commit, live batch). */
const MOST_STATEMENTS_PER_COMMAND = 5;
/**
 * The most round trips: statements the server waited on an answer before sending (those sent behind another on the
 * same connection, before its answer, wait on nothing of their own: a transaction's first statement behind its BEGIN,
 * its COMMIT behind its last).
 */
const MOST_ROUND_TRIPS_PER_COMMAND = 3.5;

const cluster = postgresForThisFile();

/** Every statement any pg client of this process sends (the server's pool and its listening connection). */
const sent: string[] = [];
/** Of those, each one sent while its connection had no other statement unanswered: its index in `sent`. */
const waited = new Set<number>();
/** Per connection, its statements sent and not yet answered. */
const unanswered = new WeakMap<pg.Client, number>();
const query = pg.Client.prototype.query;
beforeAll(() => {
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const inFlight = unanswered.get(this) ?? 0;
    if (inFlight === 0) waited.add(sent.length);
    sent.push(typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? String(first)));
    const result = (query as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) {
      unanswered.set(this, inFlight + 1);
      const answered = () => void unanswered.set(this, (unanswered.get(this) ?? 1) - 1);
      result.then(answered, answered);
    }
    return result;
  } as typeof pg.Client.prototype.query;
});
afterAll(() => {
  pg.Client.prototype.query = query;
});

const storages: { name: string; open(): Promise<ServerStorage> }[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = makeTempDir();
      cleanups.push(() => dir.remove());
      return SqliteStorage.open(`${dir.path}/central.sqlite`);
    },
  },
  { name: 'PostgreSQL', open: async () => PostgresStorage.open(await cluster.createDatabase(), { log: silentLog }) },
];
const cleanups: (() => void)[] = [];

describe.each(storages)('a command of the incident lifecycle on $name', (factory) => {
  let server: CentralServer | undefined;
  const workstations: ProtocolWorkstation[] = [];
  afterEach(async () => {
    for (const ws of workstations.splice(0)) ws.stop();
    await server?.close();
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('is applied and reaches a watching workstation live, with a handful of statements on PostgreSQL', async () => {
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    const { config } = writeBenchForce(dir.path, 2);
    const rules = { config, now: () => Date.now() };
    const storage = await factory.open();
    await registerBenchOperators(storage, rules, ['dan']);
    await storage.setCredential('dan', await hashPassword('demo'), [], config.force.code);
    // The timers that read the storage now and then are left out of the count: the count is of commands.
    server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: 'k', headPollMs: 3_600_000, revocationCheckMs: 3_600_000 });

    const outcomes: { status: string; seq?: number; reason?: string }[] = [];
    const cursors = [0, 0];
    const events: WorkstationEvents = {
      onPage: (index, upTo) => void (cursors[index] = upTo),
      onOutcome: (_index, outcome) => void outcomes.push(outcome),
      onProblem: () => {},
    };
    const agent = new Agent({ keepAlive: true });
    const baseUrl = new URL(server.url);
    const [issuer, watcher] = [0, 1].map((index) => new ProtocolWorkstation({ index, baseUrl, agent, enrolmentKey: 'k', events, delivery: 'live' }));
    workstations.push(issuer!, watcher!);
    await issuer!.start();
    await watcher!.start();
    await issuer!.signIn('dan', 'demo');
    const unitId = config.units[0]!.callSign;
    const until = new Date(Date.now() + 86_400_000).toISOString();
    /** Issues a command, and waits until it is applied and the watcher has been brought past its effect. */
    const issue = async (name: string, args: unknown) => {
      const before = outcomes.length;
      issuer!.issue(name, args);
      await eventually(() => outcomes.length > before, `${name} answered`);
      const outcome = outcomes[before]!;
      expect(outcome).toMatchObject({ status: 'applied' });
      await eventually(() => cursors[1]! >= outcome.seq!, `${name} seen by the watcher`);
    };
    await issue('unit.setDuty', { unitId, duty: 'on_duty', unitVersion: 1, until });
    // The first incident warms what is read once (the share book, the day's reference counter); the second is counted.
    const lifecycle = new IncidentLifecycle(unitId, 2, (n) => issuer!.reference(n));
    for (let i = 0; i < COMMANDS_PER_INCIDENT; i += 1) {
      const { name, args } = lifecycle.next();
      await issue(name, args);
    }
    const counted = sent.length;
    for (let i = 0; i < COMMANDS_PER_INCIDENT; i += 1) {
      const { name, args } = lifecycle.next();
      await issue(name, args);
    }
    const statements = sent.slice(counted);
    agent.destroy();

    expect(outcomes.every((outcome) => outcome.status === 'applied')).toBe(true);
    if (storage.kind === 'postgres') {
      const perCommand = statements.length / COMMANDS_PER_INCIDENT;
      const roundTripsPerCommand = [...waited].filter((index) => index >= counted && index < counted + statements.length).length / COMMANDS_PER_INCIDENT;
      // Printed for the report: what the lifecycle's commands sent, most frequent first.
      const tally = new Map<string, number>();
      for (const text of statements) tally.set(text.replace(/\s+/g, ' ').slice(0, 90), (tally.get(text.replace(/\s+/g, ' ').slice(0, 90)) ?? 0) + 1);
      console.log(`${perCommand} statements a command, ${roundTripsPerCommand} round trips:\n${[...tally].sort((a, b) => b[1] - a[1]).map(([text, n]) => `${String(n).padStart(4)} ${text}`).join('\n')}`);
      expect(perCommand).toBeLessThanOrEqual(MOST_STATEMENTS_PER_COMMAND);
      expect(roundTripsPerCommand).toBeLessThanOrEqual(MOST_ROUND_TRIPS_PER_COMMAND);
    } else {
      expect(statements).toEqual([]);
    }
  }, 60_000);
});

describe('a pull on PostgreSQL with changes to read', () => {
  it('waits on one round trip: its statements, one snapshot, and its commit sent at once', async () => {
    const storage = await PostgresStorage.open(await cluster.createDatabase(), { log: silentLog });
    try {
      await registerTestOperators(storage, fixedRules, ['alice']);
      const client = randomUUID();
      await pushTo(storage, client, [createIncidentCommand(client, 1), { ...createIncidentCommand(client, 2), operator: 'mallory' }]);
      const head = await storage.head();

      const before = sent.length;
      const page = await storage.pull({ since: 0, clientId: client, afterClientSeq: 0, limit: 100 });

      expect([...waited].filter((index) => index >= before)).toHaveLength(1);
      expect(page).toMatchObject({ since: 0, upTo: head, head, hasMore: false, lastClientSeq: 2, rejected: [expect.objectContaining({ clientSeq: 2, status: 'rejected' })] });
      expect(page.changes.some((change) => change.kind === 'incident')).toBe(true);
    } finally {
      await storage.close();
    }
  });
});

describe('an idle pull on PostgreSQL (nothing new since the cursor)', () => {
  it('is one statement: the workstation\'s own part, with the head that says there is nothing to read', async () => {
    const storage = await PostgresStorage.open(await cluster.createDatabase(), { log: silentLog });
    try {
    await registerTestOperators(storage, fixedRules, ['alice']);
    const client = randomUUID();
    await pushTo(storage, client, [createIncidentCommand(client, 1)]);
    const head = await storage.head();
    const pulls = new PullCoalescer(storage);

    const before = sent.length;
    const page = await pulls.pull({ since: head, clientId: client, afterClientSeq: 1, limit: 100 });

    expect(sent.slice(before)).toHaveLength(1);
    expect(page).toEqual({ since: head, upTo: head, head, changes: [], hasMore: false, lastClientSeq: 1, rejected: [] });
    } finally {
      await storage.close();
    }
  });
});
