import type { Assignment } from '../domain/assignment';
import { runsDeployment } from '../domain/assignment';
import type { ForceConfig } from '../domain/force-config';
import type { Incident } from '../domain/incident';
import { formatRemaining, waitingTooLong, type AttendanceClock } from './attendance';
import { unconfirmed } from './receipts';

type AttentionIncident = Pick<Incident, 'force' | 'grade' | 'gradedAt' | 'activeUnits' | 'attendedAt' | 'thrive' | 'status' | 'pendingDowngrade'>;
type AttentionDeployment = Pick<Assignment, 'unitId' | 'force' | 'unitForce' | 'lent' | 'status' | 'delivery' | 'radioConfirmed' | 'receiptAlarm' | 'lateRejection'>;

/**
 * Why an open incident needs a supervisor's attention at this force's desk, in words, in the order the desk lists
 * them (none: it does not): a deployment its crew has not confirmed, a terminal's late rejection to answer, the
 * attendance target missed or near, waiting too long for a unit, a downgrade to decide, the risk due again.
 *
 * Only what this force can act on: a deployment's confirmation and rejection are the force's that runs it
 * (shared/domain/assignment.ts deploymentRunBy), so another force's unit assisting on this force's incident is left
 * to that force (its supervisor's list has it, under the other force's incident), and a unit lent to this force is
 * this force's. The attendance target, the wait and the decisions are the owning force's, by its own grades: another
 * force's incident shared here has none of them (its grade is not sent), and only its deployments this force runs
 * can put it on the list. `deployments`: the incident's deployments not cleared; `clock`: its attendance clock now.
 */
export function attentionReasons(config: ForceConfig, incident: AttentionIncident, deployments: readonly AttentionDeployment[], clock: AttendanceClock, nowMs: number): string[] {
  const reasons: string[] = [];
  const ours = deployments.filter((deployment) => runsDeployment(config.force.code, deployment));
  const notConfirmed = ours.filter((deployment) => unconfirmed(config, deployment, incident.grade, nowMs)).map((deployment) => deployment.unitId);
  if (notConfirmed.length) reasons.push(`deployment of ${notConfirmed.join(', ')} not confirmed by the crew`);
  if (ours.some((deployment) => deployment.lateRejection)) reasons.push('a terminal’s late rejection to answer');
  if (incident.force !== config.force.code) return reasons;
  if (clock.state === 'breached' && clock.remainingMs !== null) reasons.push(`attendance target missed by ${formatRemaining(clock.remainingMs).replace(' over', '')}`);
  if (clock.state === 'warning' && clock.remainingMs !== null) reasons.push(`attendance due in ${formatRemaining(clock.remainingMs).replace(' left', '')}`);
  if (waitingTooLong(config, incident, nowMs)) reasons.push('waiting too long for a unit');
  if (incident.pendingDowngrade) reasons.push(`downgrade to ${incident.pendingDowngrade.grade} to decide`);
  if (incident.thrive?.stale) reasons.push('risk assessment due again');
  return reasons;
}
