// The only bridge between a sandboxed console window and Electron: window.cordon with two functions, reaching
// only the contract's channels. Bundled whole, since a sandboxed preload can require nothing but electron.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isChannelName } from '../../../shared/contract/channel-names';

const IPC_PREFIX = 'cordon:';
const EVENT_CHANNEL = 'cordon:event';

contextBridge.exposeInMainWorld('cordon', {
  // `meta`: the request's id and deadline, checked by the main process.
  invoke(channel: unknown, request: unknown, meta?: unknown) {
    if (!isChannelName(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: 'unknown channel' } });
    }
    return ipcRenderer.invoke(`${IPC_PREFIX}${channel}`, request, meta);
  },
  on(listener: (event: string, payload: unknown) => void) {
    const relay = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, relay);
    };
  },
});
