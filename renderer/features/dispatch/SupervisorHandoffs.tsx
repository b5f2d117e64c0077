import { useMemo } from 'react';
import { alertingSupervisor, describeHandoff, untakenHandoffs } from '../../../shared/dispatch/handoffs';
import { queueName } from '../../../shared/domain/dispatch-queues';
import { displayReference } from '../../../shared/domain/incident';
import { useConsole } from '../../state/use-console';
import { useWallClock } from '../../app/format';
import { useNow } from '../../app/use-now';
import { useSoundOnce } from './use-sound-once';
import { gradeLabel, incidentTypeName } from '../incidents/describe';

export const HANDOFFS_ID = 'untaken-handoffs';

/**
 * The supervisor's view of the handoffs: every open incident no dispatcher has taken yet, the longest waiting first,
 * each with its queue, its age and where its alert stands (in the force's time); and, over it, an alert for those
 * escalated to the supervisor, which sounds once at this desk for each.
 */
export function SupervisorHandoffs() {
  const config = useConsole((s) => s.config);
  const incidents = useConsole((s) => s.incidents);
  const select = useConsole((s) => s.select);
  const wall = useWallClock();
  const now = useNow(1000);

  const handoffs = useMemo(() => (config ? untakenHandoffs(config, Object.values(incidents), now) : []), [config, incidents, now]);
  const escalated = useMemo(() => alertingSupervisor(handoffs), [handoffs]);

  const soundedHere = useSoundOnce(useMemo(() => escalated.map((handoff) => handoff.alertKey), [escalated]));

  if (!config) return null;
  const named = (id: string) => {
    const incident = incidents[id];
    return incident ? displayReference(incident) : id;
  };
  return (
    <section aria-labelledby="handoffs-heading" className="attention handoffs">
      {escalated.length > 0 && (
        <p role="alert" className="breached" data-sounded-here={escalated.some((h) => soundedHere.has(h.alertKey)) || undefined}>
          Not taken by any dispatcher, escalated to you: {escalated.map((h) => `${named(h.incidentId)} in ${queueName(config, h.queue)}`).join(', ')}
        </p>
      )}
      <h2 id="handoffs-heading">Handoffs not taken ({handoffs.length})</h2>
      <ul id={HANDOFFS_ID} aria-label="Handoffs not taken" tabIndex={0}>
        {handoffs.map((handoff) => {
          const incident = incidents[handoff.incidentId];
          if (!incident) return null;
          return (
            <li key={handoff.incidentId} data-stage={handoff.stage}>
              <button type="button" className="link-like" onClick={() => select(incident.id)}>
                {displayReference(incident)}
              </button>{' '}
              {gradeLabel(config, incident.grade)}, {incidentTypeName(config, incident)}: {describeHandoff(handoff, queueName(config, handoff.queue), wall, now)}
            </li>
          );
        })}
        {handoffs.length === 0 && <li className="empty">Every open incident has been taken.</li>}
      </ul>
    </section>
  );
}
