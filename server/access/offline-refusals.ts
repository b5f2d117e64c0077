import { z } from 'zod';
import { CommandEnvelope } from '../../shared/sync/protocol';
import { describeIssues } from '../../shared/validation';
import { operatorSignInRefused, SignInRefusedArgs, countsTowardLockout } from '../../shared/commands/operator-sign-in-refused';
import { lockoutState } from '../../shared/domain/sign-in-lockout';
import { HttpError } from '../http/read-body';
import type { CommandPlan, EnrolledDevice } from '../storage/storage';
import { accessAuditDraft } from '../audit/access-audit';
import { failureKey, type LockoutRules } from './sign-in-lockout';

/** The longest lock any force's rule may set (shared/domain/sign-in-lockout.ts LockoutConfig): 7 days. */
const LONGEST_LOCK_MS = 7 * 24 * 60 * 60_000;

/** A command as sent that names the sign-in refused offline; built once (zod's building costs more than its check). */
const ClaimsOfflineRefusal = z.object({ name: z.literal(operatorSignInRefused.name) });

/** Whether a command as sent (unparsed) claims to be a sign-in refused offline. Asked of every command pushed. */
export function claimsOfflineRefusal(raw: unknown): boolean {
  return ClaimsOfflineRefusal.safeParse(raw).success;
}

/**
 * Checks a sign-in refused at a workstation while the server was out of reach (shared/commands/
 * operator-sign-in-refused.ts) before anything of its push is stored, and refuses the whole push (4xx, with the
 * reason, nothing stored) if it cannot be true. The device token (checked before the push is read; a revoked
 * workstation is refused there) says which enrolled workstation sent it and for which force; this checks the fact:
 * - it is this workstation's own (its client id), sent under its enrolment alone: no ticket, not relayed,
 *   not passed off as automatic, redoing nothing;
 * - its arguments are a refusal's (reason, lock) and its lock is one a rule could set: after the time it happened,
 *   within the longest lock, and only with the reasons that have one;
 * A fact dated after the server's time is taken (and counted at the server's time, countingOfflineRefusal): a
 * workstation's clock that has drifted ahead must not hold up its outbox, and every command queued behind the fact,
 * until someone notices; the entry keeps the workstation's time as it said, beside the server's.
 */
export function offlineRefusalProblem(raw: unknown, device: EnrolledDevice): HttpError | null {
  const envelope = CommandEnvelope.safeParse(raw);
  if (!envelope.success) return new HttpError(400, `a refused sign-in: ${describeIssues(envelope.error)}`);
  const fact = envelope.data;
  if (fact.clientId !== device.clientId) return new HttpError(403, 'a refused sign-in is recorded by the workstation it happened at, and this one is another’s');
  if (device.force === null) return new HttpError(403, 'this workstation belongs to no force, so nobody signs in at it');
  if (fact.ticket !== '' || fact.relay || fact.automatic || fact.redoOf) {
    return new HttpError(400, 'a refused sign-in is sent under the workstation’s enrolment alone: no ticket, relay, automatic mark or redo');
  }
  const args = SignInRefusedArgs.safeParse(fact.args);
  if (!args.success) return new HttpError(400, `a refused sign-in: ${describeIssues(args.error)}`);
  const at = Date.parse(fact.issuedAt);
  const { reason, lockedUntil } = args.data;
  const mayLock = reason === 'wrong password' || reason === 'locked out';
  if (lockedUntil === null && reason === 'locked out') return new HttpError(400, 'a sign-in refused as locked out names when the lock lifts');
  if (lockedUntil !== null) {
    const until = Date.parse(lockedUntil);
    if (!mayLock) return new HttpError(400, `a sign-in refused for "${reason}" sets no lock`);
    if (until <= at || until > at + LONGEST_LOCK_MS) return new HttpError(400, `a lock until ${lockedUntil} is not one a lockout rule sets at ${fact.issuedAt}`);
  }
  return null;
}

