import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextShiftStart, shiftSpansAround, tourEnd } from '../../shared/dispatch/shifts';
import { recommendUnits, type Candidate } from '../../shared/dispatch/recommend';
import { unitStatus } from '../../shared/dispatch/unit-status';
import { unverifiedLocation } from '../../shared/domain/location';
import { demoConfig } from '../fakes/fixtures';
import { RecordSet } from '../fakes/rules-harness';

// Every instant is UTC; London is on GMT in November and January, on BST in July. The clocks go forward at 01:00 GMT
// on 29 March 2026 and back at 02:00 BST on 25 October 2026.
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const hours = (ms: number) => ms / 3_600_000;
const LONDON = 'Europe/London';
const NIGHTS = { starts: '22:00', ends: '07:00' };
const DAYS = { starts: '07:00', ends: '17:00' };

describe('a shift in the force’s time', () => {
  it('runs across midnight to the next morning, by the force’s clocks in summer and winter', () => {
    const winter = shiftSpansAround(LONDON, NIGHTS, at('2026-11-29T23:30:00Z')).find((s) => s.startMs <= at('2026-11-29T23:30:00Z') && at('2026-11-29T23:30:00Z') < s.endMs)!;
    expect([iso(winter.startMs), iso(winter.endMs)]).toEqual(['2026-11-29T22:00:00.000Z', '2026-11-30T07:00:00.000Z']);
    const summer = shiftSpansAround(LONDON, NIGHTS, at('2026-07-15T22:30:00Z')).find((s) => s.startMs <= at('2026-07-15T22:30:00Z') && at('2026-07-15T22:30:00Z') < s.endMs)!;
    expect([iso(summer.startMs), iso(summer.endMs)]).toEqual(['2026-07-15T21:00:00.000Z', '2026-07-16T06:00:00.000Z']);
  });

  it('is an hour shorter over the March change and an hour longer over the October change, as the crew works it', () => {
    const march = shiftSpansAround(LONDON, NIGHTS, at('2026-03-28T23:00:00Z')).find((s) => iso(s.startMs) === '2026-03-28T22:00:00.000Z')!;
    expect(hours(march.endMs - march.startMs)).toBe(8);
    const october = shiftSpansAround(LONDON, NIGHTS, at('2026-10-24T22:00:00Z')).find((s) => iso(s.startMs) === '2026-10-24T21:00:00.000Z')!;
    expect(hours(october.endMs - october.startMs)).toBe(10);
    expect(iso(october.endMs)).toBe('2026-10-25T07:00:00.000Z');
  });

  it('starts next at the force’s time, tomorrow once today’s start has passed', () => {
    expect(iso(nextShiftStart(LONDON, DAYS, at('2026-11-29T06:00:00Z')))).toBe('2026-11-29T07:00:00.000Z');
    expect(iso(nextShiftStart(LONDON, DAYS, at('2026-11-29T07:00:00Z')))).toBe('2026-11-30T07:00:00.000Z');
    expect(iso(nextShiftStart(LONDON, DAYS, at('2026-07-15T07:00:00Z')))).toBe('2026-07-16T06:00:00.000Z');
  });
});

