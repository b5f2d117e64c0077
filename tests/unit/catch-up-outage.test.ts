import { describe, expect, it } from 'vitest';
import { CatchUp } from '../../main/core/catch-up';
import type { Meta } from '../../main/store/meta';
import type { SyncStatus } from '../../shared/contract/views';
import { ManualClock } from '../../shared/domain/time';
import { SYSTEM_DOWN } from '../../shared/training/exercise-outages';

/** The workstation file's small values, as a map (the core keeps the outage there). */
function fileMeta(): Meta {
  const values = new Map<string, string>();
  // Only get and set are used by CatchUp; the rest of Meta is not needed here.
  return { get: (key: string) => values.get(key), set: (key: string, value: string | number) => void values.set(key, String(value)) } as unknown as Meta;
}

const link = (connection: SyncStatus['connection'], fields: Partial<SyncStatus> = {}): SyncStatus => ({
  connection,
  offlineSince: null,
  pending: 0,
  deadLetters: 0,
  tooLarge: 0,
  held: [],
  blocked: null,
  conflicts: 0,
  catchUp: null,
  lastSyncedAt: null,
  lastError: null,
  ...fields,
});

describe("the desk's memory of an outage, for catch-up", () => {
  it('notes when the system went down as the desk saw it and when it came back, offers catch-up, and keeps both across a restart', () => {
    const clock = new ManualClock(Date.parse('2026-12-03T03:05:00Z'));
    const meta = fileMeta();
    const told: unknown[] = [];
    const desk = new CatchUp(meta, clock, (status) => told.push(status));
    desk.observe(link('online'));
    expect(desk.status()).toEqual({ outage: null, offered: false, active: false });
    desk.observe(link('offline', { offlineSince: '2026-12-03T03:04:58.000Z', lastError: `503 ${SYSTEM_DOWN}` }));
    expect(desk.status()).toEqual({ outage: { from: '2026-12-03T03:04:58.000Z', kind: 'system', backAt: null }, offered: false, active: false });
    clock.advance(20 * 60_000);
    desk.observe(link('online'));
    expect(desk.status()).toEqual({ outage: { from: '2026-12-03T03:04:58.000Z', kind: 'system', backAt: '2026-12-03T03:25:00.000Z' }, offered: true, active: false });
    // The core restarted (or a window reloaded): the same outage is still offered.
    const again = new CatchUp(meta, clock, () => {});
    expect(again.status()).toEqual(desk.status());
    expect(again.outageFrom()).toBeNull();
    again.start();
    expect(again.outageFrom()).toBe('2026-12-03T03:04:58.000Z');
    expect(again.finish()).toEqual({ outage: null, offered: false, active: false });
    expect(told.length).toBeGreaterThan(1);
  });

  it('offers no catch-up after a short loss of the network (the desk worked on, offline), but does after a long one', () => {
    const clock = new ManualClock(Date.parse('2026-12-03T03:05:00Z'));
    const desk = new CatchUp(fileMeta(), clock, () => {});
    desk.observe(link('offline', { offlineSince: '2026-12-03T03:05:00.000Z', lastError: 'ECONNREFUSED' }));
    clock.advance(60_000);
    desk.observe(link('online'));
    expect(desk.status()).toMatchObject({ outage: { kind: 'network' }, offered: false });
    desk.observe(link('reconnecting', { offlineSince: '2026-12-03T03:06:00.000Z' }));
    clock.advance(10 * 60_000);
    desk.observe(link('online'));
    expect(desk.status()).toMatchObject({ outage: { from: '2026-12-03T03:06:00.000Z', kind: 'network' }, offered: true });
  });

  it('starts catch-up on a desk that saw no outage only from a time already past', () => {
    const clock = new ManualClock(Date.parse('2026-12-03T03:05:00Z'));
    const desk = new CatchUp(fileMeta(), clock, () => {});
    expect(() => desk.start()).toThrow(/say when the system went down/);
    expect(() => desk.start('2026-12-03T04:00:00.000Z')).toThrow(/future/);
    expect(desk.start('2026-12-03T02:00:00.000Z')).toMatchObject({ active: true, outage: { from: '2026-12-03T02:00:00.000Z' } });
  });
});
