import type { ShareGrant, SharePolicy } from './partition';
import type { ForceCode } from './force';
import type { Transfer } from './transfer';

/**
 * What a standing arrangement or an offer of an incident lets the other force see and change, read from the records'
 * own documents (as loan-policy.ts does):
 * - an arrangement: its owner proposed it; the force it shares with sees it whole (its administrators approve or
 *   withdraw it) and may change it; which change each force may make is the command's rule
 *   (shared/commands/arrangement-commands.ts). It names a type and a reason, nothing of any incident.
 * - a transfer: the offering force owns it; the force offered sees it whole (the offer and the incident's summary
 *   written for it) and may change it (accept, decline).
 * Nothing else: the incident itself reaches the other force only through a share, or, once a transfer is
 * accepted, as its own.
 */
export const crossForcePolicy: SharePolicy = {
  grant(force, record): ShareGrant | null {
    switch (record.kind) {
      case 'arrangement':
        return record.doc.sharedWith === force ? { record, mayChange: true } : null;
      case 'transfer':
        return record.doc.to === force ? { record, mayChange: true } : null;
      default:
        return null;
    }
  },
};

/**
 * What an accepted transfer lets the new owner see of the incident's history: the log entries and deployments its
 * old owner wrote before the incident became the new owner's, whole (they stay the old owner's records, the history
 * of who did what, and nobody changes them). The incident itself is the new owner's own from then on. Built from the
 * transfers the server's book holds (server/shares/share-book.ts); only accepted ones count.
 */
export function transferredHistoryPolicy(transfers: Iterable<Pick<Transfer, 'incidentId' | 'to' | 'status'>>): SharePolicy {
  const newOwners = new Map<string, Set<ForceCode>>();
  for (const transfer of transfers) {
    if (transfer.status !== 'accepted') continue;
    const owners = newOwners.get(transfer.incidentId) ?? new Set<ForceCode>();
    owners.add(transfer.to);
    newOwners.set(transfer.incidentId, owners);
  }
  return {
    grant(force, record): ShareGrant | null {
      if (record.kind !== 'logEntry' && record.kind !== 'assignment') return null;
      return newOwners.get(record.doc.incidentId)?.has(force) ? { record, mayChange: false } : null;
    },
  };
}
