import { WindowRole } from '../../../shared/domain/desk-layout';

/** The one origin console windows load from, served by the app:// protocol handler from the built renderer. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://cordon';

/** Settings every console window is created with: the renderer is a web page with no Node and no way out. */
export const hardenedWebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  webviewTag: false,
  spellcheck: false,
} as const;

export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** A window of the console's own desk (the app's page with a role), the only thing a console window may open. */
export function isDeskWindowUrl(url: string): boolean {
  if (!isAppUrl(url)) return false;
  const parsed = new URL(url);
  return parsed.pathname === '/index.html' && WindowRole.safeParse(parsed.searchParams.get('role')).success;
}
