import { wallClock } from '../domain/wall-clock';
import type { MeasuresConfig } from './measures-config';

/** A span the room's measures are computed over: [fromMs, toMs), milliseconds since the epoch. */
export interface MeasureSpan {
  fromMs: number;
  toMs: number;
}

/** The shift running at an instant: its name and when it started and ends (the next shift's start). */
export interface ShiftSpan extends MeasureSpan {
  name: string;
}

const HOUR_MS = 3_600_000;

/**
 * The shift of the force's rota (`measures.shifts`, wall times in the force's zone) running at `nowMs`: the one
 * whose latest start is at or before `nowMs`, ending at the next start after it. A night shift from 23:00 runs
 * past midnight into the next day. Starts are placed on the force's own days, so across a change of the clocks a
 * shift is an hour shorter (March) or longer (October) than its rota says, as the room works it; a start the clocks
 * skip is taken an hour on, one they show twice the first time (WallClock.instantAt).
 */
export function shiftAt(config: Pick<MeasuresConfig, 'shifts'>, timeZone: string, nowMs: number): ShiftSpan {
  const clock = wallClock(timeZone);
  const today = clock.date(nowMs);
  const starts: { name: string; at: number }[] = [];
  for (const day of [-1, 0, 1]) {
    const date = clock.addDays(today, day);
    for (const shift of config.shifts) starts.push({ name: shift.name, at: clock.instantAt(date, shift.starts) });
  }
  starts.sort((a, b) => a.at - b.at);
  let index = -1;
  for (let i = 0; i < starts.length; i++) if (starts[i]!.at <= nowMs) index = i;
  // Yesterday's first start is at most a day and a half ago, so one always lies at or before now.
  const current = starts[index]!;
  const next = starts[index + 1] ?? { at: current.at + 24 * HOUR_MS };
  return { name: current.name, fromMs: current.at, toMs: next.at };
}

/** The last hour before `nowMs`. */
export function lastHour(nowMs: number): MeasureSpan {
  return { fromMs: nowMs - HOUR_MS, toMs: nowMs };
}
