import { describe, expect, it } from 'vitest';
import { loadForceConfig } from '../../node-common/force-config-file';
import type { Assignment } from '../../shared/domain/assignment';
import type { Contact } from '../../shared/domain/contact';
import { derivedId } from '../../shared/domain/derived-id';
import type { Incident } from '../../shared/domain/incident';
import { exerciseReview, missingTypes, type ReviewHistoryEntry } from '../../shared/training/exercise-review';
import { scoreCalls } from '../../shared/training/review-scores';
import { replayAt } from '../../shared/training/replay';
import { Scenario } from '../../shared/training/scenario';
import type { CallVerdict } from '../../shared/training/review-view';

const config = loadForceConfig();
const START = Date.parse('2026-12-04T22:30:00Z');
/** The trainer's workstation, which relays the scenario's calls: their contacts' ids derive from its client id. */
const TRAINER = '6f1f7d0e-3c0a-4f1e-9b5a-2f0c3d4e5a6b';
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();
const MARKER = { lat: 53.9189, lon: 1.7446 };

const scenario = Scenario.parse({
  format: 1,
  title: 'Review test',
  summary: 'Two fights and a gun.',
  area: 'exercise',
  force: 'DMO',
  startsAt: at(0),
  durationMinutes: 60,
  start: { markers: [{ address: '14 Gull Terrace', point: MARKER, radiusM: 40, warnings: ['firearms'] }] },
  injects: [
    { kind: 'note', at: 0, text: 'watch the second caller' },
    {
      kind: 'call',
      id: 'fight',
      at: 20,
      source: '999',
      callerNumber: '07700 900111',
      expected: { type: 'ASSAULT', grades: ['1'], riskFlags: ['danger-now', 'injured'], unitTypes: ['IRV', 'IRV'] },
    },
    { kind: 'call', id: 'neighbour', at: 75, source: '999', callerNumber: '07700 900112', expected: { type: 'ASSAULT', grades: ['1'], duplicateOf: 'fight' } },
    { kind: 'call', id: 'gun', at: 120, source: '101', callerNumber: null, expected: { type: 'FIREARMS', grades: ['1'], riskFlags: ['marker:firearms'], unitTypes: ['ARV'] } },
  ],
});

function contact(callId: string, rang: number, answered: number | null, by: string | null, incidentId: string | null): Contact {
  return {
    id: derivedId(TRAINER, callId),
    force: 'DMO',
    source: callId === 'gun' ? '101' : '999',
    callerNumber: null,
    handsetLocation: null,
    state: incidentId ? 'completed' : answered !== null ? 'answered' : 'ringing',
    receivedAt: at(rang),
    workstation: 'trainer',
    answeredAt: answered === null ? null : at(answered),
    answeredBy: by,
    answeredAtWorkstation: by === null ? null : 'WS-T1',
    endedAt: null,
    incidentId,
    disposal: null,
    version: 2,
  };
}

function incident(id: string, fields: Partial<Incident> & { createdAt: string; createdBy: string }): Incident {
  return {
    id,
    force: 'DMO',
    reference: `TRN-DMO-20261204-${id.slice(-4)}`,
    provisionalReference: `P-${id.slice(-4)}`,
    type: 'ASSAULT',
    location: { text: 'High Street', point: { lat: 53.9262, lon: 1.7515 }, source: 'gazetteer', district: null, accuracyM: null },
    description: '',
    callerName: '',
    callerNumber: '',
    grade: '1',
    gradedAt: fields.createdAt,
    pendingDowngrade: null,
    thrive: null,
    related: [],
    status: 'open',
    owner: null,
    activeUnits: [],
    attendedAt: null,
    closingCode: null,
    closedAt: null,
    closedBy: null,
    createdAtWorkstation: 'trainee-1',
    updatedAt: fields.createdAt,
    version: 1,
    ...fields,
  };
}

