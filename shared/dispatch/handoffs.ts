import type { Handoff, Incident } from '../domain/incident';
import { derivedId } from '../domain/derived-id';
import { ownQueueOf, queueKey, type DispatchQueue, type QueueConfig, type UntakenLimits } from '../domain/dispatch-queues';

/**
 * Handoffs that cannot vanish (issue 12): an open incident waits in its queue for a dispatcher to take it, by taking
 * ownership or by deploying (or reserving) a unit. One left untaken longer than its grade allows alerts the queue's
 * dispatchers; left a further while, the supervisor. Every desk works this out alike from the incident and the
 * core's clock, as the attendance clock is; taking the incident is a command through the outbox, so every desk
 * agrees when the alert ends. Pure: the caller passes the time.
 */

/**
 * waiting: not taken, within its time (or its grade has no limit); dispatchers: past its time, the queue's
 * dispatchers are alerted; supervisor: past the further time too, the supervisor is alerted as well.
 */
export type HandoffStage = 'waiting' | 'dispatchers' | 'supervisor';

export interface UntakenHandoff {
  incidentId: string;
  queue: DispatchQueue;
  stage: HandoffStage;
  /** When it began to wait: its creation or its latest reopening (ISO instant). */
  since: string;
  /** How long it has waited, in milliseconds. */
  ageMs: number;
  /** When its queue's dispatchers are (or were) alerted, and the supervisor (ms since the epoch); null without a limit. */
  dispatchersAtMs: number | null;
  supervisorAtMs: number | null;
  /** One per stage of one wait: the same on every desk, so an alert sounds once however often it is worked out. */
  alertKey: string;
}

/** How the log line that records a stage of an untaken wait begins (the console core watches for it arriving). */
export const UNTAKEN_LOG_PREFIX = 'Not taken by a dispatcher';

/** The id of the log line that records a stage of a wait: derived, so the room writes it once however many desks claim it. */
export function handoffAlertEntryId(incidentId: string, waitingSince: string, stage: Exclude<HandoffStage, 'waiting'>): string {
  return derivedId(incidentId, `handoff:${waitingSince}:${stage}`);
}

/** What the handoff rules need of an incident. */
export type HandoffIncident = Pick<Incident, 'id' | 'force' | 'status' | 'grade' | 'location' | 'queue' | 'handoff' | 'owner' | 'activeUnits' | 'attendedAt' | 'createdAt' | 'reopenings'> & {
  reservations?: readonly string[] | undefined;
};

/** What the handoff rules need of a force's configuration. */
export interface HandoffConfig extends QueueConfig {
  untaken: UntakenLimits;
}

/**
 * The incident's wait for a dispatcher, as recorded, or for an incident recorded before it was kept: waiting since
 * its creation or latest reopening, taken if anyone owns it or a unit is on it or has been there.
 */
export function handoffOf(incident: HandoffIncident): Handoff {
  if (incident.handoff) return incident.handoff;
  const reopened = incident.reopenings?.[incident.reopenings.length - 1];
  const waitingSince = reopened?.at ?? incident.createdAt;
  const taken = incident.owner !== null || incident.activeUnits.length > 0 || incident.attendedAt !== null || (incident.reservations?.length ?? 0) > 0;
  return { waitingSince, takenAt: taken ? waitingSince : null, takenBy: taken ? (incident.owner ?? null) : null };
}

/** The incident taken by `by` at `at`, if it was not already: the first to take it is the one the record keeps. */
export function takenBy<T extends HandoffIncident>(incident: T, at: string, by: string): T {
  const handoff = handoffOf(incident);
  if (handoff.takenAt !== null) return incident.handoff ? incident : { ...incident, handoff };
  return { ...incident, handoff: { ...handoff, takenAt: at, takenBy: by } };
}

/** A fresh wait from `at` (an incident made or reopened): back in its queue, nobody's yet. */
export function waitingFrom(at: string): Handoff {
  return { waitingSince: at, takenAt: null, takenBy: null };
}

/**
 * The incident's untaken handoff at `nowMs`, or null if it is closed, has been taken, or is another force's (held
 * here through a share, or transferred away: it waits in none of this force's queues, and this force may not take
 * it). The current grade's limit applies, from when the wait began: an incident upgraded after waiting a while
 * alerts at once.
 */
