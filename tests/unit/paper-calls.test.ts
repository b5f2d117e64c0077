import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../shared/domain/assignment';
import type { Contact } from '../../shared/domain/contact';
import { derivedId } from '../../shared/domain/derived-id';
import type { Incident, LogEntry } from '../../shared/domain/incident';
import { unverifiedLocation } from '../../shared/domain/location';
import { outageCalls } from '../../shared/domain/paper-calls';
import { roomMeasures } from '../../shared/measures/room-measures';
import { exerciseReview, type ReviewHistoryEntry } from '../../shared/training/exercise-review';
import { Scenario } from '../../shared/training/scenario';
import { demoConfig } from '../fakes/fixtures';
import { RecordSet } from '../fakes/rules-harness';

// The shipped CAD-down drill: the system goes down at 03:05 and is back at 03:25; the RTC call rings at 03:09:50 while
// it is down, is answered on the handset at 03:10 and written on paper (the incident opened at 03:11, DM-14 sent by
// radio at 03:12); bob enters the paper in catch-up at 03:30.
const scenario = Scenario.parse(JSON.parse(readFileSync(join(process.cwd(), 'assets', 'exercises', 'cad-down-night.json'), 'utf8')));
const TRAINER = '6f1f7d0e-3c0a-4f1e-9b5a-2f0c3d4e5a6b';
const CALL = derivedId(TRAINER, 'night-rtc');
const OTHER = derivedId(TRAINER, 'night-missing-found');
const INCIDENT = '11111111-1111-4111-8111-111111111111';
const SECOND_INCIDENT = '22222222-2222-4222-8222-222222222222';
const CARE_HOME = '44444444-4444-4444-8444-444444444444';
const outage = { outageFrom: '2026-12-03T03:05:02.000Z', backAt: '2026-12-03T03:25:00.000Z' };
const enteredAt = '2026-12-03T03:30:00.000Z';

function ringing(id: string, receivedAt: string, source: Contact['source'] = '999'): Contact {
  return { id, force: 'DMO', source, callerNumber: '07700 900332', handsetLocation: null, state: 'ringing', receivedAt, workstation: 'trainer', answeredAt: null, answeredBy: null, answeredAtWorkstation: null, endedAt: null, incidentId: null, disposal: null, version: 1 };
}

function room(receivedAt = '2026-12-03T03:09:50.000Z') {
  const records = new RecordSet();
  records.registerOnDuty({ callSign: 'DM-14', type: 'IRV', homeStation: 'SALT' });
  records.put([{ kind: 'contact', id: CALL, doc: ringing(CALL, receivedAt) }]);
  return records;
}

function paperIncident(records: RecordSet, incidentId = INCIDENT, at = '2026-12-03T03:11:00.000Z') {
  return records.run(
    'incident.create',
    { incidentId, provisionalReference: `WS-bob-${incidentId.slice(0, 4)}`, type: 'RTC', location: unverifiedLocation('Coast road'), grade: '1', firstLog: null, paper: { at, outageFrom: outage.outageFrom } },
    'bob',
    enteredAt,
  );
}

const answerOnPaper = (records: RecordSet, answeredAt = '2026-12-03T03:10:00.000Z', more: { incidentId?: string; backAt?: string; issuedAt?: string; operator?: string } = {}) =>
  records.run(
    'contact.answerOnPaper',
    { contactId: CALL, incidentId: more.incidentId ?? INCIDENT, answeredAt, paper: { outageFrom: outage.outageFrom, backAt: more.backAt ?? outage.backAt } },
    more.operator ?? 'bob',
    more.issuedAt ?? enteredAt,
  );

