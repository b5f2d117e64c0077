/**
 * Commands held at a workstation for their operator (refused for the operator's sign-in: shared/commands/types.ts
 * `unauthenticated`), as the status bar counts them: one entry an operator. `accountDeactivated`: the operator's
 * account is inactive (their record, as the workstation has it), so signing in again cannot send them. `reason`: the
 * server's refusal of the latest of them, in its words (who deactivated the account and when), or null.
 */
export interface HeldForOperator {
  operator: string;
  commands: number;
  accountDeactivated: boolean;
  reason: string | null;
}

/**
 * What the status bar says of an operator's held commands, to whoever is at the workstation (`me`: who is signed in,
 * or null at the sign-in screen). Held for a deactivated account, it says so and who may act, not "until they sign
 * in again", which they cannot; otherwise, that a sign-in will send them. Pure.
 */
export function heldWords(held: HeldForOperator, me: string | null): string {
  const count = `${held.commands} ${held.commands === 1 ? 'command' : 'commands'}`;
  if (held.accountDeactivated) {
    const them = held.commands === 1 ? 'it' : 'them';
    return `${count} of ${held.operator} held: account deactivated, so signing in again will not send ${them}; a supervisor may redo or dismiss ${them}`;
  }
  return `${count} held until ${held.operator === me ? 'you sign' : `${held.operator} signs`} in again`;
}

/**
 * What a list of refused commands (the operator's, Shift+F8; the room's, at the supervisor's desk) says of one held
 * for its operator's sign-in: that it waits for them to sign in again, with the server's reason; for a deactivated
 * account, the server's reason alone, which says a sign-in will not help and who may act. Pure.
 */
export function heldRefusalWords(operator: string | null, reason: string, accountDeactivated: boolean): string {
  return accountDeactivated ? reason : `held until ${operator ?? 'its operator'} signs in again (${reason})`;
}
