import { z } from 'zod';
import { findGrade, findIncidentType } from '../domain/force-config';
import { contactSourceNames, type Contact } from '../domain/contact';
import { LogText, creationEntryId, type Incident, type LogEntry } from '../domain/incident';
import { IncidentLocation, describeLocation } from '../domain/location';
import { plainText } from '../domain/text';
import { Uuid } from '../domain/ids';
import type { AnyRecord } from '../domain/records';
import { Instant } from '../domain/time';
import { paperTimeRefusal, paperTimeWords } from '../domain/back-entry';
import { wallClock } from '../domain/wall-clock';
import { missing, notBefore, paperEntered, reject, type CommandDefinition } from './types';
import { systemEntry } from './system-log';
import { CALLER_NOT_SHARED } from '../domain/share-cut';
import { waitingFrom } from '../dispatch/handoffs';
import { queueFor } from '../domain/dispatch-queues';

export const CreateIncidentArgs = z.object({
  incidentId: Uuid,
  provisionalReference: z.string().min(1).max(40),
  type: z.string().min(1),
  location: IncidentLocation,
  grade: z.string().min(1),
  description: plainText({ max: 2000, multiline: true }).default(''),
  callerName: plainText({ max: 120 }).default(''),
  callerNumber: plainText({ max: 40 }).default(''),
  firstLog: z.object({ entryId: Uuid, text: LogText }).nullable(),
  /** The call the incident was made from: it is marked as dealt with, and linked to the incident. */
  contactId: Uuid.nullable().default(null),
  /**
   * An incident kept on paper while the system was down, entered afterwards (shared/domain/back-entry.ts): `at` is
   * when the paper says the call was taken (ISO UTC), kept as the incident's own time and its log's first lines';
   * `outageFrom` when the system went down. Refused if that time is after the command was issued or before the outage.
   */
  paper: z.object({ at: Instant, outageFrom: Instant }).strict().optional(),
});
export type CreateIncidentArgs = z.infer<typeof CreateIncidentArgs>;

