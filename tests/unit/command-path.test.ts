import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkstationStore } from '../../main/store/workstation-store';
import { applyPullPage, CursorMismatch } from '../../main/sync/apply-server-answers';
import { CommandRefused } from '../../main/sync/issue-command';
import { demoConfig } from '../fakes/fixtures';
import { InProcessLink } from '../fakes/in-process-link';
import { harnessRoom } from '../fakes/harness-room';
import { T0, WorkstationHarness } from '../fakes/workstation-harness';
import { unverifiedLocation } from '../../shared/domain/location';
import { registerForceUnits } from '../../server/commands/system-commands';
import { bookOnForceUnits } from '../fakes/units';

const room = harnessRoom(['op-WS-A', 'op-WS-B']);

function workstation(name: string, link = new InProcessLink(room.server, room.rules, room.secret), config = demoConfig) {
  const w = new WorkstationHarness(room.dir.path, name, link, config);
  room.open.push(w);
  return { w, link };
}

function createArgs(overrides: Record<string, unknown> = {}) {
  return {
    incidentId: randomUUID(),
    provisionalReference: 'WS-A-P0001',
    type: 'BURGLARY',
    location: unverifiedLocation('1 High Street'),
    grade: '2',
    firstLog: { entryId: randomUUID(), text: 'Caller reports a break-in' },
    ...overrides,
  };
}

const serverIncidents = () => room.server.database.prepare(`SELECT id, json_extract(doc, '$.reference') AS reference FROM records WHERE kind = 'incident'`).all();

