import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../shared/domain/assignment';
import type { Contact } from '../../shared/domain/contact';
import type { Incident } from '../../shared/domain/incident';
import { ForceConfig } from '../../shared/domain/force-config';
import { roomMeasures, type MeasureRecords } from '../../shared/measures/room-measures';
import { lastHour, shiftAt } from '../../shared/measures/measure-window';
import { measureLevels } from '../../shared/measures/measure-levels';
import { MeasuresConfig } from '../../shared/measures/measures-config';
import { demoConfig } from '../fakes/fixtures';
import { RecordSet } from '../fakes/rules-harness';
import { crossedIntoRed } from '../../renderer/features/dispatch/measure-crossings';
import { unverifiedLocation } from '../../shared/domain/location';

// The room's measures on hand-made histories: each clock's start and stop, what counts as abandoned, the shift from
// the force's rota (past midnight, across the changes of the clocks), and the levels the thresholds give.

const at = (iso: string) => new Date(iso).toISOString();
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const span = (from: string, to: string) => ({ fromMs: Date.parse(from), toMs: Date.parse(to) });

function call(source: Contact['source'], receivedAt: string, outcome: { answeredAfter?: number; abandonedAfter?: number; incidentId?: string } = {}): Contact {
  return {
    id: randomUUID(),
    force: 'DMO',
    source,
    callerNumber: '07700900001',
    handsetLocation: null,
    state: outcome.answeredAfter !== undefined ? 'answered' : outcome.abandonedAfter !== undefined ? 'abandoned' : 'ringing',
    receivedAt: at(receivedAt),
    workstation: 'CT-1',
    answeredAt: outcome.answeredAfter !== undefined ? plus(receivedAt, outcome.answeredAfter) : null,
    answeredBy: outcome.answeredAfter !== undefined ? 'alice' : null,
    answeredAtWorkstation: outcome.answeredAfter !== undefined ? 'CT-1' : null,
    endedAt: outcome.abandonedAfter !== undefined ? plus(receivedAt, outcome.abandonedAfter) : null,
    incidentId: outcome.incidentId ?? null,
    disposal: null,
    version: 1,
  };
}

function incident(grade: string, createdAt: string, more: Partial<Incident> = {}): Incident {
  return {
    id: randomUUID(),
    force: 'DMO',
    reference: null,
    provisionalReference: 'CT-1-P0001',
    type: 'ASSAULT',
    location: { text: '1 High Street' } as Incident['location'],
    description: '',
    callerName: '',
    callerNumber: '',
    grade,
    gradedAt: at(createdAt),
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
    createdAt: at(createdAt),
    createdBy: 'alice',
    createdAtWorkstation: 'CT-1',
    updatedAt: at(createdAt),
    version: 1,
    ...more,
  };
}

function deployment(of: Incident, deployedAt: string, more: Partial<Assignment> = {}): Assignment {
  return {
    id: randomUUID(),
    force: 'DMO',
    unitId: 'DM-11',
    incidentId: of.id,
    status: 'assigned',
    delivery: { state: 'sent', at: at(deployedAt), note: '' },
    reservedFor: null,
    receiptAlarm: null,
    radioConfirmed: null,
    lateRejection: null,
    duePrompt: null,
    assignedAt: at(deployedAt),
    deployedAt: at(deployedAt),
    assignedBy: 'bob',
    updatedAt: at(deployedAt),
    version: 1,
    ...more,
  };
}

const records = (r: Partial<MeasureRecords>): MeasureRecords => ({ contacts: [], incidents: [], assignments: [], ...r });
const HOUR = span('2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z');

