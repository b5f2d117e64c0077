import type { RecordChange } from '../../shared/sync/protocol';
import type { ServerRules } from '../commands/plan-command';
import { cutNamesOf } from '../commands/served-forces';
import type { ServerStorage } from '../storage/storage';
import { serverSharePolicy } from '../share-policy';
import { ShareBook } from './share-book';
import { deliveryOf, type Delivery } from './share-delivery';

/** A page of changes as the storage gave it: every change in (since, upTo]. */
type Page = { since: number; upTo: number; changes: readonly RecordChange[] };

/**
 * What every page of changes leaving one server carries because of the shares between its forces: the server's share
 * book, kept up to date by the pages themselves, and each page's Delivery (server/shares/share-delivery.ts). One per
 * server and storage; the central server and the fault simulation both build theirs here, so the simulation's pulls
 * and live batches are cut and handed over exactly as the real server's are.
 */
export class RoomDelivery {
  private readonly book: ShareBook;

  constructor(
    private readonly storage: Pick<ServerStorage, 'recordsOfKind' | 'recordsOfIncident' | 'record' | 'conflictsAbout'>,
    rules: ServerRules,
  ) {
    const names = cutNamesOf(rules);
    this.book = new ShareBook(storage, names.commonPriorityOf, names.typeNameOf);
  }

  /**
   * A pull page's delivery. A share or transfer in it hands over the incident's records last changed up to the page's
   * start: the workstation's cursor, which passed them when it could not yet see them.
   */
  forPull(page: Page): Promise<Delivery> {
    return this.deliver(page, page.since);
  }

  /**
   * A live batch's delivery. It goes to workstations whose cursors lie anywhere in its range (one that pulled since the
   * last batch stands past its start, holding none of the incident, which it could not yet see), so a share in it
   * hands over every record up to its end; a workstation behind some of them gets those twice, the same version at
   * its own place and at the share's, which changes nothing the second time. Found in use (tryout15a): a line written
   * just before a share, in the same batch, was never seen by a workstation that had pulled between them.
   */
  forBatch(page: Page): Promise<Delivery> {
    return this.deliver(page, page.upTo);
  }

  private async deliver(page: Page, handedOverUpTo: number): Promise<Delivery> {
    await this.book.catchUpWith(page);
    return deliveryOf({ since: handedOverUpTo, changes: page.changes }, serverSharePolicy(this.book), this.storage);
  }
}
