import { z } from 'zod';

/**
 * Consultations (DPA 2018 s.62): an operator opening a record's detail, looking up a caller's or a location's
 * history, searching past incidents. Recorded at the workstation, through the outbox, as `record.consulted`; the
 * rules here decide when one more is worth an entry (de-duplication) and when a reason must be given first
 * (justification). Pure: the caller passes the time.
 */

/** What was consulted: an incident's detail, a caller's or a location's history, a search of past incidents. */
export const ConsultedKind = z.enum(['incident', 'caller', 'location', 'search']);
export type ConsultedKind = z.infer<typeof ConsultedKind>;

/** A reason an operator gives for looking (the incident they are working on, by default). */
export const ConsultationReason = z.string().trim().min(1, 'say why you need to see this').max(300);

/**
 * The force's rules for justification. `closedIncidents`: a closed incident's detail needs a reason.
 * `callerHistoryOlderThanDays`: a caller's history that reaches further back than this needs one (null: never).
 * `otherForceRecords`: a record owned by another force (one shared with the operator's) needs one.
 */
export const JustificationConfig = z.object({
  closedIncidents: z.boolean(),
  callerHistoryOlderThanDays: z.number().int().positive().nullable(),
  otherForceRecords: z.boolean(),
  /** Opening the same record again within this many minutes (same operator, same reason) is the same consultation. */
  repeatWindowMinutes: z.number().positive().max(24 * 60),
});
export type JustificationConfig = z.infer<typeof JustificationConfig>;

/** The default: a closed incident, a caller's calls older than 28 days and another force's records need a reason. */
export const DEFAULT_JUSTIFICATION: JustificationConfig = { closedIncidents: true, callerHistoryOlderThanDays: 28, otherForceRecords: true, repeatWindowMinutes: 10 };

/**
 * What a channel is about to show, as far as justification cares: an incident's detail; a call in a caller's
 * history (when it came, whose it is); an incident listed in a place's history (whose it is: a line of a closed
 * incident there is shown without a reason, as the place's warnings are, to the handler taking a call about it).
 */
export type ShownRecord =
  | { kind: 'incident'; status: 'open' | 'closed'; force: string }
  | { kind: 'historyCall'; receivedAt: string; force: string }
  | { kind: 'historyIncident'; force: string };

/**
 * Why a reason is needed before `shown` is shown, in words for the prompt, or null when none is. `force` is the
 * operator's force; `now` an instant in ms.
 */
export function reasonNeeded(config: JustificationConfig, shown: ShownRecord, force: string, now: number): string | null {
  const otherForce = config.otherForceRecords && shown.force !== force;
  switch (shown.kind) {
    case 'incident':
      if (otherForce) return `this incident belongs to another force (${shown.force})`;
      if (config.closedIncidents && shown.status === 'closed') return 'this incident is closed';
      return null;
    case 'historyIncident':
      return otherForce ? `this place's history includes another force's incidents (${shown.force})` : null;
    case 'historyCall': {
      if (otherForce) return `this caller's history includes another force's calls (${shown.force})`;
      const days = config.callerHistoryOlderThanDays;
      if (days === null) return null;
      return Date.parse(shown.receivedAt) < now - days * 86_400_000 ? `this caller's history goes back more than ${days} days` : null;
    }
  }
}

/** What makes two openings the same consultation: who, what, and why. */
export interface ConsultationKey {
  operator: string;
  recordKind: ConsultedKind;
  recordId: string;
  reason: string | null;
}

export function consultationKeyText(key: ConsultationKey): string {
  return JSON.stringify([key.operator, key.recordKind, key.recordId, key.reason]);
}

/**
 * Whether an opening at `now` (ms) is a new consultation, given when the same key was last recorded (undefined:
 * never, as after a restart of the core, which keeps this in memory). The window runs from the last entry
 * recorded, not from the last opening, so a record kept open all shift still leaves one entry per window. A
 * clock that went back (training, a corrected skew) records rather than staying silent until it catches up.
 */
export function isNewConsultation(lastRecordedAt: number | undefined, now: number, windowMs: number): boolean {
  if (lastRecordedAt === undefined) return true;
  return now < lastRecordedAt || now - lastRecordedAt >= windowMs;
}
