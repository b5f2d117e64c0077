import { LinkError, type LiveHandlers, type PullQuery, type ServerLink } from '../../../main/sync/server-link';
import { LiveMessage, SCHEMA_VERSION, type PullResponse, type PushRequest, type PushResponse } from '../../../shared/sync/protocol';
import { LiveHub, type LiveSocket } from '../../../server/live-hub';
import { FIRST_FORCE } from '../../../shared/domain/force';
import type { ChangesPage } from '../../../server/storage/storage';
import type { Random } from './random';
import type { VirtualTime } from './virtual-time';

export interface ServerEndpoint {
  /** Bumped when the server restarts: answers computed before a crash never leave the machine. */
  readonly epoch: number;
  push(request: PushRequest): Promise<PushResponse>;
  pull(query: PullQuery): Promise<PullResponse>;
  head(): Promise<number>;
  changes(since: number, limit: number): Promise<ChangesPage>;
}

export interface FaultCounts {
  requestsLost: number;
  responsesLost: number;
  duplicated: number;
  partitions: number;
  clientRestarts: number;
  serverRestarts: number;
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
 */
export class SimNetwork {
  lossRate = 0;
  duplicateRate = 0;
  readonly partitioned = new Set<string>();
  readonly faults: FaultCounts = { requestsLost: 0, responsesLost: 0, duplicated: 0, partitions: 0, clientRestarts: 0, serverRestarts: 0, timeouts: 0, liveLost: 0, liveDuplicated: 0 };
  /** Live messages delivered, by type: how much of the room's news came without a pull. */
  readonly liveDelivered = { changes: 0, poke: 0, hello: 0, exercise: 0 };
  private readonly live = new Map<string, Set<LiveHandlers>>();
  /** Each open channel's socket on the server's side, to close it with the channel. */
  private readonly sockets = new Map<LiveHandlers, SimSocket>();
  /** The server's live hub (server/live-hub.ts, the real one): a new one each time the server starts. */
  private hub: LiveHub | null = null;

  constructor(
    private readonly time: VirtualTime,
    private readonly random: Random,
    private readonly server: () => ServerEndpoint,
  ) {}

  link(client: string): ServerLink {
    return {
      push: (request) => this.exchange(client, (server) => server.push(clone(request))),
      pull: (query) => this.exchange(client, (server) => server.pull({ ...query })),
      live: (handlers, schemaVersion) => this.openLive(client, handlers, schemaVersion),
    };
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
    this.hub = new LiveHub(head, {
      readChanges: (since, limit) => this.server().changes(since, limit),
      defer: (flush) => this.time.setTimeout(flush, 0),
      // Paced on the simulation's clock, so that batches gather the commits of a while, as under load.
      now: () => this.time.now(),
      later: (flush, ms) => this.time.setTimeout(flush, ms),
      minIntervalMs: 50,
      // Small, so that a partitioned workstation's return meets batches too long to carry (told as pokes) too.
      maxBatch: 20,
      forces: [FIRST_FORCE],
    });
  }

  /** The server committed changes up to `head`: its hub sends a batch to every listening workstation. */
  headMoved(head: number): void {
    this.hub?.headMoved(head);
  }

  /** A server restart drops every live connection. */
  closeAllLive(reason: string): void {
    for (const client of this.live.keys()) this.closeLive(client, reason);
    this.hub?.closeAll();
    this.hub = null;
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
        const answer = (action: () => void) =>
          this.time.setTimeout(() => {
            if (this.server().epoch !== epoch || this.partitioned.has(client) || this.random.chance(this.lossRate)) {
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
      const hub = this.hub;
      if (this.partitioned.has(client) || !hub) {
        channels.delete(handlers);
        handlers.onClose(hub ? 'partitioned' : 'server not started');
        return;
      }
      handlers.onOpen();
      // The server's side of the channel: its hub says hello with the head, then sends batches (or pokes).
      const socket = new SimSocket((text) => this.deliverLive(client, channels, handlers, text));
      this.sockets.set(handlers, socket);
      void this.server()
        .head()
        .then((head) => {
          if (channels.has(handlers) && this.hub === hub) hub.add(socket, { type: 'hello', head, serverTime: new Date(this.time.now()).toISOString() }, { clientId: client, schemaVersion, force: FIRST_FORCE });
        });
    }, this.latency());
    return () => {
      channels.delete(handlers);
      this.sockets.get(handlers)?.terminate();
      this.sockets.delete(handlers);
    };
  }

  /** A message from the server's hub to one workstation: late (so reordered), lost or repeated as the run says. */
  private deliverLive(client: string, channels: Set<LiveHandlers>, handlers: LiveHandlers, text: string): void {
    const message = LiveMessage.parse(JSON.parse(text));
    const arrive = () => {
      if (!channels.has(handlers) || this.partitioned.has(client)) return;
      this.liveDelivered[message.type] += 1;
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

  constructor(private readonly deliver: (text: string) => void) {}

  send(text: string): void {
    if (this.readyState === this.OPEN) this.deliver(text);
  }

  close(): void {
    this.terminate();
  }

  terminate(): void {
    if (this.readyState !== this.OPEN) return;
    this.readyState = 3;
    for (const listener of this.closeListeners) listener();
  }

  on(_event: 'close', listener: () => void): void {
    this.closeListeners.push(listener);
  }
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
