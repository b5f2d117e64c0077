import type { Assignment } from '../domain/assignment';
import type { RecordKey } from '../domain/records';
import { missing, reject, type ApplyContext, type ApplyResult, type StateView } from './types';

/** What a command on an assignment names: the assignment, and the unit and incident it belongs to. */
export interface AssignmentArgs {
  assignmentId: string;
  unitId: string;
  incidentId: string;
}

/** The records a command on an assignment reads: every one it may change. */
export function assignmentReads(args: AssignmentArgs): RecordKey[] {
  return [
    { kind: 'assignment', id: args.assignmentId },
    { kind: 'unit', id: args.unitId },
    { kind: 'incident', id: args.incidentId },
  ];
}

/** The assignment the command names, or why it cannot be acted on: missing, or another unit's or incident's. */
export function assignmentNamed(args: AssignmentArgs, state: StateView): Assignment | ApplyResult {
  const assignment = state.get('assignment', args.assignmentId);
  if (!assignment) return missing({ kind: 'assignment', id: args.assignmentId }, 'the deployment');
  if (assignment.unitId !== args.unitId || assignment.incidentId !== args.incidentId) return reject('invalid', 'the assignment belongs to another unit or incident');
  return assignment;
}

/**
 * Why a command on a deployment found no unit or incident to act on. A unit of another force deployed on the acting
 * force's incident (that force assisting, shared/domain/assist-writes.ts) is not shown to the owner, who does not run
 * another force's units: said so, naming whose unit it is, rather than that it is missing. Otherwise `not_found`.
 */
export function assignmentPartiesMissing(ctx: Pick<ApplyContext, 'config'>, assignment: Pick<Assignment, 'unitId' | 'unitForce'>): ApplyResult {
  const acting = ctx.config.force.code;
  const unitForce = assignment.unitForce;
  if (unitForce && unitForce !== acting) {
    return reject('forbidden', `${assignment.unitId} is ${unitForce}'s unit: ${unitForce} runs it on this incident, and ${acting} may not move or answer for it`);
  }
  return reject('not_found', 'the unit or incident of this assignment is missing');
}
