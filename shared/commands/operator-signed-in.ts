import { z } from 'zod';
import type { CommandDefinition } from './types';

export const SignedInArgs = z.object({
  /** online: the server checked the password; offline: the workstation checked it against what it cached. */
  mode: z.enum(['online', 'offline']),
});

/**
 * Records a sign-in in the server's audit log, through the outbox, so sign-ins made while the server was away
 * are recorded too (with their original time). It changes no record.
 */
export const operatorSignedIn: CommandDefinition<z.infer<typeof SignedInArgs>> = {
  name: 'operator.signedIn',
  args: SignedInArgs,
  reads: () => [],
  apply: () => ({ ok: true, changes: [] }),
};