describe('999 calls answered within 10 seconds', () => {
  it('counts answered calls by their answer time, 10.0 s as within, and calls that waited over 10 s unanswered as missed', () => {
    const figures = roomMeasures(
      demoConfig,
      records({
        contacts: [
          call('999', '2026-11-30T10:05:00Z', { answeredAfter: 4 }),
          call('999', '2026-11-30T10:06:00Z', { answeredAfter: 10 }),
          call('999', '2026-11-30T10:07:00Z', { answeredAfter: 10.001 }),
          call('999', '2026-11-30T10:08:00Z', { abandonedAfter: 25 }),
          // Hung up within 10 s: nobody could have answered it; neither side of the measure.
          call('999', '2026-11-30T10:09:00Z', { abandonedAfter: 3 }),
          // Still ringing at the end, for 30 s: already missed. One ringing 5 s: not yet counted.
          call('999', '2026-11-30T10:59:30Z'),
          call('999', '2026-11-30T10:59:55Z'),
          // Before the hour, and a 101 call: not in this figure.
          call('999', '2026-11-30T09:59:59Z', { answeredAfter: 30 }),
          call('101', '2026-11-30T10:10:00Z', { answeredAfter: 50 }),
        ],
      }),
      HOUR,
    );
    expect(figures.calls).toMatchObject({ offered999: 7, answered999: 3, abandoned999: 2, counted999: 5, within10s999: 2, within10sPercent999: 40, abandonedPercent999: 28.6 });
  });

  it('has no figure when no 999 call could be counted, rather than 0% or 100%', () => {
    const figures = roomMeasures(demoConfig, records({ contacts: [call('999', '2026-11-30T10:59:58Z')] }), HOUR);
    expect(figures.calls.within10sPercent999).toBeNull();
    expect(measureLevels(figures, demoConfig.measures.thresholds).answered999Within10s).toBe('none');
  });
});

describe('abandonment and the answer-time distribution', () => {
  it('counts abandoned 999 and 101 calls over the calls that rang in the span, and puts answer times in their buckets', () => {
    const figures = roomMeasures(
      demoConfig,
      records({
        contacts: [
          call('101', '2026-11-30T10:00:00Z', { abandonedAfter: 120 }),
          call('101', '2026-11-30T10:01:00Z', { answeredAfter: 45 }),
          call('101', '2026-11-30T10:02:00Z', { answeredAfter: 200 }),
          call('999', '2026-11-30T10:03:00Z', { answeredAfter: 2 }),
          call('999', '2026-11-30T10:04:00Z', { answeredAfter: 7 }),
          call('999', '2026-11-30T10:05:00Z', { answeredAfter: 12 }),
        ],
      }),
      HOUR,
    );
    expect(figures.calls).toMatchObject({ offered101: 3, abandoned101: 1, abandonedPercent101: 33.3, abandoned999: 0, abandonedPercent999: 0 });
    const of999 = figures.answerTimes.find((a) => a.source === '999')!;
    expect(of999.buckets.map((b) => [b.label, b.count])).toEqual([
      ['0–5 s', 1],
      ['5–10 s', 1],
      ['10–20 s', 1],
      ['20–30 s', 0],
      ['30–60 s', 0],
      ['60–120 s', 0],
      ['over 120 s', 0],
    ]);
    expect(of999).toMatchObject({ answered: 3, medianSeconds: 7, p90Seconds: 12 });
    const of101 = figures.answerTimes.find((a) => a.source === '101')!;
    expect(of101.buckets.at(-1)).toMatchObject({ label: 'over 120 s', count: 1 });
  });
});

