import type { Contact } from './contact';
import { earliestPaperMs, type TimeWords } from './back-entry';

export type { TimeWords } from './back-entry';

/**
 * Calls answered on paper. While the system is down the phones still ring (telephony is not the CAD): the handler
 * answers on the handset and writes the call on the paper form. Once the system is back, the desk knows the calls
 * that rang meanwhile (its own telephony's, or the server's once it pulls), none of them answered at a desk. In
 * catch-up the paper record names the call it came from, with the time the paper says it was answered, so the call
 * counts as answered then (not left ringing, nor abandoned) and its incident's times are judged from the paper's.
 *
 * Paper times are whole minutes (hh:mm): a paper answer in the very minute the call rang stands for the moment it
 * rang (the paper cannot say which second), never for a moment before it.
 */

/** The outage, as the desk saw it: when the system went down and when it was back (ms, UTC). */
export interface OutageSpan {
  fromMs: number;
  toMs: number;
}

/** Instants in ISO UTC: for a check whose words nobody reads (outageCalls). */
const isoWords: TimeWords = (ms) => new Date(ms).toISOString();

const MINUTE_MS = 60_000;
const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * Why `contact` cannot be a call answered on paper during `outage`, in words; null when it can: it must have rung
 * during the outage (from the paper margin before the desk saw it go down, shared/domain/back-entry.ts, to when it
 * was back), be on no incident, and have been answered or ended at no desk (a call the CAD saw answered, abandoned or
 * disposed of is the CAD's record, not the paper's).
 */
export function paperCallRefusal(contact: Contact, outage: OutageSpan, words: TimeWords): string | null {
  const rangMs = Date.parse(contact.receivedAt);
  if (contact.incidentId) return 'the call is already on an incident';
  if (contact.state !== 'ringing') return `the call was not left ringing while the system was down: it is ${contact.state}${contact.answeredBy ? ` by ${contact.answeredBy}` : ''}`;
  if (rangMs < earliestPaperMs(outage.fromMs) || rangMs > outage.toMs) {
    return `the call rang at ${words(rangMs)}, not while the system was down (${words(outage.fromMs)} to ${words(outage.toMs)})`;
  }
  return null;
}

/** The calls a paper record may name: those of `contacts` that rang during `outage` and nobody has dealt with, oldest first. */
export function outageCalls<C extends Contact>(contacts: readonly C[], outage: OutageSpan): C[] {
  return contacts.filter((contact) => paperCallRefusal(contact, outage, isoWords) === null).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

/**
 * The incident a call answered on paper goes on, as the answer's time is checked against it: `openedMs` when the
 * paper incident was opened from this call (its time of call: the call cannot have been answered after it), null for
 * a further call attached to an incident already there; `closedMs` when it was closed, if it was.
 */
export interface PaperCallIncident {
  openedMs: number | null;
  closedMs: number | null;
}

/**
 * Why `answeredMs` (a paper time, whole minutes) cannot be when `contact` was answered on paper and put on
 * `incident`, entered at `enteredMs`; null when it can. Not before the minute it rang, not after the system was back,
 * not after the incident it opened was opened on paper, nor after the incident it went on was closed, nor still to
 * come. Times in the words by `iso`.
 */
export function paperAnswerRefusal(contact: Contact, answeredMs: number, outage: OutageSpan, incident: PaperCallIncident, enteredMs: number, iso: TimeWords): string | null {
  if (!Number.isFinite(answeredMs)) return 'the time answered on paper is not a time';
  if (answeredMs > enteredMs) return `the call cannot have been answered at ${iso(answeredMs)}: that is still to come`;
  if (answeredMs < minuteOf(Date.parse(contact.receivedAt))) return `the call cannot have been answered at ${iso(answeredMs)}: it rang at ${iso(Date.parse(contact.receivedAt))}`;
  if (answeredMs > outage.toMs) return `the call cannot have been answered on paper at ${iso(answeredMs)}: the system was back at ${iso(outage.toMs)}`;
  if (incident.openedMs !== null && answeredMs > incident.openedMs) return `the call cannot have been answered at ${iso(answeredMs)}, after its incident was opened on paper (${iso(incident.openedMs)})`;
  if (incident.closedMs !== null && answeredMs > incident.closedMs) return `the call cannot have gone at ${iso(answeredMs)} on an incident closed at ${iso(incident.closedMs)}`;
  return null;
}

/** The instant a call answered on paper at `answeredMs` (whole minutes) is recorded as answered: never before it rang. */
export function paperAnsweredAt(contact: Pick<Contact, 'receivedAt'>, answeredMs: number): string {
  return new Date(Math.max(answeredMs, Date.parse(contact.receivedAt))).toISOString();
}
