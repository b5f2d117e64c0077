import type { WallClock } from './wall-clock';

/**
 * How far a workstation's clock may stand from the server's and still be believed (ms): ten minutes. The server
 * judges a command's ticket within it (server/access/tickets.ts), and the audit log's answers mark an entry whose
 * two times differ by more (auditEntryClock).
 */
export const CLOCK_SKEW_MS = 10 * 60 * 1000;

/**
 * The entry kinds whose workstation time was stamped by an operator's workstation under their sign-in ticket
 * (a command, a look, a question to the audit log), so cannot be earlier than the operator's first ticket there.
 * The server's own entries (a ticket issued, a refusal, a lockout) are stamped by the server, or, for a sign-in
 * refused at the workstation while the server was away, by a workstation with no ticket of that operator's to go by.
 */
const TICKETED_KINDS: ReadonlySet<string> = new Set(['collection', 'alteration', 'sign-in', 'sign-out', 'consultation', 'moment', 'combination', 'disclosure', 'erasure']);

/**
 * What an entry's two times say of the workstation's clock, when they differ by more than CLOCK_SKEW_MS:
 * - `late`: done at the workstation that long before the server recorded it. Expected of what was done offline (a
 *   look, a command waiting in the outbox), so not doubted: the workstation's time is when it happened.
 * - `ahead`: the workstation's time is after the server recorded it, by `byMs`. Nothing can reach the server before
 *   it is done: the workstation's clock was fast, and its time is doubtful.
 * - `before-ticket`: the workstation's time is before the operator was first given a sign-in ticket at that
 *   workstation (`ticketAt`, the server's time), which every such command carries: the workstation's clock was slow
 *   (or the time was set by hand), and its time is doubtful though it reads like a late arrival.
 */
export type AuditEntryClock = { says: 'late'; byMs: number } | { says: 'ahead'; byMs: number } | { says: 'before-ticket'; ticketAt: string };

/**
 * The clock mark of an entry (see AuditEntryClock), or null when its two times agree within CLOCK_SKEW_MS (or one is
 * not a time). `firstTicketAt`: when the server first gave the entry's operator a ticket at the entry's workstation
 * (ISO-8601 UTC), null when the log has none (the system's own entries, a log older than ticket entries).
 */
export function auditEntryClock(entry: { kind: string; issuedAt: string; recordedAt: string }, firstTicketAt: string | null): AuditEntryClock | null {
  const issued = Date.parse(entry.issuedAt);
  const recorded = Date.parse(entry.recordedAt);
  if (Number.isNaN(issued) || Number.isNaN(recorded)) return null;
  if (issued > recorded + CLOCK_SKEW_MS) return { says: 'ahead', byMs: issued - recorded };
  const ticket = firstTicketAt === null ? Number.NaN : Date.parse(firstTicketAt);
  if (TICKETED_KINDS.has(entry.kind) && firstTicketAt !== null && !Number.isNaN(ticket) && issued < ticket - CLOCK_SKEW_MS) return { says: 'before-ticket', ticketAt: firstTicketAt };
  if (issued < recorded - CLOCK_SKEW_MS) return { says: 'late', byMs: recorded - issued };
  return null;
}

/** Whether the mark casts doubt on the workstation's time (`ahead`, `before-ticket`), rather than saying it arrived late. */
export function isDoubtfulClock(clock: AuditEntryClock | null | undefined): boolean {
  return clock?.says === 'ahead' || clock?.says === 'before-ticket';
}

/**
 * The mark in words, as the audit window and an exported file say it: "doubtful clock: …" for a time not to be
 * believed, else how late it reached the server. `wall`: the force's clock, for a ticket's time.
 */
export function auditClockWords(clock: AuditEntryClock, wall: WallClock): string {
  switch (clock.says) {
    case 'late':
      return `reached the server ${durationWords(clock.byMs)} after it was done at the workstation (done offline or waiting to be sent)`;
    case 'ahead':
      return `doubtful clock: the workstation's time is ${durationWords(clock.byMs)} after the server recorded it`;
    case 'before-ticket':
      return `doubtful clock: the workstation's time is before ${clock.ticketAt ? `the operator's first sign-in there (${wall.dateTimeZoned(Date.parse(clock.ticketAt))})` : "the operator's first sign-in there"}`;
  }
}

/** A span in whole minutes as words: "25 min", "5 h", "5 h 3 min", "2 d 4 h". */
export function durationWords(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}