describe('a call answered on the handset while the system was down, tied to its paper record in catch-up', () => {
  it('is answered at the paper’s time by who entered it, on the paper incident, marked back-entered, with a line in its log at that time', () => {
    const records = room();
    expect(paperIncident(records).ok).toBe(true);
    expect(answerOnPaper(records).ok).toBe(true);
    expect(records.get('contact', CALL)).toMatchObject({
      state: 'completed',
      answeredAt: '2026-12-03T03:10:00.000Z',
      answeredBy: 'bob',
      incidentId: INCIDENT,
      endedAt: '2026-12-03T03:11:00.000Z',
      backEntered: { by: 'bob', workstation: 'WS-bob', enteredAt, outageFrom: outage.outageFrom },
    });
    const line = records.get('logEntry', derivedId(CALL, `answered-on-paper:${INCIDENT}`)) as LogEntry;
    expect(line).toMatchObject({ incidentId: INCIDENT, at: '2026-12-03T03:10:00.000Z', backEntered: { by: 'bob', enteredAt } });
    expect(line.text).toBe('999 call from 07700 900332 (rang 03:09:50) answered on paper at 03:10 by bob');
    // Sent again (a retry), it changes nothing more.
    expect(answerOnPaper(records)).toEqual({ ok: true, changes: [] });
  });

  it('answered in the minute it rang, it is answered at the moment it rang: the paper gives no seconds, and never a time before the call', () => {
    const records = room('2026-12-03T03:10:37.000Z');
    paperIncident(records);
    expect(answerOnPaper(records, '2026-12-03T03:10:00.000Z').ok).toBe(true);
    expect(records.get('contact', CALL)?.answeredAt).toBe('2026-12-03T03:10:37.000Z');
  });

  it('is refused, changing nothing, with a time before it rang, after the system was back, after its incident was opened, or still to come', () => {
    const tries: [string, { backAt?: string; issuedAt?: string }, string][] = [
      ['2026-12-03T03:08:00.000Z', {}, 'it rang at'],
      ['2026-12-03T03:10:00.000Z', { backAt: '2026-12-03T03:09:55.000Z' }, 'the system was back at'],
      ['2026-12-03T03:12:00.000Z', {}, 'after its incident was opened on paper'],
      ['2026-12-03T03:10:00.000Z', { issuedAt: '2026-12-03T03:09:59.000Z' }, 'after it was entered'],
    ];
    for (const [answeredAt, more, reason] of tries) {
      const records = room();
      paperIncident(records);
      expect(answerOnPaper(records, answeredAt, more), reason).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining(reason) });
      expect(records.get('contact', CALL)).toEqual(ringing(CALL, '2026-12-03T03:09:50.000Z'));
    }
    // Back at 03:25 and the paper says 03:26 (its incident opened then too): after the system was back.
    const records = room();
    paperIncident(records, INCIDENT, '2026-12-03T03:26:00.000Z');
    expect(answerOnPaper(records, '2026-12-03T03:26:00.000Z')).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('the system was back') });
  });

  it('is refused for a call that did not ring during the outage, and as a conflict for one already on an incident or answered at a desk', () => {
    const before = room('2026-12-03T02:40:00.000Z');
    paperIncident(before);
    expect(answerOnPaper(before)).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('not while the system was down') });

    const twice = room();
    paperIncident(twice);
    paperIncident(twice, SECOND_INCIDENT);
    expect(answerOnPaper(twice).ok).toBe(true);
    const linked = twice.get('contact', CALL);
    expect(answerOnPaper(twice, undefined, { incidentId: SECOND_INCIDENT, operator: 'carol' })).toMatchObject({ ok: false, code: 'conflict', reason: 'the call is already on an incident' });
    expect(twice.get('contact', CALL)).toEqual(linked);

    const atDesk = room();
    paperIncident(atDesk);
    atDesk.put([{ kind: 'contact', id: CALL, doc: { ...ringing(CALL, '2026-12-03T03:09:50.000Z'), state: 'answered', answeredAt: '2026-12-03T03:26:00.000Z', answeredBy: 'alice', version: 2 } }]);
    expect(answerOnPaper(atDesk)).toMatchObject({ ok: false, code: 'conflict', reason: expect.stringContaining('answered by alice') });
  });

  it('attached on paper to an incident already there (a further call), it may be answered after that incident was opened, not after it was closed', () => {
    const records = room();
    records.put([{ kind: 'contact', id: OTHER, doc: ringing(OTHER, '2026-12-03T03:20:00.000Z', '101') }]);
    // The care home's missing resident, open since 01:40 (not a paper incident).
    expect(records.run('incident.create', { incidentId: CARE_HOME, provisionalReference: 'WS-sys-1', type: 'MISSING', location: unverifiedLocation('Northgate Care Home'), grade: '2', firstLog: null }, 'alice', '2026-12-03T01:40:00.000Z').ok).toBe(true);
    const attach = (attached: boolean) =>
      records.run('contact.answerOnPaper', { contactId: OTHER, incidentId: CARE_HOME, answeredAt: '2026-12-03T03:21:00.000Z', attached, paper: { outageFrom: outage.outageFrom, backAt: outage.backAt } }, 'bob', enteredAt);
    expect(attach(false)).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('after its incident was opened on paper') });
    expect(attach(true).ok).toBe(true);
    expect(records.get('contact', OTHER)).toMatchObject({ state: 'completed', answeredAt: '2026-12-03T03:21:00.000Z', answeredBy: 'bob', incidentId: CARE_HOME, backEntered: { by: 'bob' } });
    expect((records.get('logEntry', derivedId(OTHER, `answered-on-paper:${CARE_HOME}`)) as LogEntry).text).toBe('Further contact attached on paper: 101 call from 07700 900332 (rang 03:20:00) answered on paper at 03:21 by bob');

    const closed = room();
    closed.put([
      { kind: 'contact', id: OTHER, doc: ringing(OTHER, '2026-12-03T03:20:00.000Z', '101') },
      { kind: 'incident', id: CARE_HOME, doc: { ...(records.get('incident', CARE_HOME) as Incident), status: 'closed', closedAt: '2026-12-03T03:20:30.000Z', closedBy: 'alice' } },
    ]);
    expect(closed.run('contact.answerOnPaper', { contactId: OTHER, incidentId: CARE_HOME, answeredAt: '2026-12-03T03:21:00.000Z', attached: true, paper: { outageFrom: outage.outageFrom, backAt: outage.backAt } }, 'bob', enteredAt)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('on an incident closed at'),
    });
  });

  it('lists for the paper form only the calls that rang during the outage and nobody has dealt with, oldest first', () => {
    const span = { fromMs: Date.parse(outage.outageFrom), toMs: Date.parse(outage.backAt) };
    const calls = [
      ringing(OTHER, '2026-12-03T03:20:00.000Z', '101'),
      ringing(CALL, '2026-12-03T03:09:50.000Z'),
      ringing(derivedId(TRAINER, 'early'), '2026-12-03T02:58:00.000Z'),
      ringing(derivedId(TRAINER, 'after'), '2026-12-03T03:26:00.000Z'),
      { ...ringing(derivedId(TRAINER, 'linked'), '2026-12-03T03:12:00.000Z'), incidentId: INCIDENT },
      { ...ringing(derivedId(TRAINER, 'gone'), '2026-12-03T03:13:00.000Z'), state: 'abandoned' as const },
    ];
    expect(outageCalls(calls, span).map((call) => call.id)).toEqual([CALL, OTHER]);
  });
});

