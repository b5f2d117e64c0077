import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, session, utilityProcess, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { channelNames } from '../../../shared/contract/channels';
import type { Reply } from '../../../shared/contract/errors';
import { RequestMeta } from '../../../shared/contract/request-meta';
import { contentSecurityPolicy } from '../content-security-policy';
import { readStaticFile } from '../../../node-common/static-files';
import { AREA_URL_PREFIX, createAreaFiles } from '../../area/area-files';
import { CoreLink } from './core-link';
import type { FromCore, ToCore } from './core-messages';
import { APP_ORIGIN, APP_SCHEME, hardenedWebPreferences, isAppUrl, isDeskWindowUrl } from './window-security';

/** What the shell itself reads of the settings it passes to the core process: the area whose files it serves. */
export interface ShellSettings {
  areaDir?: string;
}

export interface ShellPaths {
  preload: string;
  coreProcess: string;
  rendererDir: string;
}

export const IPC_PREFIX = 'cordon:';
export const EVENT_CHANNEL = 'cordon:event';

/** Must run before the app is ready: app:// behaves as a secure standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * The Electron host: a thin shell. The console core runs in a utility process; this process makes hardened
 * windows, serves the renderer from app://, and relays exactly the contract's channels between the two.
 */
export async function startElectronShell<Settings extends object>(settings: Settings & ShellSettings, paths: ShellPaths): Promise<void> {
  await app.whenReady();
  lockDownSessions(paths.preload);

  // The area's tiles, glyphs and sprites under app://cordon/area/, as the browser host serves them.
  const area = settings.areaDir ? createAreaFiles(settings.areaDir) : null;
  protocol.handle(APP_SCHEME, async (request) => {
    const path = new URL(request.url).pathname;
    const file = path.startsWith(AREA_URL_PREFIX) ? ((await area?.read(path.slice(AREA_URL_PREFIX.length))) ?? null) : await readStaticFile(paths.rendererDir, path);
    if (!file) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'content-type': file.contentType, 'content-security-policy': contentSecurityPolicy(), 'x-content-type-options': 'nosniff' },
    });
  });

  const core = utilityProcess.fork(paths.coreProcess, [], { serviceName: 'Cordon console core', stdio: 'inherit' });
  const link = new CoreLink(
    (message) => core.postMessage(message),
    (event, payload) => {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENT_CHANNEL, event, payload);
    },
  );
  const ready = new Promise<void>((resolve, reject) => {
    core.on('message', (message: FromCore) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'fatal') reject(new Error(message.message));
      else link.receive(message);
    });
  });
  core.on('exit', (code) => {
    link.failAll(`the console core stopped (exit code ${code})`);
    app.quit();
  });
  core.postMessage({ type: 'start', settings } satisfies ToCore<Settings>);

  registerContractHandlers((channel, request, meta) => link.request(channel, request, meta));
  await ready;
  // The first window names no role: it becomes the signed-in operator's own (renderer/app/landing.ts).
  createConsoleWindow(paths.preload, null);

  app.on('window-all-closed', () => {
    core.postMessage({ type: 'stop' });
  });
}

/**
 * The Electron main process from its first line: registers app://, points SQLite at the Electron build shipped with
 * a packaged app, reads the console's options with the parser the launcher gives, and starts the shell; a failure
 * to start is shown in a dialog. The launcher (launch/electron-main.ts) chooses what runs; this owns Electron.
 */
export function runElectronApp<Settings extends object>(parseOptions: (argv: string[]) => (Settings & ShellSettings) | 'help', paths: ShellPaths): void {
  registerAppScheme();
  // A packaged app ships SQLite built for Electron in resources/native; `npm start` points at its own build instead.
  if (app.isPackaged && !process.env.CORDON_SQLITE_NATIVE_BINDING) {
    process.env.CORDON_SQLITE_NATIVE_BINDING = join(process.resourcesPath, 'native', `electron-${process.versions.electron}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
  }
  const options = parseOptions(process.argv.slice(app.isPackaged ? 1 : 2));
  if (options === 'help') {
    app.quit();
    return;
  }
  startElectronShell(options, paths).catch((error: unknown) => {
    dialog.showErrorBox('Cordon could not start', (error as Error).message);
    app.exit(1);
  });
}

/**
 * One ipcMain handler per channel of the contract, and none besides; each refuses senders that are not ours. The
 * request's id and deadline (RequestMeta) come beside it, checked here.
 */
export function registerContractHandlers(forward: (channel: string, request: unknown, meta: RequestMeta | undefined) => Promise<Reply>): void {
  for (const channel of channelNames) {
    ipcMain.handle(`${IPC_PREFIX}${channel}`, (event: IpcMainInvokeEvent, request: unknown, meta?: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'bad_request', message: 'request from a page that is not the console' } } satisfies Reply;
      }
      const checked = meta === undefined ? null : RequestMeta.safeParse(meta);
      if (checked && !checked.success) return { ok: false, error: { code: 'bad_request', message: 'the request id or deadline is malformed' } } satisfies Reply;
      return forward(channel, request, checked?.data);
    });
  }
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  return isAppUrl(event.senderFrame?.url ?? '');
}

export function createConsoleWindow(preload: string, role: string | null): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Cordon',
    backgroundColor: '#101418',
    webPreferences: { ...hardenedWebPreferences, preload },
  });
  void window.loadURL(`${APP_ORIGIN}/index.html${role ? `?role=${encodeURIComponent(role)}` : ''}`);
  return window;
}

/**
 * No window may navigate away, open another site, embed web views, or be granted device permissions. The one
 * window a console window may open is another of its own desk's roles, hardened the same way.
 */
function lockDownSessions(preload: string): void {
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) =>
      isDeskWindowUrl(url)
        ? { action: 'allow', overrideBrowserWindowOptions: { title: 'Cordon', backgroundColor: '#101418', webPreferences: { ...hardenedWebPreferences, preload } } }
        : { action: 'deny' },
    );
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