/**
 * Counts a wrong password refused offline (once the fact is applied) toward the server's own lock of the name,
 * as a wrong password typed at the workstation online would be: under the same key (failureKey: the account's name
 * for an operator of the workstation's force, otherwise `FORCE:name`), at the time it happened there (never later
 * than the server's now). A failure older than the rule's window counts toward no lock now. A lock is one `lockout`
 * entry, with when it lifts: the fact's own, on the fact (its command and workstation time), when the workstation
 * locked the name by it (with the server's end of the lock, and `untilAtWorkstation` where the workstation's differs,
 * if counting it locked the name at the server too); the server's, `access.signIn`, when only the count locked it.
 * The refusal's `sign-in-failure` entry is written with the fact (server/audit/command-audit.ts).
 *
 * Returns the fact's plan with the count in it (CommandPlan.signInFailure): the storage notes the failure and its
 * lockout entry in the push's own transaction, so a server stopped just after it never leaves the fact's entries
 * without the count, nor the count without them. The plan also reads the name's operator record, for its key. A fact
 * that counts toward no lock (another reason, or a workstation of no force) gets its plan back as it was.
 */
export function countingOfflineRefusal(plan: CommandPlan, fact: CommandEnvelope, device: EnrolledDevice, now: number, rules: LockoutRules): CommandPlan {
  const args = SignInRefusedArgs.safeParse(fact.args);
  const force = device.force;
  if (!args.success || !countsTowardLockout(args.data.reason) || force === null) return plan;
  const name = fact.operator;
  const at = Math.min(Date.parse(fact.issuedAt), now);
  return {
    ...plan,
    reads: plan.reads.some((key) => key.kind === 'operator' && key.id === name) ? plan.reads : [...plan.reads, { kind: 'operator', id: name }],
    signInFailure: {
      key: (state) => failureKey(name, force, state.get('operator', name)?.force === force),
      note(failures) {
        const before = lockoutState([...failures], now, rules.rule);
        const after = lockoutState([...failures, at], now, rules.rule);
        const serverLocked = after.locked && !before.locked ? after : null;
        // The workstation's own lock, set by this very refusal (its fact names it), and the server's, set by counting
        // it, are one lock of one name by one wrong password: one `lockout` entry, never two with two end times.
        const workstationUntil = args.data.lockedUntil;
        const rule = { failures: rules.rule.failures, withinMinutes: rules.rule.withinMinutes };
        const counted = 'with sign-ins refused at the workstation while the server was out of reach';
        // One lock, one lockout entry: the workstation's, when it locked (with the server's count beside it), else the
        // server's own, when its count alone locked the name.
        const lockout = (action: string, from: { workstation: string; clientId: string }, details: Record<string, string | number | boolean | null>) =>
          accessAuditDraft({ kind: 'lockout', action, by: name, subject: { kind: 'operator', id: name }, workstation: from.workstation, clientId: from.clientId, force, at: new Date(now).toISOString(), details });
        const audit =
          workstationUntil !== null
            ? [
                {
                  ...lockout(
                    fact.name,
                    fact,
                    serverLocked
                      ? { ...rule, until: new Date(serverLocked.until).toISOString(), where: 'at the workstation, the server out of reach', ...(Date.parse(workstationUntil) !== serverLocked.until ? { untilAtWorkstation: workstationUntil } : {}) }
                      : { until: workstationUntil, where: 'at the workstation, the server out of reach' },
                  ),
                  // The fact's entry: its command, and its time at the workstation beside the server's.
                  commandId: fact.commandId,
                  issuedAt: fact.issuedAt,
                },
              ]
            : serverLocked
              ? [lockout('access.signIn', device, { ...rule, until: new Date(serverLocked.until).toISOString(), counted })]
              : [];
        return { at: new Date(at).toISOString(), audit };
      },
    },
  };
}
