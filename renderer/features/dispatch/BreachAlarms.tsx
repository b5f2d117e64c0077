import { useMemo } from 'react';
import { displayReference } from '../../../shared/domain/incident';
import { useConsole } from '../../state/use-console';
import { clockOf } from '../../state/console-store';
import { useNow } from '../../app/use-now';
import { useNewArrivals } from '../../app/use-new-arrivals';
import { playEmergencyAlert } from '../calltaking/alert-sound';
import { useApi } from '../../state/use-api';

/**
 * Says once, loudly, when an incident's attendance target is missed (an alert and the alarm sound), and once,
 * politely, when one is about to be; the clocks themselves count in the list.
 */
export function BreachAlarms() {
  const config = useConsole((s) => s.config);
  const incidents = useConsole((s) => s.incidents);
  const now = useNow(1000);
  const api = useApi();
  const recordsLoaded = useConsole((s) => s.recordsLoaded);

  const { breached, warning } = useMemo(() => {
    // Keyed by the clock, not only the incident: a clock started afresh (reopened, upgraded) sounds again when it breaches.
    const lists = { breached: [] as { clock: string; name: string }[], warning: [] as { clock: string; name: string }[] };
    if (!config) return lists;
    for (const incident of Object.values(incidents)) {
      if (incident.status !== 'open') continue;
      const { state } = clockOf(config, incident, now);
      if (state === 'breached' || state === 'warning') lists[state === 'breached' ? 'breached' : 'warning'].push({ clock: `${incident.id}@${incident.gradedAt}`, name: `${displayReference(incident)} (grade ${incident.grade})` });
    }
    return lists;
  }, [config, incidents, now]);

  // The sound, once per attendance clock as it breaches while the window is open (not for those already breached
  // when it opened: the banner says those), and once at this desk however many of its windows show the queue: the
  // first window to ask the core plays it.
  const breachedClocks = useMemo(() => breached.map((b) => b.clock), [breached]);
  useNewArrivals(breachedClocks, recordsLoaded && config !== null, (fresh) => {
    void Promise.all(fresh.map((clock) => api.call('alarms.sound', { key: `breach:${clock}` }).then(({ play }) => play, () => true))).then((plays) => {
      if (plays.some(Boolean)) playEmergencyAlert();
    });
  });

  if (breached.length === 0 && warning.length === 0) return null;
  return (
    <div className="breach-alarms">
      {breached.length > 0 && (
        <p role="alert" className="breached">
          Attendance target missed: {some(breached)}
        </p>
      )}
      {warning.length > 0 && (
        <p role="status" className="warning">
          Attendance due soon: {some(warning)}
        </p>
      )}
    </div>
  );
}

/** The first few by name and a count of the rest: a backlog must not bury the desk under its own alarm. */
function some(list: readonly { name: string }[]): string {
  const shown = list.slice(0, 5).map((item) => item.name).join(', ');
  return list.length > 5 ? `${shown} and ${list.length - 5} more` : shown;
}
