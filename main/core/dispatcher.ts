import { isChannelName, type ChannelName, type EventName, type EventOf, type ParsedRequestOf, type ResponseOf } from '../../shared/contract/channels';
import { ApiError, type Reply } from '../../shared/contract/errors';
import { nameForMessage, parseRequest, parseResponse } from '../../shared/contract/validate';
import type { RequestMeta } from '../../shared/contract/request-meta';
import { RequestLedger } from './request-ledger';

/** One handler per channel of the contract: the type system refuses a core that forgets one. */
export type Handlers = {
  [C in ChannelName]: (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
};

/**
 * A request from a window: its channel, its body and, from a window, its id and the time by which it must start
 * (see RequestMeta; hosts check its shape). Without them (tests, tools) the request is simply done.
 */
export type Dispatch = (channel: unknown, request: unknown, meta?: RequestMeta) => Promise<Reply>;

export type EventListener = <E extends EventName>(event: E, payload: EventOf<E>) => void;

/**
 * Whether the channel may be used at all, by whoever is signed in: throws an ApiError (`unauthenticated`,
 * `forbidden`) if not. Asked of a known channel before its request is read.
 */
export type Admit = (channel: ChannelName) => void;

/**
 * The single entry point both hosts call with whatever arrived from a window. Unknown channels and bad requests
 * are answered with a clear error before any handler runs, so they change nothing. `admit` is asked before the
 * request is read: a channel the operator may not use is refused as such whatever was sent, so a refused role learns
 * nothing of what the channel takes from a `bad_request`. Each request id is done at most once, and never after its
 * window gave up on it (request-ledger.ts); `now` is the wall clock the windows use.
 */
export function createDispatcher(handlers: Handlers, onInternalError: (error: unknown, channel: string) => void, now: () => number = () => Date.now(), admit: Admit = () => {}): Dispatch {
  const ledger = new RequestLedger(now);
  return (channel, request, meta) => ledger.handle(typeof channel === 'string' ? channel : '', meta, () => run(channel, request));

  async function run(channel: unknown, request: unknown): Promise<Reply> {
    try {
      if (!isChannelName(channel)) throw new ApiError('unknown_channel', `unknown channel ${nameForMessage(channel)}`);
      admit(channel);
      const parsed = parseRequest(channel, request);
      const name = channel;
      const handler = handlers[name] as (request: unknown) => unknown;
      const response = await handler(parsed);
      return { ok: true, value: parseResponse(name, response) };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toBody() };
      onInternalError(error, typeof channel === 'string' ? channel : nameForMessage(channel));
      return { ok: false, error: { code: 'internal', message: 'the console core failed on this request; it has been logged' } };
    }
  }
}
