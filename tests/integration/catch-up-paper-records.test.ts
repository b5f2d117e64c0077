import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import { assetPath } from '../../node-common/app-paths';
import { loadScenario } from '../../node-common/scenario-file';
import { TICKET_SECRET } from '../../server/access/access-routes';
import { runSystemCommands, SERVER_CLIENT_ID } from '../../server/commands/system-commands';
import { handleReview } from '../../server/training/review-route';
import { putStartingState } from '../../server/training/starting-state';
import type { CatchUpStatus } from '../../shared/contract/catch-up';
import type { ContactView, IncidentView, MarkerView } from '../../shared/contract/views';
import type { Contact } from '../../shared/domain/contact';
import { derivedId } from '../../shared/domain/derived-id';
import type { Assignment } from '../../shared/domain/assignment';
import type { Incident } from '../../shared/domain/incident';
import type { ManualClock } from '../../shared/domain/time';
import { ticketFor } from '../fakes/access';
import { call, demoConfig, silentLog } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { sqliteFactory, type OpenedStorage } from '../fakes/storages';

/**
 * The CAD-down drill's records, from a real console core (a trainee's workstation, its SQLite file and outbox) to the
 * training server's storage and its after-action review: the starting state the server put in place reaches the
 * desk, and a paper incident with its unit, entered in catch-up, reaches the server with its original times and is
 * marked back-entered in the review.
 */
const scenario = loadScenario(join(assetPath('exercises'), 'cad-down-night.json'), demoConfig);
const START = Date.parse(scenario.startsAt);
const minutes = (n: number) => new Date(START + n * 60_000).toISOString();

