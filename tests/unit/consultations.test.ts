import { describe, expect, it } from 'vitest';
import { DEFAULT_JUSTIFICATION, isNewConsultation, reasonNeeded, type JustificationConfig } from '../../shared/domain/consultation';
import { ForceConfig } from '../../shared/domain/force-config';
import { demoConfig } from '../fakes/fixtures';
import { mayIssue } from '../../shared/domain/operator';

const T = Date.parse('2026-11-30T10:00:00.000Z');
const MIN = 60_000;
const DAY = 86_400_000;
const WINDOW = 10 * MIN;

describe('repeated openings of one record are one consultation', () => {
  it('records the first opening, and again after a restart (the core keeps when each was recorded in memory)', () => {
    expect(isNewConsultation(undefined, T, WINDOW)).toBe(true);
  });

  it('is silent for openings within the window and records again at its end, counted from the entry recorded', () => {
    expect(isNewConsultation(T, T + 1, WINDOW)).toBe(false);
    expect(isNewConsultation(T, T + WINDOW - 1, WINDOW)).toBe(false);
    expect(isNewConsultation(T, T + WINDOW, WINDOW)).toBe(true);
  });

  it('records when the clock went back rather than staying silent until it catches up', () => {
    expect(isNewConsultation(T, T - MIN, WINDOW)).toBe(true);
  });
});

describe('a reason before a record is shown, by the force’s configuration', () => {
  const config: JustificationConfig = { ...DEFAULT_JUSTIFICATION, callerHistoryOlderThanDays: 28 };
  const incident = (status: 'open' | 'closed', force = 'DMO') => ({ kind: 'incident' as const, status, force });

  it('asks for a closed incident, not an open one, unless the force says closed incidents need none', () => {
    expect(reasonNeeded(config, incident('closed'), 'DMO', T)).toBe('this incident is closed');
    expect(reasonNeeded(config, incident('open'), 'DMO', T)).toBeNull();
    expect(reasonNeeded({ ...config, closedIncidents: false }, incident('closed'), 'DMO', T)).toBeNull();
  });

  it('asks for a caller’s history reaching further back than the force’s age, to the millisecond', () => {
    const call = (receivedAtMs: number, force = 'DMO') => ({ kind: 'historyCall' as const, receivedAt: new Date(receivedAtMs).toISOString(), force });
    expect(reasonNeeded(config, call(T - 28 * DAY), 'DMO', T)).toBeNull();
    expect(reasonNeeded(config, call(T - 28 * DAY - 1), 'DMO', T)).toBe("this caller's history goes back more than 28 days");
    expect(reasonNeeded({ ...config, callerHistoryOlderThanDays: null }, call(T - 400 * DAY), 'DMO', T)).toBeNull();
  });

  it('asks for another force’s call in a caller’s history, however recent, and another force’s incident in a place’s history', () => {
    expect(reasonNeeded(config, { kind: 'historyCall', receivedAt: new Date(T).toISOString(), force: 'NBR' }, 'DMO', T)).toBe("this caller's history includes another force's calls (NBR)");
    expect(reasonNeeded(config, { kind: 'historyIncident', force: 'NBR' }, 'DMO', T)).toBe("this place's history includes another force's incidents (NBR)");
    // The force's own incidents at the place are listed without one, closed or not; the other force's when it says so.
    expect(reasonNeeded(config, { kind: 'historyIncident', force: 'DMO' }, 'DMO', T)).toBeNull();
    expect(reasonNeeded({ ...config, otherForceRecords: false }, { kind: 'historyIncident', force: 'NBR' }, 'DMO', T)).toBeNull();
  });

  it('asks for another force’s record, open or closed', () => {
    expect(reasonNeeded(config, incident('open', 'OTH'), 'DMO', T)).toBe('this incident belongs to another force (OTH)');
    expect(reasonNeeded(config, incident('open', 'DMO'), 'DMO', T)).toBeNull();
    expect(reasonNeeded({ ...config, otherForceRecords: false, closedIncidents: false }, incident('closed', 'OTH'), 'DMO', T)).toBeNull();
  });

  it('has a documented default for a force whose configuration says nothing, and the demonstration force states it', () => {
    const { justification: _given, ...withoutIt } = demoConfig;
    expect(ForceConfig.parse(withoutIt).justification).toEqual({ closedIncidents: true, callerHistoryOlderThanDays: 28, otherForceRecords: true, repeatWindowMinutes: 10 });
    expect(demoConfig.justification).toEqual(DEFAULT_JUSTIFICATION);
  });
});

describe('who may have a look recorded', () => {
  it('is every role that can open a record: a consultation is never refused for the role that looked', () => {
    for (const role of ['call_handler', 'dispatcher', 'supervisor', 'trainer', 'admin'] as const) expect(mayIssue({ roles: [role], active: true }, 'record.consulted')).toBe(true);
  });
});
