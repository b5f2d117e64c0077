import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkstationStore } from '../../main/store/workstation-store';
import { SyncClient } from '../../main/sync/sync-client';
import { HttpServerLink } from '../../main/sync/server-link';
import { issueCommand } from '../../main/sync/issue-command';
import { realScheduler } from '../../node-common/scheduler';
import { systemClock } from '../../shared/domain/time';
import { unverifiedLocation } from '../../shared/domain/location';
import { demoConfig, eventually } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { startServerProcessOnPostgres, TEST_ENROLMENT_KEY, type RunningProcess } from '../fakes/processes';
import { createIncidentCommand, queryNumber } from '../fakes/storages';
import { HttpWorkstation } from '../fakes/http-workstation';

// Two real server processes on one real PostgreSQL: a workstation given both addresses is sent, live, what was
// pushed through the other instance, and when its own instance is killed it moves to the other and catches up,
// its queued commands applied once each and every change of the room on its screen.

const cluster = postgresForThisFile();

const processes: RunningProcess[] = [];
const stores: WorkstationStore[] = [];
const clients: SyncClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.stop();
  for (const store of stores.splice(0)) store.close();
  for (const p of processes.splice(0)) await p.stop();
});

async function twoInstances() {
  const url = await cluster.createDatabase();
  const one = await startServerProcessOnPostgres(url);
  processes.push(one);
  const two = await startServerProcessOnPostgres(url);
  processes.push(two);
  return { url, one, two };
}

/** A workstation core's sync (its SQLite store, its sync client) given these server addresses, in this order. */
function workstation(name: string, addresses: string[], heartbeatMs: number | undefined = 1_000) {
  const store = WorkstationStore.open(':memory:');
  let token: string | null = null;
  const link = new HttpServerLink({
    baseUrl: addresses.join(','),
    device: { clientId: store.clientId, workstation: name, force: 'DMO', token: () => token, saveToken: (t) => (token = t), enrolmentKey: TEST_ENROLMENT_KEY },
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
  });
  const sync = new SyncClient({ store, link, config: demoConfig, clock: systemClock, scheduler: realScheduler, onRecordsChanged: () => {}, onStatusChanged: () => {} });
  stores.push(store);
  clients.push(sync);
  sync.start();
  return { store, sync, link, name };
}

async function headOf(url: string): Promise<number> {
  return ((await (await fetch(`${url}/healthz`)).json()) as { head: number }).head;
}

function incidentIds(store: WorkstationStore): string[] {
  return (store.db.prepare(`SELECT id FROM incidents`).all() as { id: string }[]).map((r) => r.id);
}

