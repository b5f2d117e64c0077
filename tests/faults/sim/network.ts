import { LinkError, type LiveHandlers, type PullQuery, type ServerLink } from '../../../main/sync/server-link';
import { SCHEMA_VERSION, type LiveMessage, type PullResponse, type PushRequest, type PushResponse } from '../../../shared/sync/protocol';
import { LiveHub, type LiveSocket } from '../../../server/live-hub';
import { readLiveFrame } from '../../../main/sync/live-frames';
import type { ForceCode } from '../../../shared/domain/force';
import type { ChangesPage } from '../../../server/storage/storage';
import type { Delivery } from '../../../server/shares/share-delivery';
import type { Random } from './random';
import type { VirtualTime } from './virtual-time';

export interface ServerEndpoint {
  /** Bumped when the server restarts: answers computed before a crash never leave the machine. */
  readonly epoch: number;
  push(request: PushRequest): Promise<PushResponse>;
  pull(query: PullQuery): Promise<PullResponse>;
  head(): Promise<number>;
  changes(since: number, limit: number): Promise<ChangesPage>;
  /** What a live batch carries because of the shares in it, as the real server's hub is told (RoomDelivery.forBatch). */
  forBatch(page: ChangesPage): Promise<Delivery>;
}

export interface FaultCounts {
  requestsLost: number;
  responsesLost: number;
  duplicated: number;
  partitions: number;
  clientRestarts: number;
  serverRestarts: number;
  /** One of the two server instances failed: its workstations moved to the other. */
  instanceFailures: number;
  timeouts: number;
  /** Live messages (batches, pokes, hellos) lost, and delivered twice. */
  liveLost: number;
  liveDuplicated: number;
}

const REQUEST_TIMEOUT_MS = 5_000;

/**
 * The simulated network between workstations and the server: latency drawn per message (so messages reorder),
 * loss, duplication and partitions, all from the run's seed. A partitioned workstation reaches nothing and hears
 * nothing.
 *
 * The server is two instances on one storage, as several server processes share one PostgreSQL: each has its own live
 * hub, which hears of every commit after its own delay (the commit's notification), so the two send batches over
 * different ranges. A workstation talks to one instance; when that instance fails, its channels close and it moves to
 * the other, whose batches begin elsewhere: it must take them from its cursor, never skipping nor repeating a change.
 * Each workstation's channel is of its force's audience: the hub cuts every batch to what that force may see, with
 * what a share, transfer or loan in it hands over or withdraws (ServerEndpoint.forBatch), as the real server's does.
 */
export class SimNetwork {
  lossRate = 0;
  duplicateRate = 0;
  /**
   * The most changes the server puts in one pull page, whatever a workstation asks for (as a server may answer in
   * pages smaller than asked). Small, a workstation back from a partition or a restart catches up in several pages,
   * with its own commands' effects in a later page than the first.
   */
  pageLimit = Number.POSITIVE_INFINITY;
  /** Pull pages the server answered that ended short of its head (a catch-up in several pages). */
  pagesShortOfHead = 0;
  readonly partitioned = new Set<string>();
  readonly faults: FaultCounts = { requestsLost: 0, responsesLost: 0, duplicated: 0, partitions: 0, clientRestarts: 0, serverRestarts: 0, instanceFailures: 0, timeouts: 0, liveLost: 0, liveDuplicated: 0 };
  /** Live messages delivered, by type: how much of the room's news came without a pull. */
  readonly liveDelivered = { changes: 0, poke: 0, hello: 0, exercise: 0 };
  private readonly live = new Map<string, Set<LiveHandlers>>();
  /** Live channels opened since the run began: every other one asks for the deflate encoding. */
  private channelsOpened = 0;
  /** Each open channel's socket on the server's side, to close it with the channel. */
  private readonly sockets = new Map<LiveHandlers, SimSocket>();
  /** Each instance's live hub (server/live-hub.ts, the real one): a new one each time the instance starts. */
  private readonly hubs: (LiveHub | null)[] = [null, null];
  /** Bumped when an instance fails: its answers computed before never leave it. */
  private readonly instanceEpochs = [0, 0];
  /** The instance each workstation talks to (by default, alternately as they first connect). */
  private readonly instanceOf = new Map<string, number>();
  /** The force each workstation was enrolled for: what its live channel is sent is cut to it. */
  private readonly forceOf = new Map<string, ForceCode>();

  constructor(
    private readonly time: VirtualTime,
    private readonly random: Random,
    private readonly server: () => ServerEndpoint,
    /** The forces the server serves, each its own audience on the live channels. */
    private readonly forces: readonly ForceCode[],
  ) {}

  link(client: string, force: ForceCode): ServerLink {
    if (!this.instanceOf.has(client)) this.instanceOf.set(client, this.instanceOf.size % 2);
    this.forceOf.set(client, force);
    return {
      push: (request) => this.exchange(client, (server) => server.push(clone(request))),
      pull: (query) =>
        this.exchange(client, async (server) => {
          const page = await server.pull({ ...query, limit: Math.min(query.limit, this.pageLimit) });
          if (page.upTo < page.head) this.pagesShortOfHead += 1;
          return page;
        }).then((page) => {
          this.given(client, page);
          return page;
        }),
      live: (handlers, schemaVersion) => this.openLive(client, handlers, schemaVersion),
    };
  }