describe('queue depth by grade', () => {
  it('counts an incident from its creation until its first deployment or closure, at its present grade, grades without a target never', () => {
    const waiting = incident('1', '2026-11-30T10:10:00Z');
    const deployedLater = incident('1', '2026-11-30T10:20:00Z');
    const closedUnsent = incident('2', '2026-11-30T09:30:00Z', { status: 'closed', closedAt: at('2026-11-30T10:30:00Z') });
    const resolvedByPhone = incident('4', '2026-11-30T10:05:00Z');
    const deployedBefore = incident('2', '2026-11-30T09:00:00Z');
    const figures = roomMeasures(
      demoConfig,
      records({
        incidents: [waiting, deployedLater, closedUnsent, resolvedByPhone, deployedBefore],
        assignments: [deployment(deployedLater, '2026-11-30T10:40:00Z'), deployment(deployedBefore, '2026-11-30T09:05:00Z')],
      }),
      HOUR,
    );
    expect(figures.queue.now).toEqual({ '1': 1, '2': 0, '3': 0 });
    const sample = (iso: string) => figures.queue.series.find((p) => p.at === at(iso))!.byGrade;
    expect(sample('2026-11-30T10:00:00Z')).toEqual({ '1': 0, '2': 1, '3': 0 });
    expect(sample('2026-11-30T10:25:00Z')).toEqual({ '1': 2, '2': 1, '3': 0 });
    expect(sample('2026-11-30T10:45:00Z')).toEqual({ '1': 1, '2': 0, '3': 0 });
    expect(figures.queue.series.at(-1)!.at).toBe(at('2026-11-30T11:00:00Z'));
    expect(figures.queue.series).toHaveLength(61);
  });

  // Issue 12 m2, its measure kind: an incident transferred in waited in the other force's queue before it was this force's.
  it('counts an incident transferred to the force from the acceptance, not from its creation at the other force', () => {
    const transferred = incident('1', '2026-11-30T09:00:00Z', { handovers: [{ from: 'NBR', to: 'DMO', at: at('2026-11-30T10:30:00Z'), acceptedBy: 'bob', type: 'VIOLENCE', became: 'ASSAULT' }] });
    const figures = roomMeasures(demoConfig, records({ incidents: [transferred] }), HOUR);
    const sample = (iso: string) => figures.queue.series.find((p) => p.at === at(iso))!.byGrade['1'];
    expect(sample('2026-11-30T10:15:00Z')).toBe(0);
    expect(sample('2026-11-30T10:45:00Z')).toBe(1);
  });

  it('turns amber and red by the thresholds of the force configuration', () => {
    const three = [0, 1, 2].map((i) => incident('1', plus('2026-11-30T10:00:00Z', i * 60)));
    const four = [...three, incident('1', '2026-11-30T10:30:00Z')];
    const levelOf = (list: Incident[]) => measureLevels(roomMeasures(demoConfig, records({ incidents: list }), HOUR), demoConfig.measures.thresholds)['queueDepth:1'];
    // The demonstration force: grade 1 amber above 1 waiting, red above 3.
    expect(levelOf(three.slice(0, 1))).toBe('ok');
    expect(levelOf(three)).toBe('amber');
    expect(levelOf(four)).toBe('red');
  });
});

describe('call to first deployment', () => {
  it('runs from the first linked call ringing (or the creation, without one) to the first deployment in the span', () => {
    const fromCall = incident('1', '2026-11-30T10:02:00Z');
    const noCall = incident('2', '2026-11-30T10:10:00Z');
    const reserved = incident('3', '2026-11-30T10:00:00Z');
    const earlyCall = call('999', '2026-11-30T10:00:00Z', { answeredAfter: 5, incidentId: fromCall.id });
    const secondCall = call('999', '2026-11-30T10:01:00Z', { answeredAfter: 5, incidentId: fromCall.id });
    const figures = roomMeasures(
      demoConfig,
      records({
        incidents: [fromCall, noCall, reserved],
        contacts: [secondCall, earlyCall],
        assignments: [
          deployment(fromCall, '2026-11-30T10:04:00Z'),
          deployment(fromCall, '2026-11-30T10:03:00Z'),
          deployment(noCall, '2026-11-30T10:30:00Z'),
          // Booked at 10:05, never deployed: no deployment.
          deployment(reserved, '2026-11-30T10:05:00Z', { status: 'reserved', reservedFor: at('2026-12-01T10:00:00Z'), deployedAt: undefined, delivery: null }),
        ],
      }),
      HOUR,
    );
    expect(figures.callToDeployment.count).toBe(2);
    expect(figures.callToDeployment.byGrade['1']).toEqual({ count: 1, medianSeconds: 180, p90Seconds: 180 });
    expect(figures.callToDeployment.byGrade['2']).toEqual({ count: 1, medianSeconds: 1200, p90Seconds: 1200 });
    expect(figures.callToDeployment.byGrade['3']).toBeUndefined();
  });

  it('reads an assignment recorded before deployments were timed by when it was made', () => {
    const old = incident('1', '2026-11-30T10:00:00Z');
    const figures = roomMeasures(demoConfig, records({ incidents: [old], assignments: [deployment(old, '2026-11-30T10:06:00Z', { deployedAt: undefined })] }), HOUR);
    expect(figures.callToDeployment.medianSeconds).toBe(360);
  });
});

