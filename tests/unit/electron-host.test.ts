import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../shared/contract/channels';
import { fakeElectron, FakeBrowserWindow } from '../fakes/fake-electron';
import { makeTempDir } from '../fakes/temp-dir';

vi.mock('electron', async () => (await import('../fakes/fake-electron')).fakeElectron);

const { registerAppScheme, startElectronShell } = await import('../../main/hosts/electron/electron-shell');

const dir = makeTempDir();
const rendererDir = join(dir.path, 'renderer');
const trusted = { senderFrame: { url: 'app://cordon/index.html?role=incidents' } };

beforeAll(async () => {
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  registerAppScheme();
  await startElectronShell(
    { serverUrl: null, workstation: 'WS-E', operator: 'erin', enrolmentKey: null, dataDir: join(dir.path, 'data'), forceConfigFile: undefined },
    { preload: '/app/preload.cjs', coreProcess: '/app/core-process.cjs', rendererDir },
  );
});
afterAll(() => dir.remove());

describe('the Electron host (against a test double of electron)', () => {
  it('registers one IPC handler per channel of the contract, and none besides', () => {
    expect([...fakeElectron.ipcMain.handlers.keys()].sort()).toEqual(channelNames.map((c) => `cordon:${c}`).sort());
  });

  it('runs the console core in a utility process, started with the workstation settings', () => {
    const [core] = fakeElectron.utilityProcess.forked;
    expect(core?.modulePath).toBe('/app/core-process.cjs');
    expect(core?.posted[0]).toMatchObject({ type: 'start', settings: { workstation: 'WS-E', operator: 'erin' } });
  });

  it('opens hardened windows: isolated, sandboxed, no Node, our preload, our origin', () => {
    const [window] = FakeBrowserWindow.all;
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
    // The first window names no role: it becomes the signed-in operator's own.
    expect(window?.loadedUrl).toBe('app://cordon/index.html');
  });

  it('relays a request from a console window to the core and its reply back', async () => {
    const handler = fakeElectron.ipcMain.handlers.get('cordon:incidents.list')!;
    await expect(handler(trusted, { status: 'open' })).resolves.toEqual({ ok: true, value: { echoed: 'incidents.list' } });
    const core = fakeElectron.utilityProcess.forked[0]!;
    expect(core.posted.at(-1)).toMatchObject({ type: 'request', channel: 'incidents.list', request: { status: 'open' } });
  });

  it('passes each request’s id and deadline on to the core, and refuses malformed ones without reaching it', async () => {
    const handler = fakeElectron.ipcMain.handlers.get('cordon:incidents.list')!;
    const core = fakeElectron.utilityProcess.forked[0]!;
    const meta = { requestId: '6f1c2a4e-0000-4000-8000-000000000003', startBy: Date.now() + 13_000 };
    await expect(handler(trusted, { status: 'open' }, meta)).resolves.toEqual({ ok: true, value: { echoed: 'incidents.list' } });
    expect(core.posted.at(-1)).toMatchObject({ type: 'request', channel: 'incidents.list', meta });
    const before = core.posted.length;
    expect(await handler(trusted, { status: 'open' }, { requestId: 'not-an-id', startBy: 1 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(core.posted.length).toBe(before);
  });

  it('refuses IPC from any page that is not the console, without reaching the core', async () => {
    const core = fakeElectron.utilityProcess.forked[0]!;
    const before = core.posted.length;
    const handler = fakeElectron.ipcMain.handlers.get('cordon:incidents.create')!;
    const reply = await handler({ senderFrame: { url: 'https://evil.example/' } }, {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(core.posted.length).toBe(before);
  });

  it('passes core events to every window', () => {
    fakeElectron.utilityProcess.forked[0]!.emitFromCore({ type: 'event', event: 'sync.status', payload: { connection: 'online' } });
    expect(FakeBrowserWindow.all[0]!.webContents.sent.at(-1)).toEqual(['cordon:event', 'sync.status', { connection: 'online' }]);
  });

  it('sets a CSP on every response and serves the renderer from app:// with it', async () => {
    const callback = vi.fn();
    fakeElectron.session.defaultSession.headersHandler!({ responseHeaders: {} }, callback);
    expect(callback.mock.calls[0]![0].responseHeaders['Content-Security-Policy'][0]).toContain("default-src 'self'");
    const response = (await fakeElectron.protocol.handlers.get('app')!({ url: 'app://cordon/index.html' })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("object-src 'none'");
    const outside = (await fakeElectron.protocol.handlers.get('app')!({ url: 'app://cordon/..%2f..%2fetc/passwd' })) as Response;
    expect(outside.status).toBe(404);
    expect(fakeElectron.protocol.privileged).toEqual([expect.objectContaining({ scheme: 'app' })]);
  });

  it('keeps windows on the console: no navigation away, no new windows, no permissions', () => {
    const contents = FakeBrowserWindow.all[0]!.webContents;
    const away = { preventDefault: vi.fn() };
    contents.listeners.get('will-navigate')!(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const within = { preventDefault: vi.fn() };
    contents.listeners.get('will-navigate')!(within, 'app://cordon/index.html?role=map');
    expect(within.preventDefault).not.toHaveBeenCalled();
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const granted = vi.fn();
    fakeElectron.session.defaultSession.permissionHandler!({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
  });
});

describe('the Electron preload', () => {
  it('exposes only window.cordon with invoke and on, and keeps unknown channels from IPC', async () => {
    await import('../../main/hosts/electron/preload');
    const api = fakeElectron.contextBridge.exposed.get('cordon') as { invoke(c: unknown, r: unknown, m?: unknown): Promise<unknown>; on(l: unknown): () => void };
    expect([...fakeElectron.contextBridge.exposed.keys()]).toEqual(['cordon']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    await expect(api.invoke('store.exec', {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const meta = { requestId: '6f1c2a4e-0000-4000-8000-000000000001', startBy: 1 };
    await api.invoke('incidents.list', { status: 'open' }, meta);
    expect(fakeElectron.ipcRenderer.invoked).toEqual([['cordon:incidents.list', { status: 'open' }, meta]]);
    const seen: unknown[] = [];
    const off = api.on((event: string, payload: unknown) => seen.push([event, payload]));
    fakeElectron.ipcRenderer.listeners.get('cordon:event')!({}, 'sync.status', { connection: 'offline' });
    off();
    expect(seen).toEqual([['sync.status', { connection: 'offline' }]]);
    expect(fakeElectron.ipcRenderer.listeners.has('cordon:event')).toBe(false);
  });
});
