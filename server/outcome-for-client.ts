import type { CommandOutcome } from '../shared/sync/protocol';

/**
 * An outcome as a workstation of the given schema version can read it. Before version 2 a command refused for its
 * sign-in ticket was `forbidden` (refused for good); the command log keeps the true code, `unauthenticated`.
 */
export function outcomeForClient(outcome: CommandOutcome, schemaVersion: number): CommandOutcome {
  if (schemaVersion >= 2 || outcome.status !== 'rejected' || outcome.code !== 'unauthenticated') return outcome;
  return { ...outcome, code: 'forbidden' };
}
