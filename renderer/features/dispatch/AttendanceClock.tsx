import type { IncidentView } from '../../../shared/contract/views';
import { formatRemaining } from '../../../shared/dispatch/attendance';
import { useConsole } from '../../state/use-console';
import { clockOf } from '../../state/console-store';
import { useNow } from '../../app/use-now';

const words = {
  running: 'Attendance',
  warning: 'Attendance due soon',
  breached: 'Attendance target missed',
  met: 'Attended in time',
  met_late: 'Attended late',
  unattended: 'Closed with no unit at scene',
  unattended_late: 'Attendance target missed: closed with no unit at scene',
} as const;

/**
 * The incident's attendance clock, counting on screen while it is open: a warning before the breach and a distinct
 * alarm at it (colour, text and, for screen readers, an alert), never colour alone. Once attended or closed, its
 * result, which no longer counts.
 */
export function AttendanceClock({ incident }: { incident: IncidentView }) {
  const config = useConsole((s) => s.config);
  const now = useNow(1000);
  if (!config) return null;
  const clock = clockOf(config, incident, now);
  if (clock.state === 'none') return null;
  const text = clock.remainingMs === null ? words[clock.state] : `${words[clock.state]}: ${formatRemaining(clock.remainingMs)}`;
  return (
    <span className="attendance-clock" data-clock={clock.state}>
      {text}
    </span>
  );
}