function assignment(unitId: string, incidentId: string, deployed: number, by: string): Assignment {
  return {
    id: derivedId(incidentId, unitId),
    force: 'DMO',
    unitId,
    incidentId,
    status: 'assigned',
    delivery: null,
    reservedFor: null,
    receiptAlarm: null,
    radioConfirmed: null,
    lateRejection: null,
    duePrompt: null,
    assignedAt: at(deployed),
    deployedAt: at(deployed),
    assignedBy: by,
    updatedAt: at(deployed),
    version: 1,
  };
}

const FIGHT = '00000000-0000-4000-8000-000000000001';
const GUN = '00000000-0000-4000-8000-000000000002';
const SECOND = '00000000-0000-4000-8000-000000000003';

/** What the training server's audit log says was done. */
function entry(seconds: number, operator: string, command: string, recordKind: string, recordId: string, field: string | null, before: unknown, after: unknown): ReviewHistoryEntry {
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  return { issuedAt: at(seconds), operator, clientId: TRAINER, command, kind: field ? 'alteration' : 'collection', recordKind, recordId, field, before: json(before), after: json(after) };
}
const received = (callId: string, seconds: number) => entry(seconds, 'telephony', 'contact.receive', 'contact', derivedId(TRAINER, callId), null, undefined, undefined);

/**
 * A well-run exercise: alice answers the fight in 6 s and saves it 60 s later as ASSAULT grade 1 with its flags,
 * attaches the neighbour's call to it; bob deploys two IRVs 120 s after the call and one arrives within 15 minutes.
 * The gun call (101) is answered by carol in 40 s, at the marked address, with an ARV.
 */
function goodRecord() {
  const assessed = { answers: [{ questionId: 'danger-now', answer: 'yes', note: '' }, { questionId: 'injured', answer: 'yes', note: '' }], assessedAt: at(90), assessedBy: 'alice', stale: false, staleBecause: null };
  const allAnswered = { ...assessed, answers: config.thrive.filter((q) => !q.types).map((q) => ({ questionId: q.id, answer: q.id === 'danger-now' || q.id === 'injured' ? ('yes' as const) : ('no' as const), note: '' })) };
  const fight = incident(FIGHT, { createdAt: at(86), createdBy: 'alice', thrive: allAnswered, attendedAt: at(500) });
  const gunThrive = { ...allAnswered, answers: config.thrive.filter((q) => !q.types || q.types.includes('FIREARMS')).map((q) => ({ questionId: q.id, answer: 'no' as const, note: '' })) };
  const gun = incident(GUN, { type: 'FIREARMS', createdAt: at(200), createdBy: 'carol', thrive: gunThrive, attendedAt: at(700), location: { text: '14 Gull Terrace', point: MARKER, source: 'gazetteer', district: null, accuracyM: null } });
  return {
    records: {
      contacts: [contact('fight', 20, 26, 'alice', FIGHT), contact('neighbour', 75, 80, 'alice', FIGHT), contact('gun', 120, 160, 'carol', GUN)],
      incidents: [fight, gun],
      assignments: [assignment('DM-11', FIGHT, 140, 'bob'), assignment('DM-12', FIGHT, 150, 'bob'), assignment('DM-51', GUN, 220, 'bob')],
    },
    history: [
      received('fight', 20),
      received('neighbour', 75),
      entry(86, 'alice', 'incident.create', 'incident', FIGHT, null, undefined, undefined),
      entry(86, 'alice', 'incident.create', 'contact', derivedId(TRAINER, 'fight'), 'incidentId', null, FIGHT),
      entry(90, 'alice', 'incident.assessRisk', 'incident', FIGHT, 'thrive', null, assessed),
      entry(100, 'alice', 'contact.attach', 'contact', derivedId(TRAINER, 'neighbour'), 'incidentId', null, FIGHT),
      received('gun', 120),
      entry(200, 'carol', 'incident.create', 'contact', derivedId(TRAINER, 'gun'), 'incidentId', null, GUN),
      entry(500, 'terminal DM-11', 'assignment.setStatus', 'assignment', derivedId(FIGHT, 'DM-11'), 'status', 'assigned', 'at_scene'),
    ] as ReviewHistoryEntry[],
  };
}

