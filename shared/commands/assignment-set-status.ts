import { z } from 'zod';
import { AssignmentStatus, assignmentStatusNames, canMoveAssignment, commitsUnit } from '../domain/assignment';
import { commitUnit, releaseUnit, unitNotFree } from './unit-assign';
import { assignmentNamed, assignmentPartiesMissing, assignmentReads } from './assignment-lookup';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import type { AnyRecord } from '../domain/records';
import { conflict, notBefore, type CommandDefinition } from './types';
import { deployableSince } from '../domain/loan';
import { systemEntry } from './system-log';
import { closedConflict, withoutReservation } from './incident-lifecycle';

export const SetAssignmentStatusArgs = z.object({
  assignmentId: Uuid,
  /** Which unit and incident the assignment belongs to: so the command names every record it may change. */
  unitId: z.string().min(1),
  incidentId: Uuid,
  status: AssignmentStatus,
  assignmentVersion: z.number().int().positive(),
});
export type SetAssignmentStatusArgs = z.infer<typeof SetAssignmentStatusArgs>;

const words = (status: AssignmentStatus) => assignmentStatusNames[status].toLowerCase();

/**
 * Moves a unit's status on one incident along the state machine, compare-and-set on the assignment. Clearing
 * releases the unit and takes it off the incident. Nothing but clearing reaches a closed incident: a reservation
 * falling due, a unit booked en route or at scene (by the dispatcher, the crew's terminal or AVL), however it
 * comes, is a conflict once the incident is closed, so no unit is ever sent to a job that no longer exists.
 */
export const setAssignmentStatus: CommandDefinition<SetAssignmentStatusArgs> = {
  name: 'assignment.setStatus',
  args: SetAssignmentStatusArgs,
  reads: assignmentReads,
  // The status's log line, its id derived (so it exists when the same status is set again).
  writes: (args) => [{ kind: 'logEntry', id: derivedId(args.assignmentId, `status:${args.status}`) }],
  apply(args, given, state) {
    const assignment = assignmentNamed(args, state);
    if ('ok' in assignment) return assignment;
    const target = { kind: 'assignment' as const, id: assignment.id };
    const incident = state.get('incident', args.incidentId);
    // Said first, as the reason that matters: the job no longer exists (a closure also cancels reservations, so
    // the assignment has changed too).
    const closed = incident && args.status !== 'cleared' ? closedConflict(incident) : null;
    if (closed) return closed;
    if (assignment.version !== args.assignmentVersion) {
      return conflict(`${assignment.unitId} is now ${words(assignment.status)} on this incident (changed since you looked)`, target);
    }
    if (!canMoveAssignment(assignment.status, args.status)) {
      return conflict(`${assignment.unitId} cannot go from ${words(assignment.status)} to ${words(args.status)}`, target);
    }
    const unit = state.get('unit', args.unitId);
    if (!unit || !incident) return assignmentPartiesMissing(given, assignment);
    // Not dated before the deployment's last change (a clear before its deployment), nor a reservation falling due
    // before the unit was the force's to deploy: a slow desk's time, or one queued while others moved the record.
    const due = assignment.status === 'reserved' && args.status === 'assigned';
    const ctx = notBefore(given, assignment.updatedAt, due ? deployableSince(unit, given.config.force.code) : null);

    const entry = systemEntry(ctx, derivedId(assignment.id, `status:${args.status}`), incident.id, `${unit.callSign} ${words(args.status)}`, incident.force);
    const moved = { ...assignment, status: args.status, updatedAt: ctx.issuedAt, version: assignment.version + 1 };
    const changes: AnyRecord[] = [{ kind: 'logEntry', id: entry.id, doc: entry }];
    if (assignment.status === 'reserved' && args.status === 'assigned') {
      // The reservation falls due: the unit must be free now, as for any deployment.
      const refused = unitNotFree(ctx.config, unit, unit.version, Date.parse(ctx.issuedAt), incident.id);
      if (refused) return refused;
      changes.push({ kind: 'assignment', id: assignment.id, doc: { ...moved, deployedAt: ctx.issuedAt, delivery: { state: 'sent', at: ctx.issuedAt, note: '' } } }, ...commitUnit(unit, withoutReservation(incident, assignment.id), assignment.id, ctx.issuedAt));
      return { ok: true, changes };
    }
    changes.push({ kind: 'assignment', id: assignment.id, doc: moved });
    if (assignment.status === 'reserved') {
      // A reservation cancelled: off the incident's list.
      changes.push({ kind: 'incident', id: incident.id, doc: { ...withoutReservation(incident, assignment.id), updatedAt: ctx.issuedAt, version: incident.version + 1 } });
    }
    if (args.status === 'at_scene' && !incident.attendedAt) {
      // The first unit at scene stops the attendance clock.
      changes.push({ kind: 'incident', id: incident.id, doc: { ...incident, attendedAt: ctx.issuedAt, updatedAt: ctx.issuedAt, version: incident.version + 1 } });
    }
    if (commitsUnit(assignment.status) && !commitsUnit(args.status)) changes.push(...releaseUnit(unit, incident, assignment.id, ctx.issuedAt));
    return { ok: true, changes };
  },
  redo: (args, state) => ({ ...args, assignmentVersion: state.get('assignment', args.assignmentId)?.version ?? args.assignmentVersion }),
};