describe('issuing a command on a workstation', () => {
  it('puts the effect and its outbox row on disk together, before it returns', () => {
    const { w } = workstation('WS-A');
    const args = createArgs();
    w.issue('incident.create', args);
    w.store.close();

    const reopened = WorkstationStore.open(`${room.dir.path}/WS-A.sqlite`);
    expect(reopened.view.incident(args.incidentId)).toMatchObject({ location: unverifiedLocation('1 High Street'), pending: true });
    expect(reopened.outbox.pending().map((e) => e.envelope)).toEqual([
      expect.objectContaining({ name: 'incident.create', clientSeq: 1, args: expect.objectContaining(args) }),
    ]);
    reopened.close();
  });

  it('changes nothing when the rules refuse it', () => {
    const { w } = workstation('WS-A');
    expect(() => w.issue('incident.create', createArgs({ type: 'PARKING' }))).toThrow(CommandRefused);
    expect(() => w.issue('incident.addLog', { incidentId: randomUUID(), entryId: randomUUID(), text: 'x' })).toThrow(/the incident does not exist/);
    expect(w.store.view.incidents('all')).toEqual([]);
    expect(w.store.outbox.pendingCount()).toBe(0);
    expect(w.store.meta.getNumber('next_client_seq')).toBe(0);
  });

  it('counts pending commands truly on the status bar, also after a transaction that rolled back', () => {
    const { w } = workstation('WS-A');
    w.issue('incident.create', createArgs());
    expect(w.store.outbox.pendingCount()).toBe(1);
    const [first] = w.store.outbox.pending();
    expect(() =>
      w.store.transaction(() => {
        w.store.outbox.append({ ...first!.envelope, clientSeq: 99, commandId: randomUUID() }, []);
        throw new Error('power cut before the commit');
      }),
    ).toThrow('power cut');
    expect(w.store.outbox.pendingCount()).toBe(1);
    w.store.transaction(() => w.store.outbox.markDead(1, 'invalid', 'refused'));
    expect(w.store.outbox.pendingCount()).toBe(0);
    expect(w.store.outbox.pending()).toEqual([]);
  });

  it('leaves no effect on screen if the outbox row cannot be written', () => {
    const { w } = workstation('WS-A');
    w.store.db.exec(`CREATE TRIGGER full_disk BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const args = createArgs();
    expect(() => w.issue('incident.create', args)).toThrow(/disk full/);
    expect(w.store.view.incident(args.incidentId)).toBeUndefined();
    expect(w.store.meta.getNumber('next_client_seq')).toBe(0);
  });
});

describe('sync between two workstations through the server', () => {
  it('delivers an incident to the other workstation with the force reference the server gave it', async () => {
    const { w: a } = workstation('WS-A');
    const { w: b } = workstation('WS-B');
    const args = createArgs();
    a.issue('incident.create', args);
    await a.syncNow();
    await b.syncNow();

    expect(serverIncidents()).toEqual([{ id: args.incidentId, reference: 'DMO-20261129-0001' }]);
    for (const w of [a, b]) {
      expect(w.store.view.incident(args.incidentId)).toMatchObject({ reference: 'DMO-20261129-0001', provisionalReference: 'WS-A-P0001', pending: false });
      // The log starts with the creation's own line, then the call handler's first note.
      expect(w.store.view.logOf(args.incidentId)).toEqual([
        expect.objectContaining({ kind: 'system', text: expect.stringMatching(/^Opened as /), pending: false }),
        expect.objectContaining({ text: 'Caller reports a break-in', pending: false }),
      ]);
    }
    expect(a.store.outbox.pendingCount()).toBe(0);
  });

  it('keeps an unconfirmed log line on screen when the server copy of the incident arrives (rebase)', async () => {
    const { w: a, link: linkA } = workstation('WS-A');
    const { w: b } = workstation('WS-B');
    const args = createArgs({ firstLog: null });
    a.issue('incident.create', args);
    await a.syncNow();
    await b.syncNow();

    linkA.up = false;
    const mine = randomUUID();
    a.issue('incident.addLog', { incidentId: args.incidentId, entryId: mine, text: 'Neighbour has CCTV' });
    await a.syncNow();
    b.clock.advance(60_000); // a minute later, but on the room.server first
    b.issue('incident.addLog', { incidentId: args.incidentId, entryId: randomUUID(), text: 'Dog unit on the way' });
    await b.syncNow();

    // A pulls B's entry while its own is still unsent: both show, and only its own is marked unconfirmed; its own
    // after what the server holds, where the server will put it (the log is read in the order the server accepts it).
    const page = await room.server.pull({ since: a.store.pullCursor, clientId: a.store.clientId, afterClientSeq: 1, limit: 100 });
    applyPullPage(a.store, demoConfig, page);
    expect(a.store.view.logOf(args.incidentId).map((e) => [e.text, e.pending]).slice(1)).toEqual([
      ['Dog unit on the way', false],
      ['Neighbour has CCTV', true],
    ]);

    linkA.up = true;
    await a.syncNow();
    expect(a.store.view.logOf(args.incidentId).every((e) => !e.pending)).toBe(true);
    // Sent, it stays where it was shown: nothing moves once confirmed.
    expect(a.store.view.logOf(args.incidentId).map((e) => e.text).slice(1)).toEqual(['Dog unit on the way', 'Neighbour has CCTV']);
    await b.syncNow();
    expect(b.store.view.logOf(args.incidentId)).toHaveLength(3);
  });

  it('leaves no trace of a command that changed nothing when issued, changed a record once replayed over newer ones, and changed nothing on the server', async () => {
    await registerForceUnits(room.server, room.rules);
    await bookOnForceUnits(room.server, room.rules, T0 + 12 * 3_600_000);
    const { w: a } = workstation('WS-A');
    const { w: b, link: linkB } = workstation('WS-B');
    const incident = createArgs({ grade: '1', firstLog: null });
    const assignmentId = randomUUID();
    await a.syncNow();
    await b.syncNow();
    a.issue('incident.create', incident);
    a.issue('unit.assign', { assignmentId, unitId: 'DM-11', incidentId: incident.incidentId, unitVersion: a.store.view.get('unit', 'DM-11')!.version });
    await a.syncNow();

    // B, cut off and two minutes on, claims the receipt alarm of a deployment it has not yet heard of: nothing here.
    linkB.up = false;
    b.clock.advance(120_000);
    const claim = { assignmentId, unitId: 'DM-11', incidentId: incident.incidentId };
    expect(b.issue('assignment.receiptOverdue', claim).touched).toEqual([]);
    b.issue('unit.setDuty', { unitId: 'DM-12', duty: 'unavailable', unitVersion: b.store.view.get('unit', 'DM-12')!.version });
    // It hears of the deployment (a pull, its claim still unsent): replayed, its claim now raises the alarm here.
    applyPullPage(b.store, demoConfig, await room.server.pull({ since: b.store.pullCursor, clientId: b.store.clientId, afterClientSeq: 0, limit: 100 }));
    expect(b.store.view.get('assignment', assignmentId)?.receiptAlarm).toMatchObject({ workstation: 'WS-B' });
    // Meanwhile A confirms it by radio; the server then finds B's claim has nothing left to claim.
    a.issue('assignment.confirmByRadio', claim);
    await a.syncNow();
    linkB.up = true;
    await b.syncNow();

    const serverLog = (room.server.database.prepare(`SELECT id FROM records WHERE kind = 'logEntry'`).all() as { id: string }[]).map((r) => r.id).sort();
    expect(b.store.view.logOf(incident.incidentId).map((e) => e.id).sort()).toEqual(serverLog);
    expect(b.store.view.get('assignment', assignmentId)).toMatchObject({ receiptAlarm: null, radioConfirmed: { by: 'op-WS-A' } });
  });

  it('refuses a page that does not start at its cursor, and changes nothing', async () => {
    const { w: a } = workstation('WS-A');
    a.issue('incident.create', createArgs());
    await a.syncNow();
    const { w: b } = workstation('WS-B');
    const page = await room.server.pull({ since: 0, clientId: b.store.clientId, afterClientSeq: 0, limit: 100 });
    expect(() => applyPullPage(b.store, demoConfig, { ...page, since: 1 })).toThrow(CursorMismatch);
    expect(b.store.view.incidents('all')).toEqual([]);
    expect(b.store.pullCursor).toBe(0);
  });

  it('puts a command the server refuses in the dead-letter list with the reason, and undoes its effect', async () => {
    // The workstation's configuration still has THEFT; the server's no longer does.
    const serverConfig = { ...demoConfig, incidentTypes: demoConfig.incidentTypes.filter((t) => t.code !== 'THEFT') };
    room.rules = { ...room.rules, config: serverConfig };
    const { w: a } = workstation('WS-A');
    const refused = createArgs({ type: 'THEFT' });
    const accepted = createArgs({ provisionalReference: 'WS-A-P0002' });
    a.issue('incident.create', refused);
    a.issue('incident.create', accepted);
    await a.syncNow();

    expect(a.store.view.incident(refused.incidentId)).toBeUndefined();
    expect(a.store.view.incident(accepted.incidentId)).toMatchObject({ pending: false });
    expect(a.store.outbox.deadLetters()).toEqual([expect.objectContaining({ code: 'invalid', reason: 'unknown incident type "THEFT"' })]);
    expect(a.sync.status()).toMatchObject({ pending: 0, deadLetters: 1 });
  });
});

describe('when the server cannot be reached', () => {
  it('says offline since when, counts what waits, and retries on its own timer with growing delays', async () => {
    const { w: a, link } = workstation('WS-A');
    link.up = false;
    a.issue('incident.create', createArgs());
    await a.syncNow();
    expect(a.sync.status()).toMatchObject({ connection: 'offline', offlineSince: '2026-11-29T10:00:00.000Z', pending: 1 });

    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [delay] = a.scheduler.pendingDelays();
      delays.push(delay!);
      a.scheduler.advance(delay!);
      await a.sync.settled();
    }
    expect(delays).toEqual([375, 750, 1500, 3000]);
    const attempts = link.pushes;

    link.up = true;
    a.scheduler.advance(a.scheduler.pendingDelays()[0]!);
    await a.sync.settled();
    expect(link.pushes).toBe(attempts + 1);
    expect(a.sync.status()).toMatchObject({ pending: 0, offlineSince: null });
    expect(serverIncidents()).toHaveLength(1);
  });

  it('keeps retrying through a server error, without giving up on the command', async () => {
    const { w: a, link } = workstation('WS-A');
    const args = createArgs();
    a.issue('incident.create', args);
    link.failNextPushes = 12;
    for (let i = 0; i < 14; i++) {
      a.scheduler.advance(a.scheduler.pendingDelays()[0] ?? 0);
      await a.syncNow();
    }
    expect(a.store.outbox.deadCount()).toBe(0);
    expect(serverIncidents()).toEqual([{ id: args.incidentId, reference: 'DMO-20261129-0001' }]);
  });
});

describe('a command the server cannot process', () => {
  it('is refused with the reason, and the commands behind it still go', async () => {
    // The first command's rules fail: the seventh reading of the clock. A push plans every command first (each its
    // processing time, ticket check and the time it is recorded at: three readings each), then decides them in order,
    // the first reading it seventh.
    let readings = 0;
    room.rules = { ...room.rules, now: () => { if (++readings === 7) throw new Error('clock unavailable'); return T0; } };
    const { w: a } = workstation('WS-A');
    const first = createArgs();
    const second = createArgs({ provisionalReference: 'WS-A-P0002' });
    a.issue('incident.create', first);
    a.issue('incident.create', second);
    await a.syncNow();
    expect(a.store.outbox.deadLetters()).toEqual([expect.objectContaining({ reason: 'the server could not apply this command: clock unavailable' })]);
    expect(a.store.view.incident(first.incidentId)).toBeUndefined();
    expect(serverIncidents()).toEqual([{ id: second.incidentId, reference: 'DMO-20261129-0001' }]);
  });
});

describe('a workstation back after hours away', () => {
  it('catches up page by page, reporting how far it has got, and takes new work meanwhile', async () => {
    const { w: busy } = workstation('WS-A');
    const incidentId = randomUUID();
    busy.issue('incident.create', createArgs({ incidentId, firstLog: null }));
    for (let i = 0; i < 1200; i++) busy.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: `line ${i}` });
    await busy.syncNow();

    const back = new WorkstationHarness(room.dir.path, 'WS-B', new InProcessLink(room.server, room.rules, room.secret), demoConfig, { pullPageSize: 250 });
    room.open.push(back);
    const progress: { done: number; total: number }[] = [];
    let wroteMeanwhile = false;
    back.onStatus((status) => {
      if (!status.catchUp) return;
      progress.push(status.catchUp);
      if (!wroteMeanwhile) {
        // The operator works on while the pull goes on: their command is confirmed at once.
        back.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'written during catch-up' });
        back.sync.kick(); // as the console core does after every command
        wroteMeanwhile = true;
      }
    });
    await back.syncNow();

    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.at(-1)!.done).toBeLessThan(progress.at(-1)!.total);
    expect(back.sync.status().catchUp).toBeNull();
    expect(back.store.view.logOf(incidentId)).toHaveLength(1202); // the creation's line, 1,200 and one more
    expect(back.store.view.logOf(incidentId).find((e) => e.text === 'written during catch-up')).toMatchObject({ pending: false });
    expect(back.store.outbox.pendingCount()).toBe(0);
  });
});
