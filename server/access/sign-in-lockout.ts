import { lockoutState, type LockoutConfig, type LockoutState } from '../../shared/domain/sign-in-lockout';
import { wallClock } from '../../shared/domain/wall-clock';
import { accessAuditDraft } from '../audit/access-audit';
import type { EnrolledDevice, ServerStorage } from '../storage/storage';

/** The force's rule and clock, as the server's sign-in needs them. */
export interface LockoutRules {
  rule: LockoutConfig;
  timeZone: string;
}

/** Where an operator's account stands now (shared/domain/sign-in-lockout.ts decides, from the stored failures). */
export async function accountLockout(storage: ServerStorage, operator: string, now: number, rules: LockoutRules): Promise<LockoutState> {
  return lockoutState(await storage.signInFailures(operator), now, rules.rule);
}

/** The refusal of a sign-in to a locked account, in words, with when it lifts on the force's clock. */
export function lockedWords(operator: string, until: number, now: number, rules: LockoutRules): string {
  const when = wallClock(rules.timeZone).timeFromToday(until, now);
  return `${operator}'s account is locked after ${rules.rule.failures} failed sign-ins: try again after ${when}, or ask a force administrator to unlock it`;
}

/**
 * Notes a failed sign-in for a name the server knows, with its audit entry, and a lockout entry if this failure
 * locked the account. Returns the state after it. Unknown names are not counted (nothing to lock) but are audited
 * by the caller's log line only, so a flood of made-up names cannot fill the audit log.
 */
export async function noteFailure(storage: ServerStorage, operator: string, device: EnrolledDevice, now: number, rules: LockoutRules): Promise<LockoutState> {
  const at = new Date(now).toISOString();
  const after = lockoutState([...(await storage.signInFailures(operator)), now], now, rules.rule);
  const about = { action: 'access.signIn', by: operator, subject: { kind: 'operator' as const, id: operator }, workstation: device.workstation, clientId: device.clientId, force: device.force, at };
  const drafts = [accessAuditDraft({ ...about, kind: 'sign-in-failure', details: { reason: 'wrong password' } })];
  if (after.locked) {
    drafts.push(
      accessAuditDraft({ ...about, kind: 'lockout', details: { failures: rules.rule.failures, withinMinutes: rules.rule.withinMinutes, until: new Date(after.until).toISOString() } }),
    );
  }
  await storage.noteSignInFailure(operator, at, drafts);
  return after;
}
