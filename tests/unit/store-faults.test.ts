import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedTelephony, type CallScript } from '../../main/adapters/telephony/simulated-telephony';
import { SimulatedTerminal } from '../../main/adapters/terminal/simulated-terminal';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { STORE_RETRY_MS } from '../../main/core/store-alarm';
import { LinkError, type ServerAccess, type ServerLink } from '../../main/sync/server-link';
import type { Reply } from '../../shared/contract/errors';
import type { StoreHealth } from '../../shared/contract/store-health';
import { unverifiedLocation } from '../../shared/domain/location';
import { ManualClock } from '../../shared/domain/time';
import type { ServerRules } from '../../server/commands/plan-command';
import { StorageUnavailableError } from '../../server/storage/storage-unavailable';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { registerTestOperators, rememberSignIn } from '../fakes/access';
import { demoConfig, silentLog } from '../fakes/fixtures';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { RecordSet } from '../fakes/rules-harness';
import { keyString } from '../../shared/domain/records';
import { makeTempDir } from '../fakes/temp-dir';
import { T0 } from '../fakes/workstation-harness';

/** A server that never answers: what is tested is the workstation's own file. */
const silentLink: ServerLink & ServerAccess = {
  push: () => new Promise(() => {}),
  pull: () => new Promise(() => {}),
  live: () => () => {},
  signIn: () => Promise.reject(new LinkError('no server in this test', true)),
};

/** One 999 call, ringing a second after the script starts. */
const script: CallScript = { calls: [{ id: 'held', at: 1, source: '999', callerNumber: '07700 900999' }] };

type Queue = { contacts: { source: string; state: string; callerNumber: string; receivedAt: string }[] };

