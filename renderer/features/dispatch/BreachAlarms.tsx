import { useMemo } from 'react';
import { displayReference } from '../../../shared/domain/incident';
import { useConsole } from '../../state/use-console';
import { clockOf } from '../../state/console-store';
import { useNow } from '../../app/use-now';
import { useNewArrivals } from '../../app/use-new-arrivals';
import { playEmergencyAlert } from '../calltaking/alert-sound';

/**
 * Says once, loudly, when an incident's attendance target is missed (an alert and the alarm sound), and once,
 * politely, when one is about to be; the clocks themselves count in the list.
 */
export function BreachAlarms() {
  const config = useConsole((s) => s.config);
  const incidents = useConsole((s) => s.incidents);
  const now = useNow(1000);
  const recordsLoaded = useConsole((s) => s.recordsLoaded);

  const { breached, warning } = useMemo(() => {
    const lists = { breached: [] as { id: string; name: string }[], warning: [] as { id: string; name: string }[] };
    if (!config) return lists;
    for (const incident of Object.values(incidents)) {
      if (incident.status !== 'open') continue;
      const { state } = clockOf(config, incident, now);
      if (state === 'breached' || state === 'warning') lists[state === 'breached' ? 'breached' : 'warning'].push({ id: incident.id, name: `${displayReference(incident)} (grade ${incident.grade})` });
    }
    return lists;
  }, [config, incidents, now]);

  // The sound, once per incident as it breaches while the window is open: not for those already breached when it
  // opened (the banner says those).
  const breachedIds = useMemo(() => breached.map((b) => b.id), [breached]);
  useNewArrivals(breachedIds, recordsLoaded && config !== null, () => playEmergencyAlert());

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