describe('catch-up after CAD down, from a trainee desk to the training server', () => {
  const room = inProcessRoom({
    open: () => sqliteFactory.open(),
    startsAt: START,
    training: true,
    forceUnits: true,
    operators: { bob: ['dispatcher'], tina: { roles: ['trainer'], password: null } },
    desks: [{ workstation: 'trainee-1', signedIn: 'bob' }],
  });
  let core: ConsoleCore;
  beforeEach(() => void (core = room.desk('trainee-1')));

  async function synced(): Promise<void> {
    await room.sync(core);
    expect(core.store.outbox.pending()).toEqual([]);
  }

  it("shows the scenario's starting incident, its unit at scene, and its markers on the trainee's desk", async () => {
    const withMarker = { ...scenario, start: { ...scenario.start, markers: [{ address: '14 Gull Terrace, Saltmere', point: { lat: 53.9189, lon: 1.7446 }, radiusM: 40, warnings: ['firearms' as const], note: '' }] } };
    await putStartingState(room.storage, room.rules, withMarker);
    await synced();
    const { incidents } = await call<{ incidents: IncidentView[] }>(core, 'incidents.list', { status: 'open' });
    expect(incidents).toEqual([expect.objectContaining({ type: 'MISSING', grade: '2', createdAt: minutes(-80), activeUnits: ['DM-22'], reference: expect.stringMatching(/^TRN-DMO-/) })]);
    const { markers } = await call<{ markers: MarkerView[] }>(core, 'markers.list', {});
    expect(markers).toEqual([expect.objectContaining({ address: '14 Gull Terrace, Saltmere', warnings: ['firearms'] })]);
  });

  it('sends a paper incident and its deployment with their original times, and the review marks them back-entered', async () => {
    // DM-14 on duty; the system went down at 03:05 (this desk was off too, so the operator says when), back at 03:25.
    await call(core, 'units.setDuty', { unitId: 'DM-14', duty: 'on_duty', unitVersion: core.store.view.get('unit', 'DM-14')!.version, until: minutes(240) });
    await synced();
    room.clock.advance(30 * 60_000);
    await call<CatchUpStatus>(core, 'catchUp.start', { from: minutes(5) });
    const paperTime = (minute: number) => ({ date: '2026-12-03', time: `03:${String(minute).padStart(2, '0')}` });
    const refused = call(core, 'catchUp.enterIncident', { callAt: paperTime(10), type: 'RTC', grade: '1', location: 'Coast road', deployments: [{ unitId: 'DM-14', deployedAt: paperTime(11), arrivedAt: paperTime(40), clearedAt: null }] });
    await expect(refused).rejects.toThrow(/Unit 1 \(DM-14\), at scene: .*in the future/);
    expect(core.store.outbox.pending()).toEqual([]);
    const { incident } = await call<{ incident: IncidentView }>(core, 'catchUp.enterIncident', {
      callAt: paperTime(10),
      type: 'RTC',
      grade: '1',
      location: 'Coast road',
      description: 'Car in the ditch',
      log: [{ at: paperTime(12), text: 'Ambulance requested' }],
      deployments: [{ unitId: 'DM-14', deployedAt: paperTime(11), arrivedAt: paperTime(18), clearedAt: null }],
    });
    // One action, one transaction: the incident, its line and its unit went into the outbox together.
    expect(core.store.outbox.pending().map((command) => command.envelope.name)).toEqual(['incident.create', 'incident.addLog', 'assignment.record']);
    await synced();

    const onServer = (await room.storage.record({ kind: 'incident', id: incident.id })) as Incident;
    expect(onServer).toMatchObject({ createdAt: minutes(10), createdBy: 'bob', attendedAt: minutes(18), backEntered: { by: 'bob', workstation: 'trainee-1', enteredAt: minutes(30), outageFrom: minutes(5) } });
    const assignments = (await room.storage.recordsOfIncident(incident.id)).filter((change) => change.kind === 'assignment').map((change) => change.doc as Assignment);
    expect(assignments).toEqual([expect.objectContaining({ unitId: 'DM-14', status: 'at_scene', deployedAt: minutes(11), arrivedAt: minutes(18), backEntered: expect.objectContaining({ by: 'bob', enteredAt: minutes(30) }) })]);

    const device = { clientId: core.store.clientId, workstation: 'trainee-1', force: 'DMO', tokenHash: '', enrolledAt: minutes(0) };
    const review = await handleReview(
      { operator: 'tina', ticket: await ticketFor(room.storage, 'tina', core.store.clientId, START + 86_400_000), issuedAt: minutes(30) },
      { storage: room.storage, rules: room.rules, log: silentLog, device, ticketSecret: await room.storage.secret(TICKET_SECRET), scenario },
    );
    const ofPaper = review.events.filter((event) => event.incident === onServer.reference && ['saved', 'deployed', 'arrived'].includes(event.kind));
    expect(ofPaper.map((event) => [event.kind, event.at, event.backEntered])).toEqual([
      ['saved', minutes(10), { by: 'bob', enteredAt: minutes(30) }],
      ['deployed', minutes(11), { by: 'bob', enteredAt: minutes(30) }],
      ['arrived', minutes(18), { by: 'bob', enteredAt: minutes(30) }],
    ]);
  });

  it('ties the paper incident to the call that rang during the outage: answered on paper at its time, on the server and in the review, the server deciding it again', async () => {
    await call(core, 'units.setDuty', { unitId: 'DM-14', duty: 'on_duty', unitVersion: core.store.view.get('unit', 'DM-14')!.version, until: minutes(240) });
    // The scenario's calls ring through the trainer's workstation (here the server's own relay): the burglary before
    // the system went down at 03:05, the RTC at 03:09:50 while it was down, the found man at 03:20.
    const ring = (callId: string, source: '999' | '101', callerNumber: string, at: string) =>
      runSystemCommands(room.storage, room.rules, [{ name: 'contact.receive', args: { contactId: derivedId(SERVER_CLIENT_ID, callId), source, callerNumber, receivedAt: at, handsetLocation: null }, issuedAt: at }]);
    const rtc = derivedId(SERVER_CLIENT_ID, 'night-rtc');
    const found = derivedId(SERVER_CLIENT_ID, 'night-missing-found');
    await ring('night-burglary', '999', '07700 900331', minutes(-10));
    await ring('night-rtc', '999', '07700 900332', minutes(10).replace(':10:00', ':09:50'));
    await ring('night-missing-found', '101', '07700 900333', minutes(20));
    await synced();
    room.clock.advance(30 * 60_000);
    await call<CatchUpStatus>(core, 'catchUp.start', { from: minutes(5) });
    // The calls a paper record may name: those that rang during the outage, oldest first; not the burglary before it.
    const { calls } = await call<{ calls: ContactView[] }>(core, 'catchUp.outageCalls', {});
    expect(calls.map((c) => c.id)).toEqual([rtc, found]);

    const paperTime = (minute: number) => ({ date: '2026-12-03', time: `03:${String(minute).padStart(2, '0')}` });
    const form = (answeredMinute: number) => ({
      callAt: paperTime(10),
      type: 'RTC',
      grade: '1',
      location: 'Coast road',
      call: { contactId: rtc, answeredAt: paperTime(answeredMinute) },
      deployments: [{ unitId: 'DM-14', deployedAt: paperTime(11), arrivedAt: paperTime(18), clearedAt: null }],
    });
    await expect(call(core, 'catchUp.enterIncident', form(8))).rejects.toThrow(/Time answered on paper: .*it rang at 2026-12-03 03:09/);
    await expect(call(core, 'catchUp.enterIncident', form(11))).rejects.toThrow(/Time answered on paper: .*after its incident was opened on paper/);
    expect(core.store.outbox.pending()).toEqual([]);
    expect(core.store.view.get('contact', rtc)).toMatchObject({ state: 'ringing', incidentId: null });

    const { incident } = await call<{ incident: IncidentView }>(core, 'catchUp.enterIncident', form(10));
    // One action, one transaction: the incident, its call answered on paper and its unit.
    expect(core.store.outbox.pending().map((command) => command.envelope.name)).toEqual(['incident.create', 'contact.answerOnPaper', 'assignment.record']);
    await synced();
    const answered = (await room.storage.record({ kind: 'contact', id: rtc })) as Contact;
    expect(answered).toMatchObject({ state: 'completed', answeredAt: minutes(10), answeredBy: 'bob', incidentId: incident.id, backEntered: { by: 'bob', workstation: 'trainee-1', enteredAt: minutes(30), outageFrom: minutes(5) } });
    const { calls: left } = await call<{ calls: ContactView[] }>(core, 'catchUp.outageCalls', {});
    expect(left.map((c) => c.id)).toEqual([found]);

    // The server decides again, whoever sends it: a call already on an incident, an answer before the call rang.
    const answerOnPaper = (contactId: string, incidentId: string, answeredAt: string) =>
      runSystemCommands(room.storage, room.rules, [{ name: 'contact.answerOnPaper', args: { contactId, incidentId, answeredAt, paper: { outageFrom: minutes(5), backAt: minutes(30) } }, issuedAt: minutes(30) }]);
    const { incident: second } = await call<{ incident: IncidentView }>(core, 'catchUp.enterIncident', { callAt: paperTime(21), type: 'MISSING', grade: '2', location: 'Northgate Road bus shelter' });
    await synced();
    await expect(answerOnPaper(rtc, second.id, minutes(21))).rejects.toThrow(/the call is already on an incident/);
    await expect(answerOnPaper(found, second.id, minutes(19))).rejects.toThrow(/it rang at/);
    expect(await room.storage.record({ kind: 'contact', id: found })).toMatchObject({ state: 'ringing', incidentId: null });

    const device = { clientId: core.store.clientId, workstation: 'trainee-1', force: 'DMO', tokenHash: '', enrolledAt: minutes(0) };
    const review = await handleReview(
      { operator: 'tina', ticket: await ticketFor(room.storage, 'tina', core.store.clientId, START + 86_400_000), issuedAt: minutes(30) },
      { storage: room.storage, rules: room.rules, log: silentLog, device, ticketSecret: await room.storage.secret(TICKET_SECRET), scenario },
    );
    expect(review.calls.find((c) => c.callId === 'night-rtc')).toMatchObject({ answeredBy: 'bob', answeredAt: minutes(10), answerSeconds: 10, answerInTime: true, abandoned: false, savedAt: minutes(10), saveSeconds: 0, deploySeconds: 70, answeredOnPaper: true });
    expect(review.events.find((e) => e.kind === 'answered' && e.callId === 'night-rtc')).toMatchObject({ at: minutes(10), by: 'bob', backEntered: { by: 'bob', enteredAt: minutes(30) } });
    expect(review.measures.calls).toMatchObject({ offered999: 1, answered999: 1, abandoned999: 0, within10s999: 1 });
  });
});

