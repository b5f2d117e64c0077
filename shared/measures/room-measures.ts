import type { Assignment } from '../domain/assignment';
import { deployedAtOf } from '../domain/assignment';
import type { Contact, ContactSource } from '../domain/contact';
import type { ForceConfig } from '../domain/force-config';
import { ownedSince, type Incident } from '../domain/incident';
import { attendanceDueMs } from '../dispatch/attendance';
import { handoffOf, untakenHandoff } from '../dispatch/handoffs';
import type { MeasureSpan } from './measure-window';

/**
 * The room's measures, computed from the server's record of what happened (contacts, incidents, assignments as the
 * server holds them), for a span [from, to). Pure: the same records and span give the same figures on every
 * machine. Each figure's clocks, in the words a supervisor would check them by:
 *
 * - A call's **answer time** runs from when it rang at a position (`receivedAt`, the time the telephony switch
 *   reported it, relayed by the workstation) to when a call handler answered it (`answeredAt`, the time of the
 *   handler's answer at her workstation). A call belongs to the span it rang in.
 * - A call is **abandoned** when the caller hung up before anyone answered (the switch's report, state
 *   `abandoned`). A call answered and then silent is answered, not abandoned.
 * - **999 answered within 10 seconds**: of the 999 calls that rang in the span, those answered within 10 s (10.000 s
 *   counts as within), over those that could have been: answered calls, calls abandoned after ringing more than
 *   10 s, and calls still ringing at the span's end after more than 10 s. A caller who hung up within 10 s, and a
 *   call still ringing within its first 10 s, count on neither side.
 * - **Queue depth**: incidents waiting for their first deployment. An incident waits from its creation until the
 *   first of its units is deployed (`deployedAt`), or until it is closed; incidents of a grade with no attendance
 *   target (resolved without deployment) never wait. Counted by the grade each incident has now: an incident regraded
 *   while it waited counts at its present grade for all of its wait.
 * - **Call to first deployment**: from the first call linked to the incident ringing (or the incident's creation,
 *   for one made without a call) to its first deployment; an incident belongs to the span its first deployment fell
 *   in.
 * - **Attendance met**: an incident with an attendance target (its grade's, from when it was graded) counts in the
 *   span where its outcome was settled: met when its first unit arrived in the span no later than the target; missed
 *   when the target fell due in the span with no unit there by then. An incident closed before its target fell due
 *   with nobody sent has no outcome.
 * - **Handoffs waiting**: at the span's end, incidents waiting in their dispatch queue for a dispatcher to take them
 *   (shared/dispatch/handoffs.ts): from when each began to wait (its creation or latest reopening) until it was
 *   taken (ownership, a unit deployed or reserved) or closed; of them, those past their grade's untaken time (their
 *   queue's dispatchers alerted) and those past the further time (escalated to the supervisor), and the longest wait.
 *   Taken from each incident's present record: a wait that was taken and then began again (a reopening) counts from
 *   its latest start.
 */
export interface RoomMeasures {
  calls: CallMeasures;
  /** Answer-time distributions of the sources that ring (999, 101). */
  answerTimes: AnswerTimes[];
  queue: QueueDepth;
  callToDeployment: CallToDeployment;
  attendance: AttendanceByGrade[];
  handoffsWaiting: HandoffsWaiting;
}

export interface HandoffsWaiting {
  /** Incidents waiting for a dispatcher to take them at the span's end. */
  waiting: number;
  /** Of those, past their grade's untaken time: their queue's dispatchers alerted. */
  pastTime: number;
  /** Of those, past the further time: escalated to the supervisor. */
  escalated: number;
  /** The longest of the waits, whole seconds; null when none waits. */
  oldestSeconds: number | null;
}

export interface CallMeasures {
  /** 999 calls that rang in the span. */
  offered999: number;
  answered999: number;
  abandoned999: number;
  /** Calls counted by the 10-second measure (see RoomMeasures), and of them those answered within 10 s. */
  counted999: number;
  within10s999: number;
  /** Percentage (0–100, one decimal) of counted 999 calls answered within 10 s; null when none was counted. */
  within10sPercent999: number | null;
  /** Percentage (one decimal) of offered 999 calls abandoned; null when none rang. */
  abandonedPercent999: number | null;
  /** 101 calls that rang, and of them those abandoned. */
  offered101: number;
  abandoned101: number;
  abandonedPercent101: number | null;
}

export interface AnswerTimeBucket {
  /** "0–5 s", "over 120 s". */
  label: string;
  /** The bucket holds answer times in (the previous bucket's upper bound, this one], seconds; null: no upper bound. */
  upToSeconds: number | null;
  count: number;
}

export interface AnswerTimes {
  source: ContactSource;
  answered: number;
  buckets: AnswerTimeBucket[];
  /** Seconds, one decimal; null when nothing was answered. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface QueueDepth {
  /** Incidents waiting for their first deployment at the span's end, by grade code (grades with a target only). */
  now: Record<string, number>;
  /** The same at evenly spaced instants through the span, the last at its end. */
  series: { at: string; byGrade: Record<string, number> }[];
}

