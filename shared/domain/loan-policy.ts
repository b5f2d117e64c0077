import type { AnyRecord } from './records';
import type { ShareGrant, SharePolicy } from './partition';

/**
 * What a unit loan (shared/domain/loan.ts) lets a force see and change of records another force owns. Read from the
 * records' own documents, so the server's filter needs no other lookup and a change of the record is what starts or
 * ends what a force sees:
 * - the loan: the borrower owns it; the lender sees it whole (it is the request and its answer, with the incident's
 *   summary written for the lender) and may change it (accept, decline, take its unit back);
 * - the lent unit, while lent: the borrower sees it whole (its duty, its commitment: what a dispatcher deploying it
 *   needs) and may change it (deploying it on the incident commits it; the rules hold it to that incident);
 * - the lent unit, at the version that ended its loan: sent to the borrower as a withdrawal (withdrawalOf), so its
 *   workstations delete it; no later version reaches them;
 * - a deployment of a lent unit: its unit's force sees it (status, receipts, times) but changes it only through the
 *   borrower, whose incident it is.
 * Anything else: not this policy's to grant (another reason, an incident's share, may).
 */
export const loanPolicy: SharePolicy = {
  grant(force, record): ShareGrant | null {
    switch (record.kind) {
      case 'loan':
        return record.doc.lender === force ? { record, mayChange: true } : null;
      case 'unit': {
        const unit = record.doc;
        if (unit.loan?.to === force) return { record, mayChange: true };
        const ended = unit.loanEnded;
        if (!unit.loan && ended?.to === force && ended.atVersion === unit.version) return { record: withdrawalOf(record), mayChange: false };
        return null;
      }
      case 'assignment':
        return record.doc.unitForce === force ? { record, mayChange: false } : null;
      default:
        return null;
    }
  },
};

/**
 * A record as a force that may no longer hold it receives it: its kind and id with no document, which a workstation
 * of schema 7 or later deletes (server/changes-for.ts sends none to an older one).
 */
export function withdrawalOf(record: AnyRecord): AnyRecord {
  // A withdrawal has no document, which no record kind's type allows; it only ever travels to a workstation.
  return { kind: record.kind, id: record.id, doc: null } as unknown as AnyRecord;
}
