import { commitsUnit, type Assignment } from '../domain/assignment';
import { findGrade, type ForceConfig } from '../domain/force-config';
import { gradeRank } from '../domain/grading';

type Deployment = Pick<Assignment, 'status' | 'delivery' | 'radioConfirmed'>;

/**
 * Whether the crew is known to have the deployment: its terminal accepted it, the dispatcher confirmed it by radio,
 * or the unit is on its way, at scene or committed there (someone booked it so, crew or dispatcher).
 */
export function deploymentConfirmed(assignment: Deployment): boolean {
  return assignment.delivery?.state === 'accepted' || assignment.radioConfirmed !== null || assignment.status === 'en_route' || assignment.status === 'at_scene' || assignment.status === 'committed';
}

/** A deployment sent and still holding its unit, that nobody has confirmed yet (a rejection stands it down). */
export function awaitingConfirmation(assignment: Deployment): boolean {
  return commitsUnit(assignment.status) && assignment.delivery !== null && assignment.delivery.state !== 'rejected' && !deploymentConfirmed(assignment);
}

/**
 * The grade, in `config`'s scheme, whose receipt time a deployment on this incident waits for: the incident's own
 * grade, for the force's own incident; for another force's (its unit assisting there under a share), the force's own
 * most urgent grade of the same common priority, since the incident's grade is of the other force's scheme (and
 * withheld from a share: its `sharedView` carries the common priority; the server, holding the grade, maps it with
 * `commonPriorityOf`). Undefined where nothing maps (issue 12: the assisting force's desk raised no receipt alarm
 * for its own unit, reading a grade it is not sent).
 */
export function receiptGrade(
  config: ForceConfig,
  incident: { force: string; grade: string; sharedView?: { commonPriority: number | null } | undefined },
  commonPriorityOf?: (force: string, grade: string) => number | null,
): string | undefined {
  if (incident.force === config.force.code) return incident.grade;
  const priority = incident.sharedView?.commonPriority ?? (incident.grade ? (commonPriorityOf?.(incident.force, incident.grade) ?? null) : null);
  if (priority === null) return undefined;
  return [...config.grades].filter((grade) => grade.commonPriority === priority).sort((a, b) => gradeRank(config, a.code) - gradeRank(config, b.code))[0]?.code;
}

/**
 * When the receipt alarm falls due (ms): the deployment's sending plus its incident's grade's time; null where the
 * grade sets no time or there is nothing to wait for.
 */
export function receiptDueMs(config: ForceConfig, assignment: Pick<Assignment, 'status' | 'delivery'>, grade: string): number | null {
  const seconds = findGrade(config, grade)?.receiptWithinSeconds;
  if (!seconds || !assignment.delivery || !commitsUnit(assignment.status)) return null;
  return Date.parse(assignment.delivery.at) + seconds * 1000;
}

/** Whether, at `nowMs`, a deployment has waited longer than its grade allows for its crew's acceptance. */
export function receiptOverdue(config: ForceConfig, assignment: Deployment, grade: string, nowMs: number): boolean {
  const due = receiptDueMs(config, assignment, grade);
  return due !== null && nowMs >= due && awaitingConfirmation(assignment);
}

/**
 * Whether the incident shows the deployment as unconfirmed: overdue for its receipt (the alarm raised, or due), and
 * neither acknowledged by the terminal nor confirmed by radio since.
 */
export function unconfirmed(config: ForceConfig, assignment: Deployment & Pick<Assignment, 'receiptAlarm'>, grade: string, nowMs: number): boolean {
  return awaitingConfirmation(assignment) && (assignment.receiptAlarm !== null || receiptOverdue(config, assignment, grade, nowMs));
}