describe('catch-up on a live desk after a real outage that ran past midnight in British Summer Time', () => {
  /** A live desk (bob, a dispatcher) on its server in this process, its clock at 23:50 BST on 10 July. */
  const room = inProcessRoom({ open: () => sqliteFactory.open(), startsAt: Date.parse('2026-07-10T22:50:00Z'), forceUnits: true, operators: { bob: ['dispatcher'] }, desks: ['WS-B'] });
  /** Runs `test` at the live desk. */
  const atLiveDesk = (test: (desk: { core: ConsoleCore; opened: OpenedStorage; clock: ManualClock }) => Promise<void>): Promise<void> => test({ core: room.desk('WS-B'), opened: room.opened, clock: room.clock });

  it('reads each paper time on the date the form gives, in the force’s time, and the records carry no training mark', async () => {
    // The system goes down at 23:55 BST and the paper is entered at 00:40 BST on 11 July.
    await atLiveDesk(async ({ core, opened, clock }) => {
      await call(core, 'session.signIn', { operator: 'bob', password: 'shift-pw' });
      await call(core, 'units.setDuty', { unitId: 'DM-14', duty: 'on_duty', unitVersion: core.store.view.get('unit', 'DM-14')!.version, until: '2026-07-11T04:00:00.000Z' });
      clock.advance(50 * 60_000);
      await call(core, 'catchUp.start', { from: '2026-07-10T22:55:00.000Z' });
      const tooLate = call(core, 'catchUp.enterIncident', { callAt: { date: '2026-07-11', time: '00:41' }, type: 'ASSAULT', grade: '2', location: 'Quay Street' });
      await expect(tooLate).rejects.toThrow(/Time of call: 2026-07-11 00:41 is in the future/);
      const { incident } = await call<{ incident: IncidentView }>(core, 'catchUp.enterIncident', {
        callAt: { date: '2026-07-10', time: '23:58' },
        type: 'ASSAULT',
        grade: '2',
        location: 'Quay Street',
        log: [{ at: { date: '2026-07-11', time: '00:05' }, text: 'Both parties gone on arrival' }],
        deployments: [{ unitId: 'DM-14', deployedAt: { date: '2026-07-11', time: '00:01' }, arrivedAt: { date: '2026-07-11', time: '00:04' }, clearedAt: { date: '2026-07-11', time: '00:20' } }],
      });
      core.sync.kick();
      await core.sync.settled();
      const onServer = (await opened.storage.record({ kind: 'incident', id: incident.id })) as Incident;
      expect(onServer).toMatchObject({ createdAt: '2026-07-10T22:58:00.000Z', attendedAt: '2026-07-10T23:04:00.000Z', backEntered: { by: 'bob', enteredAt: '2026-07-10T23:40:00.000Z' } });
      expect(onServer.reference).toMatch(/^DMO-/);
      const docs = (await opened.storage.recordsOfIncident(incident.id)).map((change) => change.doc as { text?: string; at?: string; deployedAt?: string; clearedAt?: string });
      expect(docs).toContainEqual(expect.objectContaining({ text: 'Both parties gone on arrival', at: '2026-07-10T23:05:00.000Z' }));
      expect(docs).toContainEqual(expect.objectContaining({ deployedAt: '2026-07-10T23:01:00.000Z', clearedAt: '2026-07-10T23:20:00.000Z' }));
    });
  });

  it('takes a unit’s later time on its row that is earlier than the one before it as the next day’s (deployed 23:58, at scene 00:04)', async () => {
    await atLiveDesk(async ({ core, opened, clock }) => {
      await call(core, 'session.signIn', { operator: 'bob', password: 'shift-pw' });
      await call(core, 'units.setDuty', { unitId: 'DM-14', duty: 'on_duty', unitVersion: core.store.view.get('unit', 'DM-14')!.version, until: '2026-07-11T04:00:00.000Z' });
      await call(core, 'units.setDuty', { unitId: 'DM-22', duty: 'on_duty', unitVersion: core.store.view.get('unit', 'DM-22')!.version, until: '2026-07-11T04:00:00.000Z' });
      clock.advance(50 * 60_000);
      await call(core, 'catchUp.start', { from: '2026-07-10T22:55:00.000Z' });
      // One date for the unit's row, as the paper form has: the day of the call. The crew went at 23:58 and got there
      // at 00:04, cleared 00:20: each time after the one before it on the row, so past midnight.
      const { incident } = await call<{ incident: IncidentView }>(core, 'catchUp.enterIncident', {
        callAt: { date: '2026-07-10', time: '23:57' },
        type: 'ASSAULT',
        grade: '2',
        location: 'Quay Street',
        deployments: [{ unitId: 'DM-14', deployedAt: { date: '2026-07-10', time: '23:58' }, arrivedAt: { date: '2026-07-10', time: '00:04' }, clearedAt: { date: '2026-07-10', time: '00:20' } }],
      });
      core.sync.kick();
      await core.sync.settled();
      const docs = (await opened.storage.recordsOfIncident(incident.id)).map((change) => change.doc as { deployedAt?: string; arrivedAt?: string; clearedAt?: string });
      expect(docs).toContainEqual(expect.objectContaining({ deployedAt: '2026-07-10T22:58:00.000Z', arrivedAt: '2026-07-10T23:04:00.000Z', clearedAt: '2026-07-10T23:20:00.000Z' }));
      // Times out of order that the next day cannot explain (it is still to come) are refused, as before.
      const outOfOrder = call(core, 'catchUp.enterIncident', {
        callAt: { date: '2026-07-11', time: '00:00' },
        type: 'ASSAULT',
        grade: '2',
        location: 'Quay Street',
        deployments: [{ unitId: 'DM-22', deployedAt: { date: '2026-07-11', time: '00:10' }, arrivedAt: { date: '2026-07-11', time: '00:03' }, clearedAt: null }],
      });
      await expect(outOfOrder).rejects.toThrow(/out of order/);
    });
  });
});
