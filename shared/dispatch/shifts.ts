import type { ForceConfig } from '../domain/force-config';
import type { Unit } from '../domain/unit';
import { wallClock } from '../domain/wall-clock';

/** A shift as the rota writes it, in the force's time: "07:00" to "17:00", or "22:00" to "07:00" across midnight. */
export interface ShiftTimes {
  starts: string;
  ends: string;
}

/** One turn of a shift, as instants (milliseconds since the epoch). */
export interface ShiftSpan {
  startMs: number;
  endMs: number;
}

/** A tour of duty longer than this is a slip of the keyboard, not overtime. */
export const LONGEST_TOUR_MS = 24 * 3_600_000;

/**
 * The turns of a shift that start on the force's days around `atMs` (the day before, that day, the next two), in
 * order. An end at or before the start is the next day's; the force's clocks decide each instant, so a night shift
 * over a change of the clocks lasts an hour more or less, as the crew works it.
 */
export function shiftSpansAround(timeZone: string, shift: ShiftTimes, atMs: number): ShiftSpan[] {
  const wall = wallClock(timeZone);
  const today = wall.date(atMs);
  return [-1, 0, 1, 2].map((offset) => {
    const day = wall.addDays(today, offset);
    const endDay = shift.ends <= shift.starts ? wall.addDays(day, 1) : day;
    return { startMs: wall.instantAt(day, shift.starts), endMs: wall.instantAt(endDay, shift.ends) };
  });
}

/** The next time the shift starts after `afterMs`. */
export function nextShiftStart(timeZone: string, shift: ShiftTimes, afterMs: number): number {
  const next = shiftSpansAround(timeZone, shift, afterMs).find((span) => span.startMs > afterMs);
  // The spans run two days ahead, so one always starts later.
  return next!.startMs;
}

/**
 * When a unit booking on at `atMs` goes off duty: the end of the turn of its shift it books on for (under way, or
 * starting within the force's early booking-on time), or `untilMs` when given (a unit working outside or beyond its
 * shift). A unit with no shift and no time given is on until booked off (null). Refused, with the reason, outside its
 * shift without a time, or with a time not ahead or more than a day ahead.
 */
export function tourEnd(
  config: ForceConfig,
  unit: Pick<Unit, 'callSign' | 'shift'>,
  atMs: number,
  untilMs: number | null,
): { ok: true; endsAtMs: number | null } | { ok: false; reason: string } {
  const wall = wallClock(config.force.timeZone);
  if (untilMs !== null) {
    if (untilMs <= atMs) return { ok: false, reason: `${unit.callSign} cannot be booked on until ${wall.dateTime(untilMs)}: that time has passed` };
    if (untilMs - atMs > LONGEST_TOUR_MS) return { ok: false, reason: `${unit.callSign} cannot be booked on until ${wall.dateTime(untilMs)}: a tour of duty is at most 24 hours` };
    return { ok: true, endsAtMs: untilMs };
  }
  if (!unit.shift) return { ok: true, endsAtMs: null };
  const earlyMs = config.shifts.bookOnEarlyMinutes * 60_000;
  const turn = shiftSpansAround(config.force.timeZone, unit.shift, atMs).find((span) => span.startMs - earlyMs <= atMs && atMs < span.endMs);
  if (turn) return { ok: true, endsAtMs: turn.endMs };
  return {
    ok: false,
    reason: `${unit.callSign} is not on shift now (its shift is ${unit.shift.starts}–${unit.shift.ends}): to book it on outside its shift, give the time it is on until (BOOKON ${unit.callSign} hh:mm)`,
  };
}

/** When the unit's tour of duty ends (ms), or null if it has no planned end or is not booked on. */
export function tourEndsAtMs(unit: Pick<Unit, 'tour'>): number | null {
  return unit.tour?.endsAt ? Date.parse(unit.tour.endsAt) : null;
}

/** Whether the unit's tour of duty has come to its end at `nowMs`: it may no longer be proposed or deployed. */
export function tourOver(unit: Pick<Unit, 'tour'>, nowMs: number): boolean {
  const endsAt = tourEndsAtMs(unit);
  return endsAt !== null && nowMs >= endsAt;
}
