import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { attendanceClock, formatRemaining, waitingTooLong } from '../../shared/dispatch/attendance';
import { recommendUnits, type Candidate } from '../../shared/dispatch/recommend';
import { statusCode, unitStatus } from '../../shared/dispatch/unit-status';
import { ForceConfig } from '../../shared/domain/force-config';
import { unverifiedLocation } from '../../shared/domain/location';
import { demoConfig } from '../fakes/fixtures';
import { RecordSet } from '../fakes/rules-harness';

let state: RecordSet;
let incidentId: string;
let scheduledId: string;

beforeEach(() => {
  state = new RecordSet();
  incidentId = randomUUID();
  scheduledId = randomUUID();
  state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
  state.must('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '1', firstLog: null });
  state.must('incident.create', { incidentId: scheduledId, provisionalReference: 'WS-P0002', type: 'THEFT', location: unverifiedLocation('High St'), grade: '3', firstLog: null });
});

const unit = () => state.get('unit', 'DM-11')!;
const assignment = (id: string) => state.get('assignment', id)!;
const assignmentOf = (id: string) => state.get('assignment', id);

function deploy(to: string, reserveFor: string | null = null) {
  const assignmentId = randomUUID();
  const result = state.run('unit.assign', { assignmentId, unitId: 'DM-11', incidentId: to, unitVersion: unit().version, reserveFor });
  return { assignmentId, result };
}
function move(assignmentId: string, status: string, to = incidentId) {
  return state.run('assignment.setStatus', { assignmentId, unitId: 'DM-11', incidentId: to, status, assignmentVersion: assignment(assignmentId).version });
}
function receipt(assignmentId: string, value: 'received' | 'accepted' | 'rejected', note = '') {
  return state.run('assignment.receipt', { assignmentId, unitId: 'DM-11', incidentId, receipt: value, note });
}

describe('status per assignment: a second job never overwrites the first', () => {
  it('keeps a unit at scene on one incident while it is reserved for an appointment on another', () => {
    const job = deploy(incidentId).assignmentId;
    expect(move(job, 'at_scene').ok).toBe(true);
    const booking = deploy(scheduledId, '2026-11-29T15:00:00.000Z');
    expect(booking.result.ok).toBe(true);
    expect(assignment(booking.assignmentId)).toMatchObject({ status: 'reserved', reservedFor: '2026-11-29T15:00:00.000Z', delivery: null });
    expect(unit().commitment).toEqual({ assignmentId: job, incidentId });
    expect(unitStatus(unit(), assignmentOf)).toBe('at_scene');
    expect(statusCode(demoConfig, unitStatus(unit(), assignmentOf))).toBe('5');
  });

  it('turns a reservation into a deployment only once the unit is free', () => {
    const job = deploy(incidentId).assignmentId;
    const booking = deploy(scheduledId, '2026-11-29T15:00:00.000Z').assignmentId;
    expect(move(booking, 'assigned', scheduledId)).toMatchObject({ ok: false, code: 'conflict', reason: 'DM-11 is already committed to another incident' });
    expect(move(job, 'cleared').ok).toBe(true);
    expect(unitStatus(unit(), assignmentOf)).toBe('available');
    expect(move(booking, 'assigned', scheduledId).ok).toBe(true);
    expect(unit().commitment).toEqual({ assignmentId: booking, incidentId: scheduledId });
    expect(assignment(booking).delivery).toMatchObject({ state: 'sent' });
  });

  it('writes a reservation in the log at the force’s time: British Summer Time in summer, marked in the hour that repeats', () => {
    const reservedLines = () => [...state.records.values()].flatMap((r) => (r.kind === 'logEntry' && r.doc.text.includes('reserved') ? [r.doc.text] : []));
    deploy(scheduledId, '2026-07-15T23:50:00.000Z');
    deploy(incidentId, '2026-10-25T01:30:00.000Z');
    expect(reservedLines().sort()).toEqual(['DM-11 reserved for 2026-07-16 00:50', 'DM-11 reserved for 2026-10-25 01:30 GMT']);
  });

  it('stops the attendance clock at the first arrival, and keeps that time', () => {
    const job = deploy(incidentId).assignmentId;
    move(job, 'at_scene');
    const attendedAt = state.get('incident', incidentId)!.attendedAt;
    expect(attendedAt).toBe('2026-11-29T10:00:00.000Z');
    move(job, 'committed');
    expect(unitStatus(unit(), assignmentOf)).toBe('committed');
    move(job, 'cleared');
    expect(state.get('incident', incidentId)!.attendedAt).toBe(attendedAt);
  });
});

describe('delivery receipts from the vehicle', () => {
  it('move forward only: a late "received" after "accepted" changes nothing', () => {
    const job = deploy(incidentId).assignmentId;
    expect(receipt(job, 'received').ok).toBe(true);
    expect(receipt(job, 'accepted').ok).toBe(true);
    expect(receipt(job, 'received')).toEqual({ ok: true, changes: [] });
    expect(assignment(job).delivery).toMatchObject({ state: 'accepted' });
  });

  it('stand the unit down when the crew rejects, visibly in the log', () => {
    const job = deploy(incidentId).assignmentId;
    receipt(job, 'rejected', 'dealing with a prisoner');
    expect(assignment(job)).toMatchObject({ status: 'cleared', delivery: { state: 'rejected', note: 'dealing with a prisoner' } });
    expect(unit().commitment).toBeNull();
    expect(state.get('incident', incidentId)!.activeUnits).toEqual([]);
    const log = [...state.records.values()].filter((r) => r.kind === 'logEntry').map((r) => (r.doc as { text: string }).text);
    expect(log).toContain('DM-11 rejected the deployment: dealing with a prisoner');
  });
});

describe('a unit’s duty', () => {
  it('changes at the version seen, and never while committed to a job', () => {
    const version = unit().version;
    deploy(incidentId);
    expect(state.run('unit.setDuty', { unitId: 'DM-11', duty: 'off_duty', unitVersion: version })).toMatchObject({ code: 'conflict', reason: 'DM-11 changed since you looked' });
    expect(state.run('unit.setDuty', { unitId: 'DM-11', duty: 'off_duty', unitVersion: unit().version })).toMatchObject({ code: 'conflict', reason: 'DM-11 is committed to an incident: clear it from there first' });
  });

  it('reads as the unit’s status when it has no job', () => {
    state.must('unit.setDuty', { unitId: 'DM-11', duty: 'unavailable', unitVersion: unit().version });
    expect(unitStatus(unit(), assignmentOf)).toBe('unavailable');
    expect(statusCode(demoConfig, 'unavailable')).toBe('8');
  });
});

describe('recommending units', () => {
  const scene = { lat: 53.93, lon: 1.75 };
  const near = { lat: 53.931, lon: 1.75 };
  const far = { lat: 53.98, lon: 1.75 };
  const NOW = Date.parse('2026-11-29T10:00:00.000Z');
  const candidate = (callSign: string, type: string, position: Candidate['position'], extra: Partial<Candidate> = {}): Candidate => ({
    unitId: callSign,
    callSign,
    type,
    skills: ['first aid'],
    status: 'available',
    position,
    ...extra,
  });

  it('proposes suitable available units nearest first, with reasons, and says who was left out', () => {
    const result = recommendUnits(demoConfig, { type: 'BURGLARY', point: scene }, [
      candidate('DM-21', 'IRV', far),
      candidate('DM-11', 'IRV', near),
      candidate('DM-12', 'IRV', near, { status: 'at_scene' }),
      candidate('DM-51', 'ARV', near),
      candidate('DM-13', 'IRV', near, { status: 'off_duty' }),
    ], NOW);
    expect(result.proposals.map((p) => p.callSign)).toEqual(['DM-11', 'DM-21']);
    expect(result.proposals[0]!.reasons).toEqual(['Incident response vehicle', 'available', expect.stringMatching(/^0\.2 km, about 1 min$/)]);
    expect(result.proposals[1]!.etaSeconds).toBeGreaterThan(result.proposals[0]!.etaSeconds!);
    expect(result.busy).toEqual([{ callSign: 'DM-12', status: 'at_scene' }]);
    expect(result.needs).toBe('Incident response vehicle or Dog unit or Neighbourhood policing team');
  });

  it('requires every skill the incident type needs, and how many units', () => {
    const result = recommendUnits(demoConfig, { type: 'FIREARMS', point: scene }, [
      candidate('DM-51', 'ARV', far, { skills: ['firearms', 'first aid'] }),
      candidate('DM-52', 'ARV', near, { skills: ['first aid'] }),
      candidate('DM-11', 'IRV', near, { skills: ['firearms'] }),
    ], NOW);
    expect(result.proposals.map((p) => p.callSign)).toEqual(['DM-51']);
    expect(result.wanted).toBe(2);
    expect(result.needs).toBe('2 × Armed response vehicle; skills: firearms');
  });

  it('breaks a tie in travel time by the preferred unit type, then call sign', () => {
    const result = recommendUnits(demoConfig, { type: 'BURGLARY', point: scene }, [candidate('DM-41', 'DOG', near), candidate('DM-31', 'NPT', near), candidate('DM-12', 'IRV', near), candidate('DM-11', 'IRV', near)], NOW);
    expect(result.proposals.map((p) => p.callSign)).toEqual(['DM-11', 'DM-12', 'DM-41', 'DM-31']);
  });

  it('still proposes for an incident with no map position, saying it could not rank by distance', () => {
    const result = recommendUnits(demoConfig, { type: 'ASSAULT', point: null }, [candidate('DM-12', 'IRV', near), candidate('DM-11', 'IRV', null)], NOW);
    expect(result.proposals.map((p) => p.callSign)).toEqual(['DM-11', 'DM-12']);
    expect(result.proposals[0]!.reasons).toContain('incident has no map position: not ranked by distance');
  });
});

describe('attendance clocks', () => {
  const gradedAt = '2026-11-29T10:00:00.000Z';
  const at = (minutes: number) => Date.parse(gradedAt) + minutes * 60_000;
  const clock = (grade: string, minutes: number, attendedAt: string | null = null) => attendanceClock(demoConfig, { grade, gradedAt, attendedAt }, at(minutes));

  it('runs, warns before the breach as configured, and breaches at the target', () => {
    expect(clock('1', 5)).toEqual({ state: 'running', dueMs: Date.parse('2026-11-29T10:15:00.000Z'), remainingMs: 10 * 60_000 });
    expect(clock('1', 11.9).state).toBe('running');
    expect(clock('1', 12).state).toBe('warning');
    expect(clock('1', 15).state).toBe('breached');
    expect(clock('1', 17).remainingMs).toBe(-2 * 60_000);
  });

  it('warns a fifth of the target ahead when the grade does not say', () => {
    expect(clock('3', 2880 * 0.79).state).toBe('running');
    expect(clock('3', 2880 * 0.81).state).toBe('warning');
  });

  it('stops at the first arrival, met or late, and has nothing to run for a grade without a target', () => {
    expect(clock('1', 30, '2026-11-29T10:14:00.000Z')).toMatchObject({ state: 'met', remainingMs: null });
    expect(clock('1', 30, '2026-11-29T10:16:00.000Z')).toMatchObject({ state: 'met_late' });
    expect(clock('4', 30)).toEqual({ state: 'none', dueMs: null, remainingMs: null });
  });

  it('stops at the closing of an incident no unit attended: its result, not a clock running on', () => {
    const closed = (closedMinutes: number) => attendanceClock(demoConfig, { grade: '1', gradedAt, attendedAt: null, status: 'closed', closedAt: new Date(at(closedMinutes)).toISOString() }, at(600));
    expect(closed(10)).toMatchObject({ state: 'unattended', remainingMs: null });
    expect(closed(20)).toMatchObject({ state: 'unattended_late', remainingMs: null });
    // Attended, then closed: the attendance result stands.
    expect(attendanceClock(demoConfig, { grade: '1', gradedAt, attendedAt: '2026-11-29T10:14:00.000Z', status: 'closed', closedAt: '2026-11-29T11:00:00.000Z' }, at(600)).state).toBe('met');
  });

  it('asks for no review of a closed incident’s risk, however long it waited', () => {
    const waited = { grade: '1', gradedAt, activeUnits: [], attendedAt: null, thrive: null };
    expect(waitingTooLong(demoConfig, { ...waited, status: 'open' }, at(60))).toBe(true);
    expect(waitingTooLong(demoConfig, { ...waited, status: 'closed' }, at(60))).toBe(false);
  });

  it('reads as a control room reads it', () => {
    expect(formatRemaining(754_000)).toBe('12:34 left');
    expect(formatRemaining(-190_000)).toBe('3:10 over');
    expect(formatRemaining(3_599_000)).toBe('59:59 left');
    expect(formatRemaining(172_783_000)).toBe('47 h 59 min left');
    expect(formatRemaining(-3_900_000)).toBe('1 h 05 min over');
  });

  it('asks for the risk to be looked at again when an incident waits too long for a unit', () => {
    const waiting = { grade: '1', gradedAt, activeUnits: [], attendedAt: null, thrive: null };
    expect(waitingTooLong(demoConfig, waiting, at(9))).toBe(false);
    expect(waitingTooLong(demoConfig, waiting, at(11))).toBe(true);
    expect(waitingTooLong(demoConfig, { ...waiting, thrive: { assessedAt: '2026-11-29T10:08:00.000Z' } }, at(11))).toBe(false);
    expect(waitingTooLong(demoConfig, { ...waiting, activeUnits: ['DM-11'] }, at(60))).toBe(false);
  });
});

describe('the force configuration of dispatch', () => {
  it('refuses an incident type needing a unit type the force does not have, and a unit of an unknown station', () => {
    const broken = structuredClone(demoConfig) as unknown as { incidentTypes: { needs?: { unitTypes?: string[] } }[]; units: { homeStation: string }[] };
    broken.incidentTypes[0]!.needs = { unitTypes: ['HELICOPTER'] };
    broken.units[0]!.homeStation = 'Atlantis';
    const messages = ForceConfig.safeParse(broken).error?.issues.map((i) => i.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/needs unknown unit type HELICOPTER/), 'unit DM-11 has unknown home station Atlantis']));
  });
});