export interface DeploymentTimes {
  count: number;
  /** Seconds, whole; null when there were none. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface CallToDeployment extends DeploymentTimes {
  byGrade: Record<string, DeploymentTimes>;
}

export interface AttendanceByGrade {
  grade: string;
  met: number;
  missed: number;
  /** Percentage (one decimal) met; null when nothing was settled in the span. */
  metPercent: number | null;
}

/** What the measures read: the records the server holds (the storage picks those that may bear on the span). */
export interface MeasureRecords {
  contacts: readonly Contact[];
  incidents: readonly Incident[];
  assignments: readonly Assignment[];
}

const ANSWER_BUCKETS: readonly (number | null)[] = [5, 10, 20, 30, 60, 120, null];
const TEN_SECONDS = 10_000;
/** Samples of the queue-depth series; the step is the span over this, at least a minute. */
const SERIES_POINTS = 60;

/** Computes every measure over `span` (see RoomMeasures for each clock). */
export function roomMeasures(config: ForceConfig, records: MeasureRecords, span: MeasureSpan): RoomMeasures {
  const inSpan = (ms: number) => ms >= span.fromMs && ms < span.toMs;
  const rang = records.contacts.filter((c) => inSpan(Date.parse(c.receivedAt)));
  return {
    calls: callMeasures(rang, span.toMs),
    answerTimes: (['999', '101'] as const).map((source) => answerTimes(source, rang)),
    queue: queueDepth(config, records, span),
    callToDeployment: callToDeployment(records, inSpan),
    attendance: attendance(config, records.incidents, inSpan),
    handoffsWaiting: handoffsWaiting(config, records.incidents, span.toMs),
  };
}

function handoffsWaiting(config: ForceConfig, incidents: readonly Incident[], atMs: number): HandoffsWaiting {
  const out: HandoffsWaiting = { waiting: 0, pastTime: 0, escalated: 0, oldestSeconds: null };
  for (const incident of incidents) {
    const wait = handoffOf(incident);
    const ended = [wait.takenAt, incident.closedAt].some((at) => at !== null && Date.parse(at) <= atMs);
    if (Date.parse(wait.waitingSince) > atMs || ended) continue;
    // As it stood at the span's end: open, and not yet taken.
    const untaken = untakenHandoff(config, { ...incident, status: 'open', handoff: { ...wait, takenAt: null, takenBy: null } }, atMs);
    if (!untaken) continue;
    out.waiting += 1;
    if (untaken.stage !== 'waiting') out.pastTime += 1;
    if (untaken.stage === 'supervisor') out.escalated += 1;
    out.oldestSeconds = Math.max(out.oldestSeconds ?? 0, Math.floor(untaken.ageMs / 1000));
  }
  return out;
}

function callMeasures(rang: readonly Contact[], toMs: number): CallMeasures {
  const of999 = rang.filter((c) => c.source === '999');
  const of101 = rang.filter((c) => c.source === '101');
  let counted = 0;
  let within = 0;
  for (const call of of999) {
    const received = Date.parse(call.receivedAt);
    if (call.answeredAt) {
      counted++;
      if (Date.parse(call.answeredAt) - received <= TEN_SECONDS) within++;
    } else if (call.state === 'abandoned') {
      if (call.endedAt && Date.parse(call.endedAt) - received > TEN_SECONDS) counted++;
    } else if (call.state === 'ringing' && toMs - received > TEN_SECONDS) {
      counted++;
    }
  }
  const abandoned999 = of999.filter((c) => c.state === 'abandoned').length;
  const abandoned101 = of101.filter((c) => c.state === 'abandoned').length;
  return {
    offered999: of999.length,
    answered999: of999.filter((c) => c.answeredAt).length,
    abandoned999,
    counted999: counted,
    within10s999: within,
    within10sPercent999: percent(within, counted),
    abandonedPercent999: percent(abandoned999, of999.length),
    offered101: of101.length,
    abandoned101,
    abandonedPercent101: percent(abandoned101, of101.length),
  };
}

function answerTimes(source: ContactSource, rang: readonly Contact[]): AnswerTimes {
  const seconds = rang
    .filter((c) => c.source === source && c.answeredAt)
    .map((c) => Math.max(0, Date.parse(c.answeredAt!) - Date.parse(c.receivedAt)) / 1000)
    .sort((a, b) => a - b);
  let lower = 0;
  const buckets = ANSWER_BUCKETS.map((upTo) => {
    const count = seconds.filter((s) => (lower === 0 ? s >= 0 : s > lower) && (upTo === null || s <= upTo)).length;
    const label = upTo === null ? `over ${lower} s` : `${lower}–${upTo} s`;
    lower = upTo ?? lower;
    return { label, upToSeconds: upTo, count };
  });
  const round = (s: number | null) => (s === null ? null : Math.round(s * 10) / 10);
  return { source, answered: seconds.length, buckets, medianSeconds: round(quantile(seconds, 0.5)), p90Seconds: round(quantile(seconds, 0.9)) };
}

