import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { isReadChannel } from '../../shared/contract/channel-names';
import type { Reply } from '../../shared/contract/errors';
import type { RequestMeta } from '../../shared/contract/request-meta';
import { derivedId } from '../../shared/domain/derived-id';

/**
 * The window's request being handled: its id, how many commands it has issued so far, and whether it is still being
 * handled (timers a handler starts inherit the scope, and must not take the request's ids after it has answered).
 */
const current = new AsyncLocalStorage<{ requestId: string; commands: number; open: boolean }>();

/**
 * The id of the next command issued: the window's request id for the first command of a request (so the action,
 * its command and the server's log of it share one id), ids derived from it for any more; a fresh one for commands
 * no window asked for (a call ringing, a terminal's receipt).
 */
export function nextCommandId(): string {
  const request = current.getStore();
  if (!request?.open) return randomUUID();
  request.commands += 1;
  return request.commands === 1 ? request.requestId : derivedId(request.requestId, `command-${request.commands}`);
}

/** The answer to a request that arrived after the window had given up on it: not done, and never to be. */
export const ARRIVED_TOO_LATE: Reply = {
  ok: false,
  error: { code: 'timeout', message: 'this reached the console core after the window had stopped waiting for it, so it was not done' },
};

interface Entry {
  channel: string;
  reply: Promise<Reply>;
  /** Until when a repeat is answered from here (set once the answer is known). */
  keepUntil: number;
}

/**
 * Makes every action a window asks for happen at most once: a repeat of a request id (the window's transport
 * sending it again after a reconnect, or the operator's retry of an action that timed out) gets the first answer,
 * or waits for it while the first is still running; a request whose `startBy` has passed is not started at all.
 * A request that failed is forgotten, so that its retry runs (a refused action changed nothing). Reads are never
 * remembered: doing one twice does no harm.
 */
export class RequestLedger {
  private readonly entries = new Map<string, Entry>();

  /**
   * @param now wall-clock epoch ms, the clock `startBy` is written in (not the core's rule clock, which training
   *   may pause).
   * @param keepMs how long an answer is kept for repeats, after it is given.
   * @param maxEntries the most answers kept at once; the oldest go first.
   */
  constructor(
    private readonly now: () => number,
    private readonly keepMs = 10 * 60_000,
    private readonly maxEntries = 2_000,
  ) {}

  /** Runs a request once, as described above; `run` is the dispatch of it. */
  handle(channel: string, meta: RequestMeta | undefined, run: () => Promise<Reply>): Promise<Reply> {
    this.forgetOld();
    const known = meta ? this.entries.get(meta.requestId) : undefined;
    if (known) {
      if (known.channel !== channel) return Promise.resolve({ ok: false, error: { code: 'bad_request', message: 'this request id was already used for another request' } });
      return known.reply;
    }
    if (meta && this.now() > meta.startBy) return Promise.resolve(ARRIVED_TOO_LATE);
    if (!meta) return run();
    const scope = { requestId: meta.requestId, commands: 0, open: true };
    const reply = current.run(scope, run).finally(() => (scope.open = false));
    if (isReadChannel(channel)) return reply;
    const entry: Entry = { channel, reply, keepUntil: Number.POSITIVE_INFINITY };
    this.entries.set(meta.requestId, entry);
    void reply.then((answer) => {
      if (answer.ok) entry.keepUntil = this.now() + this.keepMs;
      else this.entries.delete(meta.requestId);
    });
    return reply;
  }

  private forgetOld(): void {
    const now = this.now();
    // Oldest first (a Map keeps insertion order); stop at the first still worth keeping.
    for (const [id, entry] of this.entries) {
      const expired = entry.keepUntil <= now;
      const overFull = this.entries.size > this.maxEntries;
      if (!expired && !overFull) break;
      this.entries.delete(id);
    }
  }
}
