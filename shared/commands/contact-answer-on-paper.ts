import { z } from 'zod';
import { paperTimeRefusal, paperTimeWords, type BackEntered } from '../domain/back-entry';
import type { Contact } from '../domain/contact';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import type { LogEntry } from '../domain/incident';
import { paperAnswerRefusal, paperAnsweredAt, paperCallRefusal, type OutageSpan } from '../domain/paper-calls';
import { Instant } from '../domain/time';
import { wallClock } from '../domain/wall-clock';
import { systemEntry } from './system-log';
import { CALLER_NOT_SHARED } from '../domain/share-cut';
import { conflict, missing, paperEntered, reject, type CommandDefinition } from './types';

export const AnswerContactOnPaperArgs = z.object({
  contactId: Uuid,
  /** The incident its paper record was entered as (or went on). */
  incidentId: Uuid,
  /** When the paper says the call was answered (ISO UTC, whole minutes as written). */
  answeredAt: Instant,
  /**
   * Whether it is a further call attached on paper to an incident already there (a paper line on it), rather than
   * the call its paper incident was opened from (whose answer cannot come after the incident's time of call).
   */
  attached: z.boolean().default(false),
  /** The outage as the entering desk saw it: when the system went down, and when it was back. */
  paper: z.object({ outageFrom: Instant, backAt: Instant }).strict(),
});
export type AnswerContactOnPaperArgs = z.infer<typeof AnswerContactOnPaperArgs>;

/**
 * A call that rang while the system was down, answered on the handset and kept on paper, tied in catch-up to the
 * paper record it became (shared/domain/paper-calls.ts): the call is answered at the paper's time by whoever entered
 * it, on that incident, marked back-entered; a line in the incident's log says so, at the time answered. Issued in
 * the same transaction as the paper incident (or, `attached`, as the paper line about it on an incident already
 * there). Refused, changing nothing: a call on an incident already, or answered or ended at a desk (a conflict:
 * someone else dealt with it), one that did not ring during the outage, a time answered before it rang, after the
 * system was back, after the time of call of the incident it opened or the closing of the one it went on, or still to
 * come.
 */
export const answerContactOnPaper: CommandDefinition<AnswerContactOnPaperArgs> = {
  name: 'contact.answerOnPaper',
  args: AnswerContactOnPaperArgs,
  reads: (args) => [
    { kind: 'contact', id: args.contactId },
    { kind: 'incident', id: args.incidentId },
  ],
  apply(args, ctx, state) {
    const contact = state.get('contact', args.contactId);
    if (!contact) return missing({ kind: 'contact', id: args.contactId }, 'the call');
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    // Sent again (a retry of the same entry): nothing more to do.
    if (contact.incidentId === incident.id && contact.backEntered) return { ok: true, changes: [] };
    const outage: OutageSpan = { fromMs: Date.parse(args.paper.outageFrom), toMs: Date.parse(args.paper.backAt) };
    if (!(outage.toMs >= outage.fromMs)) return reject('invalid', 'the outage must end after it began');
    const wall = wallClock(ctx.config.force.timeZone);
    const words = paperTimeWords(wall);
    const refused = paperCallRefusal(contact, outage, words);
    if (refused) return contact.incidentId || contact.state !== 'ringing' ? conflict(refused, { kind: 'contact', id: contact.id }) : reject('invalid', refused);
    const answeredMs = Date.parse(args.answeredAt);
    const on = { openedMs: args.attached ? null : Date.parse(incident.createdAt), closedMs: incident.closedAt ? Date.parse(incident.closedAt) : null };
    const entered = paperEntered(ctx);
    const badTime = paperTimeRefusal(answeredMs, outage.fromMs, entered.enteredMs, words, entered.deskEnteredMs) ?? paperAnswerRefusal(contact, answeredMs, outage, on, entered.enteredMs, words);
    if (badTime) return reject('invalid', badTime);
    const answeredAt = paperAnsweredAt(contact, answeredMs);
    const backEntered: BackEntered = { by: ctx.actor.operator, workstation: ctx.actor.workstation, enteredAt: ctx.issuedAt, outageFrom: args.paper.outageFrom };
    // The phone call ended some time after it was answered: the paper says no more than when its record was opened.
    const endedAt = contact.endedAt ?? new Date(Math.max(Date.parse(answeredAt), Date.parse(incident.createdAt))).toISOString();
    const answered: Contact = { ...contact, state: 'completed', answeredAt, answeredBy: ctx.actor.operator, answeredAtWorkstation: ctx.actor.workstation, endedAt, incidentId: incident.id, backEntered, version: contact.version + 1 };
    const call = (from: string) => `${contact.source} call${from} (rang ${wall.timeWithSeconds(contact.receivedAt)}) answered on paper at ${wall.time(answeredMs)} by ${ctx.actor.operator}`;
    const line = (from: string) => (args.attached ? `Further contact attached on paper: ${call(from)}` : call(from));
    // Another force assisting reads that a call was answered on paper, not who rang (shared/domain/share-cut.ts).
    const text = { text: line(` from ${contact.callerNumber ?? 'a withheld number'}`), shared: `${line('')}, ${CALLER_NOT_SHARED}` };
    const entry: LogEntry = { ...systemEntry(ctx, derivedId(contact.id, `answered-on-paper:${incident.id}`), incident.id, text), at: answeredAt, backEntered };
    return {
      ok: true,
      changes: [
        { kind: 'contact', id: contact.id, doc: answered },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
};
