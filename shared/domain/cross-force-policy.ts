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
 * The owner of each transferred incident now: the force its latest accepted transfer (by the sequence that accepted
 * it, an accepted transfer's last change) gave it to. Incidents never transferred are not in it.
 */
export function ownersAfterTransfers(transfers: Iterable<{ seq: number; transfer: Pick<Transfer, 'incidentId' | 'to' | 'status'> }>): Map<string, ForceCode> {
  const latest = new Map<string, { seq: number; to: ForceCode }>();
  for (const { seq, transfer } of transfers) {
    if (transfer.status !== 'accepted') continue;
    const held = latest.get(transfer.incidentId);
    if (!held || held.seq < seq) latest.set(transfer.incidentId, { seq, to: transfer.to });
  }
  return new Map([...latest].map(([incidentId, { to }]) => [incidentId, to]));
}

/**
 * What a transfer lets the incident's owner now see of its history: the log entries and deployments earlier owners
 * wrote before the incident became this force's, whole (they stay their writers' records, the history of who did
 * what, and nobody changes them). Only the current owner (ownersAfterTransfers): a force that has given an incident
 * away sees no more of it than a share gives it.
 */
export function transferredHistoryPolicy(owners: ReadonlyMap<string, ForceCode>): SharePolicy {
  return {
    grant(force, record): ShareGrant | null {
      if (record.kind !== 'logEntry' && record.kind !== 'assignment') return null;
      return owners.get(record.doc.incidentId) === force ? { record, mayChange: false } : null;
    },
  };
}
