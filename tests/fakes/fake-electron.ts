/**
 * A test double of the parts of the `electron` module the Electron host uses. Electron's binary cannot be
 * downloaded in our build environment; this records what the host asks of Electron so tests can check it.
 */
type Listener = (...args: unknown[]) => unknown;

export class FakeWebContents {
  readonly sent: unknown[][] = [];
  readonly listeners = new Map<string, Listener>();
  windowOpenHandler: Listener | null = null;
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  on(event: string, listener: Listener) {
    this.listeners.set(event, listener);
  }
  setWindowOpenHandler(handler: Listener) {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow {
  static all: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    FakeBrowserWindow.all.push(this);
    fakeElectron.app.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows() {
    return FakeBrowserWindow.all;
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
  }
}

export class FakeUtilityProcess {
  readonly posted: unknown[] = [];
  readonly listeners = new Map<string, Listener>();
  constructor(readonly modulePath: string) {}
  postMessage(message: { type: string; id?: number; channel?: string }) {
    this.posted.push(message);
    // Behaves like the core process: ready once started, and echoes each request back as its reply.
    if (message.type === 'start') queueMicrotask(() => this.listeners.get('message')?.({ type: 'ready', serverUrl: 'http://127.0.0.1:1' }));
    if (message.type === 'request') {
      queueMicrotask(() => this.listeners.get('message')?.({ type: 'reply', id: message.id, reply: { ok: true, value: { echoed: message.channel } } }));
    }
  }
  on(event: string, listener: Listener) {
    this.listeners.set(event, listener);
  }
  emitFromCore(message: unknown) {
    this.listeners.get('message')?.(message);
  }
}

const appListeners = new Map<string, Listener[]>();

export const fakeElectron = {
  app: {
    isPackaged: false,
    whenReady: async () => {},
    on(event: string, listener: Listener) {
      appListeners.set(event, [...(appListeners.get(event) ?? []), listener]);
    },
    emit(event: string, ...args: unknown[]) {
      for (const listener of appListeners.get(event) ?? []) listener(...args);
    },
    quit() {},
    exit() {},
  },
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handlers: new Map<string, Listener>(),
    handle(channel: string, handler: Listener) {
      if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      this.handlers.set(channel, handler);
    },
  },
  protocol: {
    privileged: [] as unknown[],
    handlers: new Map<string, Listener>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      this.privileged.push(...schemes);
    },
    handle(scheme: string, handler: Listener) {
      this.handlers.set(scheme, handler);
    },
  },
  session: {
    defaultSession: {
      permissionHandler: null as Listener | null,
      headersHandler: null as Listener | null,
      setPermissionRequestHandler(handler: Listener) {
        this.permissionHandler = handler;
      },
      webRequest: {
        onHeadersReceived(handler: Listener) {
          fakeElectron.session.defaultSession.headersHandler = handler;
        },
      },
    },
  },
  utilityProcess: {
    forked: [] as FakeUtilityProcess[],
    fork(modulePath: string) {
      const child = new FakeUtilityProcess(modulePath);
      this.forked.push(child);
      return child;
    },
  },
  dialog: { showErrorBox() {} },
  contextBridge: {
    exposed: new Map<string, unknown>(),
    exposeInMainWorld(name: string, api: unknown) {
      this.exposed.set(name, api);
    },
  },
  ipcRenderer: {
    invoked: [] as unknown[][],
    listeners: new Map<string, Listener>(),
    async invoke(...args: unknown[]) {
      this.invoked.push(args);
      return { ok: true, value: null };
    },
    on(channel: string, listener: Listener) {
      this.listeners.set(channel, listener);
    },
    removeListener(channel: string) {
      this.listeners.delete(channel);
    },
  },
};
