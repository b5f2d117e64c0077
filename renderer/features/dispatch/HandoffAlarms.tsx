import { useMemo } from 'react';
import { alertingDispatchers, formatAge, untakenHandoffs, type UntakenHandoff } from '../../../shared/dispatch/handoffs';
import { queueName } from '../../../shared/domain/dispatch-queues';
import { displayReference } from '../../../shared/domain/incident';
import type { ForceConfig } from '../../../shared/domain/force-config';
import type { IncidentView } from '../../../shared/contract/views';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useNow } from '../../app/use-now';
import { useMay } from '../session/use-may';
import { gradeLabel } from '../incidents/describe';
import { useSoundOnce } from './use-sound-once';
import { useServedQueues } from './served-queues';

export const HANDOFF_ALARMS_ID = 'handoff-alarms';

/**
 * Incidents left untaken in a queue this desk serves past their grade's time (shared/dispatch/handoffs.ts): each
 * stays, with its age and a button that takes it, until a dispatcher takes it (here or at any desk: taking is a
 * command every desk receives) or deploys a unit to it. Each sounds once at this desk, whichever of its windows
 * shows it first, and again only if it is escalated to the supervisor meanwhile.
 */
export function HandoffAlarms() {
  const config = useConsole((s) => s.config);
  const incidents = useConsole((s) => s.incidents);
  const served = useServedQueues();
  const mayTake = useMay('incident.takeOwnership');
  const now = useNow(1000);

  const alerting = useMemo(() => (config && mayTake ? alertingDispatchers(untakenHandoffs(config, Object.values(incidents), now), served) : []), [config, incidents, now, served, mayTake]);

  const soundedHere = useSoundOnce(useMemo(() => alerting.map((handoff) => handoff.alertKey), [alerting]));

  if (!config || alerting.length === 0) return null;
  return (
    <section id={HANDOFF_ALARMS_ID} className="desk-alarms handoff-alarms" aria-label="Incidents not taken">
      <ul>
        {alerting.map((handoff) => {
          const incident = incidents[handoff.incidentId];
          return incident ? (
            <li key={handoff.incidentId} data-stage={handoff.stage} data-sounded-here={soundedHere.has(handoff.alertKey) || undefined}>
              <HandoffAlarm handoff={handoff} incident={incident} config={config} now={now} />
            </li>
          ) : null;
        })}
      </ul>
    </section>
  );
}

function HandoffAlarm({ handoff, incident, config, now }: { handoff: UntakenHandoff; incident: IncidentView; config: ForceConfig; now: number }) {
  const api = useApi();
  const wall = useWallClock();
  const action = useAction();
  const reference = displayReference(incident);
  return (
    <>
      {/* The alert's words stay still (a screen reader says them once); the age counts beside it. */}
      <p role="alert">
        Not taken: {reference} ({gradeLabel(config, incident.grade)}) in {queueName(config, handoff.queue)}, waiting since {wall.timeFromToday(handoff.since, now)}.
        {handoff.stage === 'supervisor' ? ' Escalated to the supervisor.' : ' Take it, or deploy a unit.'}
      </p>
      <p className="age">Untaken {formatAge(handoff.ageMs)}</p>
      <button type="button" disabled={action.busy} onClick={() => void action.run(() => api.call('incidents.takeOwnership', { incidentId: incident.id, incidentVersion: incident.version }))}>
        Take {reference}
      </button>
      {action.error && <p role="alert">{action.error}</p>}
    </>
  );
}
