import { z } from 'zod';
import { Name } from '../domain/ids';
import type { CommandDefinition } from './types';

/**
 * Why a workstation ended a session itself, rather than the operator signing out:
 * - `account deactivated`: by a force administrator (`by`, as the account's record names them; null when it does not);
 * - `another sign-in`: another operator (`by`) signed in at the workstation over the session;
 * - `console closed`: the console was stopped with the operator still signed in (`by` null).
 */
export const SignOutCause = z.enum(['account deactivated', 'another sign-in', 'console closed']);
export const ForcedSignOut = z.object({ cause: SignOutCause, by: Name.nullable() }).strict();
export type ForcedSignOut = z.infer<typeof ForcedSignOut>;

export const SignedOutArgs = z
  .object({
    /** Set when the workstation signed the operator out (ForcedSignOut); absent when they signed out themselves. */
    forced: ForcedSignOut.optional(),
  })
  .strict();
export type SignedOutArgs = z.infer<typeof SignedOutArgs>;

/**
 * Says that the operator signed out at the workstation, through the outbox, with its time there (so a sign-out made
 * offline arrives with when it happened), or that the workstation signed them out, and why (`forced`). It changes no
 * record: its effect is the `sign-out` audit entry (server/audit/command-audit.ts), as the README promises "a
 * sign-in or sign-out" is logged. A training workstation's also tells the trainer's desk that a trainee signed out
 * (shared/training/exercise-room.ts).
 */
export const operatorSignedOut: CommandDefinition<SignedOutArgs> = {
  name: 'operator.signedOut',
  args: SignedOutArgs,
  reads: () => [],
  apply: () => ({ ok: true, changes: [] }),
};

/**
 * A sign-out's entry in words: "signed out at the workstation", or "signed out by the workstation: account deactivated
 * by admin" (another sign-in: "alice signed in there"; the console closed: "the console was closed"). Takes what an
 * entry carries, so a cause it does not know is said as it is.
 */
export function signOutWords(forced: { cause: string; by: string | null } | null | undefined): string {
  if (!forced) return 'signed out at the workstation';
  const why =
    forced.cause === 'account deactivated'
      ? `account deactivated by ${forced.by ?? 'a force administrator'}`
      : forced.cause === 'another sign-in'
        ? `${forced.by ?? 'another operator'} signed in there`
        : forced.cause === 'console closed'
          ? 'the console was closed'
          : forced.cause;
  return `signed out by the workstation: ${why}`;
}