describe('a call answered on paper, in the review and the room’s measures', () => {
  /**
   * The drill's records once bob has entered the paper: the RTC call answered on paper, its incident and DM-14; and
   * the found man's call (101, 03:20), answered on paper at 03:21 and attached to the care home's incident, open since
   * 01:40.
   */
  function drill() {
    const records = room();
    records.put([{ kind: 'contact', id: OTHER, doc: { ...ringing(OTHER, '2026-12-03T03:20:00.000Z', '101'), callerNumber: '07700 900333' } }]);
    expect(records.run('incident.create', { incidentId: CARE_HOME, provisionalReference: 'WS-sys-1', type: 'MISSING', location: unverifiedLocation('Northgate Care Home'), grade: '2', firstLog: null }, 'alice', '2026-12-03T01:40:00.000Z').ok).toBe(true);
    expect(records.run('contact.answerOnPaper', { contactId: OTHER, incidentId: CARE_HOME, answeredAt: '2026-12-03T03:21:00.000Z', attached: true, paper: outage }, 'bob', enteredAt).ok).toBe(true);
    for (const [name, args] of [
      ['incident.create', null],
      ['contact.answerOnPaper', null],
      ['assignment.record', { assignmentId: '33333333-3333-4333-8333-333333333333', unitId: 'DM-14', incidentId: INCIDENT, deployedAt: '2026-12-03T03:12:00.000Z', arrivedAt: '2026-12-03T03:20:00.000Z', clearedAt: '2026-12-03T03:24:00.000Z', paper: { outageFrom: outage.outageFrom } }],
    ] as const) {
      const result = name === 'incident.create' ? paperIncident(records) : name === 'contact.answerOnPaper' ? answerOnPaper(records) : records.run(name, args, 'bob', enteredAt);
      expect(result, name).toMatchObject({ ok: true });
    }
    const all = <T>(kind: string) => [...records.records.values()].filter((r) => r.kind === kind).map((r) => r.doc as T);
    const entry = (issuedAt: string, operator: string, command: string, recordKind: string, recordId: string, field: string | null, after: unknown): ReviewHistoryEntry => ({
      issuedAt,
      operator,
      clientId: TRAINER,
      command,
      kind: field ? 'alteration' : 'collection',
      recordKind,
      recordId,
      field,
      before: field ? 'null' : null,
      after: after === undefined ? null : JSON.stringify(after),
    });
    const history = [
      entry('2026-12-03T03:09:50.000Z', 'telephony', 'contact.receive', 'contact', CALL, null, undefined),
      entry('2026-12-03T03:20:00.000Z', 'telephony', 'contact.receive', 'contact', OTHER, null, undefined),
      entry(enteredAt, 'bob', 'contact.answerOnPaper', 'contact', OTHER, 'incidentId', CARE_HOME),
      entry(enteredAt, 'bob', 'incident.create', 'incident', INCIDENT, null, undefined),
      entry(enteredAt, 'bob', 'contact.answerOnPaper', 'contact', CALL, 'incidentId', INCIDENT),
    ];
    return { records: { contacts: all<Contact>('contact'), incidents: all<Incident>('incident'), assignments: all<Assignment>('assignment') }, history };
  }

  const review = () => exerciseReview({ scenario, config: demoConfig, ...drill(), nowMs: Date.parse('2026-12-03T03:31:00.000Z') });

  it('judges the call answered at its paper time, and its time to save and first deployment from the paper’s times, not from when it was entered', () => {
    const call = review().calls.find((c) => c.callId === 'night-rtc')!;
    expect(call).toMatchObject({
      answeredAt: '2026-12-03T03:10:00.000Z',
      answeredBy: 'bob',
      abandoned: false,
      answerSeconds: 10,
      answerInTime: true,
      savedAt: '2026-12-03T03:11:00.000Z',
      saveSeconds: 60,
      savedInTime: true,
      firstDeployedAt: '2026-12-03T03:12:00.000Z',
      deploySeconds: 130,
      deployedInTime: true,
      answeredOnPaper: true,
      backEntered: true,
    });
  });

  it('puts the answer on the timeline at the paper’s time, kept on paper and back-entered by bob, and counts it among bob’s calls', () => {
    const { events, trainees } = review();
    const answered = events.filter((e) => e.kind === 'answered' && e.callId === 'night-rtc');
    expect(answered).toEqual([expect.objectContaining({ at: '2026-12-03T03:10:00.000Z', by: 'bob', backEntered: { by: 'bob', enteredAt } })]);
    expect(answered[0]!.text).toContain('kept on paper');
    expect(events.some((e) => e.kind === 'abandoned')).toBe(false);
    expect(trainees.find((t) => t.operator === 'bob')).toMatchObject({ callsAnswered: 2, deployments: 1 });
  });

  it('judges a further call attached on paper to the incident already open as answered then and its duplicate spotted, with the attachment on the timeline', () => {
    const { calls, events } = review();
    expect(calls.find((c) => c.callId === 'night-missing-found')).toMatchObject({ answeredAt: '2026-12-03T03:21:00.000Z', answerSeconds: 60, answerInTime: true, abandoned: false, duplicateSpotted: true, saveSeconds: 0, answeredOnPaper: true });
    const attached = events.filter((e) => e.kind === 'attached' && e.callId === 'night-missing-found');
    expect(attached).toEqual([expect.objectContaining({ at: '2026-12-03T03:21:00.000Z', by: 'bob', backEntered: { by: 'bob', enteredAt } })]);
    expect(attached[0]!.text).toContain('(kept on paper)');
    // The RTC call opened its paper incident: it is not shown as attached to it.
    expect(events.some((e) => e.kind === 'attached' && e.callId === 'night-rtc')).toBe(false);
  });

  it('counts it in the room’s measures as a 999 call answered within 10 s, not abandoned, with its call-to-deployment time from the paper', () => {
    const { records } = drill();
    const measures = roomMeasures(demoConfig, records, { fromMs: Date.parse(scenario.startsAt), toMs: Date.parse('2026-12-03T03:31:00.000Z') });
    expect(measures.calls).toMatchObject({ offered999: 1, answered999: 1, abandoned999: 0, counted999: 1, within10s999: 1, within10sPercent999: 100, offered101: 1, abandoned101: 0 });
    expect(measures.callToDeployment).toMatchObject({ count: 1, medianSeconds: 130 });
    expect(review().measures.calls).toMatchObject({ answered999: 1, abandoned999: 0, within10s999: 1 });
  });
});
