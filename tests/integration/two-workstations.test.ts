import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import { integrityCheck } from '../../node-common/sqlite';
import { call, eventually } from '../fakes/fixtures';
import { workstationsOnServer } from '../fakes/workstations-on-server';
import type { IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import type { AssignmentView, ConflictView } from '../../shared/contract/views';
import type { TcpProxy } from '../faults/chaos/tcp-proxy';

const room = workstationsOnServer();
const core = room.core;

/** A workstation whose network to the server the test can cut and heal. */
async function cuttable(workstation: string): Promise<{ c: ConsoleCore; link: TcpProxy }> {
  const link = await room.proxy();
  return { c: core(workstation, { serverUrl: link.url }), link };
}

describe('two workstations and a real server process', () => {
  it('an incident created on one appears on the other, with its log, its force reference and each file sound', async () => {
    const a = core('WS-A');
    const b = core('WS-B');
    // The demonstration force's accounts: alice handles calls, bob dispatches.
    await call(a, 'session.signIn', { operator: 'alice', password: 'demo' });
    await call(b, 'session.signIn', { operator: 'bob', password: 'demo' });
    const seenByB: IncidentView[] = [];
    b.onEvent((event, payload) => {
      if (event === 'records.changed') seenByB.push(...(payload as { incidents: IncidentView[] }).incidents);
    });

    const { incident } = await call<{ incident: IncidentView }>(a, 'incidents.create', {
      type: 'DOMESTIC',
      location: unverifiedLocation('14 Shirley Road'),
      grade: '1',
      firstLog: 'Caller says her partner is breaking in',
    });
    await eventually(() => b.store.view.incident(incident.id)?.reference != null, 'B has the incident with its force reference');
    const onB = await call<{ incident: IncidentView; log: { text: string }[] }>(b, 'incidents.get', { id: incident.id });
    expect(onB.incident).toMatchObject({ provisionalReference: 'WS-A-P0001', location: unverifiedLocation('14 Shirley Road'), grade: '1', pending: false });
    expect(onB.incident.reference).toMatch(/^DMO-\d{8}-0001$/);
    expect(onB.log.map((e) => e.text)).toEqual(['Opened as Domestic incident (DOMESTIC), grade 1 Emergency, at 14 Shirley Road; source: raised at the desk, not from a call', 'Caller says her partner is breaking in']);
    expect(seenByB.some((i) => i.id === incident.id)).toBe(true);

    await call(b, 'incidents.addLog', { incidentId: incident.id, text: 'Two units assigned' });
    await eventually(() => a.store.view.logOf(incident.id).length === 3, 'A sees the log line written at B');
    await eventually(() => a.store.view.logOf(incident.id).every((e) => !e.pending), 'A sees its own line confirmed');

    for (const c of [a, b]) expect(integrityCheck(c.store.db)).toBe('ok');
  });

  it('a workstation rebuilt under its name with a fresh data file mints references the server does not hold', async () => {
    const made: IncidentView[] = [];
    const makeIncidents = async (c: ConsoleCore, n: number) => {
      for (let i = 0; i < n; i++) {
        const { incident } = await call<{ incident: IncidentView }>(c, 'incidents.create', { type: 'DOMESTIC', location: unverifiedLocation(`${made.length + 1} Shirley Road`), grade: '2', firstLog: 'Neighbour reports shouting' });
        made.push(incident);
      }
      await eventually(() => made.every((m) => c.store.view.incident(m.id)?.reference != null), 'the server has given each its force reference');
    };

    const first = core('CT-3', { dataDir: join(room.dir, 'first-build') });
    await call(first, 'session.signIn', { operator: 'alice', password: 'demo' });
    await makeIncidents(first, 2);
    first.stop();

    // The same name, a new disk: a fresh data file, enrolled again with the same server.
    const rebuilt = core('CT-3', { dataDir: join(room.dir, 'second-build') });
    await call(rebuilt, 'session.signIn', { operator: 'alice', password: 'demo' });
    await makeIncidents(rebuilt, 2);

    const references = made.map((m) => m.provisionalReference);
    expect(references).toEqual(['CT-3-P0001', 'CT-3-P0002', 'CT-3-P2-0001', 'CT-3-P2-0002']);
    // Each finds one incident, at the rebuilt workstation, once it holds the first build's incidents too.
    await eventually(() => made.every((m) => rebuilt.store.view.incident(m.id)), 'the rebuilt workstation has every incident');
    for (const incident of made) {
      const { incidents } = await call<{ incidents: IncidentView[] }>(rebuilt, 'incidents.find', { reference: incident.provisionalReference });
      expect(incidents.map((i) => i.id), incident.provisionalReference).toEqual([incident.id]);
    }
  });
});

describe('reopening, across two workstations and a real server process', () => {
  const incidentOn = (c: ConsoleCore, id: string) => c.store.view.incident(id);
  const logTexts = (c: ConsoleCore, id: string) => c.store.view.logOf(id).map((e) => e.text);
  const openConflicts = (c: ConsoleCore) => c.store.view.openConflicts() as ConflictView[];

  it('a closure cancels the reservation, late changes made offline become conflicts, and a reopening puts the incident back in both queues', async () => {
    const { c: a } = await cuttable('WS-A');
    const { c: b, link: linkB } = await cuttable('WS-B');
    await call(a, 'session.signIn', { operator: 'bob', password: 'demo' });
    await call(b, 'session.signIn', { operator: 'carol', password: 'demo' });

    // A dispatcher at A books DM-11 on, opens an incident and reserves DM-11 for an appointment in two hours.
    await call(a, 'units.setDuty', { unitId: 'DM-11', duty: 'on_duty', unitVersion: a.store.view.get('unit', 'DM-11')!.version, until: new Date(Date.now() + 8 * 3_600_000).toISOString() });
    const { incident } = await call<{ incident: IncidentView }>(a, 'incidents.create', { type: 'THEFT', location: unverifiedLocation('12 Market Street'), grade: '3', firstLog: 'Bicycle stolen from the yard' });
    const reserveFor = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const { assignments } = await call<{ assignments: AssignmentView[] }>(a, 'units.deploy', { incidentId: incident.id, units: [{ unitId: 'DM-11', unitVersion: a.store.view.get('unit', 'DM-11')!.version }], reserveFor });
    const booking = assignments[0]!;
    await eventually(() => b.store.view.get('assignment', booking.id)?.status === 'reserved' && !b.store.view.incident(incident.id)?.pending, 'B sees the reservation');
    expect(logTexts(b, incident.id)[0]).toBe('Opened as Theft (THEFT), grade 3 Scheduled, at 12 Market Street; source: raised at the desk, not from a call');

    // B loses its network; meanwhile A closes the incident, which cancels the reservation.
    linkB.cutAll();
    await call(a, 'incidents.close', { incidentId: incident.id, closingCode: 'ADVICE', incidentVersion: incidentOn(a, incident.id)!.version });
    await eventually(() => incidentOn(a, incident.id)?.pending === false, 'the server has the closure');
    expect(a.store.view.get('assignment', booking.id)).toMatchObject({ status: 'cleared' });

    // B, offline and not knowing, corrects the description and sends DM-11 as the reservation falls due.
    await call(b, 'incidents.update', { incidentId: incident.id, fields: { description: 'Red mountain bike, D-lock cut' } });
    await call(b, 'assignments.setStatus', { assignmentId: booking.id, status: 'assigned', assignmentVersion: b.store.view.get('assignment', booking.id)!.version });
    expect(b.store.view.get('unit', 'DM-11')!.commitment).not.toBeNull();

    // Back online: both lose, visibly, to the closure; DM-11 was never committed to the closed incident.
    linkB.heal();
    b.sync.kick();
    await eventually(() => openConflicts(b).length === 2, 'B has both late changes in its conflict inbox', 15_000);
    expect(openConflicts(b).map((c) => [c.commandName, c.reason]).sort()).toEqual([
      ['assignment.setStatus', 'the incident is closed (ADVICE) by bob'],
      ['incident.update', 'the incident is closed (ADVICE) by bob'],
    ]);
    expect(b.store.view.get('unit', 'DM-11')!.commitment).toBeNull();
    expect(incidentOn(b, incident.id)).toMatchObject({ status: 'closed', description: '', pending: false });

    // A call handler may not reopen it: the workstation says so at once.
    await call(a, 'session.signIn', { operator: 'alice', password: 'demo' });
    const refused = await a.dispatch('incidents.reopen', { incidentId: incident.id, reason: 'Caller rang back', incidentVersion: incidentOn(a, incident.id)!.version });
    expect(refused).toMatchObject({ ok: false, error: { message: 'only a dispatcher or supervisor may reopen an incident' } });
    await call(a, 'session.signIn', { operator: 'bob', password: 'demo' });

    // The caller rings back: carol, a supervisor at B, reopens it with the reason.
    const beforeReopen = Date.now();
    await call(b, 'incidents.reopen', { incidentId: incident.id, reason: 'Caller rang back: the thief is back in the yard', incidentVersion: incidentOn(b, incident.id)!.version });
    await eventually(() => incidentOn(a, incident.id)?.status === 'open' && incidentOn(a, incident.id)?.pending === false, 'A has the incident open again');
    const reopened = incidentOn(a, incident.id)!;
    // Back in A's queue, its grade 3 clock counting from the reopening; the cancelled reservation stays cancelled.
    expect(a.store.view.incidents('open').map((i) => i.id)).toContain(incident.id);
    expect(Date.parse(reopened.gradedAt)).toBeGreaterThanOrEqual(beforeReopen);
    expect(reopened).toMatchObject({ closingCode: null, attendedAt: null, activeUnits: [], reopenings: [{ by: 'carol', reason: 'Caller rang back: the thief is back in the yard', closingCode: 'ADVICE', closedBy: 'bob' }] });
    expect(a.store.view.get('assignment', booking.id)).toMatchObject({ status: 'cleared' });
    expect(logTexts(a, incident.id).at(-1)).toMatch(/^Reopened: Caller rang back: the thief is back in the yard\. It had been closed as Advice given \(ADVICE\) by bob/);

    // The correction that lost to the closure is done again from B's inbox, and reaches A.
    const correction = openConflicts(b).find((c) => c.commandName === 'incident.update')!;
    await call(b, 'conflicts.resolve', { conflictId: correction.id, resolution: 'redo' });
    await eventually(() => incidentOn(a, incident.id)?.description === 'Red mountain bike, D-lock cut', 'A sees the correction done again');

    // Closed again at A with another code: both closures stay on the record, at both workstations.
    await eventually(() => incidentOn(a, incident.id)?.pending === false, 'A is up to date');
    await call(a, 'incidents.close', { incidentId: incident.id, closingCode: 'CRIME', incidentVersion: incidentOn(a, incident.id)!.version });
    await eventually(() => incidentOn(b, incident.id)?.closingCode === 'CRIME', 'B sees the second closure');
    expect(incidentOn(b, incident.id)).toMatchObject({ status: 'closed', closedBy: 'bob', reopenings: [expect.objectContaining({ closingCode: 'ADVICE' })] });
    expect(logTexts(b, incident.id).filter((t) => t.startsWith('Closed: '))).toEqual(['Closed: Advice given (ADVICE)', 'Closed: Crime recorded (CRIME)']);

    for (const c of [a, b]) expect(integrityCheck(c.store.db)).toBe('ok');
  }, 60_000);

  it('two reopenings of one closure made apart: the first to reach the server stands, the other is a conflict', async () => {
    const { c: a, link: linkA } = await cuttable('WS-A');
    const { c: b } = await cuttable('WS-B');
    await call(a, 'session.signIn', { operator: 'bob', password: 'demo' });
    await call(b, 'session.signIn', { operator: 'carol', password: 'demo' });
    const { incident } = await call<{ incident: IncidentView }>(a, 'incidents.create', { type: 'ASB', location: unverifiedLocation('Park Avenue'), grade: '3', firstLog: null, resolveWith: 'ADVICE' });
    await eventually(() => incidentOn(b, incident.id)?.status === 'closed' && incidentOn(a, incident.id)?.pending === false, 'B has the closed incident');

    linkA.cutAll();
    const seen = incidentOn(a, incident.id)!.version;
    await call(a, 'incidents.reopen', { incidentId: incident.id, reason: 'Group back in the park', incidentVersion: seen });
    await call(b, 'incidents.reopen', { incidentId: incident.id, reason: 'Second caller: youths throwing stones', incidentVersion: seen });
    await eventually(() => incidentOn(b, incident.id)?.pending === false, 'the server has B’s reopening');

    linkA.heal();
    a.sync.kick();
    await eventually(() => openConflicts(a).length === 1, 'A’s reopening is in its conflict inbox', 15_000);
    expect(openConflicts(a)[0]).toMatchObject({ commandName: 'incident.reopen', reason: 'already reopened by carol' });
    await eventually(() => incidentOn(a, incident.id)?.pending === false, 'A shows the server’s incident');
    expect(incidentOn(a, incident.id)!.reopenings).toEqual([expect.objectContaining({ by: 'carol', reason: 'Second caller: youths throwing stones' })]);
  }, 60_000);
});
