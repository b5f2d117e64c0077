import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../shared/domain/assignment';
import { derivedId } from '../../shared/domain/derived-id';
import type { Incident, LogEntry } from '../../shared/domain/incident';
import { unverifiedLocation } from '../../shared/domain/location';
import { RecordSet } from '../fakes/rules-harness';

// An outage at night: the system went down at 02:10:30 UTC and the paper is entered at 02:50.
const outageFrom = '2026-11-29T02:10:30.000Z';
const enteredAt = '2026-11-29T02:50:00.000Z';
const incidentId = '11111111-1111-4111-8111-111111111111';
const assignmentId = '33333333-3333-4333-8333-333333333333';

function room() {
  const records = new RecordSet();
  records.registerOnDuty({ callSign: 'DM-14', type: 'IRV', homeStation: 'SALT' });
  return records;
}

function paperIncident(records: RecordSet, at = '2026-11-29T02:12:00.000Z') {
  return records.run(
    'incident.create',
    { incidentId, provisionalReference: 'WS-bob-P0001', type: 'RTC', location: unverifiedLocation('Coast road'), grade: '1', firstLog: { entryId: '22222222-2222-4222-8222-222222222222', text: 'Driver not moving' }, paper: { at, outageFrom } },
    'bob',
    enteredAt,
  );
}

const deployment = (times: { deployedAt: string; arrivedAt?: string | null; clearedAt?: string | null }) => ({ assignmentId, unitId: 'DM-14', incidentId, arrivedAt: null, clearedAt: null, ...times, paper: { outageFrom } });

describe('an incident kept on paper, entered in catch-up', () => {
  it('takes the paper time of the call as its own, and marks it and its first lines back-entered by who entered it and when', () => {
    const records = room();
    expect(paperIncident(records).ok).toBe(true);
    const incident = records.get('incident', incidentId) as Incident;
    expect(incident).toMatchObject({ createdAt: '2026-11-29T02:12:00.000Z', gradedAt: '2026-11-29T02:12:00.000Z', handoff: { waitingSince: '2026-11-29T02:12:00.000Z' } });
    expect(incident.backEntered).toEqual({ by: 'bob', workstation: 'WS-bob', enteredAt, outageFrom });
    const lines = [...records.records.values()].filter((r) => r.kind === 'logEntry').map((r) => r.doc as LogEntry);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatchObject({ at: '2026-11-29T02:12:00.000Z', backEntered: { by: 'bob', enteredAt } });
    expect(lines.map((line) => line.text).join(' ')).toContain('a call taken on paper while the system was down');
  });

  it('is refused, changing nothing, with a time of call still to come or long before the outage', () => {
    const records = room();
    expect(paperIncident(records, '2026-11-29T02:51:00.000Z')).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('after it was entered') });
    expect(paperIncident(records, '2026-11-29T02:04:59.000Z')).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('before the system went down') });
    expect(records.get('incident', incidentId)).toBeUndefined();
  });
});

