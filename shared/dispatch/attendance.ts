import type { ForceConfig } from '../domain/force-config';
import { findGrade } from '../domain/force-config';
import type { CommonPriority } from '../domain/common-priority';
import { gradeForPriority } from '../domain/transfer';

/**
 * The attendance clock of an incident: from grading to the first unit at scene, against the grade's target.
 * none: the grade has no attendance target; running; warning: the breach is near; breached; met (in time or late);
 * and, for an incident closed with no unit at scene, its result: closed before the target fell due (unattended), or
 * after (unattended_late). Only an open incident's clock runs.
 */
export type ClockState = 'none' | 'running' | 'warning' | 'breached' | 'met' | 'met_late' | 'unattended' | 'unattended_late';

export interface AttendanceClock {
  state: ClockState;
  /** When the target falls due (milliseconds since the epoch), or null without a target. */
  dueMs: number | null;
  /** Milliseconds left until due (negative once breached); null without a target, once attended, or once closed. */
  remainingMs: number | null;
}

/** How long before the breach the warning comes, unless the grade says: a fifth of the target, at least a minute. */
export function warningLeadMs(targetMinutes: number, configured: number | undefined): number {
  return (configured ?? Math.max(1, targetMinutes / 5)) * 60_000;
}

/** When an incident's attendance target falls due (milliseconds since the epoch): its grading plus the grade's target; null if the grade has none. */
export function attendanceDueMs(config: ForceConfig, incident: { grade: string; gradedAt: string }): number | null {
  const target = findGrade(config, incident.grade)?.attendanceTargetMinutes;
  return target ? Date.parse(incident.gradedAt) + target * 60_000 : null;
}

/**
 * When an incident falls due in the order of this force's queue (milliseconds since the epoch), or null with no
 * target. The force's own incident: its attendance due time (attendanceDueMs). Another force's incident shared with
 * it, whose grade is of another scheme and is not sent: the due time this force's own grade for its common priority
 * would give it from its grading (gradeForPriority, as a transfer grades it), so a shared P1 waits among the force's
 * own emergencies, not behind its scheduled jobs; null when its priority is not known. Only for ordering: the shared
 * incident's attendance clock is its owner's, and is not shown in this force's terms.
 */
export function queueDueMs(
  config: ForceConfig,
  incident: { force: string; grade: string; gradedAt: string; sharedView?: { commonPriority: number | null } | undefined },
): number | null {
  if (incident.force === config.force.code) return attendanceDueMs(config, incident);
  const priority = incident.sharedView?.commonPriority;
  if (priority === null || priority === undefined) return null;
  return attendanceDueMs(config, { grade: gradeForPriority(config, priority as CommonPriority), gradedAt: incident.gradedAt });
}

/**
 * The clock at `nowMs` (milliseconds since the epoch). An incident with no `status` is taken as open. `dueMs` may be
 * given when the caller has it already (see attendanceDueMs); it must be that function's answer.
 */
export function attendanceClock(
  config: ForceConfig,
  incident: { grade: string; gradedAt: string; attendedAt: string | null; status?: 'open' | 'closed'; closedAt?: string | null },
  nowMs: number,
  dueMs: number | null = attendanceDueMs(config, incident),
): AttendanceClock {
  const grade = findGrade(config, incident.grade);
  if (dueMs === null || !grade?.attendanceTargetMinutes) return { state: 'none', dueMs: null, remainingMs: null };
  if (incident.attendedAt) return { state: Date.parse(incident.attendedAt) <= dueMs ? 'met' : 'met_late', dueMs, remainingMs: null };
  // A closed incident's clock has stopped: its result, judged at its closing, not a count that runs on for ever.
  if (incident.status === 'closed') {
    const closedMs = incident.closedAt ? Date.parse(incident.closedAt) : nowMs;
    return { state: closedMs <= dueMs ? 'unattended' : 'unattended_late', dueMs, remainingMs: null };
  }
  const remainingMs = dueMs - nowMs;
  const state = remainingMs <= 0 ? 'breached' : remainingMs <= warningLeadMs(grade.attendanceTargetMinutes, grade.warnBeforeMinutes) ? 'warning' : 'running';
  return { state, dueMs, remainingMs };
}

/**
 * How the clock reads on screen: minutes and seconds within the hour ("12:04 left", "3:10 over"), hours and minutes
 * beyond it ("47 h 59 min left" for a grade with a two-day target), where "2879:43" read as a time of day.
 */
export function formatRemaining(remainingMs: number): string {
  const total = Math.floor(Math.abs(remainingMs) / 1000);
  const side = remainingMs >= 0 ? 'left' : 'over';
  if (total >= 3600) return `${Math.floor(total / 3600)} h ${String(Math.floor(total / 60) % 60).padStart(2, '0')} min ${side}`;
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')} ${side}`;
}

/**
 * An incident left waiting for a unit longer than its grade allows should have its risk looked at again: the
 * situation may have changed while nobody was there.
 */
export function waitingTooLong(
  config: ForceConfig,
  incident: { grade: string; gradedAt: string; activeUnits: readonly string[]; attendedAt: string | null; thrive: { assessedAt: string } | null; status?: 'open' | 'closed' },
  nowMs: number,
): boolean {
  const reviewAfter = findGrade(config, incident.grade)?.reviewAfterMinutes;
  // A closed incident waits for nothing (an incident with no `status` is taken as open).
  if (!reviewAfter || incident.status === 'closed' || incident.activeUnits.length > 0 || incident.attendedAt) return false;
  const since = Math.max(Date.parse(incident.gradedAt), incident.thrive ? Date.parse(incident.thrive.assessedAt) : 0);
  return nowMs - since > reviewAfter * 60_000;
}
