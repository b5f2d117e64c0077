import { z } from 'zod';
import type { EventName } from './channels';
import type { Reply } from './errors';
import { RequestMeta } from './request-meta';

/**
 * How the browser host carries the contract over its WebSocket: requests with an id, replies naming it, and
 * events. The Electron host needs none of this: its IPC already has the shape.
 */
export const BRIDGE_PATH = '/api';

/** `id` matches the reply to the request on this socket; `meta` is the request's own id and deadline. */
export const BridgeRequest = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(64),
  request: z.unknown(),
  meta: RequestMeta.optional(),
});
export type BridgeRequest = z.infer<typeof BridgeRequest>;

export type BridgeMessage =
  | { type: 'reply'; id: number | null; reply: Reply }
  | { type: 'event'; event: EventName; payload: unknown };

export const BridgeMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply'), id: z.number().int().nullable(), reply: z.unknown() }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
