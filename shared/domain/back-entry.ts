import { z } from 'zod';
import { Name } from './ids';
import { Instant } from './time';
import type { WallClock } from './wall-clock';

/** How a refusal writes an instant (ms, UTC): the force's wall time, by paperTimeWords, for the operator. */
export type TimeWords = (ms: number) => string;

/**
 * Back-entry: after the system was down ("CAD down", in an exercise or live), the operators enter the paper records
 * they kept, each with the time written on the paper. The record keeps that time as its own (a log line's `at`, an
 * incident's call time, a deployment's time), so the log reads in the order things happened, and carries a
 * back-entered mark saying who entered it, where and when, so nobody mistakes it for a line written at the time.
 *
 * A paper time is typed hh:mm, read through the force's wall clock on the force's day the paper names (the day the
 * outage began, unless the paper says otherwise), and must fall within the outage: not more than
 * PAPER_MARGIN_MINUTES before the desk saw the system go down (a desk hears of it at its next exchange with the
 * server, and the first paper form of an outage is often started a few minutes before anyone calls it), and not
 * after the moment it is entered.
 */

/** How long before the desk saw the system go down a paper time may still be (minutes). */
export const PAPER_MARGIN_MINUTES = 5;

/** The mark a back-entered record carries: who typed the paper record in, at which workstation, and when. */
export const BackEntered = z.object({
  /** The operator who entered the paper record. */
  by: Name,
  workstation: Name,
  /** When it was entered (the workstation's clock, ISO UTC); the record's own time is the paper's. */
  enteredAt: Instant,
  /** When the system went down, as the desk saw it (ISO UTC): the earliest time the paper record could carry. */
  outageFrom: Instant,
});
export type BackEntered = z.infer<typeof BackEntered>;

/** The outage a catch-up enters paper records for. */
export interface Outage {
  /** When the system went down (ms, UTC). */
  fromMs: number;
}

export type PaperTime = { ok: true; at: number } | { ok: false; message: string };

const MINUTE_MS = 60_000;
const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * Words for the instants of a paper record's refusal, in the force's time with its zone always marked (a refusal is
 * read later, perhaps in the other season): "2026-12-02 07:07 GMT" for a paper time (whole minutes, as written), with
 * the seconds for an instant that is not one ("2026-12-02 07:07:21 GMT": when an incident was opened, when a record
 * was entered), so a refusal never reads as if two times in the same minute were the wrong way round.
 */
export function paperTimeWords(clock: WallClock): TimeWords {
  return (ms) => (ms % MINUTE_MS === 0 ? clock.dateTimeZoned(ms) : clock.dateTimeWithSecondsZoned(ms));
}

/**
 * The instant a paper time `at` (ISO UTC, whole minutes) on an incident opened at `openedAt` is recorded at: never
 * before the incident was opened (one in the incident's own minute, which paperBeforeIncident lets stand, stands for
 * the moment it was opened), so its log reads in order and no attendance time comes out below nothing. ISO UTC.
 */
export function paperTimeOnIncident(at: string, openedAt: string): string {
  return Date.parse(at) >= Date.parse(openedAt) ? at : openedAt;
}

/**
 * Why a paper time `atMs` (whole minutes, as written) cannot be of an incident opened at `openedMs`, or null: nothing
 * happened on an incident before it was opened, but the paper cannot say which second of a minute, so a time in the
 * incident's own minute stands (a unit sent by radio, a line written, in the minute the call was taken). `what` says
 * what the time is of ("the paper's line", "DM-22's deployment").
 */
export function paperBeforeIncident(atMs: number, openedMs: number, what: string, words: TimeWords): string | null {
  if (atMs >= minuteOf(openedMs)) return null;
  return `${what} at ${words(atMs)} is before the incident was opened (${words(openedMs)})`;
}

/**
 * The check every paper time passes, on the desk and again on the server (which applies the same commands): why
 * `atMs` cannot be a paper time of the outage that began at `outageFromMs`, entered at `enteredMs`, or null when it
 * can. `deskEnteredMs`: given when the server judged the entry by its own clock (`enteredMs`) because the desk's
 * (this) was ahead of it, as a trainee's desk is after running on through a pause it could not hear; the reason
 * then says so. Words for the operator, the times in `words` (paperTimeWords: the force's wall time).
 */
export function paperTimeRefusal(atMs: number, outageFromMs: number, enteredMs: number, words: TimeWords, deskEnteredMs?: number): string | null {
  if (!Number.isFinite(atMs) || !Number.isFinite(outageFromMs)) return 'the paper time or the outage is not a time';
  if (atMs > enteredMs && deskEnteredMs !== undefined && deskEnteredMs > enteredMs) {
    return `the paper's time ${words(atMs)} is still to come by the server's clock (${words(enteredMs)}): this desk's clock (${words(deskEnteredMs)}) was ahead of it`;
  }
  if (atMs > enteredMs) return `the paper's time ${words(atMs)} is after it was entered (${words(enteredMs)})`;
  if (atMs < earliestPaperMs(outageFromMs)) return `the paper's time ${words(atMs)} is before the system went down (${words(outageFromMs)}, less ${PAPER_MARGIN_MINUTES} minutes)`;
  return null;
}

/** The earliest instant a paper record of the outage that began at `outageFromMs` may carry (ms). */
export function earliestPaperMs(outageFromMs: number): number {
  return minuteOf(outageFromMs) - PAPER_MARGIN_MINUTES * MINUTE_MS;
}

/**
 * The instant a time written on a paper form stands for: `text` ("02:40", "01:30 GMT" in an hour that repeats) on
 * the force's day `date` ("2026-10-25"; by default the day the outage began). Refused, with the reason and nothing
 * else done: not a time or a date, a time the force's clocks skipped or showed twice unless marked, a time before the
 * system went down, a time still to come at `nowMs`.
 */
export function readPaperTime(clock: WallClock, outage: Outage, text: string, nowMs: number, date: string = clock.date(outage.fromMs)): PaperTime {
  const read = clock.timeOn(date, text);
  if (!read.ok) return read;
  const { at } = read;
  if (at > nowMs) return { ok: false, message: `${clock.dateTime(at)} is in the future: the paper's time must be before now (${clock.time(nowMs)})` };
  if (at < earliestPaperMs(outage.fromMs)) return { ok: false, message: `${clock.dateTime(at)} is before the system went down at ${clock.dateTime(outage.fromMs)} (less ${PAPER_MARGIN_MINUTES} minutes): only records kept on paper during the outage are back-entered` };
  return { ok: true, at };
}

/** The mark for a record entered now by `by` at `workstation`, for the outage that began at `outage.fromMs`. */
export function backEnteredMark(by: string, workstation: string, nowMs: number, outage: Outage): BackEntered {
  return { by, workstation, enteredAt: new Date(nowMs).toISOString(), outageFrom: new Date(outage.fromMs).toISOString() };
}

/** What a log shows beside a back-entered line: "back-entered 03:12 by PC Smith" (the time it was typed in). */
export function backEnteredText(clock: WallClock, mark: BackEntered): string {
  return `back-entered ${clock.time(mark.enteredAt)} by ${mark.by}`;
}
