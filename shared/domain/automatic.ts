/**
 * Commands a workstation issues on its own, with no keystroke of the operator signed in there (DPA 2018 s.62: the
 * audit log must not credit a person with what the system did):
 * - a deadline's claim, made by the deadline watch when a time falls due (shared/dispatch/deadlines.ts): no desk
 *   issues these any other way, so they are automatic whatever the envelope says (an older workstation's included);
 * - a refusal marked sent again when the workstation re-sends a held command at sign-in (main/sync/held-commands.ts),
 *   which an operator also issues by hand (dismissing a refusal), so only the envelope's `automatic` says which.
 * The server takes `automatic` on these commands only: an operator's own act may not be passed off as the system's.
 */
export const DEADLINE_CLAIMS: readonly string[] = ['assignment.receiptOverdue', 'assignment.reservationDue', 'unit.shiftEnded', 'incident.handoffOverdue'];

/**
 * The author a log line names when the workstation wrote it on its own (shared/commands/system-log.ts), with who was
 * signed in beside it. No operator may hold the name (shared/domain/relay.ts isRelayAuthorName).
 */
export const SYSTEM_AUTHOR = 'system';

/**
 * Whether a command is a deadline's claim: a statement that a time has passed, which the rules check for themselves
 * against the record (a claim made early changes nothing). It is nobody's act, so it is never judged by the account
 * of whoever was signed in where it was made: a claim from a workstation whose operator was since deactivated, or
 * whose sign-in ran out, is applied, not held for them (the ticket still has to be this server's, for that operator at
 * that workstation). Holding it would hold an alarm because of who happened to be signed in.
 */
export function isDeadlineClaim(command: string): boolean {
  return DEADLINE_CLAIMS.includes(command);
}

/** Every command a workstation may send as made automatically (the envelope's `automatic`). */
export const AUTOMATIC_COMMANDS: readonly string[] = [...DEADLINE_CLAIMS, 'refusal.handle'];

/**
 * Whether a command was made automatically by the workstation: a deadline's claim always; another allowed one when
 * it says so. (The units a desk proposed, a `moment.recorded`, name the dispatcher they were proposed to, with
 * `what: 'proposed'` saying the desk proposed them: the exercise review counts them as shown to that dispatcher.)
 */
export function madeAutomatically(envelope: { name: string; args?: unknown; automatic?: boolean | undefined }): boolean {
  if (DEADLINE_CLAIMS.includes(envelope.name)) return true;
  return envelope.automatic === true && AUTOMATIC_COMMANDS.includes(envelope.name);
}

/** Why a command may not say it was made automatically, or null: one not on the allowlist. */
export function automaticProblem(envelope: { name: string; automatic?: boolean | undefined }): string | null {
  if (envelope.automatic !== true || AUTOMATIC_COMMANDS.includes(envelope.name)) return null;
  return `${envelope.name} is an operator's act, never made automatically: a workstation may not send it as the system's`;
}

/**
 * Who the audit log names for what a workstation did on its own: the system, in words, with who was signed in there
 * (the workstation is in its own column). Never the operator's bare name, which would read as their act.
 */
export function automaticAuthor(signedIn: string): string {
  return `system (automatically, while ${signedIn} was signed in)`;
}

/**
 * Who the audit log names for records the server made on its own while applying an operator's command (an incident
 * shared automatically or by a standing arrangement, and its log line): the system, saying whose command it followed.
 */
export function serverAuthor(operator: string, command: string): string {
  return `system (automatically by the server, after ${operator}'s ${command})`;
}

/**
 * Whether an author the log names is the system rather than a person: `system` itself (the server's own commands, a
 * log line the workstation wrote) or one of the names automaticAuthor and serverAuthor give. What a person did is
 * never named so (no operator may be called `system`, and these names hold spaces no operator's may).
 */
export function isAutomaticAuthor(name: string): boolean {
  return name === SYSTEM_AUTHOR || name.startsWith(`${SYSTEM_AUTHOR} (`);
}
