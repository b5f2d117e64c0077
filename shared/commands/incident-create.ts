import { z } from 'zod';
import { findGrade, findIncidentType } from '../domain/force-config';
import { LogText, type Incident, type LogEntry } from '../domain/incident';
import { IncidentLocation } from '../domain/location';
import { plainText } from '../domain/text';
import { Uuid } from '../domain/ids';
import type { AnyRecord } from '../domain/records';
import { missing, reject, type CommandDefinition } from './types';

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
    if (!findIncidentType(ctx.config, args.type)) return reject('invalid', `unknown incident type "${args.type}"`);
    if (!findGrade(ctx.config, args.grade)) return reject('invalid', `unknown grade "${args.grade}"`);
    const existing = state.get('incident', args.incidentId);
    const incident: Incident = {
      id: args.incidentId,
      // Replaying a creation over the server's copy keeps the force reference the server gave it.
      reference: existing?.reference ?? null,
      provisionalReference: args.provisionalReference,
      type: args.type,
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
      owner: null,
      activeUnits: [],
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
    const changes: AnyRecord[] = [{ kind: 'incident', id: incident.id, doc: existing ?? incident }];
    if (args.firstLog) {
      const entry: LogEntry = {
        id: args.firstLog.entryId,
        incidentId: incident.id,
        kind: 'note',
        text: args.firstLog.text,
        author: ctx.actor.operator,
        workstation: ctx.actor.workstation,
        at: ctx.issuedAt,
      };
      changes.push({ kind: 'logEntry', id: entry.id, doc: entry });
    }
    if (args.contactId) {
      const contact = state.get('contact', args.contactId);
      if (!contact) return missing({ kind: 'contact', id: args.contactId }, 'the call');
      if (contact.incidentId && contact.incidentId !== incident.id) return reject('invalid', 'the call already belongs to another incident');
      changes.push({ kind: 'contact', id: contact.id, doc: { ...contact, incidentId: incident.id, state: 'completed', endedAt: contact.endedAt ?? ctx.issuedAt, version: contact.version + 1 } });
    }
    return { ok: true, changes };
  },
};
