import type { ForceCode } from '../../shared/domain/force';
import { NO_SHARES, conflictCopyNow, type SharePolicy } from '../../shared/domain/partition';
import { isRecordKind, type AnyRecord } from '../../shared/domain/records';
import { Share, isActive, mayHoldLogThrough } from '../../shared/domain/share';
import { Loan } from '../../shared/domain/loan';
import { Transfer } from '../../shared/domain/transfer';
import { Unit } from '../../shared/domain/unit';
import type { RecordChange } from '../../shared/sync/protocol';
import type { ServerStorage } from '../storage/storage';
import { visibleChange } from '../partition-filter';
import { serverSharePolicy } from '../share-policy';

/**
 * What a page of changes (a pull page, a live batch) carries to workstations beyond its own records, because of the
 * shares in it. Built once per page, for every force alike, and applied per workstation by changesFor.
 */
export interface Delivery {
  /** The policy the page is cut by: the shares as they stand now, at least as new as the page. */
  shares: SharePolicy;
  /**
   * For a share change of the page (by its sequence) and the force it was made with: what goes right after it, at
   * the share's sequence. A share made: the incident and its deployments (and log, at assist) as that force may see
   * them now, those whose last change the workstation's cursor has passed (the others come in this page or a later
   * one, each at its own place, so nothing is sent twice or skipped). A share revoked: a withdrawal (a null
   * document) of every one of them the force may no longer see, so its workstations delete them, at their next pull
   * or live batch, however long they were away, and every one it still sees through another share, sent again as it
   * now sees it. A loan returned (by its sequence, for the borrower): a withdrawal of the unit it lent.
   */
  after(seq: number, force: ForceCode): readonly RecordChange[];
  /**
   * A change of the page as it goes to any force before the partition cuts it: a conflict whose copy of the record it
   * lost on (`theirs`) the record as it stands now says its force may no longer hold, or only cut (a unit lent and
   * returned, an incident transferred away: shared/domain/partition.ts conflictCopyNow); any other change as it is.
   * Absent: every change as it is.
   */
  now?(change: RecordChange): RecordChange;
}

/** A delivery with no shares: a workstation's own force's records only (tests, and workstations before schema 7). */
export const OWN_RECORDS_ONLY: Delivery = { shares: NO_SHARES, after: () => [] };

/** A delivery with no share book (tests, the fault simulation): the partition's other reasons (a unit lent) only. */
export const WITHOUT_SHARE_BOOK: Delivery = { shares: serverSharePolicy(), after: () => [] };

/**
 * The delivery of one page. `page.since` is the point up to which a share in the page hands over the records it
 * lets the force see: those last changed at or before it were passed, in earlier pages, when the share did not yet
 * let the force see them. For a pull it is the page's start (the workstation's cursor); for a live batch, its end,
 * since the workstations it goes to may stand anywhere in its range (room-delivery.ts forBatch). Reads the storage once per share change in
 * the page (an incident and its few dependants).
 */
export async function deliveryOf(
  page: { since: number; changes: readonly RecordChange[] },
  shares: SharePolicy,
  storage: Pick<ServerStorage, 'recordsOfIncident' | 'record' | 'conflictsAbout'>,
): Promise<Delivery> {
  const extra = new Map<string, RecordChange[]>();
  const add = (seq: number, force: ForceCode, changes: readonly RecordChange[]) => extra.set(`${seq}:${force}`, [...(extra.get(`${seq}:${force}`) ?? []), ...changes]);
  // The page's own conflicts, judged against the record each lost on as it stands now (conflictCopyNow).
  const conflictsNow = new Map<string, RecordChange>();
  for (const change of page.changes) {
    if (change.kind === 'conflict') {
      const now = await conflictNow(change, shares, storage);
      if (now !== change) conflictsNow.set(`${change.seq}:${change.id}`, now);
      continue;
    }
    if (change.kind === 'loan') {
      const returned = await returnedUnit(change, storage);
      if (returned) {
        add(change.seq, returned.force, [returned.withdrawal]);
        // The borrower's conflicts about the unit, their copies of it cleared (it is no longer lent to it).
        add(change.seq, returned.force, await conflictsAgain([returned.withdrawal.id], returned.force, change.seq, page.since, shares, storage));
      }
      continue;
    }
    if (change.kind === 'transfer') {
      const handed = await transferredHistory(change, page.since, shares, storage);
      if (handed) {
        add(change.seq, handed.force, handed.records);
        // The old owner's conflicts about the incident: their whole copies of it, cut to the view it keeps.
        add(change.seq, handed.from, await conflictsAgain(handed.ids, handed.from, change.seq, page.since, shares, storage));
        // And what it held whole as the owner and may see no more (the other force's log lines, on a transfer back).
        add(change.seq, handed.from, handed.gone);
      }
      continue;
    }
    if (change.kind !== 'share') continue;
    const share = Share.safeParse(change.doc);
    if (!share.success) continue;
    const { incidentId, sharedWith } = share.data;
    const records = await storage.recordsOfIncident(incidentId);
    const out: RecordChange[] = [];
    // A share cut from assist to view (at view now, at assist once: mayHoldLogThrough) takes back the log the holder had.
    const downgraded = share.data.tier === 'view' && mayHoldLogThrough(share.data);
    for (const record of records) {
      const seen = visibleChange(sharedWith, { ...record, seq: change.seq }, shares);
      // Seen now, through this share or another that stands (the view a transfer keeps, an automatic share): handed
      // over, or sent again cut as it is now seen, when the cursor has passed it. A share revoked while another still
      // shows the record must send it too: its holder keeps the wider cut the revoked share gave it otherwise (found
      // by the fault simulation).
      if (seen) {
        if (record.seq <= page.since) out.push(seen);
        continue;
      }
      // Not seen now: taken back, where this share could have handed it over. An active share only ever takes back
      // the log, when cut to view; a revoked one, everything, but the log only if it may have been at assist (a holder
      // only ever at the view tier is never told a log entry's id; one cut to view and then revoked has its log taken
      // back too: mayHoldLogThrough).
      const takenBack = isActive(share.data) ? downgraded && record.kind === 'logEntry' : record.kind !== 'logEntry' || mayHoldLogThrough(share.data);
      if (takenBack) out.push({ seq: change.seq, kind: record.kind, id: record.id, doc: null });
    }
    // The force's conflicts about the incident or its records hold a copy of one as it was shown (their `theirs`).
    // A share revoked, or cut to view, sends them again cut to the share as it now stands (partition.ts
    // conflictAsHeld), so the holder's workstations keep no copy of what they may no longer see; those whose last
    // change the cursor has not passed come at their own place, cut the same way.
    if (!isActive(share.data) || downgraded) out.push(...(await conflictsAgain([incidentId, ...records.map((record) => record.id)], sharedWith, change.seq, page.since, shares, storage)));
    add(change.seq, sharedWith, out);
  }
  return { shares, after: (seq, force) => extra.get(`${seq}:${force}`) ?? [], now: (change) => conflictsNow.get(`${change.seq}:${change.id}`) ?? change };
}

