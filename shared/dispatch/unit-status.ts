import { z } from 'zod';
import { commitsUnit, type Assignment, type AssignmentStatus } from '../domain/assignment';
import type { ForceConfig } from '../domain/force-config';
import type { Unit } from '../domain/unit';
import { tourOver } from './shifts';

/**
 * What a unit is doing, as a dispatcher reads it: derived from its own duty state and its assignments, never stored
 * as one field that a second job could overwrite.
 */
export const UnitStatus = z.enum(['available', 'assigned', 'en_route', 'at_scene', 'committed', 'unavailable', 'off_duty']);
export type UnitStatus = z.infer<typeof UnitStatus>;

export const unitStatusNames: Record<UnitStatus, string> = {
  available: 'Available',
  assigned: 'Assigned',
  en_route: 'En route',
  at_scene: 'At scene',
  committed: 'Committed',
  unavailable: 'Unavailable',
  off_duty: 'Off duty',
};

/** The status of a committing assignment, as the unit's status. */
const fromAssignment: Partial<Record<AssignmentStatus, UnitStatus>> = {
  assigned: 'assigned',
  en_route: 'en_route',
  at_scene: 'at_scene',
  committed: 'committed',
};

/**
 * The unit's status: the job it is committed to, if any (a reservation for later does not count), otherwise its
 * duty state. The unit record's commitment is the one source of truth for "which job". Given the time (`nowMs`), a
 * free unit whose tour of duty is over reads as off duty, as it is, before anyone has booked it off.
 */
export function unitStatus(unit: Pick<Unit, 'duty' | 'commitment'> & Partial<Pick<Unit, 'tour'>>, assignmentOf: (id: string) => Pick<Assignment, 'status'> | undefined, nowMs?: number): UnitStatus {
  if (unit.commitment) {
    const assignment = assignmentOf(unit.commitment.assignmentId);
    const status = assignment && commitsUnit(assignment.status) ? fromAssignment[assignment.status] : undefined;
    // The assignment may not have reached this workstation yet: committed to something, shown as assigned.
    return status ?? 'assigned';
  }
  if (nowMs !== undefined && unit.tour && tourOver({ tour: unit.tour }, nowMs)) return 'off_duty';
  return unit.duty === 'on_duty' ? 'available' : unit.duty;
}

/** The common status code the force's radio users know this status by (configuration, not code). */
export function statusCode(config: ForceConfig, status: UnitStatus): string {
  return config.statusCodes[status];
}
