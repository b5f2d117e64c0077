import type { PullResponse } from '../shared/sync/protocol';
import type { ChangesPage, PullQuery, ServerStorage } from './storage/storage';

/** What the coalescer reads: the shared part of a page once, each client's own part apiece. */
export type CoalescedStorage = Pick<ServerStorage, 'changes' | 'progress'>;

/** A read of the changes from one point not yet begun, and those waiting for it. */
interface Gathering {
  started: boolean;
  page: Promise<ChangesPage>;
}

/**
 * Serves a burst of pulls for the same range with one read of the changes. A room back after its server restarted,
 * or told of the same change at once, pulls from the same cursor within a few milliseconds: each pull's changes are
 * the same rows (what each workstation may see of them is decided afterwards, by changesFor, per recipient), and only
 * its progress and refusals are its own. So a pull reads its own part first, then joins a read of the changes from
 * its `since` (with its `limit`) that has not yet begun, or gathers one that begins on the next turn of the event loop,
 * when every pull that arrived meanwhile has joined it.
 *
 * Why only a read not yet begun: a pull's progress (lastClientSeq) must not be newer than its changes, or the
 * workstation would let a command leave its outbox before the command's effects arrive (its screen flickering back
 * for a moment). A read that begins after this pull's own part was read sees at least everything that part saw.
 *
 * An idle pull (a workstation's now-and-then check, most of a quiet room's pulls) reads no changes at all: its own
 * part comes with the head of the same snapshot, and a cursor at or past that head has no changes up to it. The
 * answer is the page a pull in that snapshot would have had, so its progress is never newer than its changes. On
 * PostgreSQL that is one round trip instead of two.
 */
export class PullCoalescer {
  private readonly gathering = new Map<string, Gathering>();
  /** Reads of the changes begun, and pulls answered, since start (for tests and the health answer). */
  readonly counts = { reads: 0, pulls: 0 };

  /** `defer`: runs a gathered read later (default setImmediate: once every pull that arrived in this turn has joined). */
  constructor(
    private readonly storage: CoalescedStorage,
    private readonly defer: (read: () => void) => void = (read) => void setImmediate(read),
  ) {}

  /** A pull page for one client, as storage.pull gives it: the changes after `since` (at most `limit`), and its own part. */
  async pull(query: PullQuery): Promise<PullResponse> {
    const own = await this.storage.progress(query.clientId, query.afterClientSeq);
    const page = own.head <= query.since ? nothingAfter(query.since, own.head) : await this.changes(query.since, query.limit);
    this.counts.pulls += 1;
    return { ...page, ...own, head: page.head };
  }

  private changes(since: number, limit: number): Promise<ChangesPage> {
    const key = `${since}:${limit}`;
    const waiting = this.gathering.get(key);
    if (waiting && !waiting.started) return waiting.page;
    const gathering: Gathering = {
      started: false,
      page: new Promise<ChangesPage>((resolve, reject) => {
        this.defer(() => {
          gathering.started = true;
          this.counts.reads += 1;
          this.storage.changes(since, limit).then(resolve, reject).finally(() => {
            if (this.gathering.get(key) === gathering) this.gathering.delete(key);
          });
        });
      }),
    };
    this.gathering.set(key, gathering);
    return gathering.page;
  }
}

/** The page after `since` when the head (of the snapshot that read the client's own part) is not beyond it: no changes. */
function nothingAfter(since: number, head: number): ChangesPage {
  return { since, upTo: since, head, changes: [], hasMore: false };
}
