import { z } from 'zod';
import { Name, Uuid } from './ids';
import { Instant } from './time';

/**
 * A unit's status on one incident. Status belongs to the assignment, not the unit, so a second job cannot
 * overwrite what the unit is doing on the first.
 */
export const AssignmentStatus = z.enum(['assigned', 'en_route', 'at_scene', 'cleared']);
export type AssignmentStatus = z.infer<typeof AssignmentStatus>;

export const Assignment = z.object({
  id: Uuid,
  unitId: z.string(),
  incidentId: Uuid,
  status: AssignmentStatus,
  assignedAt: Instant,
  assignedBy: Name,
  updatedAt: Instant,
  version: z.number().int().positive(),
});
export type Assignment = z.infer<typeof Assignment>;

const allowed: Record<AssignmentStatus, readonly AssignmentStatus[]> = {
  assigned: ['en_route', 'at_scene', 'cleared'],
  en_route: ['at_scene', 'cleared'],
  at_scene: ['cleared'],
  cleared: [],
};

/** The assignment state machine: forward only, and cleared is final. */
export function canMoveAssignment(from: AssignmentStatus, to: AssignmentStatus): boolean {
  return allowed[from].includes(to);
}

/** Whether an assignment in this status holds its unit. */
export function commitsUnit(status: AssignmentStatus): boolean {
  return status !== 'cleared';
}
