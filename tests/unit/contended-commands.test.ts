import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { AssignmentStatus, canMoveAssignment } from '../../shared/domain/assignment';
import { derivedId } from '../../shared/domain/derived-id';
import { commandDefinitions } from '../../shared/commands/registry';
import { RecordSet } from '../fakes/rules-harness';
import { unverifiedLocation } from '../../shared/domain/location';

let state: RecordSet;
let incidentId: string;

beforeEach(() => {
  state = new RecordSet();
  incidentId = randomUUID();
  state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
  state.registerOnDuty({ callSign: 'DM-12', type: 'IRV', homeStation: 'Central' });
  state.must('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '2', firstLog: null });
});

const incident = () => state.get('incident', incidentId)!;
const unit = (id: string) => state.get('unit', id)!;
const logTexts = () => [...state.records.values()].filter((r) => r.kind === 'logEntry').map((r) => (r.doc as { text: string }).text);

function assign(unitId: string, unitVersion = unit(unitId).version, operator = 'alice') {
  const assignmentId = randomUUID();
  return { assignmentId, result: state.run('unit.assign', { assignmentId, unitId, incidentId, unitVersion }, operator) };
}

describe('descriptive fields: last writer wins, the overwritten value kept', () => {
  it('logs what each correction overwrote, and bumps the version', () => {
    state.must('incident.update', { incidentId, changeId: randomUUID(), fields: { location: unverifiedLocation('Bargate Street') } }, 'bob');
    state.must('incident.update', { incidentId, changeId: randomUUID(), fields: { location: unverifiedLocation('Bargate Shopping Centre'), callerName: 'Ms Smith' } }, 'carol');
    expect(incident()).toMatchObject({ location: unverifiedLocation('Bargate Shopping Centre'), callerName: 'Ms Smith', version: 3 });
    expect(logTexts()).toEqual([
      'Opened as Assault (ASSAULT), grade 2 Priority, at Bargate; source: raised at the desk, not from a call',
      'Location changed from “Bargate” to “Bargate Street”',
      'Location changed from “Bargate Street” to “Bargate Shopping Centre”',
      'Caller name changed from (blank) to “Ms Smith”',
    ]);
  });

  it('is never refused for being late: there is no version to compare', () => {
    state.must('incident.update', { incidentId, changeId: randomUUID(), fields: { description: 'first' } });
    expect(state.run('incident.update', { incidentId, changeId: randomUUID(), fields: { description: 'second' } }).ok).toBe(true);
  });
});

describe('closing an incident (compare-and-set)', () => {
  it('closes at the version the operator saw, with the closing code logged', () => {
    state.must('incident.close', { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: 1 });
    expect(incident()).toMatchObject({ status: 'closed', closingCode: 'ADVICE', closedBy: 'alice', version: 2 });
    expect(logTexts()).toContain('Closed: Advice given (ADVICE)');
  });

  it('loses, as a conflict naming the incident, if the incident changed since', () => {
    state.must('incident.update', { incidentId, changeId: randomUUID(), fields: { description: 'now armed' } }, 'bob');
    expect(state.run('incident.close', { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: 1 })).toEqual({
      ok: false,
      code: 'conflict',
      reason: expect.stringMatching(/^the incident changed at \d\d:\d\d, after you looked: look at it again before closing it$/),
      target: { kind: 'incident', id: incidentId },
    });
  });

  it('cannot close while a unit is still committed, nor close twice', () => {
    assign('DM-11');
    expect(state.run('incident.close', { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: incident().version })).toMatchObject({ code: 'conflict', reason: 'units still committed: DM-11' });
  });

  it('refuses a closing code the force does not have', () => {
    expect(state.run('incident.close', { incidentId, closeId: randomUUID(), closingCode: 'SHRUG', incidentVersion: 1 })).toMatchObject({ code: 'invalid' });
  });
});

describe('ownership (compare-and-set)', () => {
  it('goes to whoever takes it first; the second, who saw it unowned, loses', () => {
    state.must('incident.takeOwnership', { incidentId, takeId: randomUUID(), incidentVersion: 1 }, 'bob');
    expect(state.run('incident.takeOwnership', { incidentId, takeId: randomUUID(), incidentVersion: 1 }, 'carol')).toMatchObject({
      code: 'conflict',
      reason: 'the incident changed since you looked; bob owns it now',
    });
    expect(incident().owner).toBe('bob');
  });
});

describe('assigning units (compare-and-set on the unit)', () => {
  it('commits the unit to the incident and logs it', () => {
    const { assignmentId, result } = assign('DM-11');
    expect(result.ok).toBe(true);
    expect(unit('DM-11').commitment).toEqual({ assignmentId, incidentId });
    expect(incident().activeUnits).toEqual(['DM-11']);
    expect(logTexts()).toContain('DM-11 assigned; deployment sent to its terminal');
    expect(state.get('assignment', assignmentId)).toMatchObject({ status: 'assigned', delivery: { state: 'sent' } });
  });

  it('never commits a unit twice: a dispatcher who saw it free loses to the one who sent it first', () => {
    const seen = unit('DM-11').version;
    expect(assign('DM-11', seen, 'bob').result.ok).toBe(true);
    const other = randomUUID();
    state.must('incident.create', { incidentId: other, provisionalReference: 'WS-P0002', type: 'THEFT', location: unverifiedLocation('Above Bar'), grade: '3', firstLog: null });
    const late = state.run('unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId: other, unitVersion: seen }, 'carol');
    expect(late).toMatchObject({ ok: false, code: 'conflict', reason: 'DM-11 changed since you looked: it is now committed to another incident', target: { kind: 'unit', id: 'DM-11' } });
    expect(unit('DM-11').commitment?.incidentId).toBe(incidentId);
  });

  it('releases the unit when its assignment is cleared, so it can be sent again', () => {
    const { assignmentId } = assign('DM-11');
    state.must('assignment.setStatus', { assignmentId, unitId: 'DM-11', incidentId, status: 'cleared', assignmentVersion: 1 });
    expect(unit('DM-11').commitment).toBeNull();
    expect(incident().activeUnits).toEqual([]);
    expect(assign('DM-11').result.ok).toBe(true);
  });
});

describe('the assignment state machine', () => {
  const statuses = AssignmentStatus.options;
  const allowed = new Set([
    'reserved>assigned',
    'reserved>cleared',
    'assigned>en_route',
    'assigned>at_scene',
    'assigned>cleared',
    'en_route>at_scene',
    'en_route>cleared',
    'at_scene>committed',
    'at_scene>cleared',
    'committed>cleared',
  ]);

  it.each(statuses.flatMap((from) => statuses.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    expect(canMoveAssignment(from, to)).toBe(allowed.has(`${from}>${to}`));
  });

  it('refuses a move the machine forbids, as a conflict, and a stale version likewise', () => {
    const { assignmentId } = assign('DM-12');
    state.must('assignment.setStatus', { assignmentId, unitId: 'DM-12', incidentId, status: 'at_scene', assignmentVersion: 1 });
    expect(state.run('assignment.setStatus', { assignmentId, unitId: 'DM-12', incidentId, status: 'en_route', assignmentVersion: 2 })).toMatchObject({
      code: 'conflict',
      reason: 'DM-12 cannot go from at scene to en route',
    });
    expect(state.run('assignment.setStatus', { assignmentId, unitId: 'DM-12', incidentId, status: 'cleared', assignmentVersion: 1 })).toMatchObject({
      code: 'conflict',
      reason: 'DM-12 is now at scene on this incident (changed since you looked)',
    });
  });
});

describe('doing a lost command again', () => {
  it('takes the current versions and fresh ids', () => {
    const args = { assignmentId: randomUUID(), unitId: 'DM-11', incidentId, unitVersion: 1 };
    assign('DM-11', 1, 'bob');
    const again = commandDefinitions['unit.assign']!.redo!(args, state) as typeof args;
    expect(again).toEqual({ ...args, assignmentId: derivedId(args.assignmentId, 'redo'), unitVersion: 2 });
  });

  it('derives the same id everywhere from the same source', () => {
    expect(derivedId('0b9e4b0e-6e1f-4b55-9c55-2b1a3c2f1e00', 'x')).toBe(derivedId('0b9e4b0e-6e1f-4b55-9c55-2b1a3c2f1e00', 'x'));
    expect(derivedId('0b9e4b0e-6e1f-4b55-9c55-2b1a3c2f1e00', 'x')).not.toBe(derivedId('0b9e4b0e-6e1f-4b55-9c55-2b1a3c2f1e00', 'y'));
    expect(derivedId('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
