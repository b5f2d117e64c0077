import type { AccountView } from '../../../shared/contract/views';
import type { WallClock } from '../../../shared/domain/wall-clock';

/**
 * An account's state as the Administration window's list says it: active or deactivated, locked until when (on the
 * force's clock, with GMT or BST written: the administrator may be reading it on a machine set to another zone),
 * and whether the server has it yet. `clock`: null before the force configuration has loaded (the time is then
 * shown as the server gave it).
 */
export function stateWords(account: Pick<AccountView, 'active' | 'locked' | 'lockedUntil' | 'pending'>, clock: WallClock | null): string {
  const words = [account.active ? 'active' : 'deactivated'];
  if (account.locked && account.lockedUntil) words.push(`locked until ${clock ? clock.dateTimeZoned(account.lockedUntil) : account.lockedUntil}`);
  if (account.pending) words.push('not yet on the server');
  return words.join(', ');
}
