import { SetActiveArgs } from '../../shared/commands/operator-accounts';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import { accessAuditDraft } from '../audit/access-audit';
import type { CommandPlan } from '../storage/storage';
import { deactivationReason } from './revocation-words';

/**
 * What an account command does beyond its record, once applied: deactivating an operator revokes every sign-in
 * ticket they hold, so whatever their open workstations send from then on is held there until they sign in again
 * (which they cannot while the account is inactive), and those workstations return to the sign-in screen as the
 * record reaches them. Returns the plan with the revocation and its audit entry in it (CommandPlan.revokes): the
 * storage writes them in the command's own transaction, only if the command is applied, so the deactivation, the
 * revocation and the entry stand or fall together. Any other command's plan is returned as it is.
 *
 * `now`: the server's clock (epoch ms), read for a deactivation only (the revocation's time); `force`: the
 * workstation's, the entry's.
 */
export function withAccountEffects(plan: CommandPlan, envelope: CommandEnvelope, now: () => number, force: string | null): CommandPlan {
  if (envelope.name !== 'operator.setActive') return plan;
  const args = SetActiveArgs.safeParse(envelope.args);
  if (!args.success || args.data.active) return plan;
  const revokedAt = new Date(now()).toISOString();
  const reason = deactivationReason(envelope.operator);
  const audit = accessAuditDraft({
    kind: 'revocation',
    action: 'access.deactivate',
    by: envelope.operator,
    subject: { kind: 'operator', id: args.data.name },
    workstation: envelope.workstation,
    clientId: envelope.clientId,
    force,
    at: revokedAt,
    details: { revoked: 'tickets', reason },
  });
  return { ...plan, revokes: { revocation: { kind: 'tickets', subject: args.data.name, revokedAt, reason }, audit: [audit] } };
}
