import { formatAge, handoffOf, untakenHandoff } from '../../../shared/dispatch/handoffs';
import { ownQueueOf, queueName } from '../../../shared/domain/dispatch-queues';
import type { IncidentView } from '../../../shared/contract/views';
import { useConsole } from '../../state/use-console';
import { useWallClock } from '../../app/format';
import { useNow } from '../../app/use-now';

/**
 * An incident's queue and where its handoff stands, for its detail (nothing for another force's incident): "Saltmere North: taken by bob at 14:03", or
 * "Saltmere North: not taken, waiting 1 min 05 s (since 14:02)".
 */
export function HandoffStanding({ incident }: { incident: IncidentView }) {
  const config = useConsole((s) => s.config);
  const wall = useWallClock();
  const now = useNow(1000);
  // Another force's incident is in none of this force's queues (its owner's queue is not sent): nothing to say.
  const own = config && ownQueueOf(config, incident);
  if (!config || !own) return null;
  const queue = queueName(config, own);
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