/** Each incident's first deployment (ms), from the assignments of it. */
function firstDeployments(assignments: readonly Assignment[]): Map<string, number> {
  const first = new Map<string, number>();
  for (const assignment of assignments) {
    const at = deployedAtOf(assignment);
    if (at === null) continue;
    const ms = Date.parse(at);
    const known = first.get(assignment.incidentId);
    if (known === undefined || ms < known) first.set(assignment.incidentId, ms);
  }
  return first;
}

function queueDepth(config: ForceConfig, records: MeasureRecords, span: MeasureSpan): QueueDepth {
  const queued = config.grades.filter((g) => g.attendanceTargetMinutes !== null).map((g) => g.code);
  const deployed = firstDeployments(records.assignments);
  const waits = records.incidents
    .filter((i) => queued.includes(i.grade))
    .map((i) => {
      const ends = [deployed.get(i.id), i.closedAt ? Date.parse(i.closedAt) : undefined].filter((ms): ms is number => ms !== undefined);
      // In this force's queue from when it became its own: a transferred incident waited in the other force's before.
      return { grade: i.grade, fromMs: Date.parse(ownedSince(i)), toMs: ends.length ? Math.min(...ends) : Infinity };
    });
  const at = (ms: number) => {
    const byGrade = Object.fromEntries(queued.map((code) => [code, 0]));
    for (const wait of waits) if (wait.fromMs <= ms && ms < wait.toMs) byGrade[wait.grade]!++;
    return byGrade;
  };
  const length = span.toMs - span.fromMs;
  const step = Math.max(60_000, Math.ceil(length / SERIES_POINTS / 60_000) * 60_000);
  const series: QueueDepth['series'] = [];
  // The last sample is the span's end itself (the instant just before it: [from, to) ends there).
  for (let ms = span.fromMs; ms < span.toMs; ms += step) series.push({ at: new Date(ms).toISOString(), byGrade: at(ms) });
  const now = at(span.toMs - 1);
  series.push({ at: new Date(span.toMs).toISOString(), byGrade: now });
  return { now, series };
}

function callToDeployment(records: MeasureRecords, inSpan: (ms: number) => boolean): CallToDeployment {
  const deployed = firstDeployments(records.assignments);
  const firstCall = new Map<string, number>();
  for (const contact of records.contacts) {
    if (!contact.incidentId) continue;
    const ms = Date.parse(contact.receivedAt);
    const known = firstCall.get(contact.incidentId);
    if (known === undefined || ms < known) firstCall.set(contact.incidentId, ms);
  }
  const all: number[] = [];
  const byGrade = new Map<string, number[]>();
  for (const incident of records.incidents) {
    const deployedMs = deployed.get(incident.id);
    if (deployedMs === undefined || !inSpan(deployedMs)) continue;
    const startMs = firstCall.get(incident.id) ?? Date.parse(incident.createdAt);
    const seconds = Math.max(0, Math.round((deployedMs - startMs) / 1000));
    all.push(seconds);
    byGrade.set(incident.grade, [...(byGrade.get(incident.grade) ?? []), seconds]);
  }
  return { ...times(all), byGrade: Object.fromEntries([...byGrade].map(([grade, seconds]) => [grade, times(seconds)])) };
}

function times(seconds: number[]): DeploymentTimes {
  const sorted = [...seconds].sort((a, b) => a - b);
  const whole = (s: number | null) => (s === null ? null : Math.round(s));
  return { count: sorted.length, medianSeconds: whole(quantile(sorted, 0.5)), p90Seconds: whole(quantile(sorted, 0.9)) };
}

function attendance(config: ForceConfig, incidents: readonly Incident[], inSpan: (ms: number) => boolean): AttendanceByGrade[] {
  const graded = config.grades.filter((g) => g.attendanceTargetMinutes !== null);
  const tally = new Map(graded.map((g) => [g.code, { met: 0, missed: 0 }]));
  for (const incident of incidents) {
    const count = tally.get(incident.grade);
    const dueMs = attendanceDueMs(config, incident);
    if (!count || dueMs === null) continue;
    const attendedMs = incident.attendedAt ? Date.parse(incident.attendedAt) : null;
    if (attendedMs !== null && attendedMs <= dueMs) {
      if (inSpan(attendedMs)) count.met++;
    } else if (inSpan(dueMs) && !(attendedMs === null && incident.closedAt && Date.parse(incident.closedAt) < dueMs)) {
      count.missed++;
    }
  }
  return graded.map((g) => {
    const { met, missed } = tally.get(g.code)!;
    return { grade: g.code, met, missed, metPercent: percent(met, met + missed) };
  });
}

/** The q-quantile of sorted values by the nearest rank (the value at least q of them are at or below); null for none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