describe('a log line kept on paper, entered in catch-up', () => {
  const line = (at: string, lineOutageFrom = outageFrom) => ({ incidentId, entryId: '44444444-4444-4444-8444-444444444444', text: 'Ambulance arrived', paper: { at, outageFrom: lineOutageFrom } });

  it('keeps its paper time, after the call was taken, or in its minute (paper has no seconds)', () => {
    const records = room();
    expect(paperIncident(records, '2026-11-29T02:12:40.000Z').ok).toBe(true);
    expect(records.run('incident.addLog', { ...line('2026-11-29T02:12:00.000Z'), entryId: '55555555-5555-4555-8555-555555555555' }, 'bob', enteredAt).ok).toBe(true);
    expect(records.run('incident.addLog', line('2026-11-29T02:20:00.000Z'), 'bob', enteredAt).ok).toBe(true);
    expect(records.get('logEntry', '44444444-4444-4444-8444-444444444444')).toMatchObject({ at: '2026-11-29T02:20:00.000Z', backEntered: { by: 'bob' } });
    // The line in the incident's own minute stands for the moment it was opened: the log reads in order.
    expect(records.get('logEntry', '55555555-5555-4555-8555-555555555555')).toMatchObject({ at: '2026-11-29T02:12:40.000Z' });
  });

  // A try-out's finding: a paper line naming an earlier outage was taken at a time hours before its incident existed.
  it('is refused, changing nothing, with a time before the incident was opened, whatever outage it names', () => {
    const records = room();
    expect(paperIncident(records).ok).toBe(true);
    expect(records.run('incident.addLog', line('2026-11-29T02:11:00.000Z'), 'bob', enteredAt)).toMatchObject({ ok: false, code: 'invalid', reason: "the paper's line at 2026-11-29 02:11 GMT is before the incident was opened (2026-11-29 02:12 GMT)" });
    expect(records.run('incident.addLog', line('2026-11-29T02:11:59.000Z'), 'bob', enteredAt)).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('before the incident was opened') });
    expect(records.run('incident.addLog', line('2026-11-28T22:00:00.000Z', '2026-11-28T21:59:00.000Z'), 'bob', enteredAt)).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('before the incident was opened') });
    expect(records.get('logEntry', '44444444-4444-4444-8444-444444444444')).toBeUndefined();
  });
});

