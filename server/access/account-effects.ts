import { SetActiveArgs } from '../../shared/commands/operator-accounts';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import { accessAuditDraft } from '../audit/access-audit';
import type { ServerStorage } from '../storage/storage';
import { deactivationReason } from './revocation-words';

/**
 * What an applied account command does beyond its record: deactivating an operator revokes every sign-in ticket
 * they hold, so whatever their open workstations send from then on is held there until they sign in again (which
 * they cannot while the account is inactive), and those workstations return to the sign-in screen as the record
 * reaches them. Done after the command's own transaction; if the server stopped in between, the inactive account
 * still refuses their commands (the role check) and their sign-ins.
 */
export async function afterAccountCommand(envelope: CommandEnvelope, storage: ServerStorage, now: number, force: string | null): Promise<void> {
  if (envelope.name !== 'operator.setActive') return;
  const args = SetActiveArgs.safeParse(envelope.args);
  if (!args.success || args.data.active) return;
  const revokedAt = new Date(now).toISOString();
  const reason = deactivationReason(envelope.operator);
  await storage.revoke({ kind: 'tickets', subject: args.data.name, revokedAt, reason }, [
    accessAuditDraft({
      kind: 'revocation',
      action: 'access.deactivate',
      by: envelope.operator,
      subject: { kind: 'operator', id: args.data.name },
      workstation: envelope.workstation,
      clientId: envelope.clientId,
      force,
      at: revokedAt,
      details: { revoked: 'tickets', reason },
    }),
  ]);
}
