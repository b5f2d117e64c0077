import type { PreloadBridge, Transport } from './transport';

/** In Electron, IPC through the preload: the link is up as long as the window lives. */
export function electronTransport(bridge: PreloadBridge): Transport {
  return {
    request: (channel, request) => bridge.invoke(channel, request),
    subscribe: (listener) => bridge.on(listener),
    onLinkChange: (listener) => {
      listener(true);
      return () => {};
    },
  };
}
