import { handlePush } from '../../server/push';
import type { ServerRules } from '../../server/commands/plan-command';
import type { ServerStorage } from '../../server/storage/storage';
import { LinkError, type LiveHandlers, type PullQuery, type ServerAccess, type ServerLink } from '../../main/sync/server-link';
import type { LiveMessage, PullResponse, PushRequest, PushResponse, SignInResponse } from '../../shared/sync/protocol';
import { handleSignIn } from '../../server/access/access-routes';
import { handleAdmin } from '../../server/access/admin-routes';
import { handleAuditExport, handleAuditQuery } from '../../server/audit/audit-routes';
import type { AuditExportRequest, AuditExportResponse, AuditQueryRequest, AuditQueryResponse } from '../../shared/sync/audit-protocol';
import type { AdminRequest, AdminResponse } from '../../shared/sync/admin-protocol';
import { HttpError } from '../../server/http/read-body';
import { silentLog } from './fixtures';
import { deviceOf } from './access';
import { issueTicket } from '../../server/access/tickets';

/**
 * A workstation's link wired straight to a server storage in the same process: the real push handling, pull and
 * sign-in, with a switch to cut the network and a hook to make the server fail.
 */
export class InProcessLink implements ServerLink, ServerAccess {
  up = true;
  /** The workstation signing in through this link (its tickets are bound to it); set once its store is open. */
  clientId = '';
  failNextPushes = 0;
  pushes = 0;
  /** Pulls that reached the server through this link. */
  pulls = 0;
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

  /** The server's sign-in, as over HTTP: a ticket for this link's workstation, or a LinkError (403: wrong password). */
  async signIn(operator: string, password: string): Promise<SignInResponse> {
    if (!this.up) throw new LinkError('cannot reach the server: network down', true);
    try {
      return await handleSignIn({ operator, password }, deviceOf(this.clientId), this.storage, this.rules.now(), { rule: this.rules.config.signInLockout, timeZone: this.rules.config.force.timeZone });
    } catch (error) {
      if (error instanceof HttpError) throw new LinkError(error.message, error.status >= 500, error.status, undefined, error.message);
      throw error;
    }
  }

  /** The server's administrator requests, as over HTTP (a LinkError carrying the server's words when refused). */
  async admin(request: AdminRequest): Promise<AdminResponse> {
    if (!this.up) throw new LinkError('cannot reach the server: network down', true);
    try {
      const lockout = { rule: this.rules.config.signInLockout, timeZone: this.rules.config.force.timeZone };
      return await handleAdmin(request, deviceOf(this.clientId), { storage: this.storage, ticketSecret: this.ticketSecret, now: this.rules.now(), lockout });
    } catch (error) {
      if (error instanceof HttpError) throw new LinkError(error.message, error.status >= 500, error.status, undefined, error.message);
      throw error;
    }
  }

  /** The server's audit log questions (server/audit/audit-routes.ts), as over HTTP, from this link's workstation. */
  async auditQuery(request: AuditQueryRequest): Promise<AuditQueryResponse> {
    return this.asServer(() => handleAuditQuery(JSON.parse(JSON.stringify(request)), this.auditDeps()));
  }

  async auditExport(request: AuditExportRequest): Promise<AuditExportResponse> {
    return this.asServer(() => handleAuditExport(JSON.parse(JSON.stringify(request)), this.auditDeps()));
  }

  private auditDeps() {
    return { storage: this.storage, rules: this.rules, log: silentLog, device: deviceOf(this.clientId), ticketSecret: this.ticketSecret };
  }

  /** A server route's answer, or its refusal as the HTTP link throws it (a LinkError carrying the server's words). */
  private async asServer<T>(route: () => Promise<T>): Promise<T> {
    if (!this.up) throw new LinkError('cannot reach the server: network down', true);
    try {
      return await route();
    } catch (error) {
      if (error instanceof HttpError) throw new LinkError(error.message, error.status >= 500, error.status, undefined, error.message);
      throw error;
    }
  }

  async pull(query: PullQuery): Promise<PullResponse> {
    if (!this.up) throw new LinkError('cannot reach the server: network down', true);
    this.pulls += 1;
    const page = await this.storage.pull(query);
    // A record stored as a withdrawal was erased: the server's pull marks it so (server/partition-filter.ts), and the
    // workstation then clears what else names it. Other withdrawals are the partition's, which this link leaves out.
    return { ...page, changes: page.changes.map((change) => (change.doc === null ? { ...change, erased: true as const } : change)) };
  }

  live(handlers: LiveHandlers): () => void {
    if (this.up) {
      this.liveHandlers.add(handlers);
      queueMicrotask(() => handlers.onOpen());
    } else {
      queueMicrotask(() => handlers.onClose('network down'));
    }
    return () => this.liveHandlers.delete(handlers);
  }

  /** The network to the server fails: every live channel closes, and nothing gets through until `up` again. */
  cut(): void {
    this.up = false;
    for (const handlers of [...this.liveHandlers]) {
      this.liveHandlers.delete(handlers);
      handlers.onClose('network down');
    }
  }

  /** Live channels open now (a workstation's, once it has (re)connected). */
  get liveChannels(): number {
    return this.liveHandlers.size;
  }

  poke(head: number): void {
    this.send({ type: 'poke', head });
  }

  /** Delivers a message on the live channel as the server's hub would send it (a batch of changes, a poke). */
  send(message: LiveMessage): void {
    for (const handlers of this.liveHandlers) handlers.onMessage(JSON.parse(JSON.stringify(message)) as LiveMessage);
  }
}
