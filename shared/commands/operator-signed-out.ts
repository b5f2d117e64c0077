import { z } from 'zod';
import type { CommandDefinition } from './types';

export const SignedOutArgs = z.object({}).strict();

/**
 * Says that the operator signed out at the workstation, through the outbox, with its time there (so a sign-out made
 * offline arrives with when it happened). It changes no record: its effect is the `sign-out` audit entry
 * (server/audit/command-audit.ts), as the README promises "a sign-in or sign-out" is logged. A training
 * workstation's also tells the trainer's desk that a trainee signed out (shared/training/exercise-room.ts).
 */
export const operatorSignedOut: CommandDefinition<z.infer<typeof SignedOutArgs>> = {
  name: 'operator.signedOut',
  args: SignedOutArgs,
  reads: () => [],
  apply: () => ({ ok: true, changes: [] }),
};
