import { describe, expect, it } from 'vitest';
import { BackEntered, backEnteredMark, backEnteredText, readPaperTime } from '../../shared/domain/back-entry';
import { wallClock } from '../../shared/domain/wall-clock';

// Every instant below is UTC; London is on BST (+01:00) in summer and GMT in winter, and on 25 October 2026 the
// clocks go back at 02:00 BST, so 01:00–01:59 happens twice.
const london = wallClock('Europe/London');
const at = (iso: string) => Date.parse(iso);

describe('a time written on a paper form during an outage', () => {
  const outage = { fromMs: at('2026-07-10T22:10:30Z') }; // 23:10:30 BST
  const now = at('2026-07-10T23:05:00Z'); // 00:05 BST on 11 July

  it('is read in the force time zone on the day the outage began, not in UTC', () => {
    expect(readPaperTime(london, outage, '23:40', now)).toEqual({ ok: true, at: at('2026-07-10T22:40:00Z') });
  });

  it('may be up to five minutes before the desk saw the system go down, paper having no seconds', () => {
    expect(readPaperTime(london, outage, '23:10', now)).toEqual({ ok: true, at: at('2026-07-10T22:10:00Z') });
    expect(readPaperTime(london, outage, '23:05', now)).toEqual({ ok: true, at: at('2026-07-10T22:05:00Z') });
  });

  it('is read on the day the paper names when the outage ran past midnight', () => {
    expect(readPaperTime(london, outage, '00:02', now, '2026-07-11')).toEqual({ ok: true, at: at('2026-07-10T23:02:00Z') });
  });

  it('is refused before the system went down, saying when it did', () => {
    const read = readPaperTime(london, outage, '23:04', now);
    expect(read).toEqual({ ok: false, message: expect.stringContaining('before the system went down at 2026-07-10 23:10') });
  });

  it('is refused in the future, saying the time now', () => {
    const read = readPaperTime(london, outage, '00:06', now, '2026-07-11');
    expect(read).toEqual({ ok: false, message: expect.stringContaining('is in the future') });
    expect(read.ok ? '' : read.message).toContain('(00:05)');
  });

  it('is refused when it is not a time or the day not a date', () => {
    expect(readPaperTime(london, outage, '2340', now).ok).toBe(false);
    expect(readPaperTime(london, outage, '23:40', now, '10/07/2026')).toEqual({ ok: false, message: expect.stringContaining('is not a date') });
  });
});

describe('a paper time across the October clock change', () => {
  const outage = { fromMs: at('2026-10-24T23:50:00Z') }; // 00:50 BST, 25 October
  const now = at('2026-10-25T02:00:00Z'); // 02:00 GMT

  it('asks which 01:30 the paper means, and takes it once marked', () => {
    const read = readPaperTime(london, outage, '01:30', now);
    expect(read).toEqual({ ok: false, message: expect.stringContaining('comes twice') });
    expect(readPaperTime(london, outage, '01:30 BST', now)).toEqual({ ok: true, at: at('2026-10-25T00:30:00Z') });
    expect(readPaperTime(london, outage, '01:30 GMT', now)).toEqual({ ok: true, at: at('2026-10-25T01:30:00Z') });
  });

  it('reads a time after the change in GMT', () => {
    expect(readPaperTime(london, outage, '01:59 GMT', now)).toEqual({ ok: true, at: at('2026-10-25T01:59:00Z') });
    expect(readPaperTime(london, outage, '02:00', now)).toEqual({ ok: true, at: at('2026-10-25T02:00:00Z') });
    expect(readPaperTime(london, outage, '02:01', now).ok).toBe(false);
  });
});

describe('a paper time across the March clock change', () => {
  const outage = { fromMs: at('2026-03-29T00:40:00Z') }; // 00:40 GMT, 29 March
  const now = at('2026-03-29T02:00:00Z'); // 03:00 BST

  it('refuses a time the clocks skipped and reads one after the change in BST', () => {
    expect(readPaperTime(london, outage, '01:30', now)).toEqual({ ok: false, message: expect.stringContaining('does not exist') });
    expect(readPaperTime(london, outage, '02:15', now)).toEqual({ ok: true, at: at('2026-03-29T01:15:00Z') });
  });
});

describe('the back-entered mark', () => {
  it('keeps who entered the paper record, where, when, and when the outage began; the log names it', () => {
    const mark = backEnteredMark('PC Smith', 'WS-3', at('2026-07-10T23:12:00Z'), { fromMs: at('2026-07-10T22:10:30Z') });
    expect(BackEntered.parse(mark)).toEqual({ by: 'PC Smith', workstation: 'WS-3', enteredAt: '2026-07-10T23:12:00.000Z', outageFrom: '2026-07-10T22:10:30.000Z' });
    expect(backEnteredText(london, mark)).toBe('back-entered 00:12 by PC Smith');
  });
});
