import { describe, expect, it } from 'vitest';
import { auditClockWords, auditEntryClock, CLOCK_SKEW_MS, durationWords, isDoubtfulClock } from '../../shared/domain/audit-clock';
import { TICKET_CLOCK_SKEW_MS } from '../../server/access/tickets';
import { describeQuestion } from '../../renderer/features/audit/audit-words';
import { wallClock } from '../../shared/domain/wall-clock';

// An audit entry's two times (the workstation's, the server's) read together (issue 13, M3): a look made offline
// arrives late and is believed; a workstation time after the server's, or before the operator was first given a
// ticket there, is a clock not to be believed, and the answer says so.
const wall = wallClock('Europe/London');
const at = (time: string) => `2026-11-29T${time}:00.000Z`;
const look = (issuedAt: string, recordedAt: string, kind = 'consultation') => ({ kind, issuedAt: at(issuedAt), recordedAt: at(recordedAt) });

describe('an audit entry’s clock', () => {
  it('is the one allowance the server judges tickets by', () => {
    expect(CLOCK_SKEW_MS).toBe(TICKET_CLOCK_SKEW_MS);
    expect(CLOCK_SKEW_MS).toBe(10 * 60_000);
  });

  it('says nothing of two times within the allowance, either way', () => {
    expect(auditEntryClock(look('10:00', '10:10'), null)).toBeNull();
    expect(auditEntryClock(look('10:10', '10:00'), null)).toBeNull();
    expect(auditEntryClock(look('10:00', '10:00'), at('08:00'))).toBeNull();
  });

  it('takes a workstation time earlier than the server’s as a late arrival (done offline), not a doubtful clock', () => {
    const late = auditEntryClock(look('07:00', '10:05'), at('06:00'));
    expect(late).toEqual({ says: 'late', byMs: (3 * 60 + 5) * 60_000 });
    expect(isDoubtfulClock(late)).toBe(false);
    expect(auditClockWords(late!, wall)).toBe('reached the server 3 h 5 min after it was done at the workstation (done offline or waiting to be sent)');
  });

  it('doubts a workstation time after the server recorded it', () => {
    const ahead = auditEntryClock(look('15:00', '10:00'), at('08:00'));
    expect(ahead).toEqual({ says: 'ahead', byMs: 5 * 3_600_000 });
    expect(isDoubtfulClock(ahead)).toBe(true);
    expect(auditClockWords(ahead!, wall)).toBe("doubtful clock: the workstation's time is 5 h after the server recorded it");
  });

  it('doubts a workstation time before the operator’s first ticket there, which every command of theirs carries', () => {
    const before = auditEntryClock(look('06:05', '10:05'), at('08:00'));
    expect(before).toEqual({ says: 'before-ticket', ticketAt: at('08:00') });
    expect(isDoubtfulClock(before)).toBe(true);
    expect(auditClockWords(before!, wall)).toBe("doubtful clock: the workstation's time is before the operator's first sign-in there (2026-11-29 08:00 GMT)");
    // Within the allowance of the ticket: a late arrival.
    expect(auditEntryClock(look('07:55', '10:05'), at('08:00'))?.says).toBe('late');
    // The server's own entries carry no ticket of the operator's (a refused sign-in arriving from a workstation):
    // late, never doubted for it.
    expect(auditEntryClock(look('06:05', '10:05', 'sign-in-failure'), at('08:00'))?.says).toBe('late');
    // No ticket in the log (the system's entries, a log older than ticket entries): nothing to compare with.
    expect(auditEntryClock(look('06:05', '10:05'), null)?.says).toBe('late');
  });

  it('ignores a time that is not one', () => {
    expect(auditEntryClock({ kind: 'consultation', issuedAt: 'yesterday', recordedAt: at('10:00') }, null)).toBeNull();
  });

  it('words spans in hours and minutes', () => {
    expect([25 * 60_000, 5 * 3_600_000, 303 * 60_000, 52 * 3_600_000, 48 * 3_600_000].map(durationWords)).toEqual(['25 min', '5 h', '5 h 3 min', '2 d 4 h', '2 d']);
  });
});

describe('the heading of an answer', () => {
  const INCIDENT = '7d3c1e2a-0b4f-4c6d-8e9f-1a2b3c4d5e6f';
  it('names an incident asked by its id as people know it, by its reference, and one erased by whom and when', () => {
    const byId = { about: 'record', recordKind: 'incident', recordId: INCIDENT } as const;
    expect(describeQuestion(byId, wall, { name: 'incident DMO-2026-000123', erased: null })).toBe('Who looked at or changed incident DMO-2026-000123');
    expect(describeQuestion(byId, wall, { name: 'incident DMO-2026-000123', erased: { at: at('09:00'), by: 'admin' } })).toBe('Who looked at or changed incident DMO-2026-000123 (erased by admin on 2026-11-29 09:00 GMT)');
    // Erased with no reference kept, or a record the force cannot name: its id, and the erasure all the same.
    expect(describeQuestion(byId, wall, { name: null, erased: { at: at('09:00'), by: 'admin' } })).toBe(`Who looked at or changed incident ${INCIDENT} (erased by admin on 2026-11-29 09:00 GMT)`);
    expect(describeQuestion(byId, wall)).toBe(`Who looked at or changed incident ${INCIDENT}`);
  });

  it('says of a reference asked which incident it is now, and its erasure', () => {
    const byProvisional = { about: 'reference', reference: 'WS-A-0004' } as const;
    expect(describeQuestion(byProvisional, wall, { name: 'incident DMO-2026-000123', erased: null })).toBe('Who looked at or changed WS-A-0004, now incident DMO-2026-000123');
    expect(describeQuestion({ about: 'reference', reference: 'DMO-2026-000123' }, wall, { name: 'incident DMO-2026-000123', erased: null })).toBe('Who looked at or changed DMO-2026-000123');
    expect(describeQuestion({ about: 'reference', reference: 'DMO-2026-000123' }, wall, { name: 'incident DMO-2026-000123', erased: { at: at('09:00'), by: 'admin' } })).toBe('Who looked at or changed DMO-2026-000123 (erased by admin on 2026-11-29 09:00 GMT)');
  });

  it('names an operator by their display name beside the name asked', () => {
    const span = { about: 'operator', operator: 'fodu', from: at('08:00'), to: at('16:00') } as const;
    expect(describeQuestion(span, wall, { name: 'Frances Oduya', erased: null })).toBe('What fodu (Frances Oduya) looked at or did from 2026-11-29 08:00 GMT to 2026-11-29 16:00 GMT');
  });
});
