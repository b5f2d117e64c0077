import { z } from 'zod';
import { ExerciseClockState } from '../domain/exercise-clock';
import { Instant } from '../domain/time';

/**
 * What every window of a training workstation knows of the exercise: that it is one (so it is marked as training in
 * colour and words), its clock, and whether this desk is the trainer's (which runs it) or a trainee's.
 */
export const ExerciseStatus = z.object({
  desk: z.enum(['trainer', 'trainee']),
  /** The scenario's title on the trainer's desk; trainees' desks are not told it. */
  title: z.string().nullable(),
  clock: ExerciseClockState,
  /**
   * Whether the clock is the exercise's for certain: the trainer's always; a trainee's while its desk hears the
   * training server. Unconfirmed, it runs on as last heard, and the desk says its time may be wrong.
   */
  confirmed: z.boolean().default(true),
});
export type ExerciseStatus = z.infer<typeof ExerciseStatus>;

/** One inject on the trainer's timeline: when it is due, what it is, and when it happened (null: still to come). */
export const TimelineEntry = z.object({
  index: z.number().int().nonnegative(),
  at: Instant,
  kind: z.enum(['call', 'vehicle', 'system', 'note']),
  label: z.string(),
  done: Instant.nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** The trainer's view of the scenario: never sent to a trainee's desk. */
export const ExerciseTimeline = z.object({
  title: z.string(),
  summary: z.string(),
  notes: z.string(),
  startsAt: Instant,
  endsAt: Instant,
  entries: z.array(TimelineEntry),
  /**
   * When the scenario's starting state was put in place (as the trainer started the exercise), with what of it could
   * not be and is for the trainer to do by hand; null before the start.
   */
  started: z.object({ at: Instant, missing: z.array(z.string()) }).nullable().default(null),
  /**
   * Until when the exercise's whole system is down ("CAD down") for the trainees, as the training server has it; null
   * while it is up. The trainer's desk is never cut off, so only its banner can say so.
   */
  systemDownUntil: Instant.nullable().default(null),
});
export type ExerciseTimeline = z.infer<typeof ExerciseTimeline>;
