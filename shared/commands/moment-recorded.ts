import { z } from 'zod';
import { IncidentLocation } from '../domain/location';
import { Uuid } from '../domain/ids';
import type { CommandDefinition } from './types';

/**
 * A moment on a desk that changes no record yet but says what an operator saw or chose, and when: the units proposed
 * to a dispatcher for an incident (call signs, best first), and where a call handler located a call and what grade
 * they chose while taking it (the form reaches the server only when the incident is saved).
 */
export const ProposedMoment = z
  .object({
    what: z.literal('proposed'),
    incidentId: Uuid,
    /** The call signs proposed, best first (empty: no suitable unit was available). */
    units: z.array(z.string().min(1).max(40)).max(50),
  })
  .strict();
/** A call located on the form: the place chosen (from the gazetteer, or the caller's handset position). */
export const LocatedMoment = z.object({ what: z.literal('located'), contactId: Uuid, location: IncidentLocation }).strict();
/** A grade chosen on the form (or the incident type's default, taken with the type). */
export const GradedMoment = z.object({ what: z.literal('graded'), contactId: Uuid, grade: z.string().min(1).max(16) }).strict();
export const MomentArgs = z.discriminatedUnion('what', [ProposedMoment, LocatedMoment, GradedMoment]);
export type MomentArgs = z.infer<typeof MomentArgs>;

/**
 * Records a desk moment in the server's audit log (entry kind `moment`, on the incident or the call), through the
 * outbox like a consultation, with the time it happened on the workstation's clock (in an exercise, the exercise
 * clock). It changes no record: the audit entry is its whole effect (server/audit/command-audit.ts); the
 * after-action review reads it (shared/training/exercise-review.ts).
 */
export const recordMoment: CommandDefinition<MomentArgs> = {
  name: 'moment.recorded',
  args: MomentArgs,
  reads: () => [],
  apply: () => ({ ok: true, changes: [] }),
};
