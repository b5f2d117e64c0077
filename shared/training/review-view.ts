import { z } from 'zod';
import { Instant } from '../domain/time';
import { GeoPoint } from '../domain/location';
import { RoomMeasuresSchema } from '../sync/measures-protocol';

/**
 * The after-action review of an exercise, as the training server computes it once from its record
 * (shared/training/exercise-review.ts) and the trainer's desk shows and exports it. Every time is on the exercise
 * clock; every duration is in whole seconds.
 */

/** What happened, in the order a call becomes a deployment. `inject`: a scenario inject, beside the events. */
export const ReviewEventKind = z.enum([
  'inject',
  'rang',
  'answered',
  'abandoned',
  'handset',
  'located',
  'graded',
  'saved',
  'proposed',
  'attached',
  'assessed',
  'taken',
  'deployed',
  'arrived',
  'closed',
]);
export type ReviewEventKind = z.infer<typeof ReviewEventKind>;

export const reviewEventNames: Record<ReviewEventKind, string> = {
  inject: 'Inject',
  rang: 'Call rang',
  abandoned: 'Caller hung up',
  answered: 'Answered',
  handset: 'Handset located',
  located: 'Located',
  graded: 'Graded',
  saved: 'Incident saved',
  proposed: 'Units proposed',
  attached: 'Attached to incident',
  assessed: 'THRIVE assessed',
  taken: 'Taken by dispatcher',
  deployed: 'Unit deployed',
  arrived: 'Unit arrived',
  closed: 'Incident closed',
};

export const ReviewEvent = z.object({
  at: Instant,
  kind: ReviewEventKind,
  /** Who did it: an operator's name, `telephony` or `terminal DM-11` for what the network or a unit reported, null for an inject. */
  by: z.string().nullable(),
  /** The scenario call it belongs to (its id), or null (an incident raised at the desk, a call added by hand). */
  callId: z.string().nullable(),
  /** The incident's reference, once there is one. */
  incident: z.string().nullable(),
  text: z.string(),
  /**
   * A record kept on paper while the system was down and entered afterwards: `at` is the paper's time, and this says
   * who entered it and when (shared/domain/back-entry.ts). Absent for what was done at the time.
   */
  backEntered: z.object({ by: z.string(), enteredAt: Instant }).optional(),
});
export type ReviewEvent = z.infer<typeof ReviewEvent>;

/** One score: how many of the cases it judges met the scenario's expectation, and the figure behind it in words. */
export const Score = z.object({
  id: z.enum(['answer', 'save', 'deploy', 'type', 'grade', 'thrive', 'risk', 'duplicates', 'attendance', 'units']),
  label: z.string(),
  /** Cases judged, and of them those that met it. */
  of: z.number().int().nonnegative(),
  met: z.number().int().nonnegative(),
  /** The figure in words ("median 7 s, longest 14 s"); the target it is judged against. */
  figure: z.string(),
  target: z.string(),
});
export type Score = z.infer<typeof Score>;

/** One call of the scenario judged against its `expected`: what was done with it, and whether each part was right. */
export const CallVerdict = z.object({
  callId: z.string(),
  source: z.string(),
  /** The incident it should have made (type code), or null for none; the acceptable grades. */
  expectedType: z.string().nullable(),
  expectedGrades: z.array(z.string()),
  rangAt: Instant.nullable(),
  answeredAt: Instant.nullable(),
  answeredBy: z.string().nullable(),
  abandoned: z.boolean(),
  answerSeconds: z.number().nullable(),
  incident: z.string().nullable(),
  savedAt: Instant.nullable(),
  savedBy: z.string().nullable(),
  /** From answering to saving the incident (or attaching the call to one). */
  saveSeconds: z.number().nullable(),
  /** The type and grade it was saved with. */
  type: z.string().nullable(),
  grade: z.string().nullable(),
  firstDeployedAt: Instant.nullable(),
  deployedBy: z.string().nullable(),
  /** From ringing to the incident's first deployment. */
  deploySeconds: z.number().nullable(),
  arrivedAt: Instant.nullable(),
  /** From ringing to the first unit at scene. */
  arriveSeconds: z.number().nullable(),
  /** Each part judged: true met, false missed, null not judged (nothing to judge, or never got that far). */
  answerInTime: z.boolean().nullable(),
  savedInTime: z.boolean().nullable(),
  deployedInTime: z.boolean().nullable(),
  typeAgreed: z.boolean().nullable(),
  gradeAgreed: z.boolean().nullable(),
  thrive: z.object({ answered: z.number().int(), asked: z.number().int() }).nullable(),
  riskFlags: z.object({ found: z.array(z.string()), missed: z.array(z.string()) }),
  duplicateSpotted: z.boolean().nullable(),
  attendanceMet: z.boolean().nullable(),
  unitTypes: z.object({ sent: z.array(z.string()), missing: z.array(z.string()) }),
  /**
   * When the handler located the call and chose its grade on the form (the desk records both as they happen), else
   * when the incident was saved with them; null while neither has happened.
   */
  locatedAt: Instant.nullable(),
  gradedAt: Instant.nullable(),
  /** The units the desk proposed for its incident last before the first deployment (call signs, best first), or null when none was recorded. */
  proposed: z.array(z.string()).nullable(),
  /** Whether the first unit deployed was the one proposed first; null: nothing proposed or nothing deployed yet. */
  proposedFirstSent: z.boolean().nullable(),
  /**
   * Whether its incident or its first deployment was kept on paper and back-entered: its times (and the scores on
   * them) are the paper's. Absent on reviews computed before it was kept.
   */
  backEntered: z.boolean().optional(),
  /**
   * Whether the call was answered on the handset while the system was down and tied to its paper record in catch-up:
   * its answer time is the paper's (whole minutes; the moment it rang when the paper gives the minute it rang).
   */
  answeredOnPaper: z.boolean().optional(),
});
export type CallVerdict = z.infer<typeof CallVerdict>;

export const TraineeReview = z.object({
  /** The operator's sign-in name. */
  operator: z.string(),
  /** Calls they answered, and incidents whose first unit they deployed. */
  callsAnswered: z.number().int().nonnegative(),
  deployments: z.number().int().nonnegative(),
  scores: z.array(Score),
});
export type TraineeReview = z.infer<typeof TraineeReview>;

/** Where the scenario's injects stood: each with when it was due and, for a call, when it rang. */
export const ReviewInject = z.object({
  index: z.number().int().nonnegative(),
  at: Instant,
  kind: z.enum(['call', 'vehicle', 'system', 'note']),
  label: z.string(),
  /** A call: its id, and when it rang (null: it never rang). */
  callId: z.string().nullable(),
  rangAt: Instant.nullable(),
});
export type ReviewInject = z.infer<typeof ReviewInject>;

export const ExerciseReview = z.object({
  title: z.string(),
  force: z.string(),
  /** The span reviewed: the scenario's start to the exercise time it was computed at. */
  from: Instant,
  to: Instant,
  injects: z.array(ReviewInject),
  /** Every event, oldest first. */
  events: z.array(ReviewEvent),
  calls: z.array(CallVerdict),
  /** Each incident of the exercise, where it was (for the replay's plot of the area). */
  incidents: z.array(z.object({ reference: z.string(), type: z.string(), grade: z.string(), point: GeoPoint.nullable() })),
  trainees: z.array(TraineeReview),
  /** The same scores for the whole room. */
  room: z.array(Score),
  /** The room's measures over the exercise (shared/measures/room-measures.ts). */
  measures: RoomMeasuresSchema,
});
export type ExerciseReview = z.infer<typeof ExerciseReview>;