describe('when a tour of duty ends, worked out at booking on', () => {
  const unit = (shift: typeof DAYS | null) => ({ callSign: 'DM-11', shift });
  const endOf = (shift: typeof DAYS | null, atIso: string, until: string | null = null) => {
    const result = tourEnd(demoConfig, unit(shift), at(atIso), until === null ? null : at(until));
    return result.ok ? (result.endsAtMs === null ? null : iso(result.endsAtMs)) : result.reason;
  };

  it('is the end of the shift under way, or of one starting within the force’s early booking-on time', () => {
    expect(endOf(DAYS, '2026-11-29T10:00:00Z')).toBe('2026-11-29T17:00:00.000Z');
    expect(endOf(DAYS, '2026-11-29T06:05:00Z')).toBe('2026-11-29T17:00:00.000Z');
    expect(endOf(NIGHTS, '2026-11-30T03:00:00Z')).toBe('2026-11-30T07:00:00.000Z');
    expect(endOf(NIGHTS, '2026-11-29T21:30:00Z')).toBe('2026-11-30T07:00:00.000Z');
  });

  it('is refused outside the shift unless the dispatcher says until when, and then at most a day ahead', () => {
    expect(endOf(DAYS, '2026-11-29T05:55:00Z')).toBe(
      'DM-11 is not on shift now (its shift is 07:00–17:00): to book it on outside its shift, give the time it is on until (BOOKON DM-11 hh:mm)',
    );
    expect(endOf(DAYS, '2026-11-29T18:00:00Z', '2026-11-29T22:00:00Z')).toBe('2026-11-29T22:00:00.000Z');
    expect(endOf(DAYS, '2026-11-29T18:00:00Z', '2026-11-29T17:30:00Z')).toBe('DM-11 cannot be booked on until 2026-11-29 17:30: that time has passed');
    expect(endOf(DAYS, '2026-11-29T18:00:00Z', '2026-11-30T19:00:00Z')).toBe('DM-11 cannot be booked on until 2026-11-30 19:00: a tour of duty is at most 24 hours');
  });

  it('is open for a unit with no shift, until it is booked off', () => {
    expect(endOf(null, '2026-11-29T03:00:00Z')).toBeNull();
  });
});

