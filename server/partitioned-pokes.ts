import type { Logger } from 'pino';
import type { ForceCode } from '../shared/domain/force';
import type { RecordChange } from '../shared/sync/protocol';
import type { LiveHub } from './live-hub';
import { forcesThatSee } from './partition-filter';
import type { ServerStorage } from './storage/storage';
import { SERVER_CLIENT_ID } from './commands/system-commands';

/** How many changes made through another instance are read, a page at a time, to find whom to poke. */
const PAGE = 1000;

/**
 * Pokes go only to the workstations of forces that may see one of the changes (server/partition-filter.ts): a
 * workstation of another force is not told even that something changed. A command processed here knows its changes;
 * changes made through another server sharing the database (PostgreSQL) are read back from the change table first.
 */
export class PartitionedPokes {
  /** The head up to which changes made elsewhere have been looked at. */
  private seen: number;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly hub: LiveHub,
    private readonly storage: ServerStorage,
    private readonly served: readonly ForceCode[],
    head: number,
    private readonly log: Logger,
  ) {
    this.seen = head;
  }

  /** A command processed here wrote these changes, the newest at `head`. */
  applied(head: number, changes: readonly Omit<RecordChange, 'seq'>[]): void {
    this.hub.poke(head, forcesThatSee(changes, this.served));
  }

  /** Another instance moved the head: read what changed (in order, one reading at a time), and poke who may see it. */
  changedElsewhere(head: number): void {
    this.reading = this.reading.then(() => this.readUpTo(head));
  }

  private async readUpTo(head: number): Promise<void> {
    try {
      while (this.seen < head) {
        const page = await this.storage.pull({ since: this.seen, clientId: SERVER_CLIENT_ID, afterClientSeq: Number.MAX_SAFE_INTEGER, limit: PAGE });
        this.hub.poke(page.upTo, forcesThatSee(page.changes, this.served));
        if (page.upTo <= this.seen) break;
        this.seen = page.upTo;
      }
    } catch (error) {
      // Unread, a change could leave a workstation that may see it waiting for its next pull: every force is poked
      // instead (a poke carries only a number, and each workstation pulls only what its force may see).
      this.log.warn({ reason: (error as Error).message }, 'could not read the changes made elsewhere; poking every force');
      this.hub.poke(head, new Set(this.served));
    }
  }
}