export function untakenHandoff(config: HandoffConfig, incident: HandoffIncident, nowMs: number): UntakenHandoff | null {
  if (incident.status !== 'open') return null;
  const queue = ownQueueOf(config, incident);
  if (!queue) return null;
  const handoff = handoffOf(incident);
  if (handoff.takenAt !== null) return null;
  const sinceMs = Date.parse(handoff.waitingSince);
  const limit = config.untaken[incident.grade];
  const dispatchersAtMs = limit ? sinceMs + limit.dispatchersAfterSeconds * 1000 : null;
  const supervisorAtMs = limit && dispatchersAtMs !== null ? dispatchersAtMs + limit.supervisorAfterSeconds * 1000 : null;
  const stage: HandoffStage = supervisorAtMs !== null && nowMs >= supervisorAtMs ? 'supervisor' : dispatchersAtMs !== null && nowMs >= dispatchersAtMs ? 'dispatchers' : 'waiting';
  return {
    incidentId: incident.id,
    queue,
    stage,
    since: handoff.waitingSince,
    ageMs: Math.max(0, nowMs - sinceMs),
    dispatchersAtMs,
    supervisorAtMs,
    alertKey: `handoff:${incident.id}@${handoff.waitingSince}:${stage}`,
  };
}

/** Every untaken handoff among these incidents at `nowMs`, the longest waiting first. */
export function untakenHandoffs(config: HandoffConfig, incidents: Iterable<HandoffIncident>, nowMs: number): UntakenHandoff[] {
  const out: UntakenHandoff[] = [];
  for (const incident of incidents) {
    const handoff = untakenHandoff(config, incident, nowMs);
    if (handoff) out.push(handoff);
  }
  return out.sort((a, b) => b.ageMs - a.ageMs || (a.incidentId < b.incidentId ? -1 : 1));
}

/** Those alerting the dispatchers of the given queues (keys as queueKey gives; null: every queue): past their time. */
export function alertingDispatchers(handoffs: readonly UntakenHandoff[], served: ReadonlySet<string> | null): UntakenHandoff[] {
  return handoffs.filter((h) => h.stage !== 'waiting' && (served === null || served.has(queueKey(h.queue))));
}

/** Those escalated to the supervisor. */
export function alertingSupervisor(handoffs: readonly UntakenHandoff[]): UntakenHandoff[] {
  return handoffs.filter((h) => h.stage === 'supervisor');
}

/**
 * How long it has waited, as the supervisor's list says it: "45 s", "3 min 05 s", "2 h 14 min". Arithmetic on
 * instants, so a change of the clocks in the wait neither adds nor takes an hour.
 */
export function formatAge(ageMs: number): string {
  const total = Math.floor(Math.max(0, ageMs) / 1000);
  if (total < 60) return `${total} s`;
  if (total < 3600) return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
  return `${Math.floor(total / 3600)} h ${String(Math.floor(total / 60) % 60).padStart(2, '0')} min`;
}

/** The wall clock's reading the handoff words need (shared/domain/wall-clock.ts). */
interface ShowsTimes {
  timeFromToday(instant: number | string, nowMs: number): string;
}

/**
 * An untaken handoff in words, as the supervisor's list and the dispatcher's alert read it, times on the force's
 * clock: "Saltmere North, untaken 3 min 05 s (since 01:30 BST); its dispatchers alerted at 01:31 BST".
 */
export function describeHandoff(handoff: UntakenHandoff, queueName: string, wall: ShowsTimes, nowMs: number): string {
  const waited = `${queueName}, untaken ${formatAge(handoff.ageMs)} (since ${wall.timeFromToday(handoff.since, nowMs)})`;
  if (handoff.stage === 'supervisor' && handoff.supervisorAtMs !== null) return `${waited}; escalated to the supervisor at ${wall.timeFromToday(handoff.supervisorAtMs, nowMs)}`;
  if (handoff.stage === 'dispatchers' && handoff.dispatchersAtMs !== null) return `${waited}; its dispatchers alerted at ${wall.timeFromToday(handoff.dispatchersAtMs, nowMs)}`;
  return waited;
}
