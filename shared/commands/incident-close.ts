import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { findClosingCode } from '../domain/force-config';
import { Uuid } from '../domain/ids';
import { conflict, missing, reject, type CommandDefinition } from './types';
import { systemEntry } from './system-log';

export const CloseIncidentArgs = z.object({
  incidentId: Uuid,
  closeId: Uuid,
  closingCode: z.string().min(1),
  /** The version the operator was looking at when they closed it. */
  incidentVersion: z.number().int().positive(),
});
export type CloseIncidentArgs = z.infer<typeof CloseIncidentArgs>;

/**
 * Closing is contended: it is compared against the version the operator saw. If anyone changed the incident
 * since (a new grade, a corrected location, a unit sent), the close loses and goes to the conflict inbox,
 * because the operator decided without knowing.
 */
export const closeIncident: CommandDefinition<CloseIncidentArgs> = {
  name: 'incident.close',
  args: CloseIncidentArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }],
  apply(args, ctx, state) {
    const closing = findClosingCode(ctx.config, args.closingCode);
    if (!closing) return reject('invalid', `unknown closing code "${args.closingCode}"`);
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    const target = { kind: 'incident' as const, id: incident.id };
    if (incident.status === 'closed') return conflict(`already closed by ${incident.closedBy ?? 'someone'}`, target);
    if (incident.version !== args.incidentVersion) {
      return conflict(`the incident changed since you looked (version ${args.incidentVersion}, now ${incident.version})`, target);
    }
    if (incident.activeUnits.length > 0) return conflict(`units still committed: ${incident.activeUnits.join(', ')}`, target);
    const entry = systemEntry(ctx, derivedId(args.closeId, 'closed'), incident.id, `Closed: ${closing.name} (${closing.code})`);
    return {
      ok: true,
      changes: [
        {
          kind: 'incident',
          id: incident.id,
          doc: { ...incident, status: 'closed', closingCode: closing.code, closedAt: ctx.issuedAt, closedBy: ctx.actor.operator, updatedAt: ctx.issuedAt, version: incident.version + 1 },
        },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
  redo: (args, state) => ({ ...args, closeId: derivedId(args.closeId, 'redo'), incidentVersion: state.get('incident', args.incidentId)?.version ?? args.incidentVersion }),
};
