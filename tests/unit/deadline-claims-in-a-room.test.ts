import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../main/core/core-context';
import { DeadlineWatch } from '../../main/core/deadline-watch';
const CLAIM_SPREAD_MS = 10_000;
import { ManualScheduler } from '../fakes/manual-scheduler';
import { demoConfig, silentLog } from '../fakes/fixtures';

// A room's dispatchers' desks all watch the same deadlines; the first claim is all the room needs, and the others
// learn of it through the server a moment later. When every desk claimed an anyone's deadline in its first look past
// the time, every desk whose look came before that moment claimed too (tryout15c: a room's claims grew with its
// desks). Here: twenty desks, each looking once a second at a phase of its own, hearing a claim 300 ms after it is
// made (a live batch on a busy server), one unit's shift ending.

const endsAt = Date.parse('2026-12-03T07:00:00.000Z');
const HEARD_AFTER_MS = 300;

/** `desks` dispatchers' workstations on one scheduler (its time the clock), a unit's shift ending at `endsAt`. */
function room(desks: number, online: boolean) {
  const scheduler = new ManualScheduler();
  const start = endsAt - 5_000;
  const now = () => start + scheduler.elapsedMs;
  const claims: { workstation: string; atMs: number }[] = [];
  const watches: DeadlineWatch[] = [];
  const heard: boolean[] = [];
  const unit = { id: 'DM-11', force: 'DMO', loan: null, commitment: null, tour: { endsAt: new Date(endsAt).toISOString(), overrun: null } };
  for (let i = 0; i < desks; i++) {
    const workstation = `WS-${String(i + 1).padStart(2, '0')}`;
    const ctx = {
      config: demoConfig,
      clock: { now },
      log: silentLog,
      workstation,
      session: { signedIn: { operator: { id: 'carol' } } },
      sync: { catchingUp: () => false, online: () => online },
      store: {
        view: {
          get: (kind: string) => (kind === 'operator' ? { id: 'carol', roles: ['dispatcher'], active: true } : undefined),
          // Once this desk has heard of a claim, the unit is off duty here: nothing left to claim.
          units: () => (heard[i] ? [] : [unit]),
          activeAssignments: () => [],
          incidents: () => [],
          logEntry: () => undefined,
        },
      },
      issue: (name: string) => {
        expect(name).toBe('unit.shiftEnded');
        claims.push({ workstation, atMs: now() });
        // Online, every desk hears of it a moment later; offline, none does.
        if (online)
          scheduler.setTimeout(() => {
            heard.fill(true);
            for (const w of watches) w.recordsChanged();
          }, HEARD_AFTER_MS);
        return [];
      },
    } as unknown as CoreContext;
    heard.push(false);
    watches.push(new DeadlineWatch(ctx, scheduler));
  }
  // Each desk looks at a phase of its own in the second: started 1000/desks ms after the one before.
  watches.forEach((watch, i) => scheduler.setTimeout(() => watch.start(), Math.floor((1000 / desks) * i)));
  return {
    claims,
    runUntil(ms: number) {
      while (now() < ms) scheduler.advance(10);
    },
  };
}

describe('a shift’s end in a room of twenty dispatchers’ desks', () => {
  it('online, is claimed by one desk or two, not by every desk that looked before it heard', () => {
    const r = room(20, true);
    r.runUntil(endsAt + CLAIM_SPREAD_MS + 2_000);
    expect(r.claims.length).toBeGreaterThanOrEqual(1);
    expect(r.claims.length).toBeLessThanOrEqual(2);
    // The first claim, the one that counts, comes within a spread's share of the time, not at its end.
    expect(r.claims[0]!.atMs - endsAt).toBeLessThan(CLAIM_SPREAD_MS / 2);
  });

  it('at a desk online alone, is claimed within the spread', () => {
    const r = room(1, true);
    r.runUntil(endsAt + CLAIM_SPREAD_MS + 2_000);
    expect(r.claims).toHaveLength(1);
    expect(r.claims[0]!.atMs).toBeLessThan(endsAt + CLAIM_SPREAD_MS + 1_000);
  });

  it('cut off from the server, is claimed by every desk in its first look past the time: none would hear of another’s claim', () => {
    const r = room(20, false);
    r.runUntil(endsAt + 2_000);
    expect(r.claims).toHaveLength(20);
    for (const claim of r.claims) expect(claim.atMs - endsAt).toBeLessThan(1_000);
  });
});
