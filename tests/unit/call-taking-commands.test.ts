import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCommand } from '../../shared/commands/registry';
import { unverifiedLocation } from '../../shared/domain/location';
import { answeredHere, Contact, takenAt } from '../../shared/domain/contact';
import { RecordSet } from '../fakes/rules-harness';
import { callBackTaskId } from '../../shared/domain/call-backs';
import { demoConfig } from '../fakes/fixtures';

let state: RecordSet;
let incidentId: string;
const at = '2026-11-29T10:00:00.000Z';

beforeEach(() => {
  state = new RecordSet();
  incidentId = randomUUID();
  state.must('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '2', firstLog: null });
});

const incident = () => state.get('incident', incidentId)!;
/** The first line of every incident's log, as the creation in beforeEach writes it. */
const OPENED = 'Opened as Assault (ASSAULT), grade 2 Priority, at Bargate; source: raised at the desk, not from a call';
const logTexts = () => [...state.records.values()].filter((r) => r.kind === 'logEntry').map((r) => (r.doc as { text: string }).text);

function ring(source: '999' | '101' = '999') {
  const contactId = randomUUID();
  state.must('contact.receive', { contactId, source, callerNumber: '07700 900123', receivedAt: at, handsetLocation: null });
  return contactId;
}

describe('contacts', () => {
  it('is answered once: the second handler to pick up loses, visibly', () => {
    const contactId = ring();
    state.must('contact.answer', { contactId }, 'alice');
    expect(state.run('contact.answer', { contactId }, 'bob')).toMatchObject({ ok: false, code: 'conflict', reason: 'the call is already answered by alice' });
  });

  it('is the answering workstation’s, not the one it was offered to: Call taking there takes it up', () => {
    // Offered to alice's workstation (its telephony reported it; an exercise's calls are all the trainer's), answered at bob's.
    const contactId = ring();
    state.must('contact.answer', { contactId }, 'bob');
    const contact = state.get('contact', contactId)!;
    expect(contact).toMatchObject({ workstation: 'WS-alice', answeredBy: 'bob', answeredAtWorkstation: 'WS-bob' });
    expect(takenAt(contact)).toBe('WS-bob');
    expect(answeredHere(contact, 'bob', 'WS-bob')).toBe(true);
    expect(answeredHere(contact, 'bob', 'WS-alice')).toBe(false);
    expect(answeredHere(contact, 'alice', 'WS-bob')).toBe(false);
    // A call answered before the answering workstation was recorded was taken where it was offered.
    const { answeredAtWorkstation: _dropped, ...stored } = contact;
    const older = Contact.parse(stored);
    expect(older.answeredAtWorkstation).toBeNull();
    expect(takenAt(older)).toBe('WS-alice');
    expect(takenAt(state.get('contact', ring())!)).toBeNull();
  });

  it('leaves a call-back task when a 999 call is abandoned or silent, and none for a 101 call', () => {
    const abandoned = ring();
    const taskId = callBackTaskId(demoConfig.force.code, '07700 900123', abandoned);
    state.must('contact.end', { contactId: abandoned, outcome: 'abandoned', taskId });
    expect(state.get('task', taskId)).toMatchObject({ kind: 'call_back', contactId: abandoned, callerNumber: '07700 900123', reason: '999 call abandoned before it was answered', state: 'open' });

    const silent = ring();
    state.must('contact.answer', { contactId: silent });
    // The same number: the same task, now saying its latest call was silent.
    const silentTask = callBackTaskId(demoConfig.force.code, '07700 900123', silent);
    state.must('contact.end', { contactId: silent, outcome: 'silent', taskId: silentTask });
    expect(state.get('task', silentTask)).toMatchObject({ reason: 'Silent 999 call' });

    const nonEmergency = ring('101');
    const none = randomUUID();
    state.must('contact.end', { contactId: nonEmergency, outcome: 'abandoned', taskId: none });
    expect(state.get('task', none)).toBeUndefined();
  });

  it('attaches a further call to an existing incident, with a line in its log, instead of a second incident', () => {
    const contactId = ring();
    state.must('contact.answer', { contactId });
    state.must('contact.attach', { contactId, incidentId });
    expect(state.get('contact', contactId)).toMatchObject({ incidentId, state: 'completed' });
    expect(logTexts()).toEqual([OPENED, expect.stringMatching(/^Further contact attached: 999 from 07700 900123/)]);
  });

  it('writes the further call’s time in its log line at the force’s time, not UTC’s', () => {
    const contactId = randomUUID();
    state.must('contact.receive', { contactId, source: '999', callerNumber: '07700 900123', receivedAt: '2026-07-15T23:20:05.000Z', handsetLocation: null });
    state.must('contact.answer', { contactId });
    state.must('contact.attach', { contactId, incidentId });
    expect(logTexts()).toEqual([OPENED, 'Further contact attached: 999 from 07700 900123, received 00:20:05']);
  });

  it('links the call that made an incident to it', () => {
    const contactId = ring();
    const made = randomUUID();
    state.must('incident.create', { incidentId: made, provisionalReference: 'WS-P0002', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '1', firstLog: null, contactId });
    expect(state.get('contact', contactId)).toMatchObject({ incidentId: made, state: 'completed' });
  });
});

describe('the downgrade rule', () => {
  it('applies an upgrade at once and restarts the attendance clock', () => {
    state.run('incident.regrade', { incidentId, changeId: randomUUID(), grade: '1' }, 'alice', '2026-11-29T10:05:00.000Z');
    expect(incident()).toMatchObject({ grade: '1', gradedAt: '2026-11-29T10:05:00.000Z', pendingDowngrade: null });
  });

  it('refuses a downgrade without a reason', () => {
    expect(state.run('incident.regrade', { incidentId, changeId: randomUUID(), grade: '3' })).toMatchObject({ ok: false, code: 'invalid', reason: 'a downgrade needs a reason' });
  });

  it('holds a handler’s downgrade until a supervisor confirms it', () => {
    state.must('incident.regrade', { incidentId, changeId: randomUUID(), grade: '3', reason: 'caller says they have left' }, 'alice');
    expect(incident()).toMatchObject({ grade: '2', pendingDowngrade: { grade: '3', requestedBy: 'alice' } });
    expect(state.run('incident.decideDowngrade', { incidentId, decisionId: randomUUID(), approve: true }, 'bob')).toMatchObject({ ok: false, code: 'forbidden' });
    state.must('incident.decideDowngrade', { incidentId, decisionId: randomUUID(), approve: true, note: 'agreed' }, 'sam');
    expect(incident()).toMatchObject({ grade: '3', pendingDowngrade: null });
    expect(logTexts()).toEqual([
      OPENED,
      'Downgrade to grade 3 asked for: caller says they have left. Waiting for a supervisor.',
      'Downgrade to grade 3 confirmed (agreed) (asked by alice: caller says they have left)',
    ]);
  });

  it('lets a supervisor downgrade straight away, and a refused downgrade leaves the grade', () => {
    state.must('incident.regrade', { incidentId, changeId: randomUUID(), grade: '3', reason: 'no longer urgent' }, 'alice');
    state.must('incident.decideDowngrade', { incidentId, decisionId: randomUUID(), approve: false, note: 'still a risk' }, 'sam');
    expect(incident()).toMatchObject({ grade: '2', pendingDowngrade: null });
    state.must('incident.regrade', { incidentId, changeId: randomUUID(), grade: '3', reason: 'no longer urgent' }, 'sam');
    expect(incident().grade).toBe('3');
  });
});

describe('THRIVE', () => {
  it('records the answers on the incident and every question with its answer in the log', () => {
    state.must('incident.assessRisk', { incidentId, assessmentId: randomUUID(), answers: [{ questionId: 'danger-now', answer: 'yes', note: 'knife seen' }, { questionId: 'injured', answer: 'no' }] });
    expect(incident().thrive).toMatchObject({ stale: false, assessedBy: 'alice', answers: [expect.objectContaining({ questionId: 'danger-now', answer: 'yes' }), expect.anything()] });
    expect(logTexts()[1]).toBe('THRIVE assessment\nThreat: Is anyone in immediate danger? YES (knife seen)\nHarm: Is anyone injured or in need of medical help? NO');
  });

  it('asks for it again when a fact that bears on risk changes', () => {
    state.must('incident.assessRisk', { incidentId, assessmentId: randomUUID(), answers: [{ questionId: 'danger-now', answer: 'no' }] });
    state.must('incident.update', { incidentId, changeId: randomUUID(), fields: { callerName: 'J Smith' } });
    expect(incident().thrive?.stale).toBe(false);
    state.must('incident.update', { incidentId, changeId: randomUUID(), fields: { description: 'now threatening with a bottle' } });
    expect(incident().thrive).toMatchObject({ stale: true, staleBecause: 'description changed' });
  });

  it('refuses an answer to a question the force does not ask', () => {
    expect(state.run('incident.assessRisk', { incidentId, assessmentId: randomUUID(), answers: [{ questionId: 'horoscope', answer: 'yes' }] })).toMatchObject({ code: 'invalid' });
  });
});

describe('related incidents', () => {
  it('links both ways and can be undone', () => {
    const other = randomUUID();
    state.must('incident.create', { incidentId: other, provisionalReference: 'WS-P0002', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '2', firstLog: null });
    const linkId = randomUUID();
    state.must('incident.link', { incidentId, otherId: other, linkId });
    expect(incident().related).toEqual([other]);
    expect(state.get('incident', other)!.related).toEqual([incidentId]);
    state.must('incident.unlink', { incidentId: other, otherId: incidentId, linkId: randomUUID() });
    expect(incident().related).toEqual([]);
    expect(state.get('incident', other)!.related).toEqual([]);
    expect(logTexts().filter((t) => t.startsWith('Linked')).length).toBe(2);
    expect(logTexts().filter((t) => t.startsWith('No longer related')).length).toBe(2);
  });
});

describe('bad input', () => {
  it('keeps markup as plain text and refuses control characters, oversized text and unknown codes, each with a clear message', () => {
    const script = '<script>alert(1)</script> & <b>bold</b>';
    state.must('incident.addLog', { incidentId, entryId: randomUUID(), text: script });
    expect(logTexts()).toEqual([OPENED, script]);
    expect(parseCommand('incident.addLog', { incidentId, entryId: randomUUID(), text: 'bell\u0007' })).toEqual({ ok: false, reason: 'incident.addLog: text: contains control characters' });
    expect(parseCommand('incident.addLog', { incidentId, entryId: randomUUID(), text: 'x'.repeat(4001) })).toEqual({ ok: false, reason: 'incident.addLog: text: must be at most 4000 characters' });
    expect(parseCommand('incident.update', { incidentId, changeId: randomUUID(), fields: { callerName: 'line\nbreak' } })).toMatchObject({ ok: false, reason: expect.stringContaining('control characters or line breaks') });
    expect(state.run('incident.close', { incidentId, closeId: randomUUID(), closingCode: 'SHRUG', incidentVersion: 1 })).toEqual({ ok: false, code: 'invalid', reason: 'unknown closing code "SHRUG"' });
    expect(state.run('incident.regrade', { incidentId, changeId: randomUUID(), grade: '9' })).toEqual({ ok: false, code: 'invalid', reason: 'unknown grade "9"' });
  });
});
