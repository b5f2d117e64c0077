import { describe, expect, it } from 'vitest';
import { CLAIM_FALLBACK_MS, CLAIM_SPREAD_MS, claimAtMs, type Deadline } from '../../shared/dispatch/deadlines';

// Every dispatcher's desk watches the room's deadlines. Claiming an anyone's deadline in the same second, N desks
// sent N commands where one does (tryout15c); online, each desk now claims at a moment of its own, and the first
// claim reaches the others before most of their moments come.

const dueMs = Date.parse('2026-12-03T07:00:00.000Z');
const shiftEnd: Deadline = { key: 'shift:DM-11:2026-12-03T07:00:00.000Z:free', dueMs, firstClaim: null, command: { name: 'unit.shiftEnded', args: {} } };
const desks = Array.from({ length: 100 }, (_, i) => `WS-${String(i + 1).padStart(3, '0')}`);
const claimsOf = (deadline: Deadline, online: boolean) => desks.map((workstation) => claimAtMs(deadline, { operator: 'carol', workstation, online }));

describe('when a desk claims a deadline that is anyone’s', () => {
  it('offline, at its time: no other desk would hear of a claim before the server does', () => {
    expect(new Set(claimsOf(shiftEnd, false))).toEqual(new Set([dueMs]));
  });

  it('online, at a moment of its own within the spread, the same at every look', () => {
    const at = claimsOf(shiftEnd, true);
    for (const ms of at) {
      expect(ms).toBeGreaterThanOrEqual(dueMs);
      expect(ms).toBeLessThan(dueMs + CLAIM_SPREAD_MS);
    }
    expect(claimsOf(shiftEnd, true)).toEqual(at);
  });

  it('online, spread evenly enough across a room that few desks claim within a third of a second of the first', () => {
    const at = claimsOf(shiftEnd, true).sort((x, y) => x - y);
    const first = at[0]!;
    expect(first - dueMs).toBeLessThan(1_000); // a hundred desks: the first within a second of the time
    // Claims a desk makes before the first claim can reach it (live delivery, well under this): few, not a hundred.
    expect(at.filter((ms) => ms < first + 300).length).toBeLessThanOrEqual(10);
    // No tenth of the spread holds more than a quarter of the desks (evenly: a tenth each).
    const tenths = new Map<number, number>();
    for (const ms of at) tenths.set(Math.floor(((ms - dueMs) / CLAIM_SPREAD_MS) * 10), (tenths.get(Math.floor(((ms - dueMs) / CLAIM_SPREAD_MS) * 10)) ?? 0) + 1);
    expect(Math.max(...tenths.values())).toBeLessThanOrEqual(25);
  });

  it('a different desk goes first for a different deadline', () => {
    const firstDesk = (deadline: Deadline) => {
      const at = claimsOf(deadline, true);
      return desks[at.indexOf(Math.min(...at))];
    };
    const firsts = new Set(Array.from({ length: 20 }, (_, i) => firstDesk({ ...shiftEnd, key: `shift:DM-${i}:x:free` })));
    expect(firsts.size).toBeGreaterThan(10);
  });
});

describe('when a desk claims another dispatcher’s deadline', () => {
  const receipt: Deadline = { ...shiftEnd, key: 'receipt:a-1', firstClaim: 'bob' };
  it('the dispatcher’s own desk at its time, online or not; the others after the fallback, spread online', () => {
    expect(claimAtMs(receipt, { operator: 'bob', workstation: 'WS-001', online: true })).toBe(dueMs);
    expect(new Set(claimsOf(receipt, false))).toEqual(new Set([dueMs + CLAIM_FALLBACK_MS]));
    const at = claimsOf(receipt, true);
    expect(Math.min(...at)).toBeGreaterThanOrEqual(dueMs + CLAIM_FALLBACK_MS);
    expect(Math.max(...at)).toBeLessThan(dueMs + CLAIM_FALLBACK_MS + CLAIM_SPREAD_MS);
    expect(new Set(at).size).toBeGreaterThan(50);
  });
});
