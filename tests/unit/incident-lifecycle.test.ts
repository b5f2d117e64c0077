import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { commandDefinitions, parseCommand } from '../../shared/commands/registry';
import { attendanceClock } from '../../shared/dispatch/attendance';
import type { Assignment } from '../../shared/domain/assignment';
import { ForceConfig } from '../../shared/domain/force-config';
import { compareLogEntries, creationEntryId, type LogEntry } from '../../shared/domain/incident';
import { unverifiedLocation } from '../../shared/domain/location';
import { demoConfig } from '../fakes/fixtures';
import { RecordSet } from '../fakes/rules-harness';

/**
 * An incident's life, with reservations at every step: opened (its log starts with what it opened as), typed
 * again, closed (every assignment dealt with), reopened (with a reason, by the roles the force allows) and closed
 * again; and nothing that commits a unit, or changes the incident, reaching it once closed.
 */

let state: RecordSet;
let incidentId: string;
let otherId: string;

const at = (hhmm: string) => `2026-11-29T${hhmm}:00.000Z`;
const incident = (id = incidentId) => state.get('incident', id)!;
const unit = (id = 'DM-11') => state.get('unit', id)!;
const assignment = (id: string) => state.get('assignment', id)!;
const logOf = (id = incidentId) =>
  [...state.records.values()]
    .filter((r): r is { kind: 'logEntry'; id: string; doc: LogEntry } => r.kind === 'logEntry' && r.doc.incidentId === id)
    .map((r) => r.doc)
    .sort(compareLogEntries)
    .map((e) => e.text);

