import { madeAutomatically } from '../../shared/domain/automatic';
import type { ApplyContext } from '../../shared/commands/types';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { CommandEnvelope } from '../../shared/sync/protocol';

/** The context a command is applied in, taken from its envelope so that replay computes what the first run did. */
export function contextOf(envelope: CommandEnvelope, config: ForceConfig): ApplyContext {
  return {
    issuedAt: envelope.issuedAt,
    actor: { operator: envelope.operator, workstation: envelope.workstation, clientId: envelope.clientId },
    config,
    commandId: envelope.commandId,
    ...(envelope.redoOf ? { redoOf: envelope.redoOf } : {}),
    ...(envelope.relay ? { relay: envelope.relay } : {}),
    ...(madeAutomatically(envelope) ? { automatic: true as const } : {}),
  };
}
