import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';

/**
 * The force's wall clock: the one place that turns instants into the times people read (the queue, the log, log
 * lines written by commands, reference days) and the times they type into instants. Instants stay UTC and durations
 * stay arithmetic; only what a person reads or types goes through here, always in the force's time zone (named in
 * its configuration), never the machine's or the browser's.
 *
 * Where an hour repeats (the October change: 01:00–01:59 happens in BST, then again in GMT) a time carries its
 * zone's abbreviation, "01:30 BST" and "01:30 GMT", so the two never read the same. A typed time that does not
 * exist (the March gap) or comes twice without saying which is refused with the reason.
 *
 * Zone arithmetic (which instants show a wall time, where the clocks change) is Temporal's, through
 * temporal-polyfill (the native Temporal where the engine has one); formatting is Intl's, one formatter per zone.
 */

/** Why a name is not a time zone the force can use, or null if it is. */
export function timeZoneProblem(name: string): string | null {
  if (/^[+-]\d|^(UTC|GMT)[+-]/i.test(name)) return `"${name}" is an offset, not a time zone: name the force's zone (such as Europe/London) so that summer time is followed`;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name);
  } catch {
    return `"${name}" is not a time zone: use an IANA name such as Europe/London`;
  }
  return null;
}

/** A time zone name, checked: for the force configuration. */
export const TimeZoneName = z.string().superRefine((name, ctx) => {
  const problem = timeZoneProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** "hh:mm" as typed, with what may follow it to say which of a repeated hour: BST, GMT, +01:00, +0100. */
export interface TypedTime {
  hour: number;
  minute: number;
  /** The zone abbreviation or offset typed after the time, upper-cased; null if none. */
  mark: string | null;
}

const TYPED_TIME = /^([01]\d|2[0-3]):([0-5]\d)(?:\s*([A-Za-z]{1,5}|[+-]\d{2}(?::?\d{2})?))?$/;

/** Reads a typed time of day ("15:30", "01:30 GMT", "01:30 +01:00"); a message saying how to type it if it is not one. */
export function readTypedTime(text: string): TypedTime | string {
  const match = TYPED_TIME.exec(text.trim());
  if (!match) return `"${text.trim()}" is not a time: use hh:mm, e.g. 15:30 (where an hour repeats, add the zone or its offset, e.g. 01:30 GMT)`;
  return { hour: Number(match[1]), minute: Number(match[2]), mark: match[3]?.toUpperCase() ?? null };
}

export type NextTime = { ok: true; at: number } | { ok: false; message: string };

type InstantInput = string | number;
const msOf = (instant: InstantInput) => (typeof instant === 'number' ? instant : Date.parse(instant));
const pad = (n: number) => String(n).padStart(2, '0');
const DAY_MS = 86_400_000;

/** One zone's formatters and the spans of instants whose wall time repeats, built once. */
export class WallClock {
  private readonly hm: Intl.DateTimeFormat;
  private readonly hms: Intl.DateTimeFormat;
  private readonly ymd: Intl.DateTimeFormat;
  private readonly longDay: Intl.DateTimeFormat;
  private readonly zoneName: Intl.DateTimeFormat;
  /** By UTC year: [start, end) of every span of instants whose wall time happens twice. */
  private readonly repeatedByYear = new Map<number, [number, number][]>();

  constructor(readonly timeZone: string) {
    const problem = timeZoneProblem(timeZone);
    if (problem) throw new RangeError(problem);
    const base = { timeZone, hourCycle: 'h23' } as const;
    this.hm = new Intl.DateTimeFormat('en-GB', { ...base, hour: '2-digit', minute: '2-digit' });
    this.hms = new Intl.DateTimeFormat('en-GB', { ...base, hour: '2-digit', minute: '2-digit', second: '2-digit' });
    this.ymd = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    this.longDay = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'long', day: 'numeric' });
    this.zoneName = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' });
  }

  /** "14:05", or "01:30 BST" / "01:30 GMT" in an hour that repeats. */
  time(instant: InstantInput): string {
    const ms = msOf(instant);
    return this.marked(ms, this.hm.format(ms));
  }

  /** "14:05:09", marked as `time` is. */
  timeWithSeconds(instant: InstantInput): string {
    const ms = msOf(instant);
    return this.marked(ms, this.hms.format(ms));
  }

  /** The force's calendar day, "2026-03-29". */
  date(instant: InstantInput): string {
    const { year, month, day } = this.dayParts(msOf(instant));
    return `${year}-${month}-${day}`;
  }

  /** "2026-03-29 14:05", marked as `time` is: for a time that may not be today (a reservation, a log line). */
  dateTime(instant: InstantInput): string {
    return `${this.date(instant)} ${this.time(instant)}`;
  }

  /**
   * "2026-03-29 14:05 BST": the date and time with the zone's mark always written, for a time read where the reader
   * cannot know the zone from the room's clock (the audit log's answers, an account's lockout: read later, perhaps
   * in another season, by someone checking what happened when).
   */
  dateTimeZoned(instant: InstantInput): string {
    const ms = msOf(instant);
    return `${this.date(ms)} ${this.hm.format(ms)} ${this.mark(ms)}`;
  }

  /** "2026-03-29 14:05:09 BST": dateTimeZoned with the seconds, for an instant set beside a whole-minute one. */
  dateTimeWithSecondsZoned(instant: InstantInput): string {
    const ms = msOf(instant);
    return `${this.date(ms)} ${this.hms.format(ms)} ${this.mark(ms)}`;
  }

  /** "14:05 GMT": the time with its zone's mark always written (see dateTimeZoned). */
  timeZoned(instant: InstantInput): string {
    const ms = msOf(instant);
    return `${this.hm.format(ms)} ${this.mark(ms)}`;
  }

  /** "15:00" if the instant is on the same force day as `nowMs`, else "2026-03-30 15:00": an appointment, say. */
  timeFromToday(instant: InstantInput, nowMs: number): string {
    return this.date(instant) === this.date(nowMs) ? this.time(instant) : this.dateTime(instant);
  }

  /** The day as a reference's counter names it: "20260329". */
  referenceDay(instant: InstantInput): string {
    const { year, month, day } = this.dayParts(msOf(instant));
    return `${year}${month}${day}`;
  }

  /** Whether the instant's wall time happens twice that day (the hour the clocks go back over). */
  repeats(instant: InstantInput): boolean {
    const ms = msOf(instant);
    const year = new Date(ms).getUTCFullYear();
    return this.repeatedSpans(year).some(([start, end]) => ms >= start && ms < end);
  }

  /** The zone's abbreviation at that instant ("BST", "GMT"), or its offset ("+05:30") where it has no letters. */
  mark(instant: InstantInput): string {
    const ms = msOf(instant);
    const name = this.zoneName.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
    return /^[A-Z]{2,5}$/.test(name) ? name : offsetText(this.zoned(ms).offsetNanoseconds / 1e6);
  }

  /**
   * The next instant, after `nowMs`, at which the force's clocks show the typed time: today, or tomorrow if today's
   * has passed. Refused, with the reason: a time the clocks skip (the March gap), a time still to come twice (the
   * October change) unless marked BST/GMT or with its offset, a mark that does not apply.
   */
  nextTime(text: string, nowMs: number): NextTime {
    const typed = readTypedTime(text);
    if (typeof typed === 'string') return { ok: false, message: typed };
    const wall = `${pad(typed.hour)}:${pad(typed.minute)}`;
    let day = this.zoned(nowMs).toPlainDate();
    for (let i = 0; i < 2; i++, day = day.add({ days: 1 })) {
      const local = day.toPlainDateTime({ hour: typed.hour, minute: typed.minute });
      const all = this.instantsShowing(local);
      if (all.length === 0) {
        const change = local.toZonedDateTime(this.timeZone, { disambiguation: 'earlier' }).getTimeZoneTransition('next');
        if (change && change.epochMilliseconds <= nowMs) continue; // today's gap is behind us: tomorrow's time is meant
        return { ok: false, message: `${wall} does not exist on ${this.longDay.format(change?.epochMilliseconds ?? nowMs)}: ${this.changeText(change)}` };
      }
      const { mark } = typed;
      const candidates = mark ? all.filter((ms) => this.marks(ms).includes(mark)) : all;
      const toCome = candidates.filter((ms) => ms > nowMs);
      if (toCome.length === 1) return { ok: true, at: toCome[0]! };
      if (toCome.length === 2) {
        const [first, second] = toCome as [number, number];
        const [one, other] = [this.mark(first), this.mark(second)];
        const offsets = one.startsWith('+') || one.startsWith('-') ? '' : ` (or the offset, ${offsetText(this.offsetMs(first))} or ${offsetText(this.offsetMs(second))})`;
        return {
          ok: false,
          message: `${wall} comes twice on ${this.longDay.format(first)}, when ${this.changeText(this.zoned(first).getTimeZoneTransition('next'))}: type ${wall} ${one} or ${wall} ${other}${offsets}`,
        };
      }
    }
    if (typed.mark) return { ok: false, message: `there is no ${wall} ${typed.mark} to come today or tomorrow: the force's clocks show ${this.mark(nowMs)} (${offsetText(this.offsetMs(nowMs))})` };
    // Unreachable: a wall time that exists today has passed only if tomorrow's is still to come.
    return { ok: false, message: `${wall} cannot be placed today or tomorrow` };
  }

  /**
   * The instant the force's clocks show `time` ("07:00") on the force's day `date` ("2026-03-29"): for times a rota
   * writes (a unit's shift). A time the clocks skip moves on by the gap (01:30 on the March change is 02:30 BST); one
   * that comes twice is its first (01:30 BST on the October change), as a shift written for that time is meant.
   */
  instantAt(date: string, time: string): number {
    const [hour, minute] = time.split(':').map(Number) as [number, number];
    const local = Temporal.PlainDate.from(date).toPlainDateTime({ hour, minute });
    return local.toZonedDateTime(this.timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
  }

  /**
   * The instant the force's clocks show the typed time ("01:30", "01:30 GMT") on the force's day `date`
   * ("2026-10-25"): for a time a person types about the past (the span of an audit question). Refused, with the
   * reason: a date that is not one, a time the clocks skip, a time that comes twice that day unless marked, a mark
   * that does not apply.
   */
  timeOn(date: string, text: string): NextTime {
    let day: Temporal.PlainDate;
    try {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) throw new RangeError(date);
      day = Temporal.PlainDate.from(date.trim(), { overflow: 'reject' });
    } catch {
      return { ok: false, message: `"${date.trim()}" is not a date: use yyyy-mm-dd, e.g. 2026-10-25` };
    }
    const typed = readTypedTime(text);
    if (typeof typed === 'string') return { ok: false, message: typed };
    const wall = `${pad(typed.hour)}:${pad(typed.minute)}`;
    const local = day.toPlainDateTime({ hour: typed.hour, minute: typed.minute });
    const all = this.instantsShowing(local);
    if (all.length === 0) {
      const change = local.toZonedDateTime(this.timeZone, { disambiguation: 'earlier' }).getTimeZoneTransition('next');
      return { ok: false, message: `${wall} does not exist on ${this.longDay.format(change?.epochMilliseconds ?? Date.parse(`${date}T12:00:00Z`))}: ${this.changeText(change)}` };
    }
    const { mark } = typed;
    const candidates = mark ? all.filter((ms) => this.marks(ms).includes(mark)) : all;
    if (candidates.length === 1) return { ok: true, at: candidates[0]! };
    if (candidates.length === 0) return { ok: false, message: `the force's clocks did not show ${wall} ${mark} on ${this.longDay.format(all[0]!)}: they showed ${all.map((ms) => this.mark(ms)).join(' or ')}` };
    const [first, second] = candidates as [number, number];
    return { ok: false, message: `${wall} comes twice on ${this.longDay.format(first)}, when ${this.changeText(this.zoned(first).getTimeZoneTransition('next'))}: type ${wall} ${this.mark(first)} or ${wall} ${this.mark(second)}` };
  }

  /** The force's day `days` after `date` (before, if negative), as "2026-03-30". */
  addDays(date: string, days: number): string {
    return Temporal.PlainDate.from(date).add({ days }).toString();
  }

  private marked(ms: number, text: string): string {
    return this.repeats(ms) ? `${text} ${this.mark(ms)}` : text;
  }

  private dayParts(ms: number): { year: string; month: string; day: string } {
    const parts = this.ymd.formatToParts(ms);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return { year: part('year'), month: part('month'), day: part('day') };
  }

  private zoned(ms: number): Temporal.ZonedDateTime {
    return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(this.timeZone);
  }

  private offsetMs(ms: number): number {
    return this.zoned(ms).offsetNanoseconds / 1e6;
  }

  /** The ways an instant's zone may be typed after a time: its abbreviation and its offset, with or without the colon. */
  private marks(ms: number): string[] {
    const offset = offsetText(this.offsetMs(ms));
    const marks = [this.mark(ms).toUpperCase(), offset, offset.replace(':', '')];
    if (offset.endsWith(':00')) marks.push(offset.slice(0, 3));
    return marks;
  }

  /** The instants (none, one or two, earliest first) at which the zone's clocks show that wall time. */
  private instantsShowing(local: Temporal.PlainDateTime): number[] {
    const earlier = local.toZonedDateTime(this.timeZone, { disambiguation: 'earlier' });
    const later = local.toZonedDateTime(this.timeZone, { disambiguation: 'later' });
    const shows = (zoned: Temporal.ZonedDateTime) => zoned.toPlainDateTime().equals(local);
    const found = [earlier, later].filter(shows).map((z) => z.epochMilliseconds);
    return [...new Set(found)];
  }

  /** "the clocks go forward from 01:00 GMT to 02:00 BST", from the transition's instant. */
  private changeText(change: Temporal.ZonedDateTime | null): string {
    if (!change) return 'the clocks change';
    const at = change.epochMilliseconds;
    const before = this.offsetMs(at - 1);
    const after = change.offsetNanoseconds / 1e6;
    const wallBefore = new Date(at + before);
    const from = `${pad(wallBefore.getUTCHours())}:${pad(wallBefore.getUTCMinutes())}`;
    const to = this.hm.format(at);
    return `the clocks go ${after > before ? 'forward' : 'back'} from ${from} ${this.mark(at - 1)} to ${to} ${this.mark(at)}`;
  }

  private repeatedSpans(year: number): [number, number][] {
    let spans = this.repeatedByYear.get(year);
    if (spans) return spans;
    spans = [];
    const end = Date.UTC(year + 1, 0, 1) + DAY_MS;
    let zoned: Temporal.ZonedDateTime | null = this.zoned(Date.UTC(year, 0, 1) - DAY_MS);
    while (zoned) {
      const change: Temporal.ZonedDateTime | null = zoned.getTimeZoneTransition('next');
      if (!change || change.epochMilliseconds > end) break;
      const back = (zoned.offsetNanoseconds - change.offsetNanoseconds) / 1e6;
      if (back > 0) spans.push([change.epochMilliseconds - back, change.epochMilliseconds + back]);
      zoned = change;
    }
    this.repeatedByYear.set(year, spans);
    return spans;
  }
}

/** "+01:00", "-04:00", "+05:30" from an offset in milliseconds. */
function offsetText(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `${ms < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const clocks = new Map<string, WallClock>();

/** The wall clock of a zone, made once (its formatters cost far more to build than to use). Throws for a bad zone. */
export function wallClock(timeZone: string): WallClock {
  let clock = clocks.get(timeZone);
  if (!clock) clocks.set(timeZone, (clock = new WallClock(timeZone)));
  return clock;
}
