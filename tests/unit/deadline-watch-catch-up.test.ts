import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../main/core/core-context';
import { DeadlineWatch } from '../../main/core/deadline-watch';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { ManualClock } from '../../shared/domain/time';
import { demoConfig, silentLog } from '../fakes/fixtures';

// A workstation paging through a catch-up shows deadlines that desks in step have most likely claimed already: one
// console with 40,000 changes to take queued 28,577 claims of incidents left untaken, its operator's own commands
// behind them (tryout15c). It claims nothing until it is in step.

const now = Date.parse('2026-12-03T12:00:00.000Z');

/** A dispatcher's workstation whose view holds one unit whose shift ended a minute ago (anyone's deadline to claim). */
function workstation(catchingUp: () => boolean) {
  const issued: string[] = [];
  const unit = { id: 'DM-11', force: 'DMO', loan: null, commitment: null, tour: { endsAt: new Date(now - 60_000).toISOString(), overrun: null } };
  const ctx = {
    config: demoConfig,
    clock: new ManualClock(now),
    log: silentLog,
    workstation: 'WS-A',
    session: { signedIn: { operator: { id: 'carol' } } },
    sync: { catchingUp, online: () => false },
    store: {
      view: {
        get: (kind: string) => (kind === 'operator' ? { id: 'carol', roles: ['dispatcher'], active: true } : undefined),
        units: () => [unit],
        activeAssignments: () => [],
        incidents: () => [],
        logEntry: () => undefined,
      },
    },
    issue: (name: string) => {
      issued.push(name);
      return [];
    },
  } as unknown as CoreContext;
  return { watch: new DeadlineWatch(ctx, new ManualScheduler()), issued };
}

describe('the deadline watch of a workstation catching up', () => {
  it('claims nothing while it pages towards the head, and claims what is still due once in step', () => {
    let paging = true;
    const { watch, issued } = workstation(() => paging);
    expect(watch.check()).toBe(0);
    expect(issued).toEqual([]);

    paging = false;
    expect(watch.check()).toBe(1);
    expect(issued).toEqual(['unit.shiftEnded']);
  });

  it('claims as ever when it has nothing to catch up (offline included)', () => {
    const { watch, issued } = workstation(() => false);
    expect(watch.check()).toBe(1);
    expect(issued).toEqual(['unit.shiftEnded']);
  });
});
