import type { Reply } from '../../../shared/contract/errors';
import { giveUpAt, NO_ANSWER, type RequestMeta } from '../../../shared/contract/request-meta';
import type { FromCore, ToCore } from './core-messages';

/**
 * The main process's side of the utility process: requests matched to replies by id, events passed on. A request
 * is waited for until its window gives up on it (its `startBy` and the answer's margin), no longer: a core that
 * is stuck leaves nothing waiting here for ever, and it never starts what arrives after `startBy`.
 */
export class CoreLink {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: Reply) => void; timer: ReturnType<typeof setTimeout> | null }>();

  constructor(
    private readonly post: (message: ToCore) => void,
    private readonly onEvent: (event: string, payload: unknown) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  request(channel: string, request: unknown, meta?: RequestMeta): Promise<Reply> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      const timer = meta
        ? setTimeout(() => {
            this.waiting.delete(id);
            resolve(NO_ANSWER);
          }, Math.max(0, giveUpAt(meta) - this.now()))
        : null;
      this.waiting.set(id, { resolve, timer });
      this.post({ type: 'request', id, channel, request, ...(meta ? { meta } : {}) });
    });
  }

  receive(message: FromCore): void {
    if (message.type === 'reply') {
      const entry = this.waiting.get(message.id);
      if (!entry) return; // given up on: its window has been told
      this.waiting.delete(message.id);
      if (entry.timer) clearTimeout(entry.timer);
      entry.resolve(message.reply);
    } else if (message.type === 'event') {
      this.onEvent(message.event, message.payload);
    }
  }

  /** The core process died: every request still waiting gets a clear answer rather than hanging. */
  failAll(message: string): void {
    for (const { resolve, timer } of this.waiting.values()) {
      if (timer) clearTimeout(timer);
      resolve({ ok: false, error: { code: 'unavailable', message } });
    }
    this.waiting.clear();
  }
}

