import { ForceCode } from './force';
import { z } from 'zod';
import { Name, Uuid } from './ids';
import { Raised } from './raised';
import { Instant } from './time';
import { PastLoan, UnitLoan, UnitLoanEnded } from './loan';
import { UnitJob } from './unit-jobs';

/** A unit's own availability, apart from any job: on duty, off duty, or unavailable (refs, vehicle fault). */
export const UnitDuty = z.enum(['on_duty', 'unavailable', 'off_duty']);
export type UnitDuty = z.infer<typeof UnitDuty>;

/**
 * A unit's tour of duty: from booking on (by a dispatcher, or its crew through the terminal) to booking off. Its end
 * is worked out when the unit books on, from its shift in the force's time (or the time given, for a unit working
 * outside its shift), so a night shift that crosses midnight or a change of the clocks ends when the rota says.
 */
export const Tour = z.object({
  bookedOnAt: Instant,
  bookedOnBy: Name,
  via: z.enum(['dispatcher', 'terminal']),
  /** When the unit goes off duty; null for a unit with no shift and no end given (on until booked off). */
  endsAt: Instant.nullable(),
  /**
   * The shift ended while the unit was committed to a job: the dispatcher is asked, once, to relieve it (it goes off
   * duty when it clears) or to extend its shift. `relieved` once the dispatcher has answered "relieve".
   */
  overrun: z.object({ raised: Raised, relieved: z.object({ at: Instant, by: Name }).nullable() }).nullable().default(null),
});
export type Tour = z.infer<typeof Tour>;

export const Unit = z.object({
  /** The call sign is the unit's identity within the force (e.g. "SO-11"). */
  id: z.string().min(1).max(16),
  /** The force that owns it (see shared/domain/partition.ts): who may see and change it. */
  force: ForceCode,
  callSign: z.string().min(1).max(16),
  type: z.string(),
  homeStation: z.string(),
  skills: z.array(z.string()).default([]),
  equipment: z.array(z.string()).default([]),
  shift: z.object({ starts: z.string(), ends: z.string() }).nullable().default(null),
  duty: UnitDuty,
  /** The tour of duty it is booked on for; null while off duty. A unit comes on duty only by booking on. */
  tour: Tour.nullable().default(null),
  /**
   * The one job the unit is committed to, if any. Kept on the unit so the rule "never committed to two active
   * incidents" is a compare-and-set on a single record.
   */
  commitment: z.object({ assignmentId: Uuid, incidentId: Uuid }).nullable(),
  /**
   * Lent to another force for one of its incidents (shared/domain/loan.ts): that force may see the unit and deploy it
   * on that incident, and its own force may not deploy it elsewhere meanwhile. Absent or null: not lent.
   */
  loan: UnitLoan.nullable().optional(),
  /** The last loan that ended, and the version that ended it (the borrower's workstations delete the unit then). */
  loanEnded: UnitLoanEnded.nullable().optional(),
  /**
   * Its loans that have ended, oldest first (at most MAX_PAST_LOANS): when the unit was another force's to run, so
   * that no paper record puts it on two forces' incidents at once. Absent: none ended since it was kept.
   */
  pastLoans: z.array(PastLoan).optional(),
  /**
   * When the unit was last committed to a job, freed from one or given back from a loan (ISO UTC): a deployment of it
   * is not dated before (shared/domain/loan.ts deployableSince), so a desk clock running slow, or a command queued
   * while the unit moved on, cannot put it on two incidents at once in the record. Absent: not moved since it was kept.
   */
  movedAt: Instant.optional(),
  /**
   * Its recent jobs, oldest first (at most MAX_UNIT_JOBS), live and back-entered from paper alike: no deployment of it,
   * at the desk or on paper, is put over a time it was already on one (shared/domain/unit-jobs.ts). Absent: none since
   * it was kept.
   */
  jobs: z.array(UnitJob).optional(),
  /**
   * From when the unit's jobs and past loans are all kept (ISO UTC): the oldest were dropped (past MAX_UNIT_JOBS,
   * MAX_PAST_LOANS) up to here, so a paper record of the unit before it cannot be checked against them, and is
   * refused rather than let stand unchecked. Absent: none dropped.
   */
  keptSince: Instant.optional(),
  version: z.number().int().positive(),
});
export type Unit = z.infer<typeof Unit>;