  /**
   * Where the pages and batches given to each workstation ended: at the head they were read at ('whole'), short of it
   * ('short'), or both at one cursor, given at different times ('either').
   */
  private readonly ends = new Map<string, Map<number, 'whole' | 'short' | 'either'>>();

  private given(client: string, range: { upTo: number; head: number }): void {
    const ends = this.ends.get(client) ?? new Map<number, 'whole' | 'short' | 'either'>();
    this.ends.set(client, ends);
    const end = range.upTo >= range.head ? 'whole' : 'short';
    const before = ends.get(range.upTo);
    ends.set(range.upTo, before === undefined || before === end ? end : 'either');
  }

  /**
   * Whether a workstation standing at `cursor` got there with a page or batch that reached the head it was read at
   * (its server records are then all of one moment), one that ended short of it (the middle of a catch-up), or
   * cannot be told ('unknown': none ended there, or both kinds did).
   */
  standing(client: string, cursor: number): 'whole' | 'short' | 'unknown' {
    const end = this.ends.get(client)?.get(cursor);
    return end === 'whole' || end === 'short' ? end : 'unknown';
  }

  partition(client: string): void {
    if (this.partitioned.has(client)) return;
    this.partitioned.add(client);
    this.faults.partitions += 1;
    this.closeLive(client, 'partitioned');
  }

  heal(client: string): void {
    this.partitioned.delete(client);
  }

  /**
   * The server (re)started with this head: its live hub starts afresh, reading batches from the server's storage and
   * sending them as the real server does, on the simulation's clock.
   */
  serverStarted(head: number): void {
    this.hubs[0] = this.newHub(head, false);
    this.hubs[1] = this.newHub(head, true);
  }

  private newHub(head: number, busy: boolean): LiveHub {
    return new LiveHub(head, {
      readChanges: (since, limit) => this.server().changes(since, limit),
      // Shares hand over and withdraw records in a batch as the real server's do (server/shares/room-delivery.ts).
      deliveryOf: (page) => this.server().forBatch(page),
      // A flush waits a little (instance 1 is a busy one, slow to read): commits gather into one batch while
      // workstations pull, so batches reach back before their cursors and are taken from the cursor on.
      defer: (flush) => this.time.setTimeout(flush, Math.round(this.random.between(0, busy ? 1500 : 100))),
      // Paced on the simulation's clock, so that batches gather the commits of a while, as under load.
      now: () => this.time.now(),
      later: (flush, ms) => this.time.setTimeout(flush, ms),
      minIntervalMs: 50,
      // Small, so that a partitioned workstation's return meets batches too long to carry (told as pokes) too.
      maxBatch: 20,
      forces: this.forces,
    });
  }

  /** The storage committed changes up to `head`: each instance's hub hears of it, after its own delay, and sends a batch. */
  headMoved(head: number): void {
    for (const hub of this.hubs) this.time.setTimeout(() => hub?.headMoved(head), Math.round(this.random.between(0, 300)));
  }

  /** A server restart drops every live connection. */
  closeAllLive(reason: string): void {
    for (const client of this.live.keys()) this.closeLive(client, reason);
    for (const hub of this.hubs) hub?.closeAll();
    this.hubs.fill(null);
  }

  /**
   * Instance `instance` fails and starts again: its live channels close, what it was answering is lost, and its
   * workstations move to the other instance (as a workstation given both addresses does).
   */
  instanceFailed(instance: number): void {
    this.faults.instanceFailures += 1;
    this.instanceEpochs[instance]! += 1;
    const moved = [...this.instanceOf].filter(([, at]) => at === instance).map(([client]) => client);
    for (const client of moved) {
      this.instanceOf.set(client, 1 - instance);
      this.closeLive(client, 'server instance failed');
    }
    this.hubs[instance]?.closeAll();
    this.hubs[instance] = null;
    void this.server()
      .head()
      .then((head) => {
        if (this.hubs[instance] === null && this.hubs[1 - instance] !== null) this.hubs[instance] = this.newHub(head, instance === 1);
      });
  }

  private latency(): number {
    return Math.round(this.random.between(5, 400));
  }

