import { z } from 'zod';
import { AssignmentStatus, canMoveAssignment, commitsUnit } from '../domain/assignment';
import { derivedId } from '../domain/derived-id';
import type { LogEntry } from '../domain/incident';
import { Uuid } from '../domain/ids';
import type { AnyRecord } from '../domain/records';
import { conflict, missing, reject, type CommandDefinition } from './types';

export const SetAssignmentStatusArgs = z.object({
  assignmentId: Uuid,
  /** Which unit and incident the assignment belongs to: so the command names every record it may change. */
  unitId: z.string().min(1),
  incidentId: Uuid,
  status: AssignmentStatus,
  assignmentVersion: z.number().int().positive(),
});
export type SetAssignmentStatusArgs = z.infer<typeof SetAssignmentStatusArgs>;

const words: Record<AssignmentStatus, string> = { assigned: 'assigned', en_route: 'en route', at_scene: 'at scene', cleared: 'cleared' };

/**
 * Moves a unit's status on one incident along the state machine, compare-and-set on the assignment. Clearing
 * releases the unit and takes it off the incident.
 */
export const setAssignmentStatus: CommandDefinition<SetAssignmentStatusArgs> = {
  name: 'assignment.setStatus',
  args: SetAssignmentStatusArgs,
  reads: (args) => [
    { kind: 'assignment', id: args.assignmentId },
    { kind: 'unit', id: args.unitId },
    { kind: 'incident', id: args.incidentId },
  ],
  apply(args, ctx, state) {
    const assignment = state.get('assignment', args.assignmentId);
    if (!assignment) return missing({ kind: 'assignment', id: args.assignmentId }, 'the deployment');
    if (assignment.unitId !== args.unitId || assignment.incidentId !== args.incidentId) {
      return reject('invalid', 'the assignment belongs to another unit or incident');
    }
    const target = { kind: 'assignment' as const, id: assignment.id };
    if (assignment.version !== args.assignmentVersion) {
      return conflict(`${assignment.unitId} is now ${words[assignment.status]} on this incident (changed since you looked)`, target);
    }
    if (!canMoveAssignment(assignment.status, args.status)) {
      return conflict(`${assignment.unitId} cannot go from ${words[assignment.status]} to ${words[args.status]}`, target);
    }
    const unit = state.get('unit', args.unitId);
    const incident = state.get('incident', args.incidentId);
    if (!unit || !incident) return reject('not_found', 'the unit or incident of this assignment is missing');

    const entry: LogEntry = {
      id: derivedId(assignment.id, `status:${args.status}`),
      incidentId: incident.id,
      kind: 'system',
      text: `${unit.callSign} ${words[args.status]}`,
      author: ctx.actor.operator,
      workstation: ctx.actor.workstation,
      at: ctx.issuedAt,
    };
    const changes: AnyRecord[] = [
      { kind: 'assignment', id: assignment.id, doc: { ...assignment, status: args.status, updatedAt: ctx.issuedAt, version: assignment.version + 1 } },
      { kind: 'logEntry', id: entry.id, doc: entry },
    ];
    if (!commitsUnit(args.status)) {
      if (unit.commitment?.assignmentId === assignment.id) {
        changes.push({ kind: 'unit', id: unit.id, doc: { ...unit, commitment: null, version: unit.version + 1 } });
      }
      changes.push({
        kind: 'incident',
        id: incident.id,
        doc: { ...incident, activeUnits: incident.activeUnits.filter((u) => u !== unit.id), updatedAt: ctx.issuedAt, version: incident.version + 1 },
      });
    }
    return { ok: true, changes };
  },
  redo: (args, state) => ({ ...args, assignmentVersion: state.get('assignment', args.assignmentId)?.version ?? args.assignmentVersion }),
};
