import type { Revocation } from '../storage/storage';
import { wallClock } from '../../shared/domain/wall-clock';

/**
 * Why an operator's tickets were revoked, as the revocation record keeps it: deactivating an account revokes its
 * tickets with this reason (server/access/account-effects.ts), so a refusal can say the account was deactivated,
 * and by whom, rather than that "tickets were revoked", which the operator would read as "sign in again".
 */
export function deactivationReason(by: string): string {
  return `account deactivated by ${by}`;
}

/** Who deactivated the account, when `reason` is a deactivation's (see deactivationReason); null otherwise. */
export function deactivatedBy(reason: string): string | null {
  const match = /^account deactivated by (.+)$/.exec(reason);
  return match ? match[1]! : null;
}

/**
 * The refusal of a command (`what`: 'command', held at its workstation) or of a request to ask or act ('request',
 * refused there and then) whose ticket a revocation voided, in words for the operator and the supervisor or auditor
 * who see it: for a deactivated account, that it was deactivated, by whom and when (on the force's clock, its zone
 * marked), and that signing in will not help; for an administrator's revocation of the tickets alone, that they were
 * revoked and signing in again will. `timeZone`: the force's (IANA); absent, the time is given in UTC.
 * `account`: the operator's account as the server holds it now: inactive, it is said deactivated (by whom and when,
 * as the account records it) whatever revocation came last, since no sign-in can help it.
 */
export function revokedTicketWords(
  operator: string,
  revocation: Pick<Revocation, 'revokedAt' | 'reason'>,
  timeZone?: string,
  what: 'command' | 'request' = 'command',
  account?: { active?: boolean; deactivated?: { by: string; at: string } } | null,
): string {
  const inactive = account?.active === false;
  const by = deactivatedBy(revocation.reason) ?? (inactive ? (account?.deactivated?.by ?? 'a force administrator') : null);
  const at = Date.parse(deactivatedBy(revocation.reason) || !account?.deactivated ? revocation.revokedAt : account.deactivated.at);
  const when = Number.isNaN(at) ? '' : ` at ${whenWords(at, timeZone)}`;
  if (by) {
    return what === 'command'
      ? `${operator}'s account was deactivated by ${by}${when}: what ${operator} did here is held, not applied; signing in again will not help while the account is inactive (a force administrator can reactivate it, or a supervisor redo or dismiss it)`
      : `${operator}'s account was deactivated by ${by}${when}: the request is refused, and signing in again will not help while the account is inactive (a force administrator can reactivate it)`;
  }
  return `${operator}'s sign-in tickets were revoked by an administrator; sign in again`;
}

/**
 * What judging a ticket needs of the operator's latest revocation (server/access/tickets.ts judgeTicket): when it
 * voids tickets, the refusal's words (revokedTicketWords) and its cause for the auditor's entry. None: nothing.
 */
export function revocationForTicket(
  operator: string,
  revocation: Pick<Revocation, 'revokedAt' | 'reason'> | null,
  timeZone: string | undefined,
  what: 'command' | 'request',
  account?: { active?: boolean; deactivated?: { by: string; at: string } } | null,
): { revokedAt: number | null; revokedWords?: string; revokedCause?: 'account deactivated' | 'tickets revoked' } {
  if (!revocation) return { revokedAt: null };
  const deactivated = deactivatedBy(revocation.reason) !== null || account?.active === false;
  return {
    revokedAt: Date.parse(revocation.revokedAt),
    revokedWords: revokedTicketWords(operator, revocation, timeZone, what, account),
    revokedCause: deactivated ? 'account deactivated' : 'tickets revoked',
  };
}

/** "2026-12-01 09:20 GMT": the force's date and time with the zone's mark; in UTC where no zone is given. */
function whenWords(ms: number, timeZone: string | undefined): string {
  if (!timeZone) return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const wall = wallClock(timeZone);
  return `${wall.date(ms)} ${wall.time(ms)}${wall.repeats(ms) ? '' : ` ${wall.mark(ms)}`}`;
}