describe('attendance met by grade', () => {
  it('settles each incident once: met when a unit arrived in the span in time, missed when the target fell due in the span', () => {
    const met = incident('1', '2026-11-30T10:00:00Z', { attendedAt: at('2026-11-30T10:14:00Z') });
    const missedLate = incident('1', '2026-11-30T10:10:00Z', { attendedAt: at('2026-11-30T10:40:00Z') });
    const missedNobody = incident('1', '2026-11-30T10:20:00Z');
    const notDueYet = incident('1', '2026-11-30T10:50:00Z');
    const closedBeforeDue = incident('1', '2026-11-30T10:30:00Z', { status: 'closed', closedAt: at('2026-11-30T10:35:00Z') });
    const metBeforeSpan = incident('1', '2026-11-30T09:40:00Z', { attendedAt: at('2026-11-30T09:50:00Z') });
    const grade2 = incident('2', '2026-11-30T09:30:00Z', { attendedAt: at('2026-11-30T10:20:00Z') });
    const figures = roomMeasures(demoConfig, records({ incidents: [met, missedLate, missedNobody, notDueYet, closedBeforeDue, metBeforeSpan, grade2] }), HOUR);
    expect(figures.attendance).toEqual([
      { grade: '1', met: 1, missed: 2, metPercent: 33.3 },
      { grade: '2', met: 1, missed: 0, metPercent: 100 },
      { grade: '3', met: 0, missed: 0, metPercent: null },
    ]);
    const levels = measureLevels(figures, demoConfig.measures.thresholds);
    expect(levels['attendanceMet:1']).toBe('red');
    expect(levels['attendanceMet:2']).toBe('ok');
    expect(levels['attendanceMet:3']).toBe('none');
  });
});

describe('handoffs waiting', () => {
  it('counts the incidents not taken at the span’s end, those past their grade’s time and those with the supervisor, from each one’s wait', () => {
    const taken = (since: string, when: string) => ({ handoff: { waitingSince: at(since), takenAt: at(when), takenBy: 'bob' } });
    const figures = roomMeasures(
      demoConfig,
      records({
        incidents: [
          // Grade 1 (60 s, then 60 s more): ten minutes untaken, so with the supervisor.
          incident('1', '2026-11-30T10:50:00Z'),
          // Grade 2 (5 min): two minutes, still within its time.
          incident('2', '2026-11-30T10:58:00Z'),
          // Grade 3 (30 min, then 30 more): forty minutes, past its time, not yet the supervisor's.
          incident('3', '2026-11-30T10:20:00Z'),
          // Taken after the span ended: still waiting at its end, twenty minutes, with the supervisor.
          incident('2', '2026-11-30T10:40:00Z', taken('2026-11-30T10:40:00Z', '2026-11-30T11:05:00Z')),
          // Taken within a minute, and one closed untaken: neither waits at the end.
          incident('1', '2026-11-30T10:30:00Z', taken('2026-11-30T10:30:00Z', '2026-11-30T10:31:00Z')),
          incident('2', '2026-11-30T10:00:00Z', { status: 'closed', closedAt: at('2026-11-30T10:20:00Z') }),
          // Made after the span: not yet waiting.
          incident('1', '2026-11-30T11:10:00Z'),
        ],
      }),
      HOUR,
    );
    expect(figures.handoffsWaiting).toEqual({ waiting: 4, pastTime: 3, escalated: 2, oldestSeconds: 40 * 60 });
    expect(measureLevels(figures, demoConfig.measures.thresholds).handoffsWaiting).toBe('red');
  });

  it('is amber while one is past its time and none is with the supervisor, and none waiting is ok', () => {
    const pastTime = roomMeasures(demoConfig, records({ incidents: [incident('3', '2026-11-30T10:20:00Z')] }), HOUR);
    expect(measureLevels(pastTime, demoConfig.measures.thresholds).handoffsWaiting).toBe('amber');
    const none = roomMeasures(demoConfig, records({}), HOUR);
    expect(none.handoffsWaiting).toEqual({ waiting: 0, pastTime: 0, escalated: 0, oldestSeconds: null });
    expect(measureLevels(none, demoConfig.measures.thresholds).handoffsWaiting).toBe('ok');
  });
});