const review = (record: ReturnType<typeof goodRecord>, nowSeconds = 1200) => exerciseReview({ scenario, config, ...record, nowMs: START + nowSeconds * 1000 });
const verdict = (record: ReturnType<typeof goodRecord>, callId: string, nowSeconds?: number) => review(record, nowSeconds).calls.find((c) => c.callId === callId)!;
const score = (calls: CallVerdict[], id: string) => scoreCalls(calls).find((s) => s.id === id)!;

describe('the after-action review', () => {
  it('matches each scenario call to the contact its inject rang, and times it on the exercise clock', () => {
    const fight = verdict(goodRecord(), 'fight');
    expect(fight).toMatchObject({ answeredBy: 'alice', answerSeconds: 6, savedBy: 'alice', saveSeconds: 60, deployedBy: 'bob', deploySeconds: 120, arriveSeconds: 480, incident: 'TRN-DMO-20261204-0001' });
  });

  it('puts every event on one timeline with the injects beside them, per trainee by name', () => {
    const { events, injects } = review(goodRecord());
    expect(injects.map((i) => [i.kind, i.callId, i.rangAt])).toEqual([
      ['note', null, null],
      ['call', 'fight', at(20)],
      ['call', 'neighbour', at(75)],
      ['call', 'gun', at(120)],
    ]);
    const ofFight = events.filter((e) => e.callId === 'fight' && e.kind !== 'inject').map((e) => [e.kind, e.by, e.at]);
    expect(ofFight).toEqual([
      ['rang', 'telephony', at(20)],
      ['answered', 'alice', at(26)],
      ['saved', 'alice', at(86)],
      ['located', 'alice', at(86)],
      ['graded', 'alice', at(86)],
      ['assessed', 'alice', at(90)],
      ['deployed', 'bob', at(140)],
      ['deployed', 'bob', at(150)],
      ['arrived', 'terminal DM-11', at(500)],
    ]);
    expect(events.find((e) => e.kind === 'attached')).toMatchObject({ by: 'alice', callId: 'neighbour', incident: 'TRN-DMO-20261204-0001' });
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort());
  });

  it('counts no trainee for what the system did on its own, however the log names it', () => {
    const record = goodRecord();
    const automatic = entry(600, 'system (automatically, while bob was signed in)', 'incident.regrade', 'incident', FIGHT, 'grade', '2', '1');
    const byServer = entry(610, "system (automatically by the server, after alice's incident.create)", 'incident.regrade', 'incident', FIGHT, 'grade', '1', '2');
    const { trainees } = review({ ...record, history: [...record.history, automatic, byServer] });
    expect(trainees.map((t) => t.operator)).toEqual(['alice', 'bob', 'carol']);
  });

  it('scores each trainee on what they did: the call handler on the calls she answered, the dispatcher on his deployments', () => {
    const { trainees, room } = review(goodRecord());
    expect(trainees.map((t) => [t.operator, t.callsAnswered, t.deployments])).toEqual([
      ['alice', 2, 0],
      ['bob', 0, 2],
      ['carol', 1, 0],
    ]);
    const alice = trainees.find((t) => t.operator === 'alice')!;
    expect(alice.scores.map((s) => s.id)).toEqual(['answer', 'save', 'type', 'grade', 'thrive', 'risk', 'duplicates', 'deploy', 'attendance', 'units']);
    expect(alice.scores.find((s) => s.id === 'answer')).toMatchObject({ of: 2, met: 2 });
    expect(alice.scores.find((s) => s.id === 'deploy')).toMatchObject({ of: 0, figure: 'none to judge' });
    expect(room.every((s) => s.met === s.of)).toBe(true);
  });

  it('answer time: within 10 s for 999 meets it; 14 s misses it; a 101 call has 60 s', () => {
    const good = goodRecord();
    expect(score([verdict(good, 'fight'), verdict(good, 'gun')], 'answer')).toMatchObject({ of: 2, met: 2 });
    const late = goodRecord();
    late.records.contacts[0] = contact('fight', 20, 34, 'alice', FIGHT);
    expect(verdict(late, 'fight')).toMatchObject({ answerSeconds: 14, answerInTime: false });
    expect(score([verdict(late, 'fight')], 'answer').figure).toBe('0 of 1 in time; median 14 s, longest 14 s');
  });

  it('answer time: a call left ringing past the target misses it, even unanswered', () => {
    const record = goodRecord();
    record.records.contacts[2] = contact('gun', 120, null, null, null);
    expect(verdict(record, 'gun', 200)).toMatchObject({ answerSeconds: null, answerInTime: false });
    expect(verdict(record, 'gun', 150).answerInTime).toBeNull();
  });

  it('time to save: within 3 minutes of answering meets it; 4 minutes misses it', () => {
    expect(verdict(goodRecord(), 'fight').savedInTime).toBe(true);
    const slow = goodRecord();
    slow.history = slow.history.map((e) => (e.command === 'incident.create' && e.recordKind === 'contact' && e.recordId === derivedId(TRAINER, 'fight') ? { ...e, issuedAt: at(266) } : e));
    expect(verdict(slow, 'fight')).toMatchObject({ saveSeconds: 240, savedInTime: false });
  });

  it("time to first deployment: within the force's call-to-deployment time for grade 1 (3 minutes) meets it; 4 minutes misses it", () => {
    expect(verdict(goodRecord(), 'fight').deployedInTime).toBe(true);
    const slow = goodRecord();
    slow.records.assignments = [assignment('DM-11', FIGHT, 260, 'bob'), assignment('DM-12', FIGHT, 270, 'bob')];
    expect(verdict(slow, 'fight')).toMatchObject({ deploySeconds: 240, deployedInTime: false });
    const none = goodRecord();
    none.records.assignments = [];
    expect(verdict(none, 'fight', 600).deployedInTime).toBe(false);
  });

  it('grading agreement: a grade among the acceptable ones agrees; grade 2 does not, judged as saved even if regraded later', () => {
    expect(verdict(goodRecord(), 'fight').gradeAgreed).toBe(true);
    const wrong = goodRecord();
    wrong.records.incidents[0] = { ...wrong.records.incidents[0]!, grade: '1' };
    wrong.history.push(entry(300, 'carol', 'incident.regrade', 'incident', FIGHT, 'grade', '2', '1'));
    expect(verdict(wrong, 'fight')).toMatchObject({ grade: '2', gradeAgreed: false });
  });

  it('a call that should make no incident agrees once disposed of without one, and is not judged on its time to save', () => {
    const noIncident = Scenario.parse({ ...scenario, injects: [{ kind: 'call', id: 'advice', at: 10, source: '101', callerNumber: null, expected: { type: null, grades: ['4'] } }] });
    const taken = contact('advice', 10, 20, 'alice', null);
    const judge = (c: Contact, made: Incident[] = []) =>
      exerciseReview({ scenario: noIncident, config, records: { contacts: [c], incidents: made, assignments: [] }, history: [received('advice', 10)], nowMs: START + 1_200_000 }).calls[0]!;
    expect(judge(taken)).toMatchObject({ typeAgreed: null, savedInTime: null });
    expect(judge({ ...taken, state: 'completed', disposal: { code: 'ADVICE', note: 'advised', by: 'alice', at: at(60) } }).typeAgreed).toBe(true);
    expect(judge({ ...taken, state: 'completed', incidentId: SECOND }, [incident(SECOND, { createdAt: at(60), createdBy: 'alice' })]).typeAgreed).toBe(false);
  });

  it('time to save: an answered call with no incident saved 3 minutes on misses it', () => {
    const record = goodRecord();
    record.records.contacts[0] = contact('fight', 20, 26, 'alice', null);
    record.history = record.history.filter((e) => e.recordId !== derivedId(TRAINER, 'fight') || e.kind === 'collection');
    expect(verdict(record, 'fight', 150).savedInTime).toBeNull();
    expect(verdict(record, 'fight', 300)).toMatchObject({ saveSeconds: null, savedInTime: false, typeAgreed: null });
  });

  it('incident type: the expected type agrees; another does not', () => {
    const wrong = goodRecord();
    wrong.records.incidents[1] = { ...wrong.records.incidents[1]!, type: 'SUSPICIOUS' };
    expect(verdict(wrong, 'gun')).toMatchObject({ type: 'SUSPICIOUS', typeAgreed: false });
    expect(verdict(goodRecord(), 'gun').typeAgreed).toBe(true);
  });

  it("THRIVE: every question for the incident's type answered meets it; two missing do not", () => {
    expect(verdict(goodRecord(), 'fight').thrive).toEqual({ answered: 9, asked: 9 });
    const part = goodRecord();
    const fight = part.records.incidents[0]!;
    part.records.incidents[0] = { ...fight, thrive: { ...fight.thrive!, answers: fight.thrive!.answers.slice(2) } };
    const judged = verdict(part, 'fight');
    expect(judged.thrive).toEqual({ answered: 7, asked: 9 });
    expect(score([judged], 'thrive')).toMatchObject({ of: 1, met: 0, figure: '0 of 1 incidents complete; 7 of 9 questions' });
  });

  it('risk flags: THRIVE answers of yes and a warning marker at the location are found; a no and a location away from the marker are missed', () => {
    expect(verdict(goodRecord(), 'fight').riskFlags).toEqual({ found: ['danger-now', 'injured'], missed: [] });
    expect(verdict(goodRecord(), 'gun').riskFlags).toEqual({ found: ['marker:firearms'], missed: [] });
    const missed = goodRecord();
    const fight = missed.records.incidents[0]!;
    missed.records.incidents[0] = { ...fight, thrive: { ...fight.thrive!, answers: fight.thrive!.answers.map((a) => (a.questionId === 'injured' ? { ...a, answer: 'no' as const } : a)) } };
    missed.records.incidents[1] = { ...missed.records.incidents[1]!, location: { text: 'Gull Terrace', point: { lat: 53.92, lon: 1.75 }, source: 'gazetteer', district: null, accuracyM: null } };
    expect(verdict(missed, 'fight').riskFlags).toEqual({ found: ['danger-now'], missed: ['injured'] });
    expect(verdict(missed, 'gun').riskFlags).toEqual({ found: [], missed: ['marker:firearms'] });
    expect(score([verdict(missed, 'fight')], 'risk')).toMatchObject({ of: 1, met: 0, figure: '1 of 1 incidents; missed injured'.replace('1 of 1', '0 of 1') });
  });

  it('duplicates: the repeat call attached to the first call’s incident is spotted; a second incident made for it is not', () => {
    expect(verdict(goodRecord(), 'neighbour').duplicateSpotted).toBe(true);
    const missed = goodRecord();
    missed.records.incidents.push(incident(SECOND, { createdAt: at(100), createdBy: 'alice' }));
    missed.records.contacts[1] = contact('neighbour', 75, 80, 'alice', SECOND);
    expect(verdict(missed, 'neighbour').duplicateSpotted).toBe(false);
  });

  it("attendance: a unit at scene within the grade's 15 minutes meets it; none by then misses it, and it is not judged before then", () => {
    expect(verdict(goodRecord(), 'fight').attendanceMet).toBe(true);
    const late = goodRecord();
    late.records.incidents[0] = { ...late.records.incidents[0]!, attendedAt: null };
    expect(verdict(late, 'fight', 600).attendanceMet).toBeNull();
    expect(verdict(late, 'fight', 1200).attendanceMet).toBe(false);
  });

  it('unit types: two IRVs for two expected meet it; one IRV misses one', () => {
    expect(verdict(goodRecord(), 'fight').unitTypes).toEqual({ sent: ['IRV', 'IRV'], missing: [] });
    const short = goodRecord();
    short.records.assignments = [assignment('DM-11', FIGHT, 140, 'bob')];
    expect(verdict(short, 'fight').unitTypes).toEqual({ sent: ['IRV'], missing: ['IRV'] });
    expect(score([verdict(short, 'fight')], 'units')).toMatchObject({ of: 1, met: 0, figure: '0 of 1 incidents; missing IRV' });
    expect(missingTypes(['IRV', 'ARV'], ['ARV', 'DOG'])).toEqual(['IRV']);
  });

  /** The desk's moments: fight located at 40 s and graded 1 at 50 s on alice's form; bob shown DM-12 then DM-11 first. */
  const moment = (seconds: number, operator: string, recordKind: string, recordId: string, after: object): ReviewHistoryEntry => ({
    ...entry(seconds, operator, 'moment.recorded', recordKind, recordId, null, undefined, after),
    kind: 'moment',
  });
  const FIGHT_CALL = derivedId(TRAINER, 'fight');
  const HIGH_STREET = { text: 'High Street', point: { lat: 53.9262, lon: 1.7515 }, source: 'gazetteer', district: null, accuracyM: null };
  function withMoments() {
    const record = goodRecord();
    record.history.push(
      moment(40, 'alice', 'contact', FIGHT_CALL, { what: 'located', contactId: FIGHT_CALL, location: HIGH_STREET }),
      moment(50, 'alice', 'contact', FIGHT_CALL, { what: 'graded', contactId: FIGHT_CALL, grade: '2' }),
      moment(60, 'alice', 'contact', FIGHT_CALL, { what: 'graded', contactId: FIGHT_CALL, grade: '1' }),
      moment(100, 'bob', 'incident', FIGHT, { what: 'proposed', incidentId: FIGHT, units: ['DM-12', 'DM-11'] }),
      moment(130, 'bob', 'incident', FIGHT, { what: 'proposed', incidentId: FIGHT, units: ['DM-11', 'DM-12', 'DM-13'] }),
      moment(600, 'bob', 'incident', FIGHT, { what: 'proposed', incidentId: FIGHT, units: [] }),
    );
    return record;
  }

  it('located and graded on the form: on the timeline when the handler did it, not again at the save; without them, at the save', () => {
    const ofFight = (record: ReturnType<typeof goodRecord>) =>
      review(record)
        .events.filter((e) => e.callId === 'fight' && (e.kind === 'located' || e.kind === 'graded'))
        .map((e) => [e.kind, e.by, e.at, e.text]);
    expect(ofFight(withMoments())).toEqual([
      ['located', 'alice', at(40), 'High Street (gazetteer)'],
      ['graded', 'alice', at(50), 'grade 2'],
      ['graded', 'alice', at(60), 'grade 2 to 1'],
    ]);
    expect(verdict(withMoments(), 'fight')).toMatchObject({ locatedAt: at(40), gradedAt: at(50) });
    expect(ofFight(goodRecord())).toEqual([
      ['located', 'alice', at(86), 'High Street (gazetteer)'],
      ['graded', 'alice', at(86), 'grade 1'],
    ]);
    expect(verdict(goodRecord(), 'fight')).toMatchObject({ locatedAt: at(86), gradedAt: at(86) });
    // A place typed and not found after the one chosen: the save's location is on the timeline at the save too.
    const retyped = withMoments();
    retyped.records.incidents[0] = { ...retyped.records.incidents[0]!, location: { text: 'behind the Crown', point: null, source: 'unverified', district: null, accuracyM: null } };
    expect(ofFight(retyped).map(([kind, , when]) => [kind, when])).toEqual([
      ['located', at(40)],
      ['graded', at(50)],
      ['graded', at(60)],
      ['located', at(86)],
    ]);
  });

  it('units proposed: each proposal on the timeline for the dispatcher it was shown to; whether the first proposed went first', () => {
    const proposed = review(withMoments()).events.filter((e) => e.kind === 'proposed');
    expect(proposed.map((e) => [e.at, e.by, e.callId, e.text])).toEqual([
      [at(100), 'bob', 'fight', 'DM-12, DM-11 proposed for TRN-DMO-20261204-0001, best first'],
      [at(130), 'bob', 'fight', 'DM-11, DM-12, DM-13 proposed for TRN-DMO-20261204-0001, best first'],
      [at(600), 'bob', 'fight', 'no suitable unit available for TRN-DMO-20261204-0001'],
    ]);
    // DM-11 went first at 140 s, as the proposal standing then (at 130 s) put first.
    expect(verdict(withMoments(), 'fight')).toMatchObject({ proposed: ['DM-11', 'DM-12', 'DM-13'], proposedFirstSent: true });
    const other = withMoments();
    other.records.assignments = [assignment('DM-12', FIGHT, 140, 'bob'), assignment('DM-11', FIGHT, 150, 'bob')];
    expect(verdict(other, 'fight').proposedFirstSent).toBe(false);
    expect(review(goodRecord()).events.some((e) => e.kind === 'proposed')).toBe(false);
    expect(verdict(goodRecord(), 'fight')).toMatchObject({ proposed: null, proposedFirstSent: null });
  });

  it("the room's measures are the exercise's: 999 answered within 10 s, over the scenario's span", () => {
    const late = goodRecord();
    late.records.contacts[1] = contact('neighbour', 75, 95, 'alice', FIGHT);
    const { measures, from, to } = review(late);
    expect([from, to]).toEqual([at(0), at(1200)]);
    expect(measures.calls).toMatchObject({ offered999: 2, counted999: 2, within10s999: 1, within10sPercent999: 50 });
  });
});