describe('booking on and off', () => {
  let state: RecordSet;
  let incidentId: string;
  const unit = () => state.get('unit', 'DM-11')!;
  const book = (duty: string, issuedAt: string, extra: Record<string, unknown> = {}) =>
    state.run('unit.setDuty', { unitId: 'DM-11', duty, unitVersion: unit().version, ...extra }, 'bob', issuedAt);
  const assign = (issuedAt: string) => state.run('unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId, unitVersion: unit().version }, 'bob', issuedAt);

  beforeEach(() => {
    state = new RecordSet();
    incidentId = randomUUID();
    state.must('unit.register', { callSign: 'DM-11', type: 'IRV', homeStation: 'Central', shift: DAYS });
    state.must('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '1', firstLog: null });
  });

  it('leaves a unit brought into service off duty: it cannot be deployed or proposed until it books on', () => {
    expect(unit()).toMatchObject({ duty: 'off_duty', tour: null });
    expect(unitStatus(unit(), () => undefined)).toBe('off_duty');
    expect(assign('2026-11-29T10:00:00.000Z')).toMatchObject({ ok: false, code: 'conflict', reason: 'DM-11 is off duty: it is not booked on' });
    expect(book('unavailable', '2026-11-29T10:00:00.000Z')).toMatchObject({ ok: false, code: 'invalid', reason: 'DM-11 is off duty: book it on first' });
  });

  it('books on until the shift’s end, in the name of who booked it, and the unit can then be deployed', () => {
    expect(book('on_duty', '2026-11-29T10:00:00.000Z').ok).toBe(true);
    expect(unit()).toMatchObject({
      duty: 'on_duty',
      tour: { bookedOnAt: '2026-11-29T10:00:00.000Z', bookedOnBy: 'bob', via: 'dispatcher', endsAt: '2026-11-29T17:00:00.000Z', overrun: null },
    });
    expect(assign('2026-11-29T10:01:00.000Z').ok).toBe(true);
  });

  it('refuses booking on outside the shift without an end, with the way to do it', () => {
    expect(book('on_duty', '2026-11-29T19:00:00.000Z')).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('BOOKON DM-11 hh:mm') });
    expect(book('on_duty', '2026-11-29T19:00:00.000Z', { until: '2026-11-29T23:00:00.000Z' }).ok).toBe(true);
    expect(unit().tour?.endsAt).toBe('2026-11-29T23:00:00.000Z');
  });

  it('takes the crew’s booking on through its terminal whatever version the workstation had seen', () => {
    const seen = unit().version;
    state.must('unit.register', { callSign: 'DM-11', type: 'IRV', homeStation: 'Central', shift: DAYS, skills: ['first aid'] });
    expect(state.run('unit.setDuty', { unitId: 'DM-11', duty: 'on_duty', unitVersion: seen, via: 'terminal' }, 'bob', '2026-11-29T07:00:00.000Z').ok).toBe(true);
    expect(unit().tour).toMatchObject({ via: 'terminal', endsAt: '2026-11-29T17:00:00.000Z' });
    expect(state.run('unit.setDuty', { unitId: 'DM-11', duty: 'off_duty', unitVersion: seen }, 'bob', '2026-11-29T08:00:00.000Z')).toMatchObject({ code: 'conflict' });
  });

  it('booked on again with a time, ends its tour then, sooner or later, instead of ignoring the time typed', () => {
    book('on_duty', '2026-11-29T10:00:00.000Z');
    expect(book('on_duty', '2026-11-29T11:00:00.000Z', { until: '2026-11-29T12:30:00.000Z' }).ok).toBe(true);
    expect(unit()).toMatchObject({ duty: 'on_duty', tour: { bookedOnAt: '2026-11-29T10:00:00.000Z', endsAt: '2026-11-29T12:30:00.000Z' } });
    expect(book('on_duty', '2026-11-29T11:30:00.000Z', { until: '2026-11-29T23:59:00.000Z' }).ok).toBe(true);
    expect(unit().tour?.endsAt).toBe('2026-11-29T23:59:00.000Z');
    expect(book('on_duty', '2026-11-29T11:40:00.000Z', { until: '2026-11-29T11:00:00.000Z' })).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('that time has passed') });
    // Back from unavailable with a time: available again, on until then.
    book('unavailable', '2026-11-29T12:00:00.000Z');
    expect(book('on_duty', '2026-11-29T12:10:00.000Z', { until: '2026-11-29T18:00:00.000Z' }).ok).toBe(true);
    expect(unit()).toMatchObject({ duty: 'on_duty', tour: { endsAt: '2026-11-29T18:00:00.000Z' } });
  });

  it('books off: the tour ends and the unit is off duty', () => {
    book('on_duty', '2026-11-29T10:00:00.000Z');
    book('unavailable', '2026-11-29T11:00:00.000Z');
    expect(unit()).toMatchObject({ duty: 'unavailable', tour: { endsAt: '2026-11-29T17:00:00.000Z' } });
    book('off_duty', '2026-11-29T12:00:00.000Z');
    expect(unit()).toMatchObject({ duty: 'off_duty', tour: null });
  });

  it('cannot deploy a unit once its shift has ended, even before anyone has booked it off, and shows it off duty', () => {
    book('on_duty', '2026-11-29T10:00:00.000Z');
    expect(unitStatus(unit(), () => undefined, at('2026-11-29T16:59:59Z'))).toBe('available');
    expect(unitStatus(unit(), () => undefined, at('2026-11-29T17:00:00Z'))).toBe('off_duty');
    expect(assign('2026-11-29T17:00:00.000Z')).toMatchObject({ ok: false, code: 'conflict', reason: 'DM-11’s shift ended at 17:00'.replace('’', "'") });
  });

  describe('at the shift’s end', () => {
    const ended = (issuedAt: string, operator = 'bob') => state.run('unit.shiftEnded', { unitId: 'DM-11', endsAt: '2026-11-29T17:00:00.000Z', incidentId: unit().commitment?.incidentId ?? null }, operator, issuedAt);
    const logTexts = () => [...state.records.values()].flatMap((r) => (r.kind === 'logEntry' ? [r.doc.text] : []));

    beforeEach(() => {
      book('on_duty', '2026-11-29T10:00:00.000Z');
    });

    it('books a free unit off by itself, not a moment before', () => {
      expect(ended('2026-11-29T16:59:59.000Z')).toEqual({ ok: true, changes: [] });
      expect(ended('2026-11-29T17:00:00.000Z').ok).toBe(true);
      expect(unit()).toMatchObject({ duty: 'off_duty', tour: null });
      expect(ended('2026-11-29T17:00:05.000Z', 'carol')).toEqual({ ok: true, changes: [] });
    });

    it('asks the dispatcher once to relieve or extend a unit still committed, without making their next action on it lose', () => {
      assign('2026-11-29T16:00:00.000Z');
      const version = unit().version;
      ended('2026-11-29T17:00:00.000Z');
      expect(unit()).toMatchObject({ duty: 'on_duty', version, tour: { overrun: { raised: { at: '2026-11-29T17:00:00.000Z', workstation: 'WS-bob' }, relieved: null } } });
      expect(ended('2026-11-29T17:00:01.000Z', 'carol')).toEqual({ ok: true, changes: [] });
      expect(logTexts()).toContain('DM-11\'s shift ended at 17:00 while it is committed here: the dispatcher at WS-bob is asked to relieve it or extend its shift');

      expect(state.run('unit.answerShiftEnd', { unitId: 'DM-11', unitVersion: version, extendUntil: '2026-11-29T19:00:00.000Z', incidentId }, 'bob', '2026-11-29T17:01:00.000Z').ok).toBe(true);
      expect(unit().tour).toMatchObject({ endsAt: '2026-11-29T19:00:00.000Z', overrun: null });
      expect(logTexts()).toContain('DM-11\'s shift extended to 19:00');
      expect(state.run('unit.answerShiftEnd', { unitId: 'DM-11', unitVersion: version, extendUntil: null, incidentId }, 'carol', '2026-11-29T17:02:00.000Z')).toMatchObject({ code: 'conflict' });
    });

    it('relieved, a unit goes off duty as it clears from its job', () => {
      assign('2026-11-29T16:00:00.000Z');
      ended('2026-11-29T17:00:00.000Z');
      expect(state.run('unit.answerShiftEnd', { unitId: 'DM-11', unitVersion: unit().version, extendUntil: null, incidentId }, 'bob', '2026-11-29T17:01:00.000Z').ok).toBe(true);
      expect(unit().tour?.overrun?.relieved).toEqual({ at: '2026-11-29T17:01:00.000Z', by: 'bob' });
      const job = unit().commitment!.assignmentId;
      const cleared = state.run('assignment.setStatus', { assignmentId: job, unitId: 'DM-11', incidentId, status: 'cleared', assignmentVersion: state.get('assignment', job)!.version }, 'bob', '2026-11-29T17:30:00.000Z');
      expect(cleared.ok).toBe(true);
      expect(unit()).toMatchObject({ duty: 'off_duty', tour: null, commitment: null });
    });
  });
});

