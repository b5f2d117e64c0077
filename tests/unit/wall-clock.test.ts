import { describe, expect, it } from 'vitest';
import { readTypedTime, timeZoneProblem, wallClock } from '../../shared/domain/wall-clock';
import { ForceConfig } from '../../shared/domain/force-config';
import { demoConfig } from '../fakes/fixtures';

// London's clocks in 2026 and 2027: forward at 01:00 GMT on the last Sunday of March (29 March 2026, 28 March 2027),
// back at 02:00 BST on the last Sunday of October (25 October 2026, 31 October 2027). Every instant below is UTC.
const london = wallClock('Europe/London');
const at = (iso: string) => Date.parse(iso);

describe('times shown are the force’s', () => {
  it('reads British Summer Time in summer and GMT in winter, whatever zone the machine is in', () => {
    expect(london.time('2026-07-15T13:05:09Z')).toBe('14:05');
    expect(london.timeWithSeconds('2026-07-15T13:05:09Z')).toBe('14:05:09');
    expect(london.time('2026-11-29T13:05:09Z')).toBe('13:05');
    // Just after midnight in summer the force's day is already the next one; UTC's is not.
    expect(london.date('2026-07-15T23:20:00Z')).toBe('2026-07-16');
    expect(london.dateTime('2026-07-15T23:20:00Z')).toBe('2026-07-16 00:20');
    expect(london.referenceDay(at('2026-07-15T23:20:00Z'))).toBe('20260716');
  });

  it.each([
    ['2026', '2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z'],
    ['2027', '2027-03-28T00:59:00Z', '2027-03-28T01:00:00Z'],
  ])('jumps from 00:59 to 02:00 on the March change of %s, with no mark (no hour repeats)', (_year, before, after) => {
    expect(london.time(before)).toBe('00:59');
    expect(london.time(after)).toBe('02:00');
  });

  it.each([
    ['2026', '2026-10-25'],
    ['2027', '2027-10-31'],
  ])('marks the hour that repeats on the October change of %s, so two 01:30s never read the same', (_year, day) => {
    expect(london.time(`${day}T00:00:00Z`)).toBe('01:00 BST');
    expect(london.time(`${day}T00:30:00Z`)).toBe('01:30 BST');
    expect(london.timeWithSeconds(`${day}T00:59:59Z`)).toBe('01:59:59 BST');
    expect(london.time(`${day}T01:00:00Z`)).toBe('01:00 GMT');
    expect(london.time(`${day}T01:30:00Z`)).toBe('01:30 GMT');
    expect(london.timeWithSeconds(`${day}T01:59:59Z`)).toBe('01:59:59 GMT');
    // Either side of the repeated hour, times are plain.
    expect(london.time(new Date(at(`${day}T00:00:00Z`) - 60_000).toISOString())).toBe('00:59');
    expect(london.time(`${day}T02:00:00Z`)).toBe('02:00');
    expect(london.dateTime(`${day}T01:30:00Z`)).toBe(`${day} 01:30 GMT`);
  });

  it('marks a zone without letters for its abbreviation by its offset', () => {
    const newYork = wallClock('America/New_York');
    expect(newYork.time('2026-11-01T05:30:00Z')).toBe('01:30 -04:00');
    expect(newYork.time('2026-11-01T06:30:00Z')).toBe('01:30 -05:00');
  });

  it('shows an appointment later today by its time, and one on another day with its date', () => {
    const now = at('2026-07-15T22:00:00Z'); // 23:00 BST
    expect(london.timeFromToday('2026-07-15T22:50:00Z', now)).toBe('23:50');
    expect(london.timeFromToday('2026-07-15T23:50:00Z', now)).toBe('2026-07-16 00:50');
  });
});

