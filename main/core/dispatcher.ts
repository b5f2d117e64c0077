import type { ChannelName, EventName, EventOf, ParsedRequestOf, ResponseOf } from '../../shared/contract/channels';
import { ApiError, type Reply } from '../../shared/contract/errors';
import { nameForMessage, parseRequest, parseResponse } from '../../shared/contract/validate';

/** One handler per channel of the contract: the type system refuses a core that forgets one. */
export type Handlers = {
  [C in ChannelName]: (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
};

export type Dispatch = (channel: unknown, request: unknown) => Promise<Reply>;

export type EventListener = <E extends EventName>(event: E, payload: EventOf<E>) => void;

/**
 * The single entry point both hosts call with whatever arrived from a window. Unknown channels and bad requests
 * are answered with a clear error before any handler runs, so they change nothing.
 */
export function createDispatcher(handlers: Handlers, onInternalError: (error: unknown, channel: string) => void): Dispatch {
  return async (channel, request) => {
    try {
      const parsed = parseRequest(channel, request);
      const name = channel as ChannelName;
      const handler = handlers[name] as (request: unknown) => unknown;
      const response = await handler(parsed);
      return { ok: true, value: parseResponse(name, response) };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toBody() };
      onInternalError(error, typeof channel === 'string' ? channel : nameForMessage(channel));
      return { ok: false, error: { code: 'internal', message: 'the console core failed on this request; it has been logged' } };
    }
  };
}
