import { z } from 'zod';
import { Uuid } from '../domain/ids';
import type { Reply } from './errors';

/**
 * What travels with every request from a window, beside its channel and body, in both hosts. `requestId` is minted
 * in the window when the operator acts (a key pressed, a button clicked): the core does each request id at most
 * once, and answers a repeat with the first answer. `startBy` (epoch ms, the machine's wall clock, which the window
 * and the core share) is when the window stops waiting for an answer, less the time an answer takes to come back:
 * the core never starts a request later than that, so an action the window gave up on never happens afterwards.
 */
export const RequestMeta = z.object({ requestId: Uuid, startBy: z.number().int().nonnegative() });
export type RequestMeta = z.infer<typeof RequestMeta>;

/** How long a window waits for the core to answer a request before telling the operator it did not. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** Of that, the time kept for the answer to come back: the core must start a request before it. */
export const ANSWER_MARGIN_MS = 2_000;

/** The window gives up on a request at this time (epoch ms): its start-by time and the margin for the answer. */
export function giveUpAt(meta: RequestMeta): number {
  return meta.startBy + ANSWER_MARGIN_MS;
}

/** What the window tells the operator when the request never left it: certainly not done. */
export const NOT_SENT: Reply = {
  ok: false,
  error: { code: 'timeout', message: 'The console core could not be reached in time, so this was not done. Try again.' },
};

/** What the window tells the operator when the request left but no answer came back in time. */
export const NO_ANSWER: Reply = {
  ok: false,
  error: {
    code: 'timeout',
    message: 'The console core did not answer in time. It may have done this: look before doing it again. Doing the same again is safe: it is never done twice.',
  },
};