describe('a deployment kept on paper, entered in catch-up', () => {
  it('keeps its paper times (deployed, at scene, cleared), each in the log at its time marked back-entered, and leaves a cleared unit free', () => {
    const records = room();
    paperIncident(records);
    const result = records.run('assignment.record', deployment({ deployedAt: '2026-11-29T02:13:00.000Z', arrivedAt: '2026-11-29T02:21:00.000Z', clearedAt: '2026-11-29T02:40:00.000Z' }), 'bob', enteredAt);
    expect(result.ok).toBe(true);
    const assignment = records.get('assignment', assignmentId) as Assignment;
    expect(assignment).toMatchObject({ status: 'cleared', deployedAt: '2026-11-29T02:13:00.000Z', arrivedAt: '2026-11-29T02:21:00.000Z', clearedAt: '2026-11-29T02:40:00.000Z', assignedBy: 'bob', backEntered: { by: 'bob', enteredAt, outageFrom } });
    expect(records.get('incident', incidentId)).toMatchObject({ attendedAt: '2026-11-29T02:21:00.000Z', activeUnits: [], handoff: { takenAt: '2026-11-29T02:13:00.000Z', takenBy: 'bob' } });
    expect(records.get('unit', 'DM-14')?.commitment).toBeNull();
    const line = (label: string) => records.get('logEntry', derivedId(assignmentId, label)) as LogEntry;
    expect(line('assigned')).toMatchObject({ text: 'DM-14 deployed by radio (paper record)', at: '2026-11-29T02:13:00.000Z', backEntered: { by: 'bob' } });
    expect(line('status:at_scene')).toMatchObject({ text: 'DM-14 at scene', at: '2026-11-29T02:21:00.000Z' });
    expect(line('status:cleared')).toMatchObject({ text: 'DM-14 cleared', at: '2026-11-29T02:40:00.000Z' });
  });

  // A try-out's medium: a paper line in the incident's own minute stood, a deployment in it was refused.
  it('stands in the minute the incident was opened (paper has no seconds), recorded from the moment it was opened', () => {
    const records = room();
    expect(paperIncident(records, '2026-11-29T02:12:40.000Z').ok).toBe(true);
    expect(records.run('assignment.record', deployment({ deployedAt: '2026-11-29T02:12:00.000Z', arrivedAt: '2026-11-29T02:12:00.000Z', clearedAt: '2026-11-29T02:30:00.000Z' }), 'bob', enteredAt).ok).toBe(true);
    expect(records.get('assignment', assignmentId)).toMatchObject({ deployedAt: '2026-11-29T02:12:40.000Z', arrivedAt: '2026-11-29T02:12:40.000Z', clearedAt: '2026-11-29T02:30:00.000Z' });
    // Attended at the moment it was opened: no attendance time below nothing.
    expect(records.get('incident', incidentId)).toMatchObject({ createdAt: '2026-11-29T02:12:40.000Z', attendedAt: '2026-11-29T02:12:40.000Z' });
    expect(records.get('logEntry', derivedId(assignmentId, 'assigned'))).toMatchObject({ at: '2026-11-29T02:12:40.000Z' });
  });

  it('commits a unit still on the job to the incident, at scene, as any deployment would', () => {
    const records = room();
    paperIncident(records);
    expect(records.run('assignment.record', deployment({ deployedAt: '2026-11-29T02:13:00.000Z', arrivedAt: '2026-11-29T02:21:00.000Z' }), 'bob', enteredAt).ok).toBe(true);
    expect(records.get('assignment', assignmentId)?.status).toBe('at_scene');
    expect(records.get('unit', 'DM-14')?.commitment).toEqual({ assignmentId, incidentId });
    expect(records.get('incident', incidentId)?.activeUnits).toEqual(['DM-14']);
  });

  it('is refused, changing nothing, with times out of order, a time still to come, or before the call was taken', () => {
    const records = room();
    paperIncident(records);
    const tries = [
      [deployment({ deployedAt: '2026-11-29T02:20:00.000Z', arrivedAt: '2026-11-29T02:15:00.000Z' }), 'out of order'],
      [deployment({ deployedAt: '2026-11-29T02:20:00.000Z', clearedAt: '2026-11-29T03:00:00.000Z' }), 'after it was entered'],
      [deployment({ deployedAt: '2026-11-29T02:11:00.000Z' }), "DM-14's deployment at 2026-11-29 02:11 GMT is before the incident was opened (2026-11-29 02:12 GMT)"],
    ] as const;
    for (const [args, reason] of tries) expect(records.run('assignment.record', args, 'bob', enteredAt)).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
    expect(records.get('assignment', assignmentId)).toBeUndefined();
    expect(records.get('unit', 'DM-14')?.commitment).toBeNull();
  });

  it('is only ever a paper record from a desk: without the paper mark it is refused (the server alone records its own)', () => {
    const records = room();
    paperIncident(records);
    const { paper: _paper, ...unmarked } = deployment({ deployedAt: '2026-11-29T02:13:00.000Z' });
    expect(records.run('assignment.record', unmarked, 'bob', enteredAt)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(records.run('assignment.record', unmarked, 'bob', enteredAt, true).ok).toBe(true);
    expect(records.get('assignment', assignmentId)?.backEntered).toBeUndefined();
  });
});

describe('a paper record refused', () => {
  it('says its times in the force’s time, marked BST in summer (a refusal is read later, perhaps in the other season)', () => {
    const records = room();
    const summerOutage = '2026-07-01T09:10:30.000Z';
    const opened = records.run(
      'incident.create',
      { incidentId, provisionalReference: 'WS-bob-P0002', type: 'RTC', location: unverifiedLocation('Coast road'), grade: '1', firstLog: { entryId: '22222222-2222-4222-8222-222222222222', text: 'Driver not moving' }, paper: { at: '2026-07-01T09:12:00.000Z', outageFrom: summerOutage } },
      'bob',
      '2026-07-01T09:50:00.000Z',
    );
    expect(opened.ok).toBe(true);
    const late = { incidentId, entryId: '44444444-4444-4444-8444-444444444444', text: 'Ambulance arrived', paper: { at: '2026-07-01T09:51:00.000Z', outageFrom: summerOutage } };
    expect(records.run('incident.addLog', late, 'bob', '2026-07-01T09:50:00.000Z')).toMatchObject({ ok: false, reason: "the paper's time 2026-07-01 10:51 BST is after it was entered (2026-07-01 10:50 BST)" });
  });
});