export const createIncident: CommandDefinition<CreateIncidentArgs> = {
  name: 'incident.create',
  args: CreateIncidentArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }, ...(args.contactId ? [{ kind: 'contact' as const, id: args.contactId }] : [])],
  // The creation's log line and the first one typed.
  writes: (args) => [{ kind: 'logEntry', id: creationEntryId(args.incidentId) }, ...(args.firstLog ? [{ kind: 'logEntry' as const, id: args.firstLog.entryId }] : [])],
  apply(args, given, state) {
    // Not before the call it is made from rang and was answered: a slow desk's time would start its attendance and
    // handoff clocks before the call came.
    const call = args.contactId ? state.get('contact', args.contactId) : undefined;
    const ctx = notBefore(given, call?.receivedAt, call?.answeredAt);
    const type = findIncidentType(ctx.config, args.type);
    if (!type) return reject('invalid', `unknown incident type "${args.type}"`);
    const grade = findGrade(ctx.config, args.grade);
    if (!grade) return reject('invalid', `unknown grade "${args.grade}"`);
    const existing = state.get('incident', args.incidentId);
    const { paper } = args;
    if (paper && !existing) {
      const entered = paperEntered(ctx);
      const refused = paperTimeRefusal(Date.parse(paper.at), Date.parse(paper.outageFrom), entered.enteredMs, paperTimeWords(wallClock(ctx.config.force.timeZone)), entered.deskEnteredMs);
      if (refused) return reject('invalid', refused);
    }
    // A paper incident's times are the paper's; the mark says who entered it, and when.
    const at = paper?.at ?? ctx.issuedAt;
    const backEntered = paper && { by: ctx.actor.operator, workstation: ctx.actor.workstation, enteredAt: ctx.issuedAt, outageFrom: paper.outageFrom };
    // Its queue, from where it is: every open incident has one, a location outside every area the force's default.
    const queue = queueFor(ctx.config, args.location);
    const incident: Incident = {
      id: args.incidentId,
      force: ctx.config.force.code,
      // Replaying a creation over the server's copy keeps the force reference the server gave it.
      reference: existing?.reference ?? null,
      provisionalReference: args.provisionalReference,
      type: args.type,
      openingType: args.type,
      location: args.location,
      description: args.description,
      callerName: args.callerName,
      callerNumber: args.callerNumber,
      grade: args.grade,
      gradedAt: at,
      attendedAt: null,
      pendingDowngrade: null,
      thrive: null,
      related: [],
      status: 'open',
      queue,
      handoff: waitingFrom(at),
      owner: null,
      activeUnits: [],
      reservations: [],
      closingCode: null,
      closedAt: null,
      closedBy: null,
      createdAt: at,
      createdBy: ctx.actor.operator,
      createdAtWorkstation: ctx.actor.workstation,
      ...(backEntered && { backEntered }),
      updatedAt: ctx.issuedAt,
      version: 1,
    };
    if (existing && existing.provisionalReference !== args.provisionalReference) {
      return reject('invalid', `incident ${args.incidentId} already exists`);
    }
    // A creation is replayed over the server's copy only at the workstation that made it (its outbox, until the
    // server confirms it); the server takes each command once, so one arriving for an incident it has is another
    // command under the same ids, and would rewrite the incident's opening lines (a try-out's medium).
    if (existing && ctx.recordedAt !== undefined && !ctx.trusted) return reject('invalid', `incident ${args.incidentId} already exists`);
    const contact = args.contactId ? state.get('contact', args.contactId) : null;
    if (args.contactId && !contact) return missing({ kind: 'contact', id: args.contactId }, 'the call');
    // The log starts with what the incident was opened as, written by this command on every copy alike: later
    // changes (type, grade, location) each log what they replaced, so the first values are never only implied.
    // Another force assisting reads where it came from without the caller's number (shared/domain/share-cut.ts).
    const openedAs = `Opened as ${type.name} (${type.code}), grade ${grade.code} ${grade.name}, at ${describeLocation(args.location)}; source:`;
    const opened: LogEntry = {
      ...systemEntry(ctx, creationEntryId(incident.id), incident.id, {
        text: `${openedAs} ${sourceOf(contact ?? null, paper !== undefined, true)}`,
        shared: `${openedAs} ${sourceOf(contact ?? null, paper !== undefined, false)}`,
      }),
      at,
      ...(backEntered && { backEntered }),
    };
    const changes: AnyRecord[] = [
      { kind: 'incident', id: incident.id, doc: existing ?? incident },
      { kind: 'logEntry', id: opened.id, doc: opened },
    ];
    if (args.firstLog) {
      const entry: LogEntry = {
        id: args.firstLog.entryId,
        force: incident.force,
        incidentId: incident.id,
        kind: 'note',
        text: args.firstLog.text,
        author: ctx.actor.operator,
        workstation: ctx.actor.workstation,
        at,
        ...(backEntered && { backEntered }),
      };
      changes.push({ kind: 'logEntry', id: entry.id, doc: entry });
    }
    if (contact) {
      if (contact.incidentId && contact.incidentId !== incident.id) return reject('invalid', 'the call already belongs to another incident');
      changes.push({ kind: 'contact', id: contact.id, doc: { ...contact, incidentId: incident.id, state: 'completed', endedAt: contact.endedAt ?? ctx.issuedAt, version: contact.version + 1 } });
    }
    return { ok: true, changes };
  },
};

/** Where the incident came from, as its first log line says it: with the caller's number, or (`caller` false) without. */
function sourceOf(contact: Contact | null, paper: boolean, caller: boolean): string {
  if (!contact) return paper ? 'a call taken on paper while the system was down' : 'raised at the desk, not from a call';
  if (!caller) return `${contactSourceNames[contact.source]}, ${CALLER_NOT_SHARED}`;
  return `${contactSourceNames[contact.source]}, ${contact.callerNumber ? `caller ${contact.callerNumber}` : 'number withheld'}`;
}
