import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { StorageUnavailableError } from '../../server/storage/storage-unavailable';
import type { ServerStorage } from '../../server/storage/storage';
import type { ServerRules } from '../../server/commands/plan-command';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { demoConfig, eventually, silentLog } from '../fakes/fixtures';
import { hashPassword } from '../../node-common/passwords';
import { registerTestOperators, ticketFor } from '../fakes/access';
import { TICKET_CLOCK_SKEW_MS } from '../../server/access/tickets';
import { join } from 'node:path';
import { makeTempDir } from '../fakes/temp-dir';
import { unverifiedLocation } from '../../shared/domain/location';

const clientId = randomUUID();
let storage: SqliteStorage;
const rules: ServerRules = { config: demoConfig, now: () => Date.parse('2026-11-29T10:00:00Z') };

beforeEach(async () => {
  storage = SqliteStorage.open(':memory:');
  await registerTestOperators(storage, rules, ['alice']);
  ticket = await ticketFor(storage, 'alice', clientId);
});
afterEach(() => storage.close());

let ticket: string;
const count = (sql: string) => (storage.database.prepare(sql).get() as { n: number }).n;
type Pushed = { outcomes: { status: string; code: string; reason: string }[] };

function envelope(clientSeq: number, overrides: Partial<CommandEnvelope> = {}): CommandEnvelope {
  return {
    ticket,
    commandId: randomUUID(),
    clientId,
    clientSeq,
    name: 'incident.create',
    args: { incidentId: randomUUID(), provisionalReference: `WS-P${clientSeq}`, type: 'ASB', location: unverifiedLocation('Market Square'), grade: '3', firstLog: null },
    issuedAt: '2026-11-29T09:59:00.000Z',
    operator: 'alice',
    workstation: 'WS-A',
    schemaVersion: SCHEMA_VERSION,
    ...overrides,
  };
}

