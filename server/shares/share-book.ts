import { Share } from '../../shared/domain/share';
import { Transfer } from '../../shared/domain/transfer';
import { anyOf } from '../../shared/domain/partition';
import { ownersAfterTransfers, transferredHistoryPolicy } from '../../shared/domain/cross-force-policy';
import type { SharePolicy } from '../../shared/domain/partition';
import { sharePolicyOf, type CommonPriorityOf, type TypeNameOf } from '../../shared/domain/share-policy';
import type { ServerStorage } from '../storage/storage';
import type { RecordChange } from '../../shared/sync/protocol';

/**
 * The server's book of share records (shared/domain/share.ts), from which it builds the share policy that the
 * partition applies to everything leaving it. The storage's records are the truth; the book is a copy brought up
 * to date before each use (`catchUp`): every pull page and live batch first makes the book at least as new as the
 * page, so a share another server instance wrote (PostgreSQL) is never missed, and a page is cut by what is shared
 * now, never by an older state. Shares are few (an incident's few, never deleted but small): one indexed read of
 * those changed since the book last looked, only when the room has moved on.
 */
export class ShareBook {
  private readonly shares = new Map<string, { seq: number; share: Share }>();
  /** Offers of incidents between forces: an accepted one lets the new owner see the incident's history. */
  private readonly transfers = new Map<string, { seq: number; transfer: Transfer }>();
  /** Every share changed up to this sequence is in the book (-1: never read). */
  private known = -1;
  private cached: SharePolicy | null = null;

  constructor(
    private readonly storage: Pick<ServerStorage, 'recordsOfKind'>,
    private readonly commonPriorityOf: CommonPriorityOf,
    /** The owning force's name for a shared incident's type, carried in the cut (the holder knows only its own types). */
    private readonly typeNameOf: TypeNameOf = () => null,
  ) {}

  /** Reads the shares changed since the book last looked, unless it has seen the room up to `seq` already. */
  async catchUp(seq: number): Promise<void> {
    if (seq <= this.known) return;
    const { head, records } = await this.storage.recordsOfKind('share', Math.max(this.known, 0));
    for (const record of records) this.note(record.seq, record.doc, record.id);
    // Read after the shares: a transfer committed between the two reads is read here, and the book is then at least
    // as new as the shares' head (a later share is read at the next catch-up, as any would be).
    const transfers = await this.storage.recordsOfKind('transfer', Math.max(this.known, 0));
    for (const record of transfers.records) this.noteTransfer(record.seq, record.doc, record.id);
    this.known = Math.max(this.known, Math.min(head, transfers.head));
  }

  /**
   * Brings the book up to `page.upTo` from a page of changes the storage gave (every change in (since, upTo], as
   * ServerStorage.changes and pulls read them): when the book has seen the room up to the page's start already, the
   * page itself holds every share and transfer changed since, and nothing is read. Every live batch and pull page
   * comes here first; reading the shares and transfers again for each cost the database two transactions a batch.
   * A book behind the page's start reads as catchUp does.
   */
  async catchUpWith(page: { since: number; upTo: number; changes: readonly RecordChange[] }): Promise<void> {
    if (page.upTo <= this.known) return;
    if (page.since > this.known) return this.catchUp(page.upTo);
    for (const change of page.changes) {
      if (change.kind === 'share') this.note(change.seq, change.doc, change.id);
      else if (change.kind === 'transfer') this.noteTransfer(change.seq, change.doc, change.id);
    }
    this.known = page.upTo;
  }

  /** A share written here, noted at once (a command's own, before the next catch-up). */
  note(seq: number, doc: unknown, id?: string): void {
    const held = this.shares.get((doc as { id?: string } | null)?.id ?? id ?? '');
    if (held && held.seq >= seq) return;
    // An erased share (no document, shared/domain/erasure.ts) grants nothing: its incident is erased with it.
    if (doc === null) {
      if (id !== undefined) this.shares.delete(id);
      this.cached = null;
      return;
    }
    const share = Share.parse(doc);
    this.shares.set(share.id, { seq, share });
    this.cached = null;
  }

  /** A transfer read or written here; an erased one (no document) offers nothing. */
  noteTransfer(seq: number, doc: unknown, id?: string): void {
    const held = this.transfers.get((doc as { id?: string } | null)?.id ?? id ?? '');
    if (held && held.seq >= seq) return;
    if (doc === null) {
      if (id !== undefined) this.transfers.delete(id);
      this.cached = null;
      return;
    }
    const transfer = Transfer.parse(doc);
    this.transfers.set(transfer.id, { seq, transfer });
    this.cached = null;
  }

  /** Every share in the book, revoked ones included. */
  all(): Share[] {
    return [...this.shares.values()].map((held) => held.share);
  }

  /**
   * The share policy of the shares in the book now. A share counts only while the force that made it owns the
   * incident: once an incident is transferred, the old owner's shares of it share nothing more (only the owner shares,
   * and the new owner could not revoke them), so the new owner's record never reaches a force through them.
   */
  policy(): SharePolicy {
    if (!this.cached) {
      const owners = ownersAfterTransfers([...this.transfers.values()]);
      const standing = this.all().filter((share) => (owners.get(share.incidentId) ?? share.force) === share.force);
      this.cached = anyOf(
        sharePolicyOf(standing, this.commonPriorityOf, this.typeNameOf),
        transferredHistoryPolicy(owners),
      );
    }
    return this.cached;
  }
}