describe('a workstation given the addresses of two server instances on one database', () => {
  it('is sent, over its live channel to instance two, a change pushed through instance one, without pulling it', async () => {
    const { one, two } = await twoInstances();
    const watcher = workstation('WS-B', [two.url, one.url]);
    await eventually(async () => watcher.sync.listening && watcher.store.pullCursor === (await headOf(two.url)), 'the watcher listening at instance two, in step', 20_000);
    await watcher.sync.settled();
    const takenBefore = watcher.sync.liveBatchesTaken;

    const clientId = randomUUID();
    const issuer = await (await HttpWorkstation.enrol(one.url, clientId)).signIn('alice');
    const command = createIncidentCommand(clientId, 1);
    expect((await issuer.pushed([command])).outcomes[0]).toMatchObject({ status: 'applied' });
    const incidentId = (command.args as { incidentId: string }).incidentId;

    await eventually(() => watcher.store.view.incident(incidentId) !== undefined, 'the incident on the watcher at instance two', 20_000);
    expect(watcher.sync.liveBatchesTaken).toBeGreaterThan(takenBefore);
    expect(watcher.link.serverUrl).toBe(two.url);
  }, 120_000);

  it('moves to the other instance when its own is killed, and catches up there: its commands once each, every change of the room', async () => {
    const { url, one, two } = await twoInstances();
    const mover = workstation('WS-M', [one.url, two.url]);
    await eventually(async () => mover.sync.listening && mover.store.pullCursor === (await headOf(one.url)), 'the workstation listening at instance one, in step', 20_000);
    const { ticket } = await mover.link.signIn('alice', 'demo');
    const who = { operator: 'alice', workstation: mover.name, ticket };
    const create = (n: number) => {
      const incidentId = randomUUID();
      issueCommand(mover.store, demoConfig, who, 'incident.create', { incidentId, provisionalReference: `WS-M-P${n}`, type: 'ASB', location: unverifiedLocation('Market Square'), grade: '3', firstLog: null }, new Date().toISOString());
      mover.sync.kick();
      return incidentId;
    };
    const mine = [create(1), create(2)];
    await eventually(() => mover.store.outbox.pendingCount() === 0, 'its first commands applied through instance one', 20_000);

    // Instance one dies as a crash would; meanwhile this desk goes on working, and another desk works through two.
    const dead = one.kill9();
    mine.push(create(3), create(4), create(5));
    await dead;
    const otherClient = randomUUID();
    const other = await (await HttpWorkstation.enrol(two.url, otherClient)).signIn('alice');
    for (const clientSeq of [1, 2]) expect((await other.pushed([createIncidentCommand(otherClient, clientSeq)])).outcomes[0]).toMatchObject({ status: 'applied' });

    await eventually(
      async () => mover.store.outbox.pendingCount() === 0 && mover.sync.listening && mover.store.pullCursor === (await headOf(two.url)),
      'the workstation at instance two, its commands applied and in step',
      30_000,
    );
    expect(mover.link.serverUrl).toBe(two.url);
    // Nothing lost: every incident of the room on its screen. Nothing repeated: each of its commands applied once.
    const room = (await other.pulled(0, two.url)).changes.filter((c) => c.kind === 'incident').map((c) => c.id);
    expect(room).toHaveLength(7);
    expect(incidentIds(mover.store).sort()).toEqual([...room].sort());
    expect(room).toEqual(expect.arrayContaining(mine));
    expect(await queryNumber(url, `SELECT count(*)::int AS n FROM command_log WHERE client_id = '${mover.store.clientId}'`)).toBe(5);
    expect(await queryNumber(url, `SELECT count(*)::int AS n FROM records WHERE kind = 'incident'`)).toBe(7);
  }, 120_000);

  it('moves to the other instance when its own freezes without a word (no close, no answer), with the default heartbeat', async () => {
    const { one, two } = await twoInstances();
    const mover = workstation('WS-F', [one.url, two.url], undefined);
    await eventually(async () => mover.sync.listening && mover.store.pullCursor === (await headOf(one.url)), 'the workstation listening at instance one, in step', 20_000);
    const { ticket } = await mover.link.signIn('alice', 'demo');
    // A machine that hangs, or a cable pulled between it and the room: its sockets stay open and say nothing.
    process.kill(one.child.pid!, 'SIGSTOP');
    try {
      const incidentId = randomUUID();
      issueCommand(mover.store, demoConfig, { operator: 'alice', workstation: mover.name, ticket }, 'incident.create', { incidentId, provisionalReference: 'WS-F-P1', type: 'ASB', location: unverifiedLocation('Market Square'), grade: '3', firstLog: null }, new Date().toISOString());
      mover.sync.kick();
      await eventually(
        async () => mover.store.outbox.pendingCount() === 0 && mover.sync.listening && mover.link.serverUrl === two.url && mover.store.pullCursor === (await headOf(two.url)),
        'the workstation at instance two, its command applied and in step',
        // Two heartbeats and a push's timeout, with room for a loaded machine; the old 15 s heartbeat took 15 to 30 s.
        30_000,
      );
      expect(incidentIds(mover.store)).toContain(incidentId);
    } finally {
      process.kill(one.child.pid!, 'SIGCONT');
    }
  }, 120_000);
});
