import { handlePush } from '../../server/push';
import type { ServerRules } from '../../server/commands/plan-command';
import type { ServerStorage } from '../../server/storage/storage';
import { LinkError, type LiveHandlers, type PullQuery, type ServerLink } from '../../main/sync/server-link';
import type { PullResponse, PushRequest, PushResponse } from '../../shared/sync/protocol';
import { HttpError } from '../../server/http/read-body';
import { silentLog } from './fixtures';
import { deviceOf } from './access';
import { issueTicket } from '../../server/access/tickets';

/**
 * A workstation's link wired straight to a server storage in the same process: the real push handling and
 * pull, with a switch to cut the network and a hook to make the server fail.
 */
export class InProcessLink implements ServerLink {
  up = true;
  failNextPushes = 0;
  pushes = 0;
  private readonly liveHandlers = new Set<LiveHandlers>();

  constructor(
    private readonly storage: ServerStorage,
    private readonly rules: ServerRules,
    /** The server's ticket-signing key (`await storage.secret(TICKET_SECRET)`). */
    readonly ticketSecret: string,
    private readonly onApplied: (head: number) => void = () => {},
  ) {}

  /** A sign-in ticket as the server would give this operator at this workstation. */
  ticketFor(operator: string, clientId: string): string {
    return issueTicket(this.ticketSecret, { operator, clientId, expiresAt: Number.MAX_SAFE_INTEGER });
  }

  async push(request: PushRequest): Promise<PushResponse> {
    this.pushes += 1;
    if (!this.up) throw new LinkError('cannot reach the server: network down', true);
    if (this.failNextPushes > 0) {
      this.failNextPushes -= 1;
      throw new LinkError('server answered 500: internal error', true, 500);
    }
    try {
      return await handlePush(JSON.parse(JSON.stringify(request)), {
        storage: this.storage,
        rules: this.rules,
        log: silentLog,
        device: deviceOf(request.clientId),
        ticketSecret: this.ticketSecret,
        onApplied: this.onApplied,
      });
    } catch (error) {
      if (error instanceof HttpError) throw new LinkError(error.message, error.status >= 500, error.status);
      throw error;
    }
  }

  async pull(query: PullQuery): Promise<PullResponse> {
    if (!this.up) throw new LinkError('cannot reach the server: network down', true);
    return this.storage.pull(query);
  }

  live(handlers: LiveHandlers): () => void {
    this.liveHandlers.add(handlers);
    if (this.up) queueMicrotask(() => handlers.onOpen());
    else queueMicrotask(() => handlers.onClose('network down'));
    return () => this.liveHandlers.delete(handlers);
  }

  poke(head: number): void {
    for (const handlers of this.liveHandlers) handlers.onMessage({ type: 'poke', head });
  }
}
