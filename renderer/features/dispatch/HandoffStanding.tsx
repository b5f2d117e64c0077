import { formatAge, handoffOf, untakenHandoff } from '../../../shared/dispatch/handoffs';
import { queueName, queueOf } from '../../../shared/domain/dispatch-queues';
import type { IncidentView } from '../../../shared/contract/views';
import { useConsole } from '../../state/use-console';
import { useWallClock } from '../../app/format';
import { useNow } from '../../app/use-now';

/**
 * An incident's queue and where its handoff stands, for its detail: "Saltmere North: taken by bob at 14:03", or
 * "Saltmere North: not taken, waiting 1 min 05 s (since 14:02)".
 */
export function HandoffStanding({ incident }: { incident: IncidentView }) {
  const config = useConsole((s) => s.config);
  const wall = useWallClock();
  const now = useNow(1000);
  if (!config) return null;
  const queue = queueName(config, queueOf(config, incident));
  const untaken = untakenHandoff(config, incident, now);
  if (untaken) {
    const alerting = untaken.stage === 'supervisor' ? '; escalated to the supervisor' : untaken.stage === 'dispatchers' ? '; its dispatchers alerted' : '';
    return (
      <span data-stage={untaken.stage}>
        {queue}: not taken, waiting {formatAge(untaken.ageMs)} (since {wall.timeFromToday(untaken.since, now)}){alerting}
      </span>
    );
  }
  const { takenAt, takenBy } = handoffOf(incident);
  if (incident.status !== 'open' || takenAt === null) return <span>{queue}</span>;
  return <span>{takenBy ? `${queue}: taken by ${takenBy} at ${wall.timeFromToday(takenAt, now)}` : `${queue}: taken`}</span>;
}
