import type { CommandOutcome, PullResponse } from '../shared/sync/protocol';
import { changesFor, type Recipient } from './changes-for';
import type { Delivery } from './shares/share-delivery';

/**
 * An outcome as a workstation of the given schema version can read it. Before version 2 a command refused for its
 * sign-in ticket was `forbidden` (refused for good); the command log keeps the true code, `unauthenticated`.
 */
export function outcomeForClient(outcome: CommandOutcome, schemaVersion: number): CommandOutcome {
  if (schemaVersion >= 2 || outcome.status !== 'rejected' || outcome.code !== 'unauthenticated') return outcome;
  return { ...outcome, code: 'forbidden' };
}

/**
 * A pull page as a workstation of the given schema version can read it: its refusals in codes it knows, and the
 * changes it receives (changesFor). The cursor still moves past any left out.
 */
export function pageForClient(page: PullResponse, recipient: Recipient, delivery?: Delivery): PullResponse {
  return {
    ...page,
    changes: changesFor(recipient, page.changes, delivery),
    rejected: page.rejected.map((outcome) => outcomeForClient(outcome, recipient.schemaVersion)),
  };
}
