import { z } from 'zod';
import { Uuid } from './ids';

/** A unit's own availability, apart from any job: on duty, off duty, or unavailable (refs, vehicle fault). */
export const UnitDuty = z.enum(['on_duty', 'unavailable', 'off_duty']);
export type UnitDuty = z.infer<typeof UnitDuty>;

export const Unit = z.object({
  /** The call sign is the unit's identity within the force (e.g. "SO-11"). */
  id: z.string().min(1).max(16),
  callSign: z.string().min(1).max(16),
  type: z.string(),
  homeStation: z.string(),
  skills: z.array(z.string()).default([]),
  equipment: z.array(z.string()).default([]),
  shift: z.object({ starts: z.string(), ends: z.string() }).nullable().default(null),
  duty: UnitDuty,
  /**
   * The one job the unit is committed to, if any. Kept on the unit so the rule "never committed to two active
   * incidents" is a compare-and-set on a single record.
   */
  commitment: z.object({ assignmentId: Uuid, incidentId: Uuid }).nullable(),
  version: z.number().int().positive(),
});
export type Unit = z.infer<typeof Unit>;
