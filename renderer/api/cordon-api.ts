import type { ChannelName, EventName, EventOf, RequestOf, ResponseOf } from '../../shared/contract/channels';
import { ApiError } from '../../shared/contract/errors';
import { parseEvent, parseResponse } from '../../shared/contract/validate';
import type { Transport } from './transport';

/** The typed API the renderer uses, and the only way it reaches the core. Everything arriving is validated. */
export interface CordonApi {
  call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  onLinkChange(listener: (up: boolean) => void): () => void;
}

export function createCordonApi(transport: Transport): CordonApi {
  return {
    async call(channel, request) {
      const reply = await transport.request(channel, request);
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