describe('a workstation whose file refuses writes', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let core: ConsoleCore;
  let scheduler: ManualScheduler;
  let file: string;
  let health: StoreHealth[];

  beforeEach(async () => {
    dir = makeTempDir();
    scheduler = new ManualScheduler();
    const clock = new ManualClock(T0);
    const dataDir = join(dir.path, 'ws');
    file = join(dataDir, 'workstation.sqlite');
    core = createConsoleCore({
      dataDir,
      workstation: 'WS-F',
      enrolmentKey: null,
      serverUrl: 'http://127.0.0.1:9',
      config: demoConfig,
      host: 'browser',
      clock,
      log: silentLog,
      link: silentLink,
      scheduler,
      telephony: new SimulatedTelephony(script, clock, scheduler),
      terminal: new SimulatedTerminal({ clock, scheduler, receivedAfterS: 1, acceptedAfterS: 3 }),
    });
    health = [];
    core.onEvent((event, payload) => {
      if (event === 'store.health') health.push(payload as StoreHealth);
    });
    await rememberSignIn(core.store, 'alice', 'demo', ['call_handler', 'dispatcher']);
    core.start();
    await value('session.signIn', { operator: 'alice', password: 'demo' });
  });
  afterEach(() => {
    core.stop();
    dir.remove();
  });

  const value = async <T>(channel: string, request: unknown): Promise<T> => {
    const reply = await core.dispatch(channel, request);
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value as T;
  };
  const createIncident = (): Promise<Reply> => core.dispatch('incidents.create', { type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: null });
  /** What the file holds of the operator's work: a check that a refused action wrote none of it. */
  const written = () => ({
    incidents: core.store.view.incidents('all').length,
    outbox: core.store.outbox.pendingCount(),
    clientSeq: core.store.meta.getNumber('next_client_seq'),
  });
  /** Another program (a backup, an inspection tool) taking the write lock and keeping it past the busy timeout. */
  const holdLock = () => {
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    return () => {
      other.exec('ROLLBACK');
      other.close();
    };
  };

  it('holds a 999 call that rings while another program holds the database, says so for an action, and puts the call through when it lets go', async () => {
    const before = written();
    const letGo = holdLock();

    scheduler.advance(1000); // the call rings; its write waits out the busy timeout and is refused
    expect((await value<Queue>('contacts.queue', {})).contacts).toEqual([]);
    expect(health.at(-1)).toEqual({ fault: 'locked', since: new Date(T0).toISOString(), waiting: 1 });
    expect(await value('store.health', {})).toEqual(health.at(-1));

    expect(await createIncident()).toEqual({ ok: false, error: { code: 'unavailable', message: 'Not saved: the local database is held by another program' } });
    expect(written()).toEqual(before);

    letGo();
    scheduler.advance(STORE_RETRY_MS);
    expect((await value<Queue>('contacts.queue', {})).contacts).toEqual([
      expect.objectContaining({ source: '999', state: 'ringing', callerNumber: '07700 900999', receivedAt: new Date(T0).toISOString() }),
    ]);
    expect(health.at(-1)).toEqual({ fault: null, since: null, waiting: 0 });
    expect((await createIncident()).ok).toBe(true);
  });

  it('refuses an action on a full disk with that reason and none of it written, holds the calls meanwhile, and clears once there is room', async () => {
    const db = core.store.db;
    const pages = (name: string) => db.pragma(name, { simple: true }) as number;
    db.pragma(`max_page_count = ${pages('page_count')}`); // the disk is full: the file cannot grow by a page
    // A draft bigger than any free pages left inside the file, so that it needs new ones.
    const account = 'x'.repeat((pages('freelist_count') + 10) * pages('page_size'));
    const reply = await core.dispatch('drafts.save', { key: 'call-form', data: { account } });
    expect(reply).toEqual({ ok: false, error: { code: 'unavailable', message: 'Not saved: the local disk is full' } });
    expect(await value('drafts.get', { key: 'call-form' })).toEqual({ data: null, savedAt: null });

    scheduler.advance(1000); // the call rings while the alarm is up
    expect(health.at(-1)).toEqual({ fault: 'disk_full', since: new Date(T0).toISOString(), waiting: 1 });
    expect((await value<Queue>('contacts.queue', {})).contacts).toEqual([]);

    db.pragma('max_page_count = 1073741823'); // space freed
    scheduler.advance(STORE_RETRY_MS);
    expect((await value<Queue>('contacts.queue', {})).contacts).toEqual([expect.objectContaining({ source: '999', callerNumber: '07700 900999' })]);
    expect(health.at(-1)).toEqual({ fault: null, since: null, waiting: 0 });
  });

  it("holds the terminal's receipts and status presses that come while the database is held, and applies them in order after", async () => {
    scheduler.advance(1500); // the call script's one call rings and is recorded: it is not part of this
    // A unit as the server would have sent it, booked on (only a unit on duty can be deployed), and an incident to
    // deploy it to.
    const units = new RecordSet();
    units.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
    const unit = units.records.get(keyString({ kind: 'unit', id: 'DM-11' }));
    core.store.transaction(() => {
      core.store.server.put(unit!, 0);
      core.store.view.write(unit!);
    });
    const created = await createIncident();
    const incidentId = (created as { ok: true; value: { incident: { id: string } } }).value.incident.id;
    const { assignments } = await value<{ assignments: { id: string }[] }>('units.deploy', { incidentId, units: [{ unitId: unit!.id, unitVersion: units.get('unit', 'DM-11')!.version }] });
    const letGo = holdLock();

    scheduler.advance(4000); // received, then accepted and en route: all three held, none lost
    expect(health.at(-1)).toMatchObject({ fault: 'locked', waiting: 3 });
    letGo();
    scheduler.advance(STORE_RETRY_MS);

    const { assignments: after } = await value<{ assignments: { id: string; status: string; delivery: { state: string } }[] }>('incidents.get', { id: incidentId });
    expect(after).toEqual([expect.objectContaining({ id: assignments[0]!.id, status: 'en_route', delivery: expect.objectContaining({ state: 'accepted' }) })]);
    expect(health.at(-1)).toEqual({ fault: null, since: null, waiting: 0 });
  });
});

describe("the central server's SQLite file held by another program", () => {
  it('answers "storage unavailable" (503, sent again later) rather than failing the command, and takes it once let go', async () => {
    const dir = makeTempDir();
    const file = join(dir.path, 'central.sqlite');
    const storage = SqliteStorage.open(file);
    try {
      storage.database.pragma('busy_timeout = 100'); // the test need not wait out the production 5 s
      const rules: ServerRules = { config: demoConfig, now: () => T0 };
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      const refused = await registerTestOperators(storage, rules, ['op-held']).then(() => null, (error: unknown) => error);
      expect(refused).toBeInstanceOf(StorageUnavailableError);
      expect((refused as Error).message).toBe('the server database is held by another program');
      other.exec('ROLLBACK');
      other.close();
      await registerTestOperators(storage, rules, ['op-held']);
      expect(await storage.record({ kind: 'operator', id: 'op-held' })).toMatchObject({ id: 'op-held' });
    } finally {
      await storage.close();
      dir.remove();
    }
  });
});
