import type { Reply } from '../../../shared/contract/errors';
import type { FromCore, ToCore } from './core-messages';

/** The main process's side of the utility process: requests matched to replies by id, events passed on. */
export class CoreLink {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();

  constructor(
    private readonly post: (message: ToCore) => void,
    private readonly onEvent: (event: string, payload: unknown) => void,
  ) {}

  request(channel: string, request: unknown): Promise<Reply> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.waiting.set(id, resolve);
      this.post({ type: 'request', id, channel, request });
    });
  }

  receive(message: FromCore): void {
    if (message.type === 'reply') {
      this.waiting.get(message.id)?.(message.reply);
      this.waiting.delete(message.id);
    } else if (message.type === 'event') {
      this.onEvent(message.event, message.payload);
    }
  }

  /** The core process died: every request still waiting gets a clear answer rather than hanging. */
  failAll(message: string): void {
    for (const resolve of this.waiting.values()) resolve({ ok: false, error: { code: 'unavailable', message } });
    this.waiting.clear();
  }
}
