import { describe, expect, it } from 'vitest';
import { attentionReasons } from '../../shared/dispatch/attention';
import type { AttendanceClock } from '../../shared/dispatch/attendance';
import type { Assignment } from '../../shared/domain/assignment';
import type { Incident } from '../../shared/domain/incident';
import { demoConfig } from '../fakes/fixtures';

// The supervisor's "Needing attention" list (SupervisorDesk): what this force can act on, and no more.
// demoConfig is DMO's; its grade 1 waits 60 s for a crew's acceptance.
const NOW = Date.parse('2026-12-02T07:02:00.000Z');
const SENT = '2026-12-02T07:00:00.000Z';
const noClock: AttendanceClock = { state: 'none', dueMs: null, remainingMs: null };
const incident = (force: string, grade: string): Pick<Incident, 'force' | 'grade' | 'gradedAt' | 'activeUnits' | 'attendedAt' | 'thrive' | 'status' | 'pendingDowngrade'> => ({
  force,
  grade,
  gradedAt: SENT,
  activeUnits: ['X'],
  attendedAt: null,
  thrive: null,
  status: 'open',
  pendingDowngrade: null,
});
const deployment = (unitId: string, more: Partial<Assignment> = {}) =>
  ({ unitId, force: 'DMO', status: 'assigned', delivery: { state: 'sent', at: SENT, note: '' }, radioConfirmed: null, receiptAlarm: { at: '2026-12-02T07:01:00.000Z', by: 'WS-1' }, lateRejection: null, ...more }) as unknown as Assignment;

describe('what a supervisor’s desk lists as needing attention', () => {
  // A try-out's medium: DMO's supervisor was shown NBR's assisting unit as not confirmed, which only NBR may answer.
  it('leaves another force’s unit assisting on this force’s incident to that force; its own and a unit lent to it are its own', () => {
    const assisting = deployment('NB-401', { unitForce: 'NBR' });
    const lent = deployment('NB-102', { unitForce: 'NBR', lent: true });
    const own = deployment('DM-11');
    expect(attentionReasons(demoConfig, incident('DMO', '1'), [assisting], noClock, NOW)).toEqual([]);
    expect(attentionReasons(demoConfig, incident('DMO', '1'), [assisting, lent, own], noClock, NOW)).toEqual(['deployment of NB-102, DM-11 not confirmed by the crew']);
    expect(attentionReasons(demoConfig, incident('DMO', '1'), [{ ...assisting, radioConfirmed: null, lateRejection: { at: SENT, note: '', raised: null } } as unknown as Assignment], noClock, NOW)).toEqual([]);
  });

  it('lists this force’s unit assisting on another force’s incident, and nothing of that incident’s own clock or decisions', () => {
    // As NBR's desk holds DMO's incident: no grade (another scheme, not sent); NBR runs NB-401 there.
    const nbr = { ...demoConfig, force: { ...demoConfig.force, code: 'NBR' } };
    const assisting = { ...deployment('NB-401', { unitForce: 'NBR' }) };
    const breached: AttendanceClock = { state: 'breached', dueMs: NOW - 60_000, remainingMs: -60_000 };
    expect(attentionReasons(nbr, { ...incident('DMO', ''), pendingDowngrade: { grade: '3', reason: 'x', requestedBy: 'carol', requestedAt: SENT } }, [assisting], breached, NOW)).toEqual(['deployment of NB-401 not confirmed by the crew']);
  });

  it('keeps this force’s own incident’s attendance and decisions', () => {
    const breached: AttendanceClock = { state: 'breached', dueMs: NOW - 60_000, remainingMs: -60_000 };
    expect(attentionReasons(demoConfig, incident('DMO', '1'), [], breached, NOW)).toEqual(['attendance target missed by 1:00']);
  });
});