/** A conflict change as its force may receive it now: its copy judged against its target as it stands (conflictCopyNow). */
async function conflictNow(change: RecordChange, shares: SharePolicy, storage: Pick<ServerStorage, 'record'>): Promise<RecordChange> {
  const conflict = change.doc as { target?: { kind?: unknown; id?: unknown }; theirs?: unknown } | null;
  const target = conflict?.target;
  if (!conflict || conflict.theirs === null || conflict.theirs === undefined || !target || typeof target.kind !== 'string' || typeof target.id !== 'string' || !isRecordKind(target.kind)) return change;
  const current = (await storage.record({ kind: target.kind, id: target.id })) ?? null;
  const now = conflictCopyNow({ kind: 'conflict', id: change.id, doc: change.doc } as AnyRecord, { kind: target.kind, id: target.id, doc: current } as AnyRecord, shares);
  return now.doc === change.doc ? change : { ...change, doc: now.doc };
}

/**
 * `force`'s conflicts about the records named, sent again at `seq` as that force may receive them now (conflictNow,
 * then the partition: conflictAsHeld), so its workstations replace the copies they hold; those whose last change the
 * cursor (`since`) has not passed come at their own place, judged the same way.
 */
async function conflictsAgain(
  ids: readonly string[],
  force: ForceCode,
  seq: number,
  since: number,
  shares: SharePolicy,
  storage: Pick<ServerStorage, 'record' | 'conflictsAbout'>,
): Promise<RecordChange[]> {
  const out: RecordChange[] = [];
  for (const conflict of await storage.conflictsAbout(ids)) {
    if (conflict.seq > since || (conflict.doc as { force?: unknown } | null)?.force !== force) continue;
    const seen = visibleChange(force, await conflictNow({ ...conflict, seq }, shares, storage), shares);
    if (seen) out.push(seen);
  }
  return out;
}

/**
 * A loan returned: a withdrawal of its unit for the borrower's workstations, at the loan's sequence, unless the unit
 * is lent to the borrower again by now. The unit's own change at its return withdraws it too (loan-policy.ts), but
 * that change is the unit's only until its next status: a borrower's workstation away meanwhile would never see it,
 * and would keep the other force's unit on its board. The loan's last change (returned is final) is what it is sure
 * to be sent, as a revoked share is. A withdrawal of a record it no longer holds deletes nothing.
 */
async function returnedUnit(change: RecordChange, storage: Pick<ServerStorage, 'record'>): Promise<{ force: ForceCode; withdrawal: RecordChange } | null> {
  const loan = Loan.safeParse(change.doc);
  if (!loan.success || loan.data.status !== 'returned' || !loan.data.unitId) return null;
  const unit = Unit.safeParse(await storage.record({ kind: 'unit', id: loan.data.unitId }));
  if (unit.success && unit.data.loan?.to === loan.data.force) return null;
  return { force: loan.data.force, withdrawal: { seq: change.seq, kind: 'unit', id: loan.data.unitId, doc: null } };
}

/**
 * An offer accepted: the incident's history (its log and deployments, its old owner's records) for the new owner's
 * workstations, at the transfer's sequence, those whose cursor had passed them; the incident itself, changed by the
 * same command, comes in its own place. Null for any other change of an offer.
 */
async function transferredHistory(
  change: RecordChange,
  since: number,
  shares: SharePolicy,
  storage: Pick<ServerStorage, 'recordsOfIncident'>,
): Promise<{ force: ForceCode; records: RecordChange[]; from: ForceCode; ids: string[]; gone: RecordChange[] } | null> {
  const transfer = Transfer.safeParse(change.doc);
  if (!transfer.success || transfer.data.status !== 'accepted') return null;
  const records: RecordChange[] = [];
  const gone: RecordChange[] = [];
  const all = await storage.recordsOfIncident(transfer.data.incidentId);
  for (const record of all) {
    const seen = record.seq <= since ? visibleChange(transfer.data.to, { ...record, seq: change.seq }, shares) : null;
    if (seen) records.push(seen);
    // The old owner held every record of it: a withdrawal of each it may no longer see (one it never held deletes nothing).
    if (!visibleChange(transfer.data.force, { ...record, seq: change.seq }, shares)) gone.push({ seq: change.seq, kind: record.kind, id: record.id, doc: null });
  }
  return { force: transfer.data.to, records, from: transfer.data.force, ids: [transfer.data.incidentId, ...all.map((record) => record.id)], gone };
}
