import { describe, expect, it } from 'vitest';
import { replayOnDesk, replaySeek, replayStep } from '../../shared/training/replay';
import type { ReviewEvent } from '../../shared/training/review-view';

const START = Date.parse('2026-12-04T22:30:00.000Z');
const at = (s: number) => new Date(START + s * 1000).toISOString();
const ev = (s: number, kind: ReviewEvent['kind'], incident: string | null, text: string, callId: string | null = null): ReviewEvent => ({ at: at(s), kind, by: 'bob', callId, incident, text });

const STATION = { lat: 53.92, lon: 1.74 };
const FIGHT = { lat: 53.93, lon: 1.76 };
const DOMESTIC = { lat: 53.91, lon: 1.75 };
/** Two incidents: a fight saved at 60 s, DM-11 sent at 100 s and at scene at 200 s, closed at 600 s; a domestic saved at 150 s, DM-12 sent at 300 s and not yet arrived. */
const review = {
  incidents: [
    { reference: 'TRN-1', type: 'ASSAULT', grade: '1', point: FIGHT },
    { reference: 'TRN-2', type: 'DOMESTIC', grade: '2', point: DOMESTIC },
  ],
  events: [
    ev(20, 'rang', null, 'fight call rang', 'fight'),
    ev(30, 'answered', null, 'answered', 'fight'),
    ev(60, 'saved', 'TRN-1', 'TRN-1 saved as ASSAULT', 'fight'),
    ev(100, 'deployed', 'TRN-1', 'DM-11 to TRN-1', 'fight'),
    ev(150, 'saved', 'TRN-2', 'TRN-2 saved as DOMESTIC'),
    ev(200, 'arrived', 'TRN-1', 'DM-11 at scene', 'fight'),
    ev(300, 'deployed', 'TRN-2', 'DM-12 to TRN-2'),
    ev(600, 'closed', 'TRN-1', 'TRN-1 closed', 'fight'),
  ],
};
const home = (callSign: string) => (callSign.startsWith('DM-') ? STATION : null);

describe('the replay on the desk’s queue and map', () => {
  it('has nothing on the queue before the first incident is saved', () => {
    expect(replayOnDesk(review, START + 50_000, home)).toEqual({ atMs: START + 50_000, queue: [], units: [] });
  });

  it('puts a unit on its way on the line from its station to the incident, the share of its journey that has passed', () => {
    const halfway = replayOnDesk(review, START + 150_000, home);
    // The domestic, waiting for a unit, before the fight, which has one on the way.
    expect(halfway.queue.map((i) => [i.reference, i.state, i.units])).toEqual([
      ['TRN-2', 'waiting for a unit', []],
      ['TRN-1', 'unit on the way', ['DM-11']],
    ]);
    expect(halfway.queue[1]).toMatchObject({ type: 'ASSAULT', grade: '1', point: FIGHT, savedAt: at(60) });
    const [unit] = halfway.units;
    expect(unit).toMatchObject({ callSign: 'DM-11', incident: 'TRN-1', state: 'en_route' });
    expect(unit!.point!.lat).toBeCloseTo((STATION.lat + FIGHT.lat) / 2, 6);
    expect(unit!.point!.lon).toBeCloseTo((STATION.lon + FIGHT.lon) / 2, 6);
  });

  it('puts a unit at scene on its incident, a unit not known to arrive at its station, and drops a closed incident and its units', () => {
    const later = replayOnDesk(review, START + 400_000, home);
    expect(later.queue.map((i) => [i.reference, i.state])).toEqual([
      ['TRN-1', 'unit at scene'],
      ['TRN-2', 'unit on the way'],
    ]);
    expect(later.units).toEqual([
      { callSign: 'DM-11', incident: 'TRN-1', state: 'at_scene', point: FIGHT },
      { callSign: 'DM-12', incident: 'TRN-2', state: 'en_route', point: STATION },
    ]);
    const end = replayOnDesk(review, START + 900_000, home);
    expect(end.queue.map((i) => i.reference)).toEqual(['TRN-2']);
    expect(end.units.map((u) => u.callSign)).toEqual(['DM-12']);
  });
});

describe('stepping and seeking the replay', () => {
  const span = { fromMs: START, toMs: START + 600_000 };

  it('moves on by the real time passed times the speed, and stops at the end', () => {
    expect(replayStep(START, 250, 1, span)).toEqual({ atMs: START + 250, ended: false });
    expect(replayStep(START, 250, 16, span)).toEqual({ atMs: START + 4_000, ended: false });
    expect(replayStep(START + 599_000, 250, 8, span)).toEqual({ atMs: START + 600_000, ended: true });
    expect(replayStep(START + 1_000, -500, 4, span)).toEqual({ atMs: START + 1_000, ended: false });
  });

  it('seeks ten seconds with the arrows (one with Shift), a minute with Page Up and Down, to either end with Home and End, within the span', () => {
    expect(replaySeek(START + 30_000, 'ArrowRight', span)).toBe(START + 40_000);
    expect(replaySeek(START + 30_000, 'ArrowLeft', span)).toBe(START + 20_000);
    expect(replaySeek(START + 30_000, 'PageUp', span)).toBe(START + 90_000);
    expect(replaySeek(START + 30_000, 'PageDown', span)).toBe(START);
    expect(replaySeek(START + 595_000, 'ArrowUp', span)).toBe(START + 600_000);
    expect(replaySeek(START + 30_000, 'Home', span)).toBe(START);
    expect(replaySeek(START + 30_000, 'End', span)).toBe(START + 600_000);
    expect(replaySeek(START + 30_000, 'ArrowRight', span, true)).toBe(START + 31_000);
    expect(replaySeek(START + 30_000, 'ArrowLeft', span, true)).toBe(START + 29_000);
    expect(replaySeek(START + 30_000, 'PageUp', span, true)).toBe(START + 90_000);
    expect(replaySeek(START + 30_000, 'a', span)).toBeNull();
  });
});
