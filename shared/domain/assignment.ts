import { ForceCode } from './force';
import { z } from 'zod';
import { Name, Uuid } from './ids';
import { Instant } from './time';
import { Raised } from './raised';
import { BackEntered } from './back-entry';

/**
 * A unit's status on one incident. Status belongs to the assignment, not the unit, so a second job cannot
 * overwrite what the unit is doing on the first.
 */
export const AssignmentStatus = z.enum(['reserved', 'assigned', 'en_route', 'at_scene', 'committed', 'cleared']);
export type AssignmentStatus = z.infer<typeof AssignmentStatus>;

export const assignmentStatusNames: Record<AssignmentStatus, string> = {
  reserved: 'Reserved',
  assigned: 'Assigned',
  en_route: 'En route',
  at_scene: 'At scene',
  committed: 'Committed',
  cleared: 'Cleared',
};

/** What the vehicle's terminal said of the deployment message: sent, then received, then accepted or rejected. */
export const DeliveryState = z.enum(['sent', 'received', 'accepted', 'rejected']);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const Assignment = z.object({
  id: Uuid,
  /** The force that owns it (see shared/domain/partition.ts): who may see and change it. */
  force: ForceCode,
  unitId: z.string(),
  /**
   * The unit's own force, where it is not the assignment's: a unit lent by another force (shared/domain/loan.ts),
   * whose force then sees this deployment of its unit, its statuses and receipts. Absent for a force's own unit.
   */
  unitForce: ForceCode.optional(),
  /**
   * Set on the deployment of a unit lent to the incident's force, which the borrower made and runs: its own force sees
   * it and may not change it, even while it assists on the incident, where it runs the units it deployed itself
   * (shared/domain/assist-writes.ts). Absent otherwise.
   */
  lent: z.literal(true).optional(),
  incidentId: Uuid,
  status: AssignmentStatus,
  /** The deployment message to the vehicle and its receipts; null for a reservation not yet sent. */
  delivery: z.object({ state: DeliveryState, at: Instant, note: z.string().max(200).default('') }).nullable().default(null),
  /** For a reservation: when the unit is wanted (a scheduled appointment). */
  reservedFor: Instant.nullable().default(null),
  /**
   * The receipt alarm: no acceptance came from the unit's terminal within the grade's time, and the dispatcher was
   * alerted (at the workstation that raised it) to confirm the deployment by radio.
   */
  receiptAlarm: Raised.nullable().default(null),
  /** The dispatcher confirmed the deployment with the crew by radio: no late receipt undoes it. */
  radioConfirmed: z.object({ at: Instant, by: Name }).nullable().default(null),
  /**
   * The terminal rejected the deployment after it was confirmed (accepted, confirmed by radio, or the unit on its way
   * or at scene): not a stand-down, but a question for the dispatcher (stand the unit down, or keep it).
   */
  lateRejection: z.object({ at: Instant, note: z.string().max(200), raised: Raised }).nullable().default(null),
  /** A reservation's time has come: the dispatcher was prompted (once, at the workstation that raised it) to deploy. */
  duePrompt: Raised.nullable().default(null),
  /** When the assignment was made (a reservation: when it was booked). */
  assignedAt: Instant,
  /**
   * When the unit was deployed: the assignment made, or its reservation falling due (the room's measures clock the
   * time from call to first deployment by it). Absent on assignments recorded before it was kept, and on a
   * reservation not yet deployed.
   */
  deployedAt: Instant.optional(),
  assignedBy: Name,
  /**
   * A deployment recorded with its times rather than made at the desk (shared/commands/deployment-record.ts): one
   * kept on paper while the system was down, or an exercise's starting state. When the unit arrived and cleared.
   */
  arrivedAt: Instant.optional(),
  clearedAt: Instant.optional(),
  /** A deployment kept on paper during an outage and entered afterwards (shared/domain/back-entry.ts): who, when. */
  backEntered: BackEntered.optional(),
  updatedAt: Instant,
  /**
   * Kept by the unit's force since the force that owned it erased its incident (shared/domain/erasure.ts lendersPart): that
   * force's record from then (partition.ts ownerOf), its account of where its officers went. Absent otherwise.
   */
  keptBy: ForceCode.optional(),
  version: z.number().int().positive(),
});
export type Assignment = z.infer<typeof Assignment>;

const allowed: Record<AssignmentStatus, readonly AssignmentStatus[]> = {
  reserved: ['assigned', 'cleared'],
  assigned: ['en_route', 'at_scene', 'cleared'],
  en_route: ['at_scene', 'cleared'],
  at_scene: ['committed', 'cleared'],
  committed: ['cleared'],
  cleared: [],
};

/**
 * The assignment state machine: forward only, and cleared is final. A reservation (a unit booked for a scheduled
 * appointment) becomes a deployment when it is due; committed means held at the scene (a prisoner, a cordon).
 */
export function canMoveAssignment(from: AssignmentStatus, to: AssignmentStatus): boolean {
  return allowed[from].includes(to);
}

/** Whether an assignment in this status holds its unit: a reservation does not, so the unit can work meanwhile. */
export function commitsUnit(status: AssignmentStatus): boolean {
  return status !== 'cleared' && status !== 'reserved';
}

/**
 * The force that runs a deployment: moves its status, answers its terminal's rejection, confirms it by radio, and is
 * alarmed when its crew does not accept it. Its own unit's deployment is its force's; a unit another force deployed
 * assisting on this force's incident (`unitForce`, not `lent`) is run by that force, whose unit it is; a unit lent
 * to the incident's force (`lent`) is run by the borrower, whose incident it is, not the lender. The server refuses
 * any other force (shared/commands/assignment-lookup.ts, shared/domain/assist-writes.ts). A deployment as another
 * force's share shows it (shared/domain/share-cut.ts) carries no `unitForce`: its incident's force runs it.
 */
export function deploymentRunBy(assignment: Pick<Assignment, 'force' | 'unitForce' | 'lent'>): ForceCode {
  return assignment.unitForce && assignment.lent !== true ? assignment.unitForce : assignment.force;
}

/** Whether `force` runs the deployment (deploymentRunBy): the only force a desk offers its controls to. */
export function runsDeployment(force: string | null | undefined, assignment: Pick<Assignment, 'force' | 'unitForce' | 'lent'>): boolean {
  return force !== null && force !== undefined && deploymentRunBy(assignment) === force;
}

/** Receipts move forward only: a late "received" never overwrites "accepted". */
export function canRecordDelivery(from: DeliveryState | null, to: DeliveryState): boolean {
  const order: Record<DeliveryState, number> = { sent: 0, received: 1, accepted: 2, rejected: 2 };
  return from !== null && from !== 'accepted' && from !== 'rejected' && order[to] > order[from];
}

/**
 * When the assignment's unit was deployed, or null for a reservation never deployed. For an assignment recorded
 * before `deployedAt` was kept: when it was made, or, booked as a reservation, the later of its booking and the time
 * it was booked for (when the dispatcher was prompted to deploy it).
 */
export function deployedAtOf(assignment: Pick<Assignment, 'status' | 'assignedAt' | 'deployedAt' | 'reservedFor'>): string | null {
  if (assignment.deployedAt) return assignment.deployedAt;
  if (assignment.reservedFor === null) return assignment.assignedAt;
  if (assignment.status === 'reserved') return null;
  if (assignment.status === 'cleared') return null; // a reservation cancelled, or deployed before the time was kept: unknown
  return Date.parse(assignment.reservedFor) > Date.parse(assignment.assignedAt) ? assignment.reservedFor : assignment.assignedAt;
}
