import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import type { ServerStorage } from '../../server/storage/storage';
import type { ServerRules } from '../../server/commands/plan-command';
import { issueTicket, TICKET_LIFETIME_MS } from '../../server/access/tickets';
import { TICKET_SECRET } from '../../server/access/access-routes';
import { verifyChain } from '../../server/audit/verify-chain';
import { hashPassword } from '../../node-common/passwords';
import { PROTOCOL_PATHS, PushResponse } from '../../shared/sync/protocol';
import { registerTestOperators } from '../fakes/access';
import { demoConfig, silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { makeTempDir } from '../fakes/temp-dir';
import { send, type Answer } from '../fakes/raw-http';
import { attacks, bearer, legitCommand, type Attack, type Enrolled, type World } from '../fakes/endpoint-attacks';

/**
 * The server's push, pull, enrolment, sign-in and live endpoints under malformed, oversized, forged and replayed
 * requests (tests/fakes/endpoint-attacks.ts), on a real server over real HTTP, on SQLite and PostgreSQL. For each:
 * the answer the attack expects (a 4xx with a reason in words; or, for commands from an enrolled workstation, each
 * refused in its place; or, for a retry, the first answer again), never a 5xx or a hang; nothing stored that should
 * not be (records, command log, clients, devices, audit log and its chain); and afterwards the server answers its
 * health check and applies a legitimate push. Seeded: CORDON_FUZZ_SEED replays a run, CORDON_FUZZ_RUNS sets its length.
 */
const SEED = Number(process.env.CORDON_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.CORDON_FUZZ_RUNS ?? 120);
const ENROLMENT_KEY = 'fuzz-enrolment-key';

const cluster = postgresForThisFile();

/** A storage for the server under test, and a count of its tables taken beside the storage interface. */
interface Opened {
  storage: ServerStorage;
  query(sql: string): Promise<unknown[]>;
  close(): Promise<void>;
}

const storages: { name: string; open(): Promise<Opened> }[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = makeTempDir();
      const storage = SqliteStorage.open(join(dir.path, 'central.sqlite'));
      return { storage, query: async (sql) => storage.database.prepare(sql).all(), close: async () => dir.remove() };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const url = await cluster.createDatabase();
      const storage = await PostgresStorage.open(url, { log: silentLog });
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      return { storage, query: async (sql) => (await pool.query(sql)).rows, close: () => pool.end() };
    },
  },
];

/**
 * The audit log's entries of refusals at the door (a device token refused, an enrolment refused): the one thing an
 * attack may leave, tallied (server/access/refusal-tally.ts), so they are counted apart (see doorEntries).
 */
const NOT_AT_THE_DOOR = `command NOT IN ('access.device', 'access.enrol')`;

/** The refusals at the door the audit log holds. */
async function doorEntries(opened: Opened): Promise<number> {
  const [row] = (await opened.query(`SELECT count(*) AS n FROM audit_log WHERE NOT (${NOT_AT_THE_DOOR})`)) as { n: number | string }[];
  return Number(row!.n);
}

/** Everything an attack must leave as it was (but the door's tallied refusals: doorEntries). */
async function storedState(opened: Opened): Promise<Record<string, unknown>> {
  const [counts] = (await opened.query(`
    SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM command_log) AS commands,
      (SELECT count(*) FROM clients) AS clients, (SELECT count(*) FROM devices) AS devices,
      (SELECT count(*) FROM audit_log WHERE ${NOT_AT_THE_DOOR}) AS audit, (SELECT count(*) FROM revocations) AS revocations,
      (SELECT max(hash) FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log WHERE ${NOT_AT_THE_DOOR})) AS "auditHead",
      (SELECT value FROM counters WHERE name = 'seq') AS head,
      (SELECT count(*) FROM records WHERE kind <> 'refusal') AS "notRefusals"`)) as Record<string, unknown>[];
  const tokens = (await opened.query(`SELECT client_id || ':' || token_hash AS t FROM devices ORDER BY client_id`)) as { t: string }[];
  return { ...Object.fromEntries(Object.entries(counts!).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v])), tokens: tokens.map((r) => r.t).join(',') };
}