beforeEach(() => {
  state = new RecordSet();
  incidentId = randomUUID();
  otherId = randomUUID();
  state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
  state.registerOnDuty({ callSign: 'DM-12', type: 'IRV', homeStation: 'Central' });
  state.run('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'THEFT', location: unverifiedLocation('High Street'), grade: '3', firstLog: null }, 'alice', at('09:00'));
  state.run('incident.create', { incidentId: otherId, provisionalReference: 'WS-P0002', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '2', firstLog: null }, 'alice', at('09:00'));
});

function deploy(unitId: string, to = incidentId, reserveFor: string | null = null, when = at('10:00')) {
  const assignmentId = randomUUID();
  const result = state.run('unit.assign', { assignmentId, unitId, incidentId: to, unitVersion: unit(unitId).version, reserveFor }, 'bob', when);
  return { assignmentId, result };
}
function reserve(unitId = 'DM-11', to = incidentId) {
  const made = deploy(unitId, to, at('15:30'));
  expect(made.result.ok).toBe(true);
  return made.assignmentId;
}
function move(assignmentId: string, status: string, when = at('10:05')) {
  const a = assignment(assignmentId);
  return state.run('assignment.setStatus', { assignmentId, unitId: a.unitId, incidentId: a.incidentId, status, assignmentVersion: a.version }, 'bob', when);
}
function closeArgs(id = incidentId, closingCode = 'RESOLVED') {
  return { incidentId: id, closeId: randomUUID(), closingCode, incidentVersion: incident(id).version, reservationIds: [...(incident(id).reservations ?? [])] };
}
function close(id = incidentId, closingCode = 'RESOLVED', operator = 'bob', when = at('11:00')) {
  return state.run('incident.close', closeArgs(id, closingCode), operator, when);
}
function reopen(reason = 'Caller rang back: the suspect has returned', operator = 'bob', when = at('12:00'), config?: ForceConfig) {
  return state.run('incident.reopen', { incidentId, reopenId: randomUUID(), reason, incidentVersion: incident().version }, operator, when, false, config);
}

describe('the log starts with the incident as it was opened', () => {
  it('names the type, grade, location and source, written by the creation itself', () => {
    expect(logOf()[0]).toBe('Opened as Theft (THEFT), grade 3 Scheduled, at High Street; source: raised at the desk, not from a call');
    expect(state.get('logEntry', creationEntryId(incidentId))).toMatchObject({ kind: 'system', author: 'alice', at: at('09:00') });
  });

  it('names the call it came from, with its number', () => {
    const contactId = randomUUID();
    const fromCall = randomUUID();
    state.must('contact.receive', { contactId, source: '999', callerNumber: '07700 900123', receivedAt: at('09:58'), handsetLocation: null });
    state.must('contact.answer', { contactId });
    state.must('contact.receive', { contactId: randomUUID(), source: 'online', callerNumber: null, receivedAt: at('09:58'), handsetLocation: null });
    state.must('incident.create', { incidentId: fromCall, provisionalReference: 'WS-P0003', type: 'DOMESTIC', location: unverifiedLocation('14 Shirley Road'), grade: '1', firstLog: { entryId: randomUUID(), text: 'Partner breaking in' }, contactId });
    expect(logOf(fromCall)).toEqual(['Opened as Domestic incident (DOMESTIC), grade 1 Emergency, at 14 Shirley Road; source: 999 emergency, caller 07700 900123', 'Partner breaking in']);
  });

  it('reads first among the lines written in the same instant, whatever their ids', () => {
    const opened = { id: creationEntryId(incidentId), incidentId, at: at('09:00') };
    const note = { id: '00000000-0000-4000-8000-000000000000', incidentId, at: at('09:00') };
    expect([note, opened].sort(compareLogEntries)).toEqual([opened, note]);
    expect([opened, { ...note, at: at('08:59') }].sort(compareLogEntries)[0]).toMatchObject({ at: at('08:59') });
  });

  it('is the same record when the creation is applied again (the server copy, a replay)', () => {
    const replayId = randomUUID();
    const args = { incidentId: replayId, provisionalReference: 'WS-P0009', type: 'THEFT', location: unverifiedLocation('Market'), grade: '3', firstLog: null };
    const first = state.run('incident.create', args);
    const again = state.run('incident.create', args);
    expect(again).toEqual(first);
  });
});

describe('closing deals with every assignment of the incident', () => {
  it('cancels a reservation for an appointment, logged, and leaves the reserved unit as it was', () => {
    const job = deploy('DM-11', otherId).assignmentId; // DM-11 is busy on the other incident meanwhile
    const booking = reserve('DM-11');
    expect(incident().reservations).toEqual([booking]);
    expect(close().ok).toBe(true);
    expect(incident()).toMatchObject({ status: 'closed', reservations: [] });
    expect(assignment(booking)).toMatchObject({ status: 'cleared', updatedAt: at('11:00') });
    expect(unit().commitment).toEqual({ assignmentId: job, incidentId: otherId });
    expect(logOf()).toContain('DM-11 reservation for 2026-11-29 15:30 cancelled: the incident is closed');
  });

  it('never lets the reservation commit the unit afterwards: activating it is refused, naming the closed incident', () => {
    const booking = reserve();
    const seen = assignment(booking).version; // what a workstation offline since the reservation still shows
    close();
    const late = state.run('assignment.setStatus', { assignmentId: booking, unitId: 'DM-11', incidentId, status: 'assigned', assignmentVersion: seen }, 'carol');
    expect(late).toEqual({ ok: false, code: 'conflict', reason: 'the incident is closed (RESOLVED) by bob', target: { kind: 'incident', id: incidentId } });
    expect(unit().commitment).toBeNull();
    expect(incident().activeUnits).toEqual([]);
  });

  it('loses, if a unit was reserved since the operator looked, and done again cancels that reservation too', () => {
    const args = closeArgs();
    const booking = reserve('DM-12');
    const lost = state.run('incident.close', args, 'bob');
    expect(lost).toMatchObject({ ok: false, code: 'conflict', reason: expect.stringMatching(/^the incident changed at \d\d:\d\d, after you looked: look at it again before closing it$/) });
    const again = commandDefinitions['incident.close']!.redo!(args, state) as typeof args;
    expect(again.reservationIds).toEqual([booking]);
    expect(state.run('incident.close', again, 'bob').ok).toBe(true);
    expect(assignment(booking).status).toBe('cleared');
  });

  it('refuses a close that does not name every reservation it would leave behind', () => {
    reserve();
    expect(state.run('incident.close', { ...closeArgs(), reservationIds: [] }, 'bob')).toMatchObject({ ok: false, code: 'conflict', reason: 'a unit is reserved for it that the close did not name' });
  });

  it('waits while a unit is still committed: the units are cleared first, by the dispatcher', () => {
    const job = deploy('DM-11').assignmentId;
    reserve('DM-12');
    expect(close()).toMatchObject({ ok: false, code: 'conflict', reason: 'units still committed: DM-11' });
    move(job, 'cleared');
    expect(close().ok).toBe(true);
  });

  it('lets a downgrade still waiting for a supervisor lapse, logged', () => {
    state.must('incident.regrade', { incidentId, changeId: randomUUID(), grade: '4', reason: 'advice only' }, 'dave');
    close();
    expect(incident().pendingDowngrade).toBeNull();
    expect(logOf()).toContain('Downgrade to grade 4 asked by dave not decided: the incident is closed');
  });
});

describe('a reservation lives on the incident’s list until it is deployed or cancelled', () => {
  it('is listed when made, and the incident’s version moves, so a close decided before it loses', () => {
    const version = incident().version;
    const booking = reserve();
    expect(incident()).toMatchObject({ reservations: [booking], version: version + 1 });
  });

  it('leaves the list when it falls due and the unit is deployed', () => {
    const booking = reserve();
    expect(move(booking, 'assigned', at('15:30')).ok).toBe(true);
    expect(incident()).toMatchObject({ reservations: [], activeUnits: ['DM-11'] });
    expect(unit().commitment).toEqual({ assignmentId: booking, incidentId });
  });

  it('leaves the list when cancelled, and the incident then closes without it', () => {
    const booking = reserve();
    expect(move(booking, 'cleared').ok).toBe(true);
    expect(incident().reservations).toEqual([]);
    expect(close().ok).toBe(true);
  });
});

describe('a unit is reserved for an incident once at a time', () => {
  it('refuses a second reservation of the same unit, while another unit may still be reserved', () => {
    reserve('DM-11');
    const again = deploy('DM-11', incidentId, at('16:00'));
    expect(again.result).toMatchObject({ ok: false, code: 'conflict', reason: 'DM-11 is already reserved for this incident' });
    expect(incident().reservations).toHaveLength(1);
    expect(deploy('DM-12', incidentId, at('16:00')).result.ok).toBe(true);
  });

  it('takes the unit again once its reservation is cancelled or deployed, and for another incident meanwhile', () => {
    const booking = reserve('DM-11');
    expect(deploy('DM-11', otherId, at('16:00')).result.ok).toBe(true);
    expect(move(booking, 'cleared').ok).toBe(true);
    expect(deploy('DM-11', incidentId, at('17:00')).result.ok).toBe(true);
  });
});

describe('nothing commits a unit to a closed incident, by any path', () => {
  /** An assignment still live on a closed incident: only data recorded before closures cancelled them holds one. */
  function liveOnClosed(status: Assignment['status']): string {
    const assignmentId = randomUUID();
    close();
    state.put([
      {
        kind: 'assignment',
        id: assignmentId,
        doc: { id: assignmentId, force: 'DMO', unitId: 'DM-12', incidentId, status, delivery: status === 'reserved' ? null : { state: 'sent', at: at('10:00'), note: '' }, reservedFor: null, receiptAlarm: null, radioConfirmed: null, lateRejection: null, duePrompt: null, assignedAt: at('10:00'), assignedBy: 'bob', updatedAt: at('10:00'), version: 1 },
      },
    ]);
    return assignmentId;
  }
  const closedReason = { ok: false, code: 'conflict', reason: 'the incident is closed (RESOLVED) by bob', target: { kind: 'incident', id: expect.any(String) } };

  it('refuses a deployment and a reservation', () => {
    close();
    expect(deploy('DM-11').result).toEqual(closedReason);
    expect(deploy('DM-11', incidentId, at('15:30')).result).toEqual(closedReason);
    expect(unit().commitment).toBeNull();
  });

  it.each([
    ['reserved', 'assigned'],
    ['assigned', 'en_route'],
    ['assigned', 'at_scene'],
    ['en_route', 'at_scene'],
    ['at_scene', 'committed'],
  ] as const)('refuses a unit %s moving to %s (dispatcher, terminal or AVL alike)', (from, to) => {
    const id = liveOnClosed(from);
    expect(move(id, to)).toEqual(closedReason);
    expect(unit('DM-12').commitment).toBeNull();
    expect(incident().attendedAt).toBeNull();
  });

  it('still lets such a unit be cleared from it', () => {
    const id = liveOnClosed('reserved');
    expect(move(id, 'cleared').ok).toBe(true);
  });

  it('refuses a lost deployment or status change done again from the conflict inbox or the refused list', () => {
    const booking = reserve();
    const args = { assignmentId: booking, unitId: 'DM-11', incidentId, status: 'assigned', assignmentVersion: assignment(booking).version };
    close();
    const again = commandDefinitions['assignment.setStatus']!.redo!(args, state);
    expect(state.run('assignment.setStatus', again, 'carol')).toEqual(closedReason);
    const deployArgs = { assignmentId: randomUUID(), unitId: 'DM-12', incidentId, unitVersion: 1, reserveFor: null };
    expect(state.run('unit.assign', commandDefinitions['unit.assign']!.redo!(deployArgs, state), 'carol')).toEqual(closedReason);
  });

  it('records a late receipt from a terminal as what it is, moving nothing', () => {
    const job = deploy('DM-11').assignmentId;
    move(job, 'cleared');
    close();
    const result = state.run('assignment.receipt', { assignmentId: job, unitId: 'DM-11', incidentId, receipt: 'accepted' }, 'bob', at('11:30'));
    expect(result.ok).toBe(true);
    expect(assignment(job).status).toBe('cleared');
    expect(unit().commitment).toBeNull();
    expect(logOf().at(-1)).toBe('DM-11 accepted the deployment (late: after the unit was booked cleared)');
  });
});

describe('late changes to a closed incident', () => {
  beforeEach(() => {
    state.must('incident.regrade', { incidentId, changeId: randomUUID(), grade: '4', reason: 'advice' }, 'dave');
    close();
  });
  const closed = { ok: false, code: 'conflict', reason: 'the incident is closed (RESOLVED) by bob', target: { kind: 'incident', id: expect.any(String) } };

  it.each([
    ['incident.update', () => ({ incidentId, changeId: randomUUID(), fields: { location: unverifiedLocation('Above Bar') } })],
    ['incident.update', () => ({ incidentId, changeId: randomUUID(), fields: { description: 'two men', callerName: 'Ms Smith' } })],
    ['incident.regrade', () => ({ incidentId, changeId: randomUUID(), grade: '1', reason: '' })],
    ['incident.changeType', () => ({ incidentId, changeId: randomUUID(), type: 'BURGLARY', reason: '' })],
    ['incident.assessRisk', () => ({ incidentId, assessmentId: randomUUID(), answers: [{ questionId: 'danger-now', answer: 'no' }] })],
    ['incident.takeOwnership', () => ({ incidentId, takeId: randomUUID(), incidentVersion: incident().version })],
  ] as const)('%s is a conflict, and the incident is unchanged', (name, args) => {
    const before = incident();
    expect(state.run(name, args(), 'carol')).toEqual(closed);
    expect(incident()).toEqual(before);
  });

  it('a supervisor’s decision on a downgrade that lapsed is a conflict', () => {
    expect(state.run('incident.decideDowngrade', { incidentId, decisionId: randomUUID(), approve: true }, 'sam')).toEqual(closed);
  });

  it('a call attached to it is a conflict: reopen it or make a new incident', () => {
    const contactId = randomUUID();
    state.must('contact.receive', { contactId, source: '101', callerNumber: '07700 900456', receivedAt: at('12:00'), handsetLocation: null });
    state.must('contact.answer', { contactId });
    expect(state.run('contact.attach', { contactId, incidentId }, 'alice')).toEqual(closed);
    expect(state.get('contact', contactId)).toMatchObject({ state: 'answered', incidentId: null });
  });

  it('takes a log line and a link to a new incident: the record goes on after the closure', () => {
    expect(state.run('incident.addLog', { incidentId, entryId: randomUUID(), text: 'Property recovered' }, 'carol').ok).toBe(true);
    expect(state.run('incident.link', { incidentId: otherId, otherId: incidentId, linkId: randomUUID() }, 'carol').ok).toBe(true);
    expect(incident().related).toEqual([otherId]);
  });

  it('is refused on the workstation that already knows it is closed, with the same reason (the screen says it at once)', () => {
    expect(parseCommand('incident.update', { incidentId, changeId: randomUUID(), fields: { description: 'x' } }).ok).toBe(true);
    expect(state.run('incident.update', { incidentId, changeId: randomUUID(), fields: { description: 'x' } }, 'alice')).toMatchObject({ reason: 'the incident is closed (RESOLVED) by bob' });
  });
});

describe('reopening', () => {
  beforeEach(() => {
    const job = deploy('DM-11').assignmentId;
    move(job, 'at_scene', at('10:20'));
    move(job, 'cleared', at('10:40'));
    state.must('incident.assessRisk', { incidentId, assessmentId: randomUUID(), answers: [{ questionId: 'danger-now', answer: 'no' }] });
    close(incidentId, 'RESOLVED', 'bob', at('11:00'));
  });

  it('needs a reason', () => {
    expect(parseCommand('incident.reopen', { incidentId, reopenId: randomUUID(), reason: '  ', incidentVersion: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining('say why it is reopened') });
  });

  it('is for the roles the force allows: by default dispatchers and supervisors, not call handlers', () => {
    expect(reopen('caller rang back', 'dave')).toEqual({ ok: false, code: 'forbidden', reason: 'only a dispatcher or supervisor may reopen an incident' });
    const supervisorsOnly = ForceConfig.parse({ ...demoConfig, reopening: { roles: ['supervisor'] } });
    expect(reopen('caller rang back', 'bob', at('12:00'), supervisorsOnly)).toMatchObject({ code: 'forbidden', reason: 'only a supervisor may reopen an incident' });
    expect(reopen('caller rang back', 'sam', at('12:00'), supervisorsOnly).ok).toBe(true);
  });

  it('reads the default from a force configuration that does not name the roles', () => {
    const { reopening: _omitted, ...withoutReopening } = demoConfig;
    expect(ForceConfig.parse(withoutReopening).reopening).toEqual({ roles: ['dispatcher', 'supervisor'] });
  });

  it('puts the incident back in the queue with a fresh attendance clock from the reopening, units cleared staying cleared', () => {
    expect(reopen().ok).toBe(true);
    expect(incident()).toMatchObject({
      status: 'open',
      closingCode: null,
      closedAt: null,
      closedBy: null,
      gradedAt: at('12:00'),
      attendedAt: null,
      activeUnits: [],
      reopenings: [{ at: at('12:00'), by: 'bob', reason: 'Caller rang back: the suspect has returned', closingCode: 'RESOLVED', closedAt: at('11:00'), closedBy: 'bob', attendedAt: at('10:20') }],
      thrive: { stale: true, staleBecause: 'the incident was reopened' },
    });
    // Grade 3's target (48 hours) runs from 12:00, not from the first grading at 09:00.
    const clock = attendanceClock(demoConfig, incident(), Date.parse(at('12:30')));
    expect(clock).toMatchObject({ state: 'running', dueMs: Date.parse(at('12:00')) + 2880 * 60_000 });
    expect(unit().commitment).toBeNull();
    expect(logOf().at(-1)).toBe('Reopened: Caller rang back: the suspect has returned. It had been closed as Resolved at scene (RESOLVED) by bob; the grade 3 attendance clock starts again now');
  });

  it('can be closed again with another code, both closures kept', () => {
    reopen();
    const job = deploy('DM-11', incidentId, null, at('12:05')).assignmentId;
    move(job, 'at_scene', at('12:30'));
    expect(incident().attendedAt).toBe(at('12:30'));
    move(job, 'cleared', at('13:00'));
    expect(close(incidentId, 'CRIME', 'carol', at('13:10')).ok).toBe(true);
    expect(incident()).toMatchObject({ status: 'closed', closingCode: 'CRIME', closedBy: 'carol', reopenings: [expect.objectContaining({ closingCode: 'RESOLVED', closedBy: 'bob' })] });
    expect(logOf().filter((line) => line.startsWith('Closed:'))).toEqual(['Closed: Resolved at scene (RESOLVED)', 'Closed: Crime recorded (CRIME)']);
  });

  it('is contended: a second reopening, or one decided on an older version, loses', () => {
    const seen = incident().version;
    expect(reopen('first', 'bob').ok).toBe(true);
    expect(state.run('incident.reopen', { incidentId, reopenId: randomUUID(), reason: 'second', incidentVersion: seen }, 'sam')).toMatchObject({ ok: false, code: 'conflict', reason: 'already reopened by bob' });
    close(incidentId, 'ADVICE', 'bob', at('12:30'));
    expect(state.run('incident.reopen', { incidentId, reopenId: randomUUID(), reason: 'late', incidentVersion: seen }, 'sam')).toMatchObject({ ok: false, code: 'conflict', reason: 'the incident changed at 12:30, after you looked: look at it again before reopening it' });
  });

  it('lets a correction that lost to the closure be done again, from the conflict inbox', () => {
    const args = { incidentId, changeId: randomUUID(), fields: { description: 'Suspect wore a red coat' } };
    expect(state.run('incident.update', args, 'carol')).toMatchObject({ code: 'conflict' });
    reopen();
    expect(state.run('incident.update', commandDefinitions['incident.update']!.redo!(args, state), 'carol').ok).toBe(true);
    expect(incident().description).toBe('Suspect wore a red coat');
  });
});

describe('changing the type', () => {
  it('records the new type, keeps the opening type, and asks for the risk to be assessed again at once', () => {
    state.must('incident.assessRisk', { incidentId, assessmentId: randomUUID(), answers: [{ questionId: 'danger-now', answer: 'no' }] });
    expect(state.run('incident.changeType', { incidentId, changeId: randomUUID(), type: 'BURGLARY', reason: 'entry was forced' }, 'alice', at('10:10')).ok).toBe(true);
    expect(incident()).toMatchObject({ type: 'BURGLARY', openingType: 'THEFT', thrive: { stale: true, staleBecause: 'type changed to Burglary' } });
    expect(logOf().at(-1)).toBe(
      'Type changed from Theft (THEFT) to Burglary (BURGLARY): entry was forced. Opened as Theft (THEFT); risk assessment due again. Burglary is usually grade 2; this one stays grade 3 until regraded.',
    );
    expect(state.run('incident.changeType', { incidentId, changeId: randomUUID(), type: 'FIREARMS' }, 'alice', at('10:20')).ok).toBe(true);
    expect(incident()).toMatchObject({ type: 'FIREARMS', openingType: 'THEFT' });
    expect(logOf().at(-1)).toContain('Firearms incident is usually grade 1; this one stays grade 3 until regraded.');
  });

  it('keeps the opening type of an incident recorded before it was kept: its type until then', () => {
    const { openingType: _none, ...old } = incident();
    state.put([{ kind: 'incident', id: incidentId, doc: old }]);
    state.must('incident.changeType', { incidentId, changeId: randomUUID(), type: 'ASB' });
    expect(incident().openingType).toBe('THEFT');
  });

  it('refuses a type the force does not have, and changes nothing for the same type', () => {
    expect(state.run('incident.changeType', { incidentId, changeId: randomUUID(), type: 'PARKING' })).toEqual({ ok: false, code: 'invalid', reason: 'unknown incident type "PARKING"' });
    expect(state.run('incident.changeType', { incidentId, changeId: randomUUID(), type: 'THEFT' })).toEqual({ ok: true, changes: [] });
  });

  it('is never slipped into a correction of descriptive fields, where it would be dropped without a word', () => {
    expect(parseCommand('incident.update', { incidentId, changeId: randomUUID(), fields: { type: 'BURGLARY', description: 'forced entry' } })).toMatchObject({ ok: false, reason: expect.stringContaining('type') });
  });

  it('is a call handler’s, dispatcher’s or supervisor’s to make', () => {
    state.put([{ kind: 'operator', id: 'tina', doc: { id: 'tina', force: 'DMO', displayName: 'tina', roles: ['trainer'], active: true, version: 1 } }]);
    expect(state.run('incident.changeType', { incidentId, changeId: randomUUID(), type: 'BURGLARY' }, 'tina')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(state.run('incident.changeType', { incidentId, changeId: randomUUID(), type: 'BURGLARY' }, 'dave').ok).toBe(true);
  });
});