describe('the shift, from the force rota', () => {
  const rota = MeasuresConfig.parse({ shifts: [{ name: 'Early', starts: '07:00' }, { name: 'Late', starts: '15:00' }, { name: 'Night', starts: '22:00' }] });
  const zone = 'Europe/London';

  it('runs a night shift past midnight into the next day', () => {
    expect(shiftAt(rota, zone, Date.parse('2026-11-30T01:30:00Z'))).toEqual({ name: 'Night', fromMs: Date.parse('2026-11-29T22:00:00Z'), toMs: Date.parse('2026-11-30T07:00:00Z') });
    expect(shiftAt(rota, zone, Date.parse('2026-11-30T22:00:00Z'))).toMatchObject({ name: 'Night', fromMs: Date.parse('2026-11-30T22:00:00Z') });
    expect(shiftAt(rota, zone, Date.parse('2026-11-30T21:59:59Z'))).toMatchObject({ name: 'Late', toMs: Date.parse('2026-11-30T22:00:00Z') });
  });

  it('starts on the force’s clock in summer time (07:00 BST is 06:00 UTC)', () => {
    expect(shiftAt(rota, zone, Date.parse('2026-07-15T06:30:00Z'))).toEqual({ name: 'Early', fromMs: Date.parse('2026-07-15T06:00:00Z'), toMs: Date.parse('2026-07-15T14:00:00Z') });
  });

  it('is an hour shorter across the March change and an hour longer across the October one', () => {
    // Night of 28–29 March 2026: 22:00 GMT to 07:00 BST is eight hours, not nine.
    const march = shiftAt(rota, zone, Date.parse('2026-03-29T03:00:00Z'));
    expect(march).toEqual({ name: 'Night', fromMs: Date.parse('2026-03-28T22:00:00Z'), toMs: Date.parse('2026-03-29T06:00:00Z') });
    // Night of 24–25 October 2026: 22:00 BST to 07:00 GMT is ten hours.
    const october = shiftAt(rota, zone, Date.parse('2026-10-25T01:30:00Z'));
    expect(october).toEqual({ name: 'Night', fromMs: Date.parse('2026-10-24T21:00:00Z'), toMs: Date.parse('2026-10-25T07:00:00Z') });
    expect((october.toMs - october.fromMs) / 3_600_000).toBe(10);
  });

  it('counts a call at 01:30 GMT, in the hour the October change repeats, once, in the span of its instant', () => {
    const first = call('999', '2026-10-25T00:30:00Z', { answeredAfter: 5 }); // 01:30 BST
    const second = call('999', '2026-10-25T01:30:00Z', { answeredAfter: 20 }); // 01:30 GMT
    const shift = shiftAt(rota, zone, Date.parse('2026-10-25T01:45:00Z'));
    const overShift = roomMeasures(demoConfig, records({ contacts: [first, second] }), { fromMs: shift.fromMs, toMs: Date.parse('2026-10-25T01:45:00Z') });
    expect(overShift.calls).toMatchObject({ offered999: 2, within10s999: 1, within10sPercent999: 50 });
    const hour = roomMeasures(demoConfig, records({ contacts: [first, second] }), lastHour(Date.parse('2026-10-25T01:45:00Z')));
    expect(hour.calls).toMatchObject({ offered999: 1, within10s999: 0 });
  });
});

