import { describe, expect, it } from 'vitest';
import { ExerciseRoom } from '../../shared/training/exercise-room';
import { activityWords, type ActivityRecords } from '../../shared/training/trainee-activity';

const T = (hhmmss: string) => `2026-12-04T${hhmmss}.000Z`;
const CALL = '11111111-1111-4111-8111-111111111111';
const OTHER_CALL = '22222222-2222-4222-8222-222222222222';
const INCIDENT = '33333333-3333-4333-8333-333333333333';
const place = { text: 'Market Street', point: { lat: 53.92, lon: 1.75 }, source: 'gazetteer' as const, district: 'Saltmere', accuracyM: null };

/**
 * The trainer's desk's records: alice's call answered at 22:31:15 (or none) at `answeredAt` (trainee-1 unless said),
 * offered, as every exercise call is, to the trainer's workstation; and one incident, open or closed.
 */
function records(options: { onCall?: boolean; open?: boolean; answeredAt?: string } = {}): ActivityRecords {
  const call = { id: CALL, state: 'answered', answeredBy: 'alice', source: '999', answeredAt: T('22:31:15'), callerNumber: '07700 900111', workstation: 'trainer', answeredAtWorkstation: options.answeredAt ?? 'trainee-1' } as const;
  return {
    liveContacts: options.onCall ? [call] : [],
    incident: (id) => (id === INCIDENT ? { reference: 'TRN-20261204-0001', open: options.open ?? true } : null),
  };
}

/** A room with alice signed in at trainee-1, its live channel open. */
function room() {
  const r = new ExerciseRoom('trainer');
  r.channel('trainee-1', true, T('22:30:00'));
  r.signedIn('trainee-1', 'alice', ['call_handler', 'dispatcher'], T('22:30:05'));
  return r;
}
const apply = (r: ExerciseRoom, name: string, args: unknown, issuedAt: string, operator = 'alice', workstation = 'trainee-1') =>
  r.commandApplied(workstation, { name, args, operator, issuedAt });
const doing = (r: ExerciseRoom, recs: ActivityRecords) => r.trainees(recs)[0]!.doing;
const words = (r: ExerciseRoom, recs: ActivityRecords) => activityWords(doing(r, recs), (iso) => iso.slice(11, 16));

describe('what a trainee is doing, from the commands the training server applied', () => {
  it('follows a call from answering through locating and grading on the form to the incident saved', () => {
    const r = room();
    expect(words(r, records())).toBe('idle');
    apply(r, 'contact.answer', { contactId: CALL }, T('22:31:15'));
    expect(words(r, records({ onCall: true }))).toBe('answering call 07700 900111 (999) since 22:31');
    apply(r, 'moment.recorded', { what: 'located', contactId: CALL, location: place }, T('22:31:30'));
    expect(words(r, records({ onCall: true }))).toBe('recording call 07700 900111 (999): located at Market Street, Saltmere');
    apply(r, 'moment.recorded', { what: 'graded', contactId: CALL, grade: '1' }, T('22:31:40'));
    expect(words(r, records({ onCall: true }))).toBe('grading call 07700 900111 (999): grade 1');
    // A moment on another call (a form left behind) does not count for the call they are on.
    apply(r, 'moment.recorded', { what: 'located', contactId: OTHER_CALL, location: place }, T('22:31:45'));
    expect(doing(r, records({ onCall: true }))).toMatchObject({ kind: 'grading', grade: '1' });
    // Saved: the call is no longer being taken (the desk's records say so), and nothing else is under way.
    apply(r, 'incident.create', { incidentId: INCIDENT, contactId: CALL }, T('22:32:00'));
    expect(words(r, records())).toBe('idle since 22:32');
  });

  it('says which incident a dispatcher is dispatching, with the units sent, and which one they are recording, while it is open', () => {
    const r = room();
    apply(r, 'moment.recorded', { what: 'proposed', incidentId: INCIDENT, units: ['DM-14', 'DM-13'] }, T('22:33:00'));
    expect(words(r, records())).toBe('dispatching incident TRN-20261204-0001 since 22:33');
    apply(r, 'unit.assign', { incidentId: INCIDENT, unitId: 'DM-14', assignmentId: CALL, unitVersion: 1 }, T('22:33:20'));
    expect(doing(r, records())).toEqual({ kind: 'dispatching', incident: 'TRN-20261204-0001', since: T('22:33:00'), units: ['DM-14'] });
    apply(r, 'incident.addLog', { incidentId: INCIDENT, entryId: CALL, text: 'On the way' }, T('22:34:00'));
    expect(words(r, records())).toBe('recording incident TRN-20261204-0001 since 22:34');
    // Closed (by anyone): nothing under way any more.
    expect(words(r, records({ open: false }))).toBe('idle since 22:34');
  });

  it('ignores what is not a trainee act, and what another operator did at the workstation', () => {
    const r = room();
    apply(r, 'record.consulted', { recordKind: 'incident', recordId: INCIDENT }, T('22:33:00'));
    apply(r, 'moment.recorded', { what: 'proposed', incidentId: INCIDENT, units: [] }, T('22:33:10'), 'bob');
    apply(r, 'moment.recorded', { what: 'proposed', incidentId: INCIDENT, units: [] }, T('22:33:10'), 'tina', 'trainer');
    expect(doing(r, records())).toEqual({ kind: 'idle', since: null });
  });

  it('says when a trainee signed out and when the link was lost, and starts afresh at the next sign-in', () => {
    const r = room();
    apply(r, 'moment.recorded', { what: 'proposed', incidentId: INCIDENT, units: [] }, T('22:33:00'));
    apply(r, 'operator.signedOut', {}, T('22:35:00'));
    expect(r.trainees(records())[0]).toMatchObject({ operator: null, roles: [], doing: { kind: 'signed_out', at: T('22:35:00') } });
    expect(words(r, records())).toBe('signed out at 22:35');
    r.signedIn('trainee-1', 'bob', ['dispatcher'], T('22:36:00'));
    expect(words(r, records())).toBe('idle');
    r.channel('trainee-1', false, T('22:37:00'));
    expect(words(r, records())).toBe('link lost since 22:37');
    r.channel('trainee-1', true, T('22:38:00'));
    expect(words(r, records())).toBe('idle');
    // A sign-out of someone no longer there changes nothing.
    apply(r, 'operator.signedOut', {}, T('22:39:00'), 'alice');
    expect(r.trainees(records())[0]!.operator).toBe('bob');
  });

  it('shows a call at the workstation that answered it, though every exercise call is offered to the trainer’s', () => {
    const r = room();
    r.channel('trainee-2', true, T('22:30:10'));
    r.signedIn('trainee-2', 'alice', ['call_handler'], T('22:30:15'));
    apply(r, 'contact.answer', { contactId: CALL }, T('22:31:15'));
    const [first, second] = r.trainees(records({ onCall: true }));
    expect(first).toMatchObject({ workstation: 'trainee-1', operator: 'alice', doing: { kind: 'answering', call: '07700 900111' } });
    expect(second).toMatchObject({ workstation: 'trainee-2', operator: 'alice', doing: { kind: 'idle' } });
    // Answered at trainee-2 instead: shown there, and trainee-1 is idle.
    const [atFirst, atSecond] = r.trainees(records({ onCall: true, answeredAt: 'trainee-2' }));
    expect(atFirst!.doing).toMatchObject({ kind: 'idle' });
    expect(atSecond!.doing).toMatchObject({ kind: 'answering', call: '07700 900111' });
  });
});