  private exchange<T>(client: string, call: (server: ServerEndpoint) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (action: () => void) => {
        if (settled) return;
        settled = true;
        this.time.clearTimeout(timer);
        action();
      };
      const timer = this.time.setTimeout(() => {
        this.faults.timeouts += 1;
        finish(() => reject(new LinkError('cannot reach the server: timed out', true)));
      }, REQUEST_TIMEOUT_MS);

      const deliver = () => {
        if (this.partitioned.has(client) || this.random.chance(this.lossRate)) {
          this.faults.requestsLost += 1;
          return;
        }
        const server = this.server();
        const epoch = server.epoch;
        const instance = this.instanceOf.get(client) ?? 0;
        const instanceEpoch = this.instanceEpochs[instance];
        const answer = (action: () => void) =>
          this.time.setTimeout(() => {
            const instanceFailed = this.instanceEpochs[instance] !== instanceEpoch;
            if (this.server().epoch !== epoch || instanceFailed || this.partitioned.has(client) || this.random.chance(this.lossRate)) {
              this.faults.responsesLost += 1;
              return;
            }
            finish(action);
          }, this.latency());
        call(server).then(
          (response) => answer(() => resolve(clone(response))),
          (error: unknown) => answer(() => reject(error instanceof LinkError ? error : new LinkError(`server answered 500: ${(error as Error).message}`, true, 500))),
        );
      };
      this.time.setTimeout(deliver, this.latency());
      if (this.random.chance(this.duplicateRate)) {
        this.faults.duplicated += 1;
        this.time.setTimeout(deliver, this.latency() * 4);
      }
    });
  }

  private openLive(client: string, handlers: LiveHandlers, schemaVersion = SCHEMA_VERSION): () => void {
    const channels = this.live.get(client) ?? new Set<LiveHandlers>();
    this.live.set(client, channels);
    channels.add(handlers);
    this.time.setTimeout(() => {
      if (!channels.has(handlers)) return;
      const hub = this.hubs[this.instanceOf.get(client) ?? 0] ?? null;
      if (this.partitioned.has(client) || !hub) {
        channels.delete(handlers);
        handlers.onClose(hub ? 'partitioned' : 'server not started');
        return;
      }
      handlers.onOpen();
      // The server's side of the channel: its hub says hello with the head, then sends batches (or pokes).
      const socket = new SimSocket((message) => this.deliverLive(client, channels, handlers, message));
      this.sockets.set(handlers, socket);
      // Every other channel asks for its batches compressed, as this build's workstations do (the others are an
      // older build's): both ways of sending a batch meet every fault. Counted, not drawn: the seeds' runs stay.
      const encoding = this.channelsOpened++ % 2 === 0 ? 'deflate' : null;
      void this.server()
        .head()
        .then((head) => {
          if (channels.has(handlers) && this.hubs.includes(hub)) hub.add(socket, { type: 'hello', head, serverTime: new Date(this.time.now()).toISOString() }, { clientId: client, schemaVersion, force: this.forceOf.get(client) ?? null }, encoding);
        });
    }, this.latency());
    return () => {
      channels.delete(handlers);
      this.sockets.get(handlers)?.terminate();
      this.sockets.delete(handlers);
    };
  }

  /** A message from the server's hub to one workstation: late (so reordered), lost or repeated as the run says. */
  private deliverLive(client: string, channels: Set<LiveHandlers>, handlers: LiveHandlers, message: LiveMessage): void {
    const arrive = () => {
      if (!channels.has(handlers) || this.partitioned.has(client)) return;
      this.liveDelivered[message.type] += 1;
      if (message.type === 'changes') this.given(client, message);
      handlers.onMessage(clone(message));
    };
    if (this.random.chance(this.lossRate)) this.faults.liveLost += 1;
    else this.time.setTimeout(arrive, this.latency());
    if (this.random.chance(this.duplicateRate)) {
      this.faults.liveDuplicated += 1;
      this.time.setTimeout(arrive, this.latency() * 4);
    }
  }

  private closeLive(client: string, reason: string): void {
    const channels = this.live.get(client);
    if (!channels) return;
    for (const handlers of [...channels]) {
      channels.delete(handlers);
      this.sockets.get(handlers)?.terminate();
      this.sockets.delete(handlers);
      this.time.setTimeout(() => handlers.onClose(reason), this.latency());
    }
  }
}

/** The server's end of a simulated live channel, as the hub sees it. */
class SimSocket implements LiveSocket {
  readonly OPEN = 1;
  readyState = 1;
  readonly bufferedAmount = 0;
  private readonly closeListeners: (() => void)[] = [];

  constructor(private readonly deliver: (message: LiveMessage) => void) {}

  /** A frame read as the workstation reads it (main/sync/live-frames.ts); one it could not read fails the run. */
  send(data: string | Buffer, options?: { binary: boolean }): void {
    if (this.readyState !== this.OPEN) return;
    const message = readLiveFrame(Buffer.from(data), options?.binary === true);
    if (!message) throw new Error(`the hub sent a frame a workstation cannot read: ${String(data).slice(0, 80)}`);
    this.deliver(message);
  }

  close(): void {
    this.terminate();
  }

  terminate(): void {
    if (this.readyState !== this.OPEN) return;
    this.readyState = 3;
    for (const listener of this.closeListeners) listener();
  }

  /** The hub's heartbeat is off in the simulation (its channels end only as told): never called. */
  ping(): void {}

  on(event: 'close' | 'pong' | 'ping' | 'message', listener: () => void): void {
    if (event === 'close') this.closeListeners.push(listener);
  }
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