describe('thresholds in the force configuration', () => {
  it('refuses thresholds the wrong way round, naming the figure', () => {
    const bad = { ...demoConfig, measures: { shifts: [{ name: 'Day', starts: '08:00' }], thresholds: { answered999Within10s: { amber: 80, red: 90 } } } };
    const parsed = ForceConfig.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('red (90) must be at or below amber (80)');
  });

  it('gives a force that says nothing of its measures three shifts and the national 999 target', () => {
    const { measures: _omitted, ...rest } = demoConfig;
    const parsed = ForceConfig.parse(rest);
    expect(parsed.measures.shifts.map((s) => s.starts)).toEqual(['07:00', '15:00', '23:00']);
    expect(parsed.measures.thresholds.answered999Within10s).toEqual({ amber: 90, red: 80 });
  });
});

describe('when a unit was deployed, as the rules record it', () => {
  it('records the deployment at once, and a reservation when it falls due, not when it was booked nor the time booked for', () => {
    const state = new RecordSet();
    state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
    state.registerOnDuty({ callSign: 'DM-12', type: 'IRV', homeStation: 'Central' });
    const incidentId = randomUUID();
    state.run('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'THEFT', location: unverifiedLocation('High Street'), grade: '3', firstLog: null }, 'alice', '2026-11-29T09:00:00.000Z');
    const [now, booked] = [randomUUID(), randomUUID()];
    const assign = (assignmentId: string, unitId: string, reserveFor: string | null, when: string) =>
      state.run('unit.assign', { assignmentId, unitId, incidentId, unitVersion: state.get('unit', unitId)!.version, reserveFor }, 'bob', when);
    expect(assign(now, 'DM-11', null, '2026-11-29T09:10:00.000Z').ok).toBe(true);
    expect(state.get('assignment', now)!.deployedAt).toBe('2026-11-29T09:10:00.000Z');
    expect(assign(booked, 'DM-12', '2026-11-29T15:30:00.000Z', '2026-11-29T09:20:00.000Z').ok).toBe(true);
    expect(state.get('assignment', booked)!.deployedAt).toBeUndefined();
    const reservation = state.get('assignment', booked)!;
    const due = state.run('assignment.setStatus', { assignmentId: booked, unitId: 'DM-12', incidentId, status: 'assigned', assignmentVersion: reservation.version }, 'bob', '2026-11-29T15:41:00.000Z');
    expect(due.ok).toBe(true);
    expect(state.get('assignment', booked)!.deployedAt).toBe('2026-11-29T15:41:00.000Z');
  });
});

describe('the sound when a figure crosses into red', () => {
  it('sounds for a figure turning red, or red on first sight, and not again while it stays red', () => {
    const seen = new Map();
    expect(crossedIntoRed(seen, [{ span: 'last-hour', levels: { abandoned999: 'amber', answered999Within10s: 'red' } }])).toEqual(['last-hour:answered999Within10s']);
    expect(crossedIntoRed(seen, [{ span: 'last-hour', levels: { abandoned999: 'amber', answered999Within10s: 'red' } }])).toEqual([]);
    expect(crossedIntoRed(seen, [{ span: 'last-hour', levels: { abandoned999: 'red', answered999Within10s: 'red' } }, { span: 'shift', levels: { abandoned999: 'red' } }])).toEqual([
      'last-hour:abandoned999',
      'shift:abandoned999',
    ]);
    // Out of red and back: a new crossing.
    expect(crossedIntoRed(seen, [{ span: 'last-hour', levels: { answered999Within10s: 'ok' } }])).toEqual([]);
    expect(crossedIntoRed(seen, [{ span: 'last-hour', levels: { answered999Within10s: 'red' } }])).toEqual(['last-hour:answered999Within10s']);
  });
});
