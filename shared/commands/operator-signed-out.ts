import { z } from 'zod';
import type { CommandDefinition } from './types';

export const SignedOutArgs = z.object({}).strict();

/**
 * Says that the operator signed out at the workstation, through the outbox, with its time. It changes no record and
 * writes no audit entry. A training workstation sends it so that the trainer's desk can say a trainee signed out
 * (shared/training/exercise-room.ts); a live one does not, so that a live server of an earlier build never sees a
 * command it does not know.
 */
export const operatorSignedOut: CommandDefinition<z.infer<typeof SignedOutArgs>> = {
  name: 'operator.signedOut',
  args: SignedOutArgs,
  reads: () => [],
  apply: () => ({ ok: true, changes: [] }),
};
