import type { Reply } from '../../shared/contract/errors';
import { giveUpAt, NO_ANSWER, type RequestMeta } from '../../shared/contract/request-meta';
import type { PreloadBridge, Transport } from './transport';

/**
 * In Electron, IPC through the preload: the link is up as long as the window lives, and a request reaches the main
 * process at once. Its answer is waited for until the window's deadline, as over the browser host's WebSocket;
 * the core never starts it after its start-by time, so one given up on cannot happen later.
 */
export function electronTransport(bridge: PreloadBridge): Transport {
  return {
    request: (channel, request, meta) => untilGiveUp(bridge.invoke(channel, request, meta), meta),
    subscribe: (listener) => bridge.on(listener),
    onLinkChange: (listener) => {
      listener(true);
      return () => {};
    },
  };
}

function untilGiveUp(answer: Promise<Reply>, meta: RequestMeta): Promise<Reply> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(NO_ANSWER), Math.max(0, giveUpAt(meta) - Date.now()));
    const settle = (reply: Reply) => {
      clearTimeout(timer);
      resolve(reply);
    };
    answer.then(settle, (error: unknown) => settle({ ok: false, error: { code: 'internal', message: `the request could not be passed to the console core: ${String(error)}` } }));
  });
}
