import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { StorageUnavailableError } from '../../server/storage/storage-unavailable';
import type { ServerStorage } from '../../server/storage/storage';
import type { ServerRules } from '../../server/commands/plan-command';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { demoConfig, silentLog } from '../fakes/fixtures';

const clientId = randomUUID();
let storage: SqliteStorage;
const rules: ServerRules = { config: demoConfig, timeZone: 'Europe/London', now: () => Date.parse('2026-11-29T10:00:00Z') };

beforeEach(() => {
  storage = SqliteStorage.open(':memory:');
});
afterEach(() => storage.close());

function envelope(clientSeq: number, overrides: Partial<CommandEnvelope> = {}): CommandEnvelope {
  return {
    commandId: randomUUID(),
    clientId,
    clientSeq,
    name: 'incident.create',
    args: { incidentId: randomUUID(), provisionalReference: `WS-P${clientSeq}`, type: 'ASB', locationText: 'Market Square', grade: '3', firstLog: null },
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
    server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1' });
  });
  afterEach(() => server.close());

  it('answers /healthz with its storage and head', async () => {
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, storage: 'sqlite', head: 0 });
  });

  it('answers bad requests with a status and a reason, not a crash', async () => {
    const notJson = await fetch(`${server.url}/v1/push`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'request body is not JSON' });
    const badPull = await fetch(`${server.url}/v1/pull?since=-1&clientId=x&afterClientSeq=0`);
    expect(badPull.status).toBe(400);
    expect((await fetch(`${server.url}/v1/nothing`)).status).toBe(404);
  });

  it('pokes live listeners with the new head when a command is applied', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/live`);
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve) => socket.on('open', resolve));
    await fetch(`${server.url}/v1/push`, { method: 'POST', body: JSON.stringify({ clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1)] }) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.close();
    expect(messages).toEqual([expect.objectContaining({ type: 'hello', head: 0 }), { type: 'poke', head: 1 }]);
  });
});

describe('the central server when its storage cannot be reached', () => {
  it('answers 503, which a workstation retries, to push, pull and health, and turns a live socket away without crashing', async () => {
    const down = () => Promise.reject(new StorageUnavailableError('PostgreSQL: connect ECONNREFUSED 127.0.0.1:5432'));
    const unreachable: ServerStorage = {
      kind: 'postgres',
      process: down,
      refuse: down,
      pull: down,
      head: down,
      lastClientSeq: down,
      onExternalChange: () => () => {},
      close: async () => {},
    };
    const server = await startCentralServer({ storage: unreachable, rules, log: silentLog, port: 0, host: '127.0.0.1' });
    try {
      const pushed = await fetch(`${server.url}/v1/push`, { method: 'POST', body: JSON.stringify({ clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope(1)] }) });
      expect(pushed.status).toBe(503);
      expect(await pushed.json()).toEqual({ error: 'storage unavailable; try again' });
      expect((await fetch(`${server.url}/v1/pull?since=0&clientId=${clientId}&afterClientSeq=0`)).status).toBe(503);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/live`);
      const closed = await new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      expect(closed).toBe(1013);
    } finally {
      await server.close();
    }
  });
});
