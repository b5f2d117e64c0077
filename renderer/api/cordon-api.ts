import type { ChannelName, EventName, EventOf, RequestOf, ResponseOf } from '../../shared/contract/channels';
import { isReadChannel } from '../../shared/contract/channel-names';
import { ApiError } from '../../shared/contract/errors';
import { ANSWER_MARGIN_MS, REQUEST_TIMEOUT_MS, type RequestMeta } from '../../shared/contract/request-meta';
import { parseEvent, parseResponse } from '../../shared/contract/validate';
import type { Transport } from './transport';

/** The typed API the renderer uses, and the only way it reaches the core. Everything arriving is validated. */
export interface CordonApi {
  call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  onLinkChange(listener: (up: boolean) => void): () => void;
}

/** How long the id of an action that timed out is kept for the operator's retry of exactly the same action. */
const RETRY_WINDOW_MS = 5 * 60_000;

/**
 * Each call is one request, with an id minted here, as the operator acts (every call starts from a key or a click),
 * and a deadline (see RequestMeta). An action that timed out and is asked for again, the same, within a few minutes,
 * goes with the same id: if the first did happen after all, the core answers with its result instead of doing it
 * twice.
 */
export function createCordonApi(transport: Transport): CordonApi {
  const timedOut = new Map<string, { requestId: string; until: number }>();

  const metaFor = (retryKey: string | null): RequestMeta => {
    const now = Date.now();
    for (const [key, entry] of timedOut) if (entry.until < now) timedOut.delete(key);
    const earlier = retryKey ? timedOut.get(retryKey) : undefined;
    return { requestId: earlier?.requestId ?? crypto.randomUUID(), startBy: now + REQUEST_TIMEOUT_MS - ANSWER_MARGIN_MS };
  };

  return {
    async call(channel, request) {
      const retryKey = isReadChannel(channel) ? null : `${channel} ${JSON.stringify(request)}`;
      const meta = metaFor(retryKey);
      const reply = await transport.request(channel, request, meta);
      if (retryKey) {
        if (!reply.ok && reply.error.code === 'timeout') timedOut.set(retryKey, { requestId: meta.requestId, until: Date.now() + RETRY_WINDOW_MS });
        else timedOut.delete(retryKey);
      }
      if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
      return parseResponse(channel, reply.value);
    },
    on(event, listener) {
      return transport.subscribe((name, payload) => {
        if (name !== event) return;
        try {
          listener(parseEvent(event, payload));
        } catch (error) {
          console.error(error);
        }
      });
    },
    onLinkChange: (listener) => transport.onLinkChange(listener),
  };
}
