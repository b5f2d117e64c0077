import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import { conflict, missing, notBefore, type CommandDefinition } from './types';
import { closedConflict } from './incident-lifecycle';
import { systemEntry } from './system-log';
import { takenBy } from '../dispatch/handoffs';

export const TakeOwnershipArgs = z.object({
  incidentId: Uuid,
  takeId: Uuid,
  incidentVersion: z.number().int().positive(),
});
export type TakeOwnershipArgs = z.infer<typeof TakeOwnershipArgs>;

/** Taking charge of an incident: contended, so two dispatchers can never both believe they own it. */
export const takeOwnership: CommandDefinition<TakeOwnershipArgs> = {
  name: 'incident.takeOwnership',
  args: TakeOwnershipArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }],
  apply(args, given, state) {
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    // Not before it began waiting: a slow desk's time would take it before it was there to take.
    const ctx = notBefore(given, incident.createdAt, incident.handoff?.waitingSince);
    const target = { kind: 'incident' as const, id: incident.id };
    const closed = closedConflict(incident);
    if (closed) return closed;
    if (incident.version !== args.incidentVersion) {
      const who = incident.owner ? `; ${incident.owner} owns it now` : '';
      return conflict(`the incident changed since you looked${who}`, target);
    }
    const entry = systemEntry(ctx, derivedId(args.takeId, 'owner'), incident.id, incident.owner ? `Ownership taken over from ${incident.owner}` : 'Ownership taken');
    return {
      ok: true,
      changes: [
        { kind: 'incident', id: incident.id, doc: { ...takenBy(incident, ctx.issuedAt, ctx.actor.operator), owner: ctx.actor.operator, updatedAt: ctx.issuedAt, version: incident.version + 1 } },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
  redo: (args, state) => ({ ...args, takeId: derivedId(args.takeId, 'redo'), incidentVersion: state.get('incident', args.incidentId)?.version ?? args.incidentVersion }),
};
