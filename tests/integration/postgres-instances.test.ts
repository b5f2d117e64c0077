import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import { serverPostgresMigrations } from '../../server/storage/postgres/migrations';
import { SCHEMA_VERSION, type CommandEnvelope, type LiveChanges, type LiveMessage, type PullResponse } from '../../shared/sync/protocol';
import { eventually, silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { startServerProcessOnPostgres, type RunningProcess } from '../fakes/processes';
import { createIncidentCommand, fixedRules, pushTo, queryNumber } from '../fakes/storages';
import { registerTestOperators } from '../fakes/access';
import { HttpWorkstation } from '../fakes/http-workstation';
import { SERVER_CLIENT_ID } from '../../server/commands/system-commands';
import { StorageUnavailableError } from '../../server/storage/storage-unavailable';

// Several server instances on one PostgreSQL database: what one writes, the others serve and poke about.
const cluster = postgresForThisFile();

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

async function open(url: string): Promise<PostgresStorage> {
  const storage = await PostgresStorage.open(url, { log: silentLog });
  opened.push(storage);
  return storage;
}

/** An instance on a database where alice, who makes the test's commands, is an operator (which takes head 1). */
async function openWithOperator(url: string): Promise<PostgresStorage> {
  const storage = await open(url);
  await registerTestOperators(storage, fixedRules, ['alice']);
  return storage;
}

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describe('the PostgreSQL schema', () => {
  it('is migrated once when two instances start on an empty database at the same moment', async () => {
    const url = await cluster.createDatabase();
    await Promise.all([open(url), open(url)]);
    expect(await queryNumber(url, 'SELECT count(*)::int AS n FROM schema_migrations')).toBe(serverPostgresMigrations.length);
    expect(await queryNumber(url, `SELECT value::int AS n FROM counters WHERE name = 'seq'`)).toBe(0);
  });

  it('is refused when a newer build has migrated the database', async () => {
    const url = await cluster.createDatabase();
    await (await open(url)).close();
    await sql(url, `INSERT INTO schema_migrations (version, name) VALUES (999, '0999-from-the-future')`);
    await expect(PostgresStorage.open(url, { log: silentLog })).rejects.toThrow(/schema version 999, newer than this build knows/);
  });
});

describe('opening the PostgreSQL storage', () => {
  it('fails when the database cannot be reached, naming it without its password', async () => {
    const opening = PostgresStorage.open('postgres://cordon:hunter2@127.0.0.1:1/cordon', { log: silentLog });
    await expect(opening).rejects.toThrow('cannot open the PostgreSQL storage at postgres://cordon:***@127.0.0.1:1/cordon: connect ECONNREFUSED');
    await expect(opening).rejects.not.toThrow(/hunter2/);
  });
});

describe('two instances sharing one database', () => {
  it('tells one instance of a change made through the other, which then serves it', async () => {
    const url = await cluster.createDatabase();
    const [one, two] = [await openWithOperator(url), await openWithOperator(url)];
    const heard = { one: [] as number[], two: [] as number[] };
    one.onExternalChange((head) => heard.one.push(head));
    two.onExternalChange((head) => heard.two.push(head));
    const clientId = randomUUID();
    // Each creation writes two records: the incident and its log's first line.
    await pushTo(one, clientId, [createIncidentCommand(clientId, 1)]);
    await eventually(() => heard.two.includes(3), 'instance two hears of head 3');
    const pulled = await two.pull({ since: 1, clientId, afterClientSeq: 0, limit: 10 });
    expect(pulled).toMatchObject({ head: 3, lastClientSeq: 1, changes: [expect.objectContaining({ seq: 2, kind: 'incident' }), expect.objectContaining({ seq: 3, kind: 'logEntry' })] });
    // Instance one does not hear its own change: proved once it has heard a later one, made through two.
    await pushTo(two, clientId, [createIncidentCommand(clientId, 2)]);
    await eventually(() => heard.one.includes(5), 'instance one hears of head 5');
    expect(heard.one).toEqual([5]);
  });

  it('listens again after losing its connection, and pokes with a change made while it was deaf', async () => {
    const url = await cluster.createDatabase();
    const [one, two] = [await openWithOperator(url), await openWithOperator(url)];
    const heard: number[] = [];
    one.onExternalChange((head) => heard.push(head));
    await sql(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cordon-server-listen'`);
    const clientId = randomUUID();
    await pushTo(two, clientId, [createIncidentCommand(clientId, 1)]);
    await eventually(() => heard.includes(3), 'instance one hears of head 3 after reconnecting');
    await eventually(() => one.listening, 'instance one listens again');
    await pushTo(two, clientId, [createIncidentCommand(clientId, 2)]);
    await eventually(() => heard.includes(5), 'instance one hears of head 5 by notification');
  });

  it('tells a push that waited too long for the sequence to try again, storing nothing, and goes on serving on that connection', async () => {
    const url = await cluster.createDatabase();
    // One connection, so that what follows runs on the very connection whose transaction failed: its pipelined
    // statements (the batch's read went out behind the lock, before the lock's answer) must all have been answered.
    const storage = await PostgresStorage.open(url, { log: silentLog, maxConnections: 1 });
    opened.push(storage);
    await registerTestOperators(storage, fixedRules, ['alice']);
    const head = await storage.head();
    const clientId = randomUUID();
    // Another instance holds the sequence, as a command's transaction does, and does not let go.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query(`BEGIN; SELECT value FROM counters WHERE name = 'seq' FOR UPDATE`);
      const pushing = pushTo(storage, clientId, [createIncidentCommand(clientId, 1)]).then(
        () => null,
        (error: unknown) => error,
      );
      // Its wait ended by the database, as a lock_timeout or a cancelled statement ends it.
      let waiting = 0;
      await eventually(async () => {
        waiting = await queryNumber(url, `SELECT coalesce(max(pid), 0)::int AS n FROM pg_stat_activity WHERE application_name = 'cordon-server' AND wait_event_type = 'Lock'`);
        return waiting > 0;
      }, 'the push waiting for the sequence');
      await holder.query(`SELECT pg_cancel_backend(${waiting})`);
      const refused = await pushing;
      expect(refused).toBeInstanceOf(StorageUnavailableError);
      expect((refused as Error).message).toMatch(/cancel/i);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await storage.head()).toBe(head);
    expect(await storage.lastClientSeq(clientId)).toBe(0);

    // The same command again, and a pull: each answered with its own results.
    const command = createIncidentCommand(clientId, 1);
    const answer = await pushTo(storage, clientId, [command]);
    expect(answer.outcomes).toEqual([expect.objectContaining({ clientSeq: 1, status: 'applied' })]);
    const page = await storage.pull({ since: head, clientId, afterClientSeq: 0, limit: 10 });
    expect(page.changes.map((change) => change.id)).toContain((command.args as { incidentId: string }).incidentId);
    expect(page).toMatchObject({ head: (answer.outcomes[0] as { seq: number }).seq, lastClientSeq: 1, rejected: [] });
  });

  it('never lets a reader skip a change while many clients write through both at once, resends racing originals', async () => {
    const url = await cluster.createDatabase();
    const instances = [await openWithOperator(url), await openWithOperator(url)];
    const reader = await open(url);
    const clients = Array.from({ length: 8 }, () => randomUUID());
    const perClient = 16;
    let writing = true;

    // Each command goes to both instances at once, as a resend racing its original would: one applies it, the
    // other answers from the log, and both answers agree.
    const writer = async (clientId: string) => {
      let incidentId = '';
      for (let seq = 1; seq <= perClient; seq++) {
        let command: CommandEnvelope;
        if (seq % 4 === 1) {
          command = createIncidentCommand(clientId, seq);
          incidentId = (command.args as { incidentId: string }).incidentId;
        } else {
          command = { ...createIncidentCommand(clientId, seq), name: 'incident.addLog', args: { incidentId, entryId: randomUUID(), text: `line ${seq}` } };
        }
        const answers = await Promise.all(instances.map((instance) => pushTo(instance, clientId, [command])));
        expect(answers[0]!.outcomes).toEqual(answers[1]!.outcomes);
        expect(answers[0]!.outcomes[0]).toMatchObject({ clientSeq: seq, status: 'applied' });
      }
    };

    // The reader pulls in small pages as fast as it can, cursor forward only, as a workstation does.
    const seen = new Map<string, number>();
    let cursor = 0;
    let pulls = 0;
    const readOnce = async (): Promise<PullResponse> => {
      const page = await reader.pull({ since: cursor, clientId: randomUUID(), afterClientSeq: 0, limit: 7 });
      pulls += 1;
      for (const change of page.changes) {
        expect(change.seq).toBeGreaterThan(cursor);
        seen.set(`${change.kind}:${change.id}`, change.seq);
      }
      cursor = page.upTo;
      return page;
    };
    const readLoop = async () => {
      while (writing) await readOnce();
      while ((await readOnce()).hasMore);
    };

    const reading = readLoop();
    try {
      await Promise.all(clients.map(writer));
    } finally {
      writing = false;
      await reading;
    }

    const all = await reader.pull({ since: 0, clientId: randomUUID(), afterClientSeq: 0, limit: 5000 });
    const expected = new Map(all.changes.map((c) => [`${c.kind}:${c.id}`, c.seq]));
    expect(pulls).toBeGreaterThan(10);
    expect(cursor).toBe(all.head);
    expect(seen).toEqual(expected);
    expect(await queryNumber(url, `SELECT count(*)::int AS n FROM command_log WHERE client_id <> '${SERVER_CLIENT_ID}'`)).toBe(clients.length * perClient);
    for (const clientId of clients) expect(await reader.lastClientSeq(clientId)).toBe(perClient);

    const references = all.changes.filter((c) => c.kind === 'incident').map((c) => (c.doc as { reference: string }).reference);
    expect(references).toEqual(references.map((_, i) => `DMO-20261129-${String(i + 1).padStart(4, '0')}`));
  });
});

describe('two server processes on one database', () => {
  const processes: RunningProcess[] = [];
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.stop();
  });

  it('pokes a workstation’s live socket on server two for a command pushed to server one, and never logs the password', async () => {
    const url = (await cluster.createDatabase()).replace('postgres@', 'postgres:not-the-real-one@');
    const one = await startServerProcessOnPostgres(url);
    processes.push(one);
    const two = await startServerProcessOnPostgres(url);
    processes.push(two);

    // Enrolled (and signed in) at server one; the device is known to server two as well, through the database.
    const clientId = randomUUID();
    const workstation = await (await HttpWorkstation.enrol(one.url, clientId)).signIn('alice');
    const socket = workstation.live(two.url);
    const messages: LiveMessage[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as LiveMessage));
    await eventually(() => messages.length > 0, 'server two says hello');
    const base = (messages[0] as { head: number }).head;

    expect((await workstation.push([createIncidentCommand(clientId, 1)])).status).toBe(200);
    // The incident and its log's first line.
    await eventually(() => messages.some((m) => m.type === 'poke' && m.head === base + 2), 'server two pokes with the new head');
    socket.close();

    const pulled = await workstation.pulled(base, two.url);
    expect(pulled).toMatchObject({ head: base + 2, lastClientSeq: 1, changes: [expect.objectContaining({ kind: 'incident' }), expect.objectContaining({ kind: 'logEntry' })] });
    expect(await (await fetch(`${two.url}/healthz`)).json()).toMatchObject({ storage: 'postgres', head: base + 2 });
    for (const p of [one, two]) {
      expect(p.output()).toContain('postgres://postgres:***@127.0.0.1');
      expect(p.output()).not.toContain('not-the-real-one');
    }
  });

  it('sends a workstation of this build on server two the changes of commands pushed to server one, each batch naming its range', async () => {
    const url = await cluster.createDatabase();
    const one = await startServerProcessOnPostgres(url);
    processes.push(one);
    const two = await startServerProcessOnPostgres(url);
    processes.push(two);

    const clientId = randomUUID();
    const workstation = await (await HttpWorkstation.enrol(one.url, clientId)).signIn('alice');
    const socket = workstation.live(two.url, SCHEMA_VERSION);
    const messages: LiveMessage[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as LiveMessage));
    await eventually(() => messages.length > 0, 'server two says hello');
    const base = (messages[0] as { head: number }).head;

    for (let clientSeq = 1; clientSeq <= 3; clientSeq++) expect((await workstation.push([createIncidentCommand(clientId, clientSeq)])).status).toBe(200);
    const batches = () => messages.filter((m): m is LiveChanges => m.type === 'changes');
    await eventually(() => batches().at(-1)?.upTo === base + 6, 'server two has sent every change made through server one');
    socket.close();

    // Batches follow one another without a gap or an overlap, and together hold exactly what a pull from the start gives.
    let cursor = base;
    for (const batch of batches()) {
      expect(batch.since).toBe(cursor);
      cursor = batch.upTo;
    }
    const pulled = await workstation.pulled(base, two.url);
    expect(batches().flatMap((b) => b.changes)).toEqual(pulled.changes);
    expect(messages.some((m) => m.type === 'poke')).toBe(false);
  });
});
