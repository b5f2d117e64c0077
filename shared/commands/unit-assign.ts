import { z } from 'zod';
import type { Assignment } from '../domain/assignment';
import { derivedId } from '../domain/derived-id';
import type { LogEntry } from '../domain/incident';
import { Uuid } from '../domain/ids';
import { conflict, missing, reject, type CommandDefinition } from './types';

export const AssignUnitArgs = z.object({
  assignmentId: Uuid,
  unitId: z.string().min(1),
  incidentId: Uuid,
  /** The version of the unit the dispatcher saw as available. */
  unitVersion: z.number().int().positive(),
});
export type AssignUnitArgs = z.infer<typeof AssignUnitArgs>;

/**
 * Deploys a unit: compare-and-set on the unit. If the unit changed since the dispatcher saw it (most often: another
 * dispatcher, maybe offline, sent it elsewhere), the deployment loses and is shown as a conflict, never a silent
 * double assignment.
 */
export const assignUnit: CommandDefinition<AssignUnitArgs> = {
  name: 'unit.assign',
  args: AssignUnitArgs,
  reads: (args) => [
    { kind: 'unit', id: args.unitId },
    { kind: 'incident', id: args.incidentId },
    { kind: 'assignment', id: args.assignmentId },
  ],
  apply(args, ctx, state) {
    const unit = state.get('unit', args.unitId);
    if (!unit) return reject('not_found', `no unit ${args.unitId}`);
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    if (state.get('assignment', args.assignmentId)) return reject('invalid', `assignment ${args.assignmentId} already exists`);
    const target = { kind: 'unit' as const, id: unit.id };
    if (unit.version !== args.unitVersion) {
      const now = unit.commitment ? `committed to another incident` : unit.duty.replace('_', ' ');
      return conflict(`${unit.callSign} changed since you looked: it is now ${now}`, target);
    }
    if (unit.commitment) return conflict(`${unit.callSign} is already committed to another incident`, target);
    if (unit.duty !== 'on_duty') return conflict(`${unit.callSign} is ${unit.duty.replace('_', ' ')}`, target);
    if (incident.status !== 'open') return conflict('the incident is closed', { kind: 'incident', id: incident.id });

    const assignment: Assignment = {
      id: args.assignmentId,
      unitId: unit.id,
      incidentId: incident.id,
      status: 'assigned',
      assignedAt: ctx.issuedAt,
      assignedBy: ctx.actor.operator,
      updatedAt: ctx.issuedAt,
      version: 1,
    };
    const entry: LogEntry = {
      id: derivedId(args.assignmentId, 'assigned'),
      incidentId: incident.id,
      kind: 'system',
      text: `${unit.callSign} assigned`,
      author: ctx.actor.operator,
      workstation: ctx.actor.workstation,
      at: ctx.issuedAt,
    };
    return {
      ok: true,
      changes: [
        { kind: 'assignment', id: assignment.id, doc: assignment },
        { kind: 'unit', id: unit.id, doc: { ...unit, commitment: { assignmentId: assignment.id, incidentId: incident.id }, version: unit.version + 1 } },
        {
          kind: 'incident',
          id: incident.id,
          doc: { ...incident, activeUnits: [...incident.activeUnits, unit.id], updatedAt: ctx.issuedAt, version: incident.version + 1 },
        },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
  redo: (args, state) => ({ ...args, assignmentId: derivedId(args.assignmentId, 'redo'), unitVersion: state.get('unit', args.unitId)?.version ?? args.unitVersion }),
};
