import { commitsUnit, runsDeployment, type Assignment } from '../domain/assignment';
import type { ForceConfig } from '../domain/force-config';
import type { Unit } from '../domain/unit';
import { awaitingConfirmation, receiptDueMs } from './receipts';
import { handoffAlertEntryId, untakenHandoff, type HandoffConfig, type HandoffIncident } from './handoffs';

/**
 * Something that falls due at a time and must then be claimed, once for the whole room: a deployment with no
 * acceptance (the receipt alarm), a reservation's time (the prompt to deploy), a unit's shift end (off duty, or the
 * prompt to relieve or extend), an incident left untaken (its log says who is alerted). Every dispatcher's
 * workstation watches the same deadlines on its own clock; the command claims it, and the server keeps the first claim.
 */
export interface Deadline {
  /** One per deadline: the same on every workstation. */
  key: string;
  dueMs: number;
  /**
   * The operator whose workstation claims it first (who made the deployment or the reservation): others claim it
   * only CLAIM_FALLBACK_MS later, if nobody has by then. Null: anyone, at once.
   */
  firstClaim: string | null;
  command: { name: string; args: Record<string, unknown> };
}

/** How long the other dispatchers' workstations leave a deadline to the one it belongs to before claiming it. */
export const CLAIM_FALLBACK_MS = 15_000;

/**
 * The deadlines still to be claimed among these units and the deployments and reservations not yet cleared.
 * `gradeOf` gives an incident's grade (undefined if the incident is not here).
 */
export function openDeadlines(config: ForceConfig, units: readonly Unit[], assignments: readonly Assignment[], gradeOf: (incidentId: string) => string | undefined): Deadline[] {
  const deadlines: Deadline[] = [];
  for (const a of assignments) {
    // Claimed only by the force that runs the deployment (deploymentRunBy), whose desk the alarm or prompt is for.
    if (!runsDeployment(config.force.code, a)) continue;
    const names = { assignmentId: a.id, unitId: a.unitId, incidentId: a.incidentId };
    if (commitsUnit(a.status) && !a.receiptAlarm && awaitingConfirmation(a)) {
      const grade = gradeOf(a.incidentId);
      const due = grade === undefined ? null : receiptDueMs(config, a, grade);
      if (due !== null) deadlines.push({ key: `receipt:${a.id}`, dueMs: due, firstClaim: a.assignedBy, command: { name: 'assignment.receiptOverdue', args: names } });
    }
    if (a.status === 'reserved' && !a.duePrompt && a.reservedFor) {
      deadlines.push({ key: `reservation:${a.id}`, dueMs: Date.parse(a.reservedFor), firstClaim: a.assignedBy, command: { name: 'assignment.reservationDue', args: names } });
    }
  }
  for (const unit of units) {
    // A unit's shift end is raised where it works: by the force it is lent to while lent (whose incident it may be
    // committed to, which its own force cannot see), else by its own. Never by both, nor by a force merely shown it.
    if ((unit.loan ? unit.loan.to : unit.force) !== config.force.code) continue;
    const endsAt = unit.tour?.endsAt;
    if (!endsAt || (unit.commitment && unit.tour?.overrun)) continue;
    deadlines.push({
      key: `shift:${unit.id}:${endsAt}:${unit.commitment?.assignmentId ?? 'free'}`,
      dueMs: Date.parse(endsAt),
      firstClaim: null,
      command: { name: 'unit.shiftEnded', args: { unitId: unit.id, endsAt, incidentId: unit.commitment?.incidentId ?? null } },
    });
  }
  return deadlines;
}

/** When the workstation of `operator` claims the deadline: at once if it is theirs (or anyone's), else after the fallback. */
export function claimAtMs(deadline: Deadline, operator: string): number {
  return deadline.dueMs + (deadline.firstClaim === null || deadline.firstClaim === operator ? 0 : CLAIM_FALLBACK_MS);
}

/**
 * The stages still to be logged of the untaken handoffs among these incidents (shared/dispatch/handoffs.ts): each
 * falls due at its time, for anyone to claim at once (the log line, written once for the room, says so).
 * `logged` says whether a log line (by id) is already here.
 */
export function handoffDeadlines(config: HandoffConfig, incidents: Iterable<HandoffIncident>, logged: (entryId: string) => boolean): Deadline[] {
  const deadlines: Deadline[] = [];
  for (const incident of incidents) {
    // Asked at no time in particular: only whether it is untaken, and its times, are wanted.
    const handoff = untakenHandoff(config, incident, 0);
    if (!handoff) continue;
    for (const [stage, dueMs] of [['dispatchers', handoff.dispatchersAtMs], ['supervisor', handoff.supervisorAtMs]] as const) {
      if (dueMs === null || logged(handoffAlertEntryId(incident.id, handoff.since, stage))) continue;
      deadlines.push({
        key: `handoff:${incident.id}@${handoff.since}:${stage}`,
        dueMs,
        firstClaim: null,
        command: { name: 'incident.handoffOverdue', args: { incidentId: incident.id, waitingSince: handoff.since, stage } },
      });
    }
  }
  return deadlines;
}
