import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { ServerRules } from '../../server/commands/plan-command';
import { WorkstationStore } from '../../main/store/workstation-store';
import { SyncClient } from '../../main/sync/sync-client';
import { issueCommand } from '../../main/sync/issue-command';
import { HttpServerLink } from '../../main/sync/server-link';
import { realScheduler } from '../../node-common/scheduler';
import { systemClock } from '../../shared/domain/time';
import { unverifiedLocation } from '../../shared/domain/location';
import { PROTOCOL_PATHS, SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { demoConfig, eventually, silentLog } from '../fakes/fixtures';
import { registerTestOperators, ticketFor } from '../fakes/access';

// A workstation standing at the server's head is sent the room's changes over its live channel and takes them
// without asking: the server, over real HTTP and WebSocket, counts the pulls each workstation makes.

const rules: ServerRules = { config: demoConfig, now: () => Date.now() };
let storage: SqliteStorage;
let server: CentralServer;
/** Pulls the server answered, by the client id that asked. */
const pulls = new Map<string, number>();
const stores: WorkstationStore[] = [];
const clients: SyncClient[] = [];

beforeEach(async () => {
  pulls.clear();
  storage = SqliteStorage.open(':memory:');
  await registerTestOperators(storage, rules, ['alice']);
  const counted = new Proxy(storage, {
    get(target, property, receiver) {
      // Every pull reads its workstation's own part once (the changes it shares with a burst of others from one place).
      if (property === 'progress') {
        return (clientId: string, afterClientSeq: number) => {
          pulls.set(clientId, (pulls.get(clientId) ?? 0) + 1);
          return target.progress(clientId, afterClientSeq);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  server = await startCentralServer({ storage: counted, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: 'test-key' });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.stop();
  for (const store of stores.splice(0)) store.close();
  await server.close();
});

/** A workstation that only watches: its store, and its sync client talking to the server over HTTP and WebSocket. */
function watcher(workstation: string, schemaVersion = SCHEMA_VERSION) {
  const store = WorkstationStore.open(':memory:');
  let token: string | null = null;
  const link = new HttpServerLink({
    baseUrl: server.url,
    device: { clientId: store.clientId, workstation, force: null, token: () => token, saveToken: (t) => (token = t), enrolmentKey: 'test-key' },
  });
  const sync = new SyncClient({ store, link, config: demoConfig, clock: systemClock, scheduler: realScheduler, schemaVersion, onRecordsChanged: () => {}, onStatusChanged: () => {} });
  stores.push(store);
  clients.push(sync);
  sync.start();
  return { store, sync };
}

/** Another workstation's commands, pushed over HTTP as it would push them: incidents created, one per push. */
async function otherDeskCreates(count: number): Promise<string[]> {
  const clientId = randomUUID();
  const enrolled = await fetch(`${server.url}${PROTOCOL_PATHS.enrol}`, { method: 'POST', body: JSON.stringify({ clientId, workstation: 'WS-A', enrolmentKey: 'test-key' }) });
  const { deviceToken } = (await enrolled.json()) as { deviceToken: string };
  const ticket = await ticketFor(storage, 'alice', clientId);
  const ids: string[] = [];
  for (let clientSeq = 1; clientSeq <= count; clientSeq++) {
    const incidentId = randomUUID();
    ids.push(incidentId);
    const envelope: CommandEnvelope = {
      commandId: randomUUID(),
      clientId,
      clientSeq,
      name: 'incident.create',
      args: { incidentId, provisionalReference: `WS-A-P${clientSeq}`, type: 'ASB', location: unverifiedLocation('Market Square'), grade: '3', firstLog: null },
      issuedAt: new Date().toISOString(),
      operator: 'alice',
      ticket,
      workstation: 'WS-A',
      schemaVersion: SCHEMA_VERSION,
    };
    const pushed = await fetch(`${server.url}${PROTOCOL_PATHS.push}`, { method: 'POST', body: JSON.stringify({ clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope] }), headers: { authorization: `Bearer ${deviceToken}` } });
    expect(pushed.status).toBe(200);
  }
  return ids;
}

describe('changes sent over the live channel', () => {
  it('reach a workstation at the head without it pulling: the server answers it no pull for them', async () => {
    const b = watcher('WS-B');
    const c = watcher('WS-C');
    const head = await storage.head();
    await eventually(() => [b, c].every((w) => w.sync.listening && w.store.pullCursor === head), 'both watchers listening and in step');
    // Live, and at rest after their first cycle (a cycle running would pull the batch itself).
    await Promise.all([b.sync.settled(), c.sync.settled()]);
    const before = { b: pulls.get(b.store.clientId) ?? 0, c: pulls.get(c.store.clientId) ?? 0 };

    const ids = await otherDeskCreates(3);
    const newHead = await storage.head();
    await eventually(() => [b, c].every((w) => w.store.pullCursor === newHead), 'both watchers have every change');

    for (const w of [b, c]) {
      expect(ids.every((id) => w.store.view.incident(id) !== undefined)).toBe(true);
      expect(w.sync.liveBatchesTaken).toBeGreaterThan(0);
    }
    expect({ b: pulls.get(b.store.clientId) ?? 0, c: pulls.get(c.store.clientId) ?? 0 }).toEqual(before);
  });

  it("bring a workstation at the head its own command's effects, which take the command out of its outbox: no pull after the push", async () => {
    const b = watcher('WS-B');
    const head = await storage.head();
    await eventually(() => b.sync.listening && b.store.pullCursor === head, 'the workstation listening and in step');
    await b.sync.settled();
    const before = pulls.get(b.store.clientId) ?? 0;

    const incidentId = randomUUID();
    const who = { operator: 'alice', workstation: 'WS-B', ticket: await ticketFor(storage, 'alice', b.store.clientId) };
    const args = { incidentId, provisionalReference: 'WS-B-P0001', type: 'ASB', location: unverifiedLocation('Market Square'), grade: '3', firstLog: null };
    issueCommand(b.store, demoConfig, who, 'incident.create', args, new Date().toISOString());
    b.sync.send();
    await eventually(() => b.store.outbox.pendingCount() === 0, 'the command out of the outbox');

    expect(b.store.view.incident(incidentId)).toMatchObject({ pending: false, reference: expect.stringMatching(/^DMO-/) });
    expect(b.store.pullCursor).toBe(await storage.head());
    expect(b.sync.commandsDoneByLive).toBe(1);
    expect(pulls.get(b.store.clientId) ?? 0).toBe(before);
  });

  it('reach a workstation of schema version 4 as pokes, and it pulls them as before', async () => {
    const old = watcher('WS-OLD', 4);
    const head = await storage.head();
    await eventually(() => old.sync.listening && old.store.pullCursor === head, 'the old workstation listening and in step');
    await old.sync.settled();
    const before = pulls.get(old.store.clientId) ?? 0;

    const [id] = await otherDeskCreates(1);
    await eventually(() => old.store.view.incident(id!) !== undefined, 'the old workstation has the incident');
    expect(pulls.get(old.store.clientId)).toBeGreaterThan(before);
    expect(old.sync.liveBatchesTaken).toBe(0);
  });
});
