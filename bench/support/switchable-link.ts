import type { LiveHandlers, PullQuery, ServerAccess, ServerLink } from '../../main/sync/server-link';
import { LinkError } from '../../main/sync/server-link';
import type { PullResponse, PushRequest, PushResponse, SignInResponse } from '../../shared/sync/protocol';

/**
 * A workstation's real link to the server with a switch in it: while `up` is false every request fails as an
 * unreachable server does, and live messages (changes, pokes) are not passed on. A network outage, for benchmarks that run through one.
 */
export class SwitchableLink implements ServerLink, ServerAccess {
  up = true;

  constructor(private readonly inner: ServerLink & ServerAccess) {}

  push(request: PushRequest): Promise<PushResponse> {
    return this.up ? this.inner.push(request) : this.unreachable();
  }

  pull(query: PullQuery): Promise<PullResponse> {
    return this.up ? this.inner.pull(query) : this.unreachable();
  }

  signIn(operator: string, password: string): Promise<SignInResponse> {
    return this.up ? this.inner.signIn(operator, password) : this.unreachable();
  }

  live(handlers: LiveHandlers, schemaVersion?: number): () => void {
    return this.inner.live({ ...handlers, onMessage: (message) => this.up && handlers.onMessage(message) }, schemaVersion);
  }

  private unreachable(): Promise<never> {
    return Promise.reject(new LinkError('cannot reach the server: the network is down (benchmark outage)', true));
  }
}
