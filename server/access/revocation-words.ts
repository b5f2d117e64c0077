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
 * The refusal of a command whose ticket a revocation voided, in words for the operator and the supervisor who see
 * it: for a deactivated account, that it was deactivated, by whom and when (on the force's clock, its zone marked),
 * and that signing in will not help; for an administrator's revocation of the tickets alone, that they were revoked
 * and signing in again will. `timeZone`: the force's (IANA); absent, the time is given in UTC.
 */
export function revokedTicketWords(operator: string, revocation: Pick<Revocation, 'revokedAt' | 'reason'>, timeZone?: string): string {
  const by = deactivatedBy(revocation.reason);
  const at = Date.parse(revocation.revokedAt);
  const when = Number.isNaN(at) ? '' : ` at ${whenWords(at, timeZone)}`;
  if (by) return `${operator}'s account was deactivated by ${by}${when}: what ${operator} did here is held, not applied; signing in again will not help while the account is inactive (a force administrator can reactivate it, or a supervisor redo or dismiss it)`;
  return `${operator}'s sign-in tickets were revoked by an administrator; sign in again`;
}

/** "2026-12-01 09:20 GMT": the force's date and time with the zone's mark; in UTC where no zone is given. */
function whenWords(ms: number, timeZone: string | undefined): string {
  if (!timeZone) return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const wall = wallClock(timeZone);
  return `${wall.date(ms)} ${wall.time(ms)}${wall.repeats(ms) ? '' : ` ${wall.mark(ms)}`}`;
}