/** A reason a person can read: words, not a stack trace or a bare code. */
function reasonOf(answer: Answer): string {
  const error = (answer.json as { error?: unknown } | null)?.error;
  return typeof error === 'string' ? error : answer.text;
}

describe.each(storages)('the server’s endpoints on $name', (factory) => {
  let opened: Opened;
  let server: CentralServer;
  let world: World;

  beforeAll(async () => {
    opened = await factory.open();
    const { storage } = opened;
    const rules: ServerRules = { config: demoConfig, now: () => Date.now() };
    await registerTestOperators(storage, rules, ['alice', 'bob', 'carol']);
    await storage.setCredential('alice', await hashPassword('correct horse'));
    server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: ENROLMENT_KEY });

    const enrol = async (workstation: string): Promise<Enrolled> => {
      const clientId = randomUUID();
      const enrolled = await send(server.url, 'POST', PROTOCOL_PATHS.enrol, { body: JSON.stringify({ clientId, workstation, enrolmentKey: ENROLMENT_KEY }), headers: { 'content-type': 'application/json' } });
      const token = (enrolled.json as { deviceToken: string }).deviceToken;
      const signedIn = await send(server.url, 'POST', PROTOCOL_PATHS.signIn, { body: JSON.stringify({ operator: 'alice', password: 'correct horse' }), headers: bearer(token) });
      return { clientId, workstation, token, ticket: (signedIn.json as { ticket: string }).ticket };
    };
    const legit = await enrol('WS-A');
    const other = await enrol('WS-B');
    const revoked = await enrol('WS-R');
    const now = Date.now();
    await storage.revoke({ kind: 'device', subject: revoked.clientId, revokedAt: new Date(now).toISOString(), reason: 'reported stolen' });
    const secret = await storage.secret(TICKET_SECRET);
    const carols = issueTicket(secret, { operator: 'carol', clientId: legit.clientId, expiresAt: now + TICKET_LIFETIME_MS - 60_000 });
    await storage.revoke({ kind: 'tickets', subject: 'carol', revokedAt: new Date(now).toISOString(), reason: 'password seen' });

    const nextSeq = async () => (await storage.lastClientSeq(legit.clientId)) + 1;
    world = {
      base: server.url,
      port: server.port,
      enrolmentKey: ENROLMENT_KEY,
      legit,
      other,
      revoked,
      nextSeq,
      badTickets: {
        anotherKey: issueTicket('another server’s key', { operator: 'alice', clientId: legit.clientId, expiresAt: now + 86_400_000 }),
        anotherWorkstation: other.ticket,
        expired: issueTicket(secret, { operator: 'alice', clientId: legit.clientId, expiresAt: now - 86_400_000 }),
        revokedOperator: carols,
        garbage: 'not.a-ticket',
      },
      applied: { envelope: null as never, answer: null },
      otherApplied: null as never,
    };
    const first = legitCommand(world, 1);
    world.applied = { envelope: first, answer: (await legitPush(first)).json };
    const others = { ...legitCommand(world, 1), clientId: other.clientId, workstation: other.workstation, ticket: other.ticket };
    await send(server.url, 'POST', PROTOCOL_PATHS.push, { body: JSON.stringify({ clientId: other.clientId, schemaVersion: others.schemaVersion, commands: [others] }), headers: bearer(other.token) });
    world.otherApplied = others;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await opened?.close();
  });

  async function legitPush(envelope = legitCommand(world, 0)): Promise<Answer> {
    const command = envelope.clientSeq === 0 ? { ...envelope, clientSeq: await world.nextSeq() } : envelope;
    return send(world.base, 'POST', PROTOCOL_PATHS.push, { body: JSON.stringify({ clientId: world.legit.clientId, schemaVersion: command.schemaVersion, commands: [command] }), headers: bearer(world.legit.token) });
  }

  /** Checks one attack's answer and what it left stored; throws, naming the attack, when either is wrong. */
  async function check(attack: Attack): Promise<void> {
    const before = await storedState(opened);
    const commandsBefore = before.commands as number;
    const answer = await attack.run(world);
    const after = await storedState(opened);
    const said = `${attack.label}: answered ${answer.status} ${answer.text.slice(0, 300)}`;
    const reason = reasonOf(answer);
    expect(reason, said).not.toMatch(/\n\s+at |Error:|internal error|\[object/);
    if (attack.expect === 'refused') {
      expect(answer.status, said).toBeGreaterThanOrEqual(400);
      expect(answer.status, said).toBeLessThan(500);
      expect(reason, said).toMatch(/[a-z]{2,} [a-z]{2,}/i);
      expect(after, said).toEqual(before);
    } else if (attack.expect === 'same_answer') {
      expect(answer.status, said).toBe(200);
      expect(PushResponse.parse(answer.json).outcomes, said).toEqual(PushResponse.parse(world.applied.answer).outcomes);
      expect(after, said).toEqual(before);
    } else {
      expect(answer.status, said).toBe(200);
      const { outcomes } = PushResponse.parse(answer.json);
      expect(outcomes.length, said).toBeGreaterThan(0);
      for (const outcome of outcomes) {
        expect(outcome.status, said).toBe('rejected');
        if (outcome.status === 'rejected') expect(outcome.reason, said).toMatch(/[a-z]{2,} [a-z]{2,}/i);
      }
      // Each refused command logged in its place, the room told (a refusal record); one refused for its ticket (forged,
      // expired, another's, revoked) also audited as an access refused to the operator it names; nothing else.
      expect(after.commands, said).toBe(commandsBefore + outcomes.length);
      const forTicket = outcomes.filter((outcome) => outcome.status === 'rejected' && outcome.code === 'unauthenticated').length;
      expect(after.audit, said).toBe((before.audit as number) + forTicket);
      const unchanged = { commands: 0, records: 0, head: 0, clients: 0, audit: 0, auditHead: null };
      expect({ ...after, ...unchanged }, said).toEqual({ ...before, ...unchanged });
    }
    // Still healthy: the health check answers, and a legitimate workstation's push is applied.
    const health = await send(world.base, 'GET', PROTOCOL_PATHS.health);
    expect(health.status, `${said}; then the health check`).toBe(200);
    const pushed = await legitPush();
    expect(pushed.status, `${said}; then a legitimate push: ${pushed.text.slice(0, 200)}`).toBe(200);
    expect(PushResponse.parse(pushed.json).outcomes.map((o) => o.status), `${said}; then a legitimate push`).toEqual(['applied']);
  }

  it(`refuses what is malformed, oversized, forged or replayed, stores nothing of it, and stays healthy (seed ${SEED}, ${RUNS} runs)`, async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(attacks, async (attack) => check(attack)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The audit log's chain is whole after it all, as stored (values sealed), as `npm run audit -- verify` reads it.
    const entries = await opened.storage.auditChain(0, 1_000_000);
    expect(verifyChain(entries)).toMatchObject({ intact: true });
    expect(entries.length).toBeGreaterThan(RUNS);
    // The attacks at the door are in the log, but tallied: every one came from this one address (or the one revoked
    // workstation, or the enrolled one pushing or pulling as another), so at most two entries a minute (the first,
    // and the count of the rest) for each reason a refusal at the door can have (4 at the device check, 7 at
    // enrolment, 1 as another workstation, with room for a second kind of request), whatever the number of attempts.
    const door = await doorEntries(opened);
    const minutes = Math.ceil((Date.now() - started) / 60_000) + 1;
    expect(door).toBeGreaterThan(0);
    expect(door).toBeLessThanOrEqual(2 * 14 * minutes);
  }, 180_000);
});