describe('recommendations and shifts', () => {
  const scene = { lat: 53.93, lon: 1.75 };
  const near = { lat: 53.931, lon: 1.75 };
  const now = at('2026-11-29T16:00:00Z');
  const candidate = (callSign: string, tourEndsAtMs: number | null, status: Candidate['status'] = 'available'): Candidate => ({
    unitId: callSign,
    callSign,
    type: 'IRV',
    skills: ['first aid'],
    status,
    position: near,
    tourEndsAtMs,
  });

  it('never proposes a unit not booked on, or whose tour is over', () => {
    const result = recommendUnits(demoConfig, { type: 'ASSAULT', point: scene }, [candidate('DM-11', null, 'off_duty'), candidate('DM-12', now), candidate('DM-13', null)], now);
    expect(result.proposals.map((p) => p.callSign)).toEqual(['DM-13']);
    expect(result.busy).toEqual([]);
  });

  it('marks a unit whose shift ends before the job is likely done (travel and the type’s time at scene), saying when', () => {
    // An assault: an hour at scene (the demonstration force's figure); DM-11 ends in 45 minutes, DM-12 in two hours.
    const result = recommendUnits(demoConfig, { type: 'ASSAULT', point: scene }, [candidate('DM-11', now + 45 * 60_000), candidate('DM-12', now + 120 * 60_000)], now);
    const [eleven, twelve] = result.proposals;
    expect(eleven).toMatchObject({ callSign: 'DM-11', shiftEndsDuringJob: true });
    expect(eleven!.reasons.at(-1)).toMatch(/^shift ends 16:45, before the job is likely done \(about 17:0\d\)$/);
    expect(twelve).toMatchObject({ callSign: 'DM-12', shiftEndsDuringJob: false });
  });
});
