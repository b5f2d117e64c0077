import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { inflateRawSync } from 'node:zlib';
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
import { sendRaw, upgrade } from '../fakes/raw-http';

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

  it('refuses a body declared as a form or anything but JSON with 415, before reading it: nothing enrolled', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html']) {
      const refused = await fetch(`${server.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ clientId, workstation: 'WS-A', enrolmentKey: 'test-key' }) });
      expect(refused.status).toBe(415);
      expect(await refused.json()).toEqual({ error: `the request body must be JSON (content-type application/json), not ${type.split(';')[0]}` });
    }
    expect(count('SELECT count(*) AS n FROM devices')).toBe(0);
    expect((await post('/v1/enrol', { clientId, workstation: 'WS-A', enrolmentKey: 'test-key' })).status).toBe(200);
  });

  it('answers a body over its limit with a 413 the client can read, and the connection serves the next request, not cut under it', async () => {
    const { deviceToken } = await enrol();
    for (const bytes of [20_000, 100_000, 400_000, 4_000_000]) {
      const huge = await fetch(`${server.url}/v1/sign-in`, { method: 'POST', headers: { authorization: `Bearer ${deviceToken}` }, body: JSON.stringify({ operator: 'alice', password: 'p'.repeat(bytes) }) });
      expect(huge.status).toBe(413);
      expect(await huge.json()).toEqual({ error: 'request body over 16384 bytes', limitBytes: 16384 });
      // The connection it came on is still good for the next request (fetch keeps it for one).
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    }
  });

  it('answers a request whose URL cannot be parsed, or that is not HTTP at all, with 400 and a reason, and goes on serving', async () => {
    for (const line of ['GET http://[ HTTP/1.1', 'POST http://%zz/v1/push HTTP/1.1', 'GARBAGE']) {
      const answer = await sendRaw(server.port, `${line}\r\nHost: x\r\nContent-Length: 0\r\n\r\n`);
      expect(answer.status, `${line}: ${answer.text}`).toBe(400);
      expect((answer.json as { error: string } | null)?.error, `${line}: ${JSON.stringify(answer.text)}`).toMatch(/^the request('s URL cannot be read| is not well-formed HTTP)/);
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("refuses a path with a '.' or '..' segment, written or percent-encoded, rather than answer the route it resolves to", async () => {
    for (const path of ['/v1/%2e%2e/healthz', '/v1/../healthz', '/v1/./pull', '/%2E/healthz', '/v1/%2e%2E/v1/enrol', 'http://x/v1/../healthz']) {
      const answer = await sendRaw(server.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`);
      expect(answer.status, `${path}: ${answer.text}`).toBe(400);
      expect((answer.json as { error: string } | null)?.error).toBe("the request's URL cannot be read, or its path has a '.' or '..' segment");
    }
    // A dot inside a segment is no dot segment.
    expect((await sendRaw(server.port, `GET /healthz?x=../.. HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`)).status).toBe(200);
  });

  it('refuses a live channel asked for at another path, by another method, without a token or with a revoked one, with a status and a reason', async () => {
    const { deviceToken } = await enrol();
    const auth = { authorization: `Bearer ${deviceToken}` };
    const at = (path: string, headers: Record<string, string>, method = 'GET') => upgrade(server.url, path, headers, method);
    expect(await at('/v1/push', auth)).toMatchObject({ status: 404, json: { error: 'no live channel at /v1/push; it is at /v1/live' } });
    expect(await at('/v1/live', auth, 'POST')).toMatchObject({ status: 405, json: { error: 'the live channel is opened with GET, not POST' } });
    expect(await at('/v1/live', {})).toMatchObject({ status: 401, json: { error: 'this workstation is not enrolled (no device token)' } });
    await storage.revoke({ kind: 'device', subject: clientId, revokedAt: '2026-11-29T09:30:00.000Z', reason: 'reported stolen' });
    expect(await at('/v1/live', auth)).toMatchObject({
      status: 403,
      json: { error: "an administrator withdrew this workstation's access at 2026-11-29T09:30:00.000Z (reported stolen); it may not enrol again", revoked: { at: '2026-11-29T09:30:00.000Z', reason: 'reported stolen' } },
    });
    // Its requests say the same, so the workstation tells its operator why rather than enrolling again.
    const pulled = await fetch(`${server.url}/v1/pull?since=0&clientId=${clientId}&afterClientSeq=0`, { headers: auth });
    expect(pulled.status).toBe(403);
    expect(await pulled.json()).toMatchObject({ revoked: { at: '2026-11-29T09:30:00.000Z', reason: 'reported stolen' } });
  });

  it('lets one workstation hold four live channels at most: a fifth is refused with 429 and a reason, and one may open again once one closes', async () => {
    const { deviceToken } = await enrol();
    const auth = { authorization: `Bearer ${deviceToken}` };
    const open = async () => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/live`, { headers: auth });
      await new Promise((resolve, reject) => socket.on('open', resolve).on('error', reject));
      return socket;
    };
    const four = [await open(), await open(), await open(), await open()];
    expect(await upgrade(server.url, '/v1/live', auth)).toMatchObject({
      status: 429,
      json: { error: 'this workstation has 4 live channels open already, the most it may; one closes when its connection is seen gone, within 30 s of its last word' },
    });
    const closed = new Promise((resolve) => four[0]!.on('close', resolve));
    four[0]!.close();
    await closed;
    await eventually(async () => (await upgrade(server.url, '/v1/live', auth)).status === 101, 'a channel opens again once one has closed');
    for (const socket of four) socket.close();
  });

  it('applies nothing of a push refused for a command it cannot identify, even one after a good command', async () => {
    const { deviceToken } = await enrol();
    const refused = await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1), { clientSeq: 'two' }] }, deviceToken);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'push: a command has no usable commandId and clientSeq' });
    expect(count(`SELECT count(*) AS n FROM command_log WHERE client_id = '${clientId}'`)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM records WHERE kind = 'incident'`)).toBe(0);
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

  it('closes a live channel that sends a frame the protocol refuses (over its limit, text not UTF-8), and goes on serving and poking the rest', async () => {
    const { deviceToken } = await enrol();
    const open = async () => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/live`, { headers: { authorization: `Bearer ${deviceToken}` } });
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.on('open', resolve));
      return socket;
    };
    const listener = await open();
    const pokes: unknown[] = [];
    listener.on('message', (data) => pokes.push(JSON.parse(data.toString())));
    for (const data of [Buffer.alloc(64 * 1024 + 1, 0x20), Buffer.from([0x7b, 0xff, 0xfe, 0x7d])]) {
      const bad = await open();
      const closed = new Promise<number>((resolve) => bad.on('close', (code: number) => resolve(code)));
      bad.send(data, { binary: false });
      expect(await closed).toBeGreaterThan(1000);
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1)] }, deviceToken);
    await eventually(() => pokes.some((m) => (m as { type?: string }).type === 'poke'), 'the listener is poked for the command');
    listener.close();
  });

  it('sends a batch as a binary frame that opens to the changes, and to one asking an encoding it does not know, as text', async () => {
    const { deviceToken } = await enrol();
    const listen = (query: string) => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/live?schemaVersion=${SCHEMA_VERSION}&${query}`, { headers: { authorization: `Bearer ${deviceToken}` } });
      const frames: { binary: boolean; message: { type: string; changes?: { kind: string }[] } }[] = [];
      socket.on('message', (data, binary) => frames.push({ binary, message: JSON.parse((binary ? inflateRawSync(data as Buffer) : (data as Buffer)).toString()) }));
      return { socket, frames, open: new Promise((resolve) => socket.on('open', resolve)) };
    };
    const deflated = listen('encoding=deflate');
    const unknown = listen('encoding=brotli');
    await Promise.all([deflated.open, unknown.open]);
    await eventually(() => deflated.frames.length > 0 && unknown.frames.length > 0, 'both hellos');
    await post('/v1/push', { clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1)] }, deviceToken);
    const batch = (frames: typeof deflated.frames) => frames.find((f) => f.message.type === 'changes');
    await eventually(() => batch(deflated.frames) !== undefined && batch(unknown.frames) !== undefined, 'the batch on both channels');
    deflated.socket.close();
    unknown.socket.close();
    // The hello is text to both; the batch, the incident and its first log line, binary only where it was asked for.
    expect(deflated.frames[0]!.binary).toBe(false);
    expect(batch(deflated.frames)!.binary).toBe(true);
    // An encoding the server does not know is not an error: the schema version stands (a batch, not a poke), as text.
    expect(batch(unknown.frames)!.binary).toBe(false);
    expect(batch(deflated.frames)!.message).toEqual(batch(unknown.frames)!.message);
    expect(batch(deflated.frames)!.message.changes!.map((c) => c.kind).sort()).toEqual(['incident', 'logEntry']);
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
      expect(pushed.headers.get('retry-after')).toBe('1');
      expect(await pushed.json()).toEqual({ error: 'storage unavailable; try again' });
      expect((await fetch(`${server503.url}/v1/pull?since=0&clientId=${clientId}&afterClientSeq=0`, { headers })).status).toBe(503);
      expect((await fetch(`${server503.url}/healthz`)).status).toBe(503);
      const socket = new WebSocket(`${server503.url.replace('http', 'ws')}/v1/live`, { headers });
      // Asked to wait as an HTTP request is, so the workstation's live channel does not try again at once.
      const refused = await new Promise((resolve) => socket.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] })).on('error', () => resolve('error')));
      expect(refused).toEqual({ status: 503, retryAfter: '1' });
    } finally {
      await server503.close();
    }
  });
});

describe('the central server while a live channel is being authenticated', () => {
  it('survives a workstation that resets the connection while its device is looked up (a slow database), and goes on serving', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    let holding = false;
    const slow = new Proxy(storage, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (property !== 'deviceByTokenHash' || !holding) return value.bind(target);
        return async (...args: unknown[]) => {
          asked = true;
          await held;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as ServerStorage;
    const { deviceToken } = (await (await (await startAndEnrol(slow)).enrol()).json()) as { deviceToken: string };
    holding = true;
    try {
      const raw = connect(server503.port, '127.0.0.1');
      raw.on('error', () => undefined);
      await new Promise((resolve) => raw.on('connect', resolve));
      raw.write(`GET /v1/live HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nAuthorization: Bearer ${deviceToken}\r\n\r\n`);
      await eventually(() => asked, 'the server looks the device up');
      raw.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await new Promise((resolve) => setTimeout(resolve, 50));
      holding = false;
      expect((await fetch(`${server503.url}/healthz`)).status).toBe(200);
    } finally {
      release();
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
