import { z } from 'zod';
import { Instant } from '../domain/time';
import type { CommandDefinition } from './types';

/**
 * Why a workstation that could not reach its server refused a sign-in against its own cache
 * (main/core/operator-session.ts), in the words the audit log gives:
 * - `wrong password`: the operator signed in here before and the password is not the one they used; the one reason
 *   that counts toward a lockout (a guess), here and at the server;
 * - `locked out`: refused before any password was checked, the name being locked at this workstation;
 * - `account deactivated`, `sign-in expired`: the right password, but the account is deactivated, or the ticket
 *   kept from the last sign-in here has run out (no guess: not counted, as at the server);
 * - `not signed in here before`: no password kept for the name here, so none could be checked (not counted: nothing
 *   was guessed, and the name is not known to exist).
 */
export const OfflineRefusalReason = z.enum(['wrong password', 'locked out', 'account deactivated', 'sign-in expired', 'not signed in here before']);
export type OfflineRefusalReason = z.infer<typeof OfflineRefusalReason>;

export const SignInRefusedArgs = z
  .object({
    reason: OfflineRefusalReason,
    /**
     * The workstation's lock on the name, until when (ISO-8601): for `wrong password`, the lock this failure set (it
     * was the last the force's rule allows); for `locked out`, the lock the attempt was refused under; otherwise null.
     */
    lockedUntil: Instant.nullable(),
  })
  .strict();
export type SignInRefusedArgs = z.infer<typeof SignInRefusedArgs>;

/** Whether a refusal counts toward a lockout: a wrong password only, as at the server (server/access/access-routes.ts). */
export function countsTowardLockout(reason: OfflineRefusalReason): boolean {
  return reason === 'wrong password';
}

/**
 * A sign-in refused at a workstation that could not reach its server, sent through the outbox when the link returns,
 * so the server's audit log has it as it has a refusal made at the server (DPA 2018 s.62), with the time it happened
 * at the workstation (the envelope's `issuedAt`). Its `operator` is the name typed; it carries no ticket (nobody is
 * signed in): the workstation's enrolment vouches for it (server/access/offline-refusals.ts checks it), and the name
 * gains no right by it. It changes no record: the audit entries are its effect (server/audit/command-audit.ts), and
 * a wrong password counts toward the server's lockout of the name.
 */
export const operatorSignInRefused: CommandDefinition<SignInRefusedArgs> = {
  name: 'operator.signInRefused',
  args: SignInRefusedArgs,
  reads: () => [],
  apply: () => ({ ok: true, changes: [] }),
};