describe('a time typed (AS callsign hh:mm) is the next time the force’s clocks show it', () => {
  it('places it today, by the clock given, in British Summer Time', () => {
    expect(london.nextTime('16:30', at('2026-07-15T13:00:00Z'))).toEqual({ ok: true, at: at('2026-07-15T15:30:00Z') });
  });

  it('places it tomorrow once today’s has passed, across the force’s midnight', () => {
    expect(london.nextTime('09:00', at('2026-07-15T13:00:00Z'))).toEqual({ ok: true, at: at('2026-07-16T08:00:00Z') });
    // 00:20 BST on the 16th (23:20 UTC on the 15th): 00:50 is half an hour away, not a day.
    expect(london.nextTime('00:50', at('2026-07-15T23:20:00Z'))).toEqual({ ok: true, at: at('2026-07-15T23:50:00Z') });
  });

  it.each([
    ['2026', '2026-03-29T00:10:00Z', '29 March 2026'],
    ['2027', '2027-03-27T12:00:00Z', '28 March 2027'],
  ])('refuses a time the March change of %s skips, saying why', (_year, now, day) => {
    expect(london.nextTime('01:30', at(now))).toEqual({ ok: false, message: `01:30 does not exist on ${day}: the clocks go forward from 01:00 GMT to 02:00 BST` });
    expect(london.nextTime('01:30 BST', at(now))).toMatchObject({ ok: false, message: expect.stringMatching(/^01:30 does not exist/) });
  });

  it('takes tomorrow’s time when the gap it fell in today is behind us', () => {
    expect(london.nextTime('01:30', at('2026-03-29T12:00:00Z'))).toEqual({ ok: true, at: at('2026-03-30T00:30:00Z') });
  });

  it.each([
    ['2026', '2026-10-25', '25 October 2026', '2026-10-24T22:00:00Z'],
    ['2027', '2027-10-31', '31 October 2027', '2027-10-30T22:00:00Z'],
  ])('refuses a repeated time of the October change of %s unless it says which, and takes BST, GMT or the offset', (_year, day, words, now) => {
    expect(london.nextTime('01:30', at(now))).toEqual({
      ok: false,
      message: `01:30 comes twice on ${words}, when the clocks go back from 02:00 BST to 01:00 GMT: type 01:30 BST or 01:30 GMT (or the offset, +01:00 or +00:00)`,
    });
    const first = at(`${day}T00:30:00Z`);
    const second = at(`${day}T01:30:00Z`);
    for (const [typed, expected] of [
      ['01:30 BST', first],
      ['01:30 bst', first],
      ['01:30 +01:00', first],
      ['01:30 +0100', first],
      ['01:30 GMT', second],
      ['01:30 +00:00', second],
      ['01:30 +00', second],
    ] as const) {
      expect(london.nextTime(typed, at(now)), typed).toEqual({ ok: true, at: expected });
    }
  });

  it('needs no mark once the first of the two has passed: only one is still to come', () => {
    // 01:45 BST, in the first pass: the next 01:30 is the GMT one, 45 minutes on.
    expect(london.nextTime('01:30', at('2026-10-25T00:45:00Z'))).toEqual({ ok: true, at: at('2026-10-25T01:30:00Z') });
  });

  it('refuses a mark that does not apply', () => {
    expect(london.nextTime('15:00 GMT', at('2026-07-15T10:00:00Z'))).toEqual({ ok: false, message: "there is no 15:00 GMT to come today or tomorrow: the force's clocks show BST (+01:00)" });
    expect(london.nextTime('15:00 BST', at('2026-07-15T10:00:00Z'))).toEqual({ ok: true, at: at('2026-07-15T14:00:00Z') });
  });

  it('says how to type a time when what was typed is not one', () => {
    for (const typed of ['3pm', '25:00', '9:30', '12:60', '01:30 British']) {
      expect(readTypedTime(typed), typed).toMatch(/is not a time: use hh:mm, e\.g\. 15:30/);
      expect(london.nextTime(typed, at('2026-07-15T10:00:00Z'))).toMatchObject({ ok: false });
    }
    expect(readTypedTime(' 01:30 gmt ')).toEqual({ hour: 1, minute: 30, mark: 'GMT' });
  });

  it('works in the force’s zone wherever that is: the Paris gap is 02:00–02:59', () => {
    expect(wallClock('Europe/Paris').nextTime('02:30', at('2026-03-28T12:00:00Z'))).toEqual({
      ok: false,
      message: '02:30 does not exist on 29 March 2026: the clocks go forward from 02:00 CET to 03:00 CEST',
    });
  });
});

describe('a date and time typed about the past (an audit question’s span) is read on the force’s clocks', () => {
  it('is the instant the clocks showed then, in summer and in winter', () => {
    expect(london.timeOn('2026-07-15', '16:30')).toEqual({ ok: true, at: at('2026-07-15T15:30:00Z') });
    expect(london.timeOn('2026-12-01', '16:30')).toEqual({ ok: true, at: at('2026-12-01T16:30:00Z') });
  });

  it('asks which 01:30 is meant on the night the clocks go back, and takes the one marked', () => {
    expect(london.timeOn('2026-10-25', '01:30')).toMatchObject({ ok: false, message: expect.stringMatching(/^01:30 comes twice on 25 October 2026, .*type 01:30 BST or 01:30 GMT$/) });
    expect(london.timeOn('2026-10-25', '01:30 BST')).toEqual({ ok: true, at: at('2026-10-25T00:30:00Z') });
    expect(london.timeOn('2026-10-25', '01:30 GMT')).toEqual({ ok: true, at: at('2026-10-25T01:30:00Z') });
  });

  it('refuses a time the clocks skipped, a mark that did not apply, and a date that is not one', () => {
    expect(london.timeOn('2026-03-29', '01:30')).toEqual({ ok: false, message: '01:30 does not exist on 29 March 2026: the clocks go forward from 01:00 GMT to 02:00 BST' });
    expect(london.timeOn('2026-07-15', '15:00 GMT')).toEqual({ ok: false, message: "the force's clocks did not show 15:00 GMT on 15 July 2026: they showed BST" });
    expect(london.timeOn('2026-02-30', '10:00')).toMatchObject({ ok: false, message: '"2026-02-30" is not a date: use yyyy-mm-dd, e.g. 2026-10-25' });
    expect(london.timeOn('15/07/2026', '10:00')).toMatchObject({ ok: false });
  });
});

describe('the force’s time zone', () => {
  it('is a zone the engines know, named, not an offset', () => {
    expect(timeZoneProblem('Europe/London')).toBeNull();
    expect(timeZoneProblem('Asia/Kolkata')).toBeNull();
    expect(timeZoneProblem('Europe/Londn')).toBe('"Europe/Londn" is not a time zone: use an IANA name such as Europe/London');
    expect(timeZoneProblem('+01:00')).toMatch(/^"\+01:00" is an offset, not a time zone/);
    expect(timeZoneProblem('')).toMatch(/is not a time zone/);
  });

  it('is part of the force configuration, which is refused without one or with a wrong one', () => {
    expect(demoConfig.force.timeZone).toBe('Europe/London');
    const withZone = (timeZone: unknown) => ForceConfig.safeParse({ ...demoConfig, force: { ...demoConfig.force, timeZone } });
    expect(withZone('Europe/Londn').error?.issues[0]).toMatchObject({ path: ['force', 'timeZone'], message: '"Europe/Londn" is not a time zone: use an IANA name such as Europe/London' });
    expect(withZone(undefined).success).toBe(false);
    expect(withZone('America/New_York').success).toBe(true);
  });
});