// What storage does with pushed commands is tested for SQLite and PostgreSQL alike in
// tests/integration/server-storage.test.ts; here, what the server does over HTTP and WebSocket.
describe('the central server over HTTP and WebSocket', () => {
  let server: CentralServer;
  beforeEach(async () => {
    server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: 'test-key' });
  });
  afterEach(() => server.close());

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${server.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: token ? { authorization: `Bearer ${token}` } : {} });
  const enrol = async (id = clientId, key = 'test-key') => (await (await post('/v1/enrol', { clientId: id, workstation: 'WS-A', enrolmentKey: key })).json()) as { deviceToken: string };

  it('brings the configured units into service at start, and answers /healthz with its storage and head', async () => {
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, storage: 'sqlite', head: demoConfig.units.length + 1 });
    const units = storage.database.prepare(`SELECT id FROM records WHERE kind = 'unit' ORDER BY id`).all();
    expect(units).toEqual(demoConfig.units.map((u) => ({ id: u.callSign })).sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('does not register the units again when restarted on the same file', async () => {
    const dir = makeTempDir();
    const file = join(dir.path, 'central.sqlite');
    for (let start = 0; start < 2; start++) {
      const fileStorage = SqliteStorage.open(file);
      const again = await startCentralServer({ storage: fileStorage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: 'k' });
      expect(await fileStorage.head()).toBe(demoConfig.units.length);
      await again.close();
    }
    dir.remove();
  });

  it('serves only enrolled workstations, and enrols only with the right key', async () => {
    expect((await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1)] })).status).toBe(401);
    expect((await fetch(`${server.url}/v1/pull?since=0&clientId=${clientId}&afterClientSeq=0`)).status).toBe(401);
    expect((await post('/v1/enrol', { clientId, workstation: 'WS-A', enrolmentKey: 'guess' })).status).toBe(403);
    const { deviceToken } = await enrol();
    expect((await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1)] }, deviceToken)).status).toBe(200);
    expect((await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1)] }, 'x'.repeat(43))).status).toBe(401);
    const someoneElse = randomUUID();
    expect((await fetch(`${server.url}/v1/pull?since=0&clientId=${someoneElse}&afterClientSeq=0`, { headers: { authorization: `Bearer ${deviceToken}` } })).status).toBe(403);
    expect((await post('/v1/push', { clientId: someoneElse, schemaVersion: SCHEMA_VERSION, commands: [envelope(2, { clientId: someoneElse })] }, deviceToken)).status).toBe(403);
  });

  it('signs an operator in with the right password only, with a ticket for that workstation', async () => {
    await storage.setCredential('alice', await hashPassword('correct horse'));
    const { deviceToken } = await enrol();
    const wrong = await post('/v1/sign-in', { operator: 'alice', password: 'wrong' }, deviceToken);
    const unknown = await post('/v1/sign-in', { operator: 'mallory', password: 'correct horse' }, deviceToken);
    expect([wrong.status, unknown.status]).toEqual([403, 403]);
    expect(await wrong.json()).toEqual(await unknown.json());
    const right = await post('/v1/sign-in', { operator: 'alice', password: 'correct horse' }, deviceToken);
    expect(right.status).toBe(200);
    const { ticket: issued, operator } = (await right.json()) as { ticket: string; operator: unknown };
    expect(operator).toMatchObject({ id: 'alice', roles: ['call_handler', 'dispatcher', 'supervisor'] });
    ticket = issued;
    const pushed = (await (await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1)] }, deviceToken)).json()) as Pushed;
    expect(pushed.outcomes).toEqual([expect.objectContaining({ status: 'applied' })]);
  });

  it('refuses, until its operator signs in again, a command whose ticket is missing, forged, someone else’s or had expired when it was issued', async () => {
    const { deviceToken } = await enrol();
    const bob = await ticketFor(storage, 'bob', clientId);
    const issuedAt = Date.parse('2026-11-29T09:59:00.000Z');
    const lapsedBefore = await ticketFor(storage, 'alice', clientId, issuedAt - TICKET_CLOCK_SKEW_MS - 1);
    const commands = [envelope(1, { ticket: '' }), envelope(2, { ticket: `${ticket.split('.')[0]}.forged` }), envelope(3, { ticket: bob }), envelope(4, { ticket: lapsedBefore })];
    const pushed = (await (await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands }, deviceToken)).json()) as Pushed;
    expect(pushed.outcomes.map((o) => [o.code, o.reason])).toEqual([
      ['unauthenticated', 'no sign-in ticket'],
      ['unauthenticated', 'the sign-in ticket is not one this server issued'],
      ['unauthenticated', "the sign-in ticket is bob's, not alice's"],
      ['unauthenticated', "alice's sign-in had expired when this was done; sign in again"],
    ]);
    expect(count(`SELECT count(*) AS n FROM records WHERE kind = 'incident'`)).toBe(0);
    // A workstation of schema version 1 knows no "unauthenticated": it is told "forbidden", as it always was.
    const pulled = (await (await fetch(`${server.url}/v1/pull?since=0&clientId=${clientId}&afterClientSeq=0`, { headers: { authorization: `Bearer ${deviceToken}` } })).json()) as { rejected: { code: string }[] };
    expect(pulled.rejected.map((o) => o.code)).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden']);
  });

  it('refuses what an operator’s roles do not allow', async () => {
    await registerTestOperators(storage, rules, ['tina'], ['trainer']);
    const { deviceToken } = await enrol();
    const tina = await ticketFor(storage, 'tina', clientId);
    const pushed = (await (await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1, { operator: 'tina', ticket: tina })] }, deviceToken)).json()) as Pushed;
    expect(pushed.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: 'tina may not create an incident' })]);
  });

  it('answers bad requests with a status and a reason, not a crash', async () => {
    const { deviceToken } = await enrol();
    const notJson = await post('/v1/push', '{', deviceToken);
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'request body is not JSON' });
    const badPull = await fetch(`${server.url}/v1/pull?since=-1&clientId=x&afterClientSeq=0`, { headers: { authorization: `Bearer ${deviceToken}` } });
    expect(badPull.status).toBe(400);
    expect((await fetch(`${server.url}/v1/nothing`, { headers: { authorization: `Bearer ${deviceToken}` } })).status).toBe(404);
  });

  it('pokes live listeners once with the new head when a command is applied, and lets only enrolled ones listen', async () => {
    const { deviceToken } = await enrol();
    const refused = new WebSocket(`${server.url.replace('http', 'ws')}/v1/live`);
    const status = await new Promise((resolve) => refused.on('unexpected-response', (_req, res) => resolve(res.statusCode)).on('error', () => resolve('error')));
    expect(status).toBe(401);
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/live`, { headers: { authorization: `Bearer ${deviceToken}` } });
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve) => socket.on('open', resolve));
    await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1)] }, deviceToken);
    // The poke for a second command is the marker: once it is here, a repeated poke for the first would be too.
    await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(2)] }, deviceToken);
    const head = demoConfig.units.length + 1;
    // Each creation writes two records: the incident and the first line of its log.
    await eventually(() => messages.some((m) => (m as { head?: number }).head === head + 4), 'the poke for the second command arrives');
    socket.close();
    expect(messages).toEqual([expect.objectContaining({ type: 'hello', head }), { type: 'poke', head: head + 2 }, { type: 'poke', head: head + 4 }]);
  });
});

describe('the central server when its storage cannot be reached', () => {
  it('answers 503, which a workstation retries, to push, pull and health, and turns a live socket away without crashing', async () => {
    // Started while the storage could be reached, so it has brought units into service; then the storage goes.
    let up = true;
    const down = () => Promise.reject(new StorageUnavailableError('PostgreSQL: connect ECONNREFUSED 127.0.0.1:5432'));
    const unreachable = new Proxy(storage, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function' || up || property === 'close' || property === 'onExternalChange') return typeof value === 'function' ? value.bind(target) : value;
        return down;
      },
    }) as ServerStorage;
    const { deviceToken } = (await (await (await startAndEnrol(unreachable)).enrol()).json()) as { deviceToken: string };
    up = false;
    try {
      const headers = { authorization: `Bearer ${deviceToken}` };
      const pushed = await fetch(`${server503.url}/v1/push`, { method: 'POST', headers, body: JSON.stringify({ clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1)] }) });
      expect(pushed.status).toBe(503);
      expect(await pushed.json()).toEqual({ error: 'storage unavailable; try again' });
      expect((await fetch(`${server503.url}/v1/pull?since=0&clientId=${clientId}&afterClientSeq=0`, { headers })).status).toBe(503);
      expect((await fetch(`${server503.url}/healthz`)).status).toBe(503);
      const socket = new WebSocket(`${server503.url.replace('http', 'ws')}/v1/live`, { headers });
      const status = await new Promise((resolve) => socket.on('unexpected-response', (_req, res) => resolve(res.statusCode)).on('error', () => resolve('error')));
      expect(status).toBe(503);
    } finally {
      await server503.close();
    }
  });
});

let server503: CentralServer;
async function startAndEnrol(storageUnderTest: ServerStorage) {
  server503 = await startCentralServer({ storage: storageUnderTest, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: 'k' });
  return {
    enrol: () => fetch(`${server503.url}/v1/enrol`, { method: 'POST', body: JSON.stringify({ clientId, workstation: 'WS-A', enrolmentKey: 'k' }) }),
  };
}
