import { z } from 'zod';
import { wallClock } from './wall-clock';

/**
 * Lockout after repeated failed sign-ins, in the force's configuration: `failures` wrong passwords within
 * `withinMinutes` lock the account for `lockedMinutes` (or until an administrator unlocks it). Defaults: 5 within
 * 15 minutes, locked for 15.
 */
export const LockoutConfig = z.object({
  failures: z.number().int().min(3).max(100),
  withinMinutes: z.number().int().min(1).max(24 * 60),
  lockedMinutes: z.number().int().min(1).max(7 * 24 * 60),
});
export type LockoutConfig = z.infer<typeof LockoutConfig>;

export const DEFAULT_LOCKOUT: LockoutConfig = { failures: 5, withinMinutes: 15, lockedMinutes: 15 };

export type LockoutState =
  | { locked: false; /** Failures counted towards the next lock. */ recentFailures: number }
  | { locked: true; /** Epoch ms of the failure that locked the account, and of when the lock lifts. */ since: number; until: number };

/**
 * Whether an account is locked at `now`, from its failed sign-ins (epoch ms) since the last that reset the count
 * (a successful sign-in or an administrator's unlock). Failures made while locked do not count: attempts then are
 * refused before any password is checked. A lock that has lifted starts the count again.
 */
export function lockoutState(failures: readonly number[], now: number, rule: LockoutConfig): LockoutState {
  const windowMs = rule.withinMinutes * 60_000;
  const lockedMs = rule.lockedMinutes * 60_000;
  let recent: number[] = [];
  let lock: { since: number; until: number } | null = null;
  for (const at of [...failures].sort((a, b) => a - b)) {
    if (at > now) break;
    if (lock && at < lock.until) continue;
    if (lock) {
      lock = null;
      recent = [];
    }
    recent = recent.filter((earlier) => at - earlier < windowMs);
    recent.push(at);
    if (recent.length >= rule.failures) lock = { since: at, until: at + lockedMs };
  }
  if (lock && now < lock.until) return { locked: true, ...lock };
  if (lock) return { locked: false, recentFailures: 0 };
  return { locked: false, recentFailures: recent.filter((at) => now - at < windowMs).length };
}

/**
 * The refusal of a sign-in to a locked name, in words, with when the lock lifts on the force's clock (`timeZone`):
 * the server's words, and a workstation's own when it checks offline (main/core/operator-session.ts), so an operator
 * reads the same sentence wherever the lock was decided. `until` and `now` are epoch ms. No full stop: the server's
 * answer carries it bare and the workstation makes it a sentence.
 */
export function lockedWords(operator: string, until: number, now: number, rule: LockoutConfig, timeZone: string): string {
  const when = wallClock(timeZone).timeFromToday(until, now);
  return `${operator}'s account is locked after ${rule.failures} failed sign-ins: try again after ${when}, or ask a force administrator to unlock it`;
}
