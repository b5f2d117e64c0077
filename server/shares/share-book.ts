import { Share } from '../../shared/domain/share';
import type { SharePolicy } from '../../shared/domain/partition';
import { sharePolicyOf, type CommonPriorityOf } from '../../shared/domain/share-policy';
import type { ServerStorage } from '../storage/storage';

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
  /** Every share changed up to this sequence is in the book (-1: never read). */
  private known = -1;
  private cached: SharePolicy | null = null;

  constructor(
    private readonly storage: Pick<ServerStorage, 'recordsOfKind'>,
    private readonly commonPriorityOf: CommonPriorityOf,
  ) {}

  /** Reads the shares changed since the book last looked, unless it has seen the room up to `seq` already. */
  async catchUp(seq: number): Promise<void> {
    if (seq <= this.known) return;
    const { head, records } = await this.storage.recordsOfKind('share', Math.max(this.known, 0));
    for (const record of records) this.note(record.seq, record.doc, record.id);
    this.known = Math.max(this.known, head);
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

  /** Every share in the book, revoked ones included. */
  all(): Share[] {
    return [...this.shares.values()].map((held) => held.share);
  }

  /** The share policy of the shares in the book now. */
  policy(): SharePolicy {
    this.cached ??= sharePolicyOf(this.all(), this.commonPriorityOf);
    return this.cached;
  }
}
