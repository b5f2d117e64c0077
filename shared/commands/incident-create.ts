import { z } from 'zod';
import { findGrade, findIncidentType } from '../domain/force-config';
import { contactSourceNames, type Contact } from '../domain/contact';
import { LogText, creationEntryId, type Incident, type LogEntry } from '../domain/incident';
import { IncidentLocation, describeLocation } from '../domain/location';
import { plainText } from '../domain/text';
import { Uuid } from '../domain/ids';
import type { AnyRecord } from '../domain/records';
import { missing, reject, type CommandDefinition } from './types';
import { systemEntry } from './system-log';
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
});
export type CreateIncidentArgs = z.infer<typeof CreateIncidentArgs>;

export const createIncident: CommandDefinition<CreateIncidentArgs> = {
  name: 'incident.create',
  args: CreateIncidentArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }, ...(args.contactId ? [{ kind: 'contact' as const, id: args.contactId }] : [])],
  apply(args, ctx, state) {
    const type = findIncidentType(ctx.config, args.type);
    if (!type) return reject('invalid', `unknown incident type "${args.type}"`);
    const grade = findGrade(ctx.config, args.grade);
    if (!grade) return reject('invalid', `unknown grade "${args.grade}"`);
    const existing = state.get('incident', args.incidentId);
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
      gradedAt: ctx.issuedAt,
      attendedAt: null,
      pendingDowngrade: null,
      thrive: null,
      related: [],
      status: 'open',
      queue,
      handoff: waitingFrom(ctx.issuedAt),
      owner: null,
      activeUnits: [],
      reservations: [],
      closingCode: null,
      closedAt: null,
      closedBy: null,
      createdAt: ctx.issuedAt,
      createdBy: ctx.actor.operator,
      createdAtWorkstation: ctx.actor.workstation,
      updatedAt: ctx.issuedAt,
      version: 1,
    };
    if (existing && existing.provisionalReference !== args.provisionalReference) {
      return reject('invalid', `incident ${args.incidentId} already exists`);
    }
    const contact = args.contactId ? state.get('contact', args.contactId) : null;
    if (args.contactId && !contact) return missing({ kind: 'contact', id: args.contactId }, 'the call');
    // The log starts with what the incident was opened as, written by this command on every copy alike: later
    // changes (type, grade, location) each log what they replaced, so the first values are never only implied.
    const opened = systemEntry(
      ctx,
      creationEntryId(incident.id),
      incident.id,
      `Opened as ${type.name} (${type.code}), grade ${grade.code} ${grade.name}, at ${describeLocation(args.location)}; source: ${sourceOf(contact ?? null)}`,
    );
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
        at: ctx.issuedAt,
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

/** Where the incident came from, as its first log line says it. */
function sourceOf(contact: Contact | null): string {
  if (!contact) return 'raised at the desk, not from a call';
  return `${contactSourceNames[contact.source]}, ${contact.callerNumber ? `caller ${contact.callerNumber}` : 'number withheld'}`;
}
