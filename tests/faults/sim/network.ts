import { LinkError, type LiveHandlers, type PullQuery, type ServerLink } from '../../../main/sync/server-link';
import type { PullResponse, PushRequest, PushResponse } from '../../../shared/sync/protocol';
import type { Random } from './random';
import type { VirtualTime } from './virtual-time';

export interface ServerEndpoint {
  /** Bumped when the server restarts: answers computed before a crash never leave the machine. */
  readonly epoch: number;
  push(request: PushRequest): Promise<PushResponse>;
  pull(query: PullQuery): Promise<PullResponse>;
}

export interface FaultCounts {
  requestsLost: number;
  responsesLost: number;
  duplicated: number;
  partitions: number;
  clientRestarts: number;
  serverRestarts: number;
  timeouts: number;
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
  readonly faults: FaultCounts = { requestsLost: 0, responsesLost: 0, duplicated: 0, partitions: 0, clientRestarts: 0, serverRestarts: 0, timeouts: 0 };
  private readonly live = new Map<string, Set<LiveHandlers>>();

  constructor(
    private readonly time: VirtualTime,
    private readonly random: Random,
    private readonly server: () => ServerEndpoint,
  ) {}

  link(client: string): ServerLink {
    return {
      push: (request) => this.exchange(client, (server) => server.push(clone(request))),
      pull: (query) => this.exchange(client, (server) => server.pull({ ...query })),
      live: (handlers) => this.openLive(client, handlers),
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

  /** The server tells every listening workstation that the head moved. */
  poke(head: number): void {
    for (const [client, channels] of this.live) {
      for (const handlers of channels) {
        this.time.setTimeout(() => {
          if (!channels.has(handlers) || this.partitioned.has(client) || this.random.chance(this.lossRate)) return;
          handlers.onMessage({ type: 'poke', head });
        }, this.latency());
      }
    }
  }

  /** A server restart drops every live connection. */
  closeAllLive(reason: string): void {
    for (const client of this.live.keys()) this.closeLive(client, reason);
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

  private openLive(client: string, handlers: LiveHandlers): () => void {
    const channels = this.live.get(client) ?? new Set<LiveHandlers>();
    this.live.set(client, channels);
    channels.add(handlers);
    this.time.setTimeout(() => {
      if (!channels.has(handlers)) return;
      if (this.partitioned.has(client)) {
        channels.delete(handlers);
        handlers.onClose('partitioned');
      } else {
        handlers.onOpen();
      }
    }, this.latency());
    return () => channels.delete(handlers);
  }

  private closeLive(client: string, reason: string): void {
    const channels = this.live.get(client);
    if (!channels) return;
    for (const handlers of [...channels]) {
      channels.delete(handlers);
      this.time.setTimeout(() => handlers.onClose(reason), this.latency());
    }
  }
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
