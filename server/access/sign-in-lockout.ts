import { lockedWords as lockedSentence, lockoutState, type LockoutConfig, type LockoutState } from '../../shared/domain/sign-in-lockout';
import { accessAuditDraft } from '../audit/access-audit';
import type { EnrolledDevice, ServerStorage } from '../storage/storage';
import type { ForceConfig } from '../../shared/domain/force-config';

/** The force's rule and clock, as the server's sign-in needs them. */
export interface LockoutRules {
  rule: LockoutConfig;
  timeZone: string;
}

/** A force's lockout rule and time zone, from its configuration. */
export function lockoutRulesOf(config: Pick<ForceConfig, 'signInLockout' | 'force'>): LockoutRules {
  return { rule: config.signInLockout, timeZone: config.force.timeZone };
}

/** Where an operator's account stands now (shared/domain/sign-in-lockout.ts decides, from the stored failures). */
export async function accountLockout(storage: ServerStorage, operator: string, now: number, rules: LockoutRules): Promise<LockoutState> {
  return lockoutState(await storage.signInFailures(operator), now, rules.rule);
}

/** The refusal of a sign-in to a locked account, in words, with when it lifts on the force's clock. */
export function lockedWords(operator: string, until: number, now: number, rules: LockoutRules): string {
  return lockedSentence(operator, until, now, rules.rule, rules.timeZone);
}

/**
 * The key a name's failed sign-ins are counted under at a workstation of `force`: the account's own name when it is
 * an operator of that force (whose lockout an administrator sees and lifts), otherwise `FORCE:name`. Every name tried
 * is counted, so a lockout says nothing of whether the account exists (a made-up name locks as a real one does), and
 * the colon, which no operator's name may hold (shared/domain/ids.ts Name), keeps one force's guesses from locking
 * another force's operator of that name.
 */
export function failureKey(name: string, force: string, ownForce: boolean): string {
  return ownForce ? name : `${force}:${name}`;
}

/** A refused sign-in, as its audit entry says it: who tried, at which workstation, and why in words. */
export interface SignInRefusal {
  /** The name typed at the desk (an account's, or none this force holds). */
  operator: string;
  device: EnrolledDevice;
  /** Server time, ms since the epoch. */
  now: number;
  /** In words: "wrong password", "account deactivated", "locked out" (with `until` beside it), "no such account at this force". */
  reason: string;
}

function refusalAbout({ operator, device, now }: SignInRefusal) {
  return { action: 'access.signIn', by: operator, subject: { kind: 'operator' as const, id: operator }, workstation: device.workstation, clientId: device.clientId, force: device.force, at: new Date(now).toISOString() };
}

/**
 * Notes a failed sign-in that counts toward a lockout (a wrong password, or a name this force has no account of),
 * counted under `key` (failureKey), with its `sign-in-failure` audit entry and a `lockout` entry if this failure
 * locked the name (it was not locked before it: guesses at once, one of them the last, lock it once). Decided from
 * the failures stored as the storage writes this one: one that finds the name locked by another in flight beside it
 * is refused as locked out, and its entry says "locked out" and until when, the refusal the desk is given. Returns
 * the state after it.
 */
export async function noteFailure(storage: ServerStorage, key: string, refusal: SignInRefusal, rules: LockoutRules): Promise<LockoutState> {
  const about = refusalAbout(refusal);
  let after: LockoutState = { locked: false, recentFailures: 0 };
  await storage.noteSignInFailure(key, about.at, (before) => {
    after = lockoutState([...before, refusal.now], refusal.now, rules.rule);
    const already = lockoutState(before, refusal.now, rules.rule);
    // Locked meanwhile by a guess in flight beside this one: the desk is told the name is locked (the caller answers
    // from `after`), so the entry says so, as for one refused before its password was checked, not "wrong password".
    if (already.locked) return [accessAuditDraft({ ...about, kind: 'sign-in-failure', details: { reason: 'locked out', until: new Date(already.until).toISOString() } })];
    const drafts = [accessAuditDraft({ ...about, kind: 'sign-in-failure', details: { reason: refusal.reason } })];
    if (after.locked) {
      drafts.push(
        accessAuditDraft({ ...about, kind: 'lockout', details: { failures: rules.rule.failures, withinMinutes: rules.rule.withinMinutes, until: new Date(after.until).toISOString() } }),
      );
    }
    return drafts;
  });
  return after;
}

/**
 * Audits a refused sign-in that does not count toward a lockout (one refused while locked out, or with the right
 * password to an account that may not sign in here): a `sign-in-failure` entry with the reason in words.
 */
export async function noteRefusal(storage: ServerStorage, refusal: SignInRefusal, details: Record<string, string> = {}): Promise<void> {
  await storage.appendAuditEntries([accessAuditDraft({ ...refusalAbout(refusal), kind: 'sign-in-failure', details: { reason: refusal.reason, ...details } })]);
}
