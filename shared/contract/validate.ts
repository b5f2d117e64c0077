import { describeIssues } from '../validation';
import {
  channels,
  events,
  isChannelName,
  isEventName,
  type ChannelName,
  type EventName,
  type EventOf,
  type ParsedRequestOf,
  type ResponseOf,
} from './channels';
import { ApiError } from './errors';

/** Checks a request that arrived from a window. Throws an ApiError a person can read; the caller changes nothing. */
export function parseRequest<C extends ChannelName>(channel: C, raw: unknown): ParsedRequestOf<C>;
export function parseRequest(channel: unknown, raw: unknown): unknown;
export function parseRequest(channel: unknown, raw: unknown): unknown {
  if (!isChannelName(channel)) throw new ApiError('unknown_channel', `unknown channel ${nameForMessage(channel)}`);
  const result = channels[channel].request.safeParse(raw ?? {});
  // The field and why, not the channel: the words reach the operator's form as they are ("password: enter your
  // password"), and a channel's name is the program's, not theirs.
  if (!result.success) throw new ApiError('bad_request', describeIssues(result.error));
  return result.data;
}

/** Checks a response that arrived from the core (the renderer trusts nothing it did not check). */
export function parseResponse<C extends ChannelName>(channel: C, raw: unknown): ResponseOf<C> {
  const result = channels[channel].response.safeParse(raw);
  if (!result.success) throw new ApiError('internal', `${channel} answered badly: ${describeIssues(result.error)}`);
  return result.data as ResponseOf<C>;
}

export function parseEvent<E extends EventName>(event: E, raw: unknown): EventOf<E>;
export function parseEvent(event: unknown, raw: unknown): unknown;
export function parseEvent(event: unknown, raw: unknown): unknown {
  if (!isEventName(event)) throw new ApiError('bad_request', `unknown event ${nameForMessage(event)}`);
  const result = events[event].safeParse(raw);
  if (!result.success) throw new ApiError('bad_request', `event ${event}: ${describeIssues(result.error)}`);
  return result.data;
}

/** A name from outside, quoted for a message; anything that is not a short string is described, not converted. */
export function nameForMessage(name: unknown): string {
  return typeof name === 'string' ? JSON.stringify(name.slice(0, 64)) : `(a ${name === null ? 'null' : typeof name}, not a name)`;
}