describe('the replay', () => {
  it('shows the queue and each incident as they stood at a moment of the exercise', () => {
    const { events } = review(goodRecord());
    expect(replayAt({ events }, START + 22_000)).toEqual({ atMs: START + 22_000, calls: [{ call: 'fight', state: 'ringing', since: at(20) }], incidents: [] });
    const later = replayAt({ events }, START + 145_000);
    expect(later.calls).toEqual([{ call: 'gun', state: 'ringing', since: at(120) }]);
    expect(later.incidents).toEqual([{ reference: 'TRN-DMO-20261204-0001', callId: 'fight', state: 'unit on the way', units: ['DM-11'] }]);
    const end = replayAt({ events }, START + 900_000);
    expect(end.calls).toEqual([]);
    expect(end.incidents.map((i) => [i.reference, i.state, i.units])).toEqual([
      ['TRN-DMO-20261204-0001', 'unit at scene', ['DM-11', 'DM-12']],
      ['TRN-DMO-20261204-0002', 'unit on the way', ['DM-51']],
    ]);
  });
});

describe('records kept on paper while the system was down, in the review', () => {
  /** The gun call's incident and its ARV kept on paper during an outage, entered by carol at 1100 s. */
  function paperRecord() {
    const record = goodRecord();
    const mark = { by: 'carol', workstation: 'trainee-1', enteredAt: at(1100), outageFrom: at(150) };
    record.records.incidents[1] = { ...record.records.incidents[1]!, backEntered: mark };
    record.records.assignments[2] = { ...assignment('DM-51', GUN, 220, 'carol'), status: 'cleared', arrivedAt: at(400), clearedAt: at(900), backEntered: mark };
    return record;
  }

  it('marks each back-entered event with who entered it and when, at the paper’s own time', () => {
    const { events } = review(paperRecord());
    const ofGun = events.filter((e) => e.incident === 'TRN-DMO-20261204-0002' && ['saved', 'deployed', 'arrived'].includes(e.kind));
    expect(ofGun.map((e) => [e.kind, e.at, e.backEntered])).toEqual([
      ['saved', at(200), { by: 'carol', enteredAt: at(1100) }],
      ['deployed', at(220), { by: 'carol', enteredAt: at(1100) }],
      ['arrived', at(400), { by: 'carol', enteredAt: at(1100) }],
    ]);
    expect(ofGun.every((e) => e.text.includes('(kept on paper)'))).toBe(true);
    // What was done at the time carries no mark.
    expect(events.filter((e) => e.incident === 'TRN-DMO-20261204-0001').some((e) => e.backEntered)).toBe(false);
  });

  it('scores the time to deploy on the paper’s times, and says they were back-entered', () => {
    expect(verdict(paperRecord(), 'gun')).toMatchObject({ deploySeconds: 100, backEntered: true });
    expect(verdict(paperRecord(), 'fight').backEntered).toBe(false);
  });
});
