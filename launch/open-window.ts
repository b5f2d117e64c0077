import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether windows can be shown at all: a desktop session, not a bare server or a CI box. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform === 'win32' || process.platform === 'darwin') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];
const MAC_APPS = ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

/** A Chromium-family browser to open console windows in, as app windows with their own profile. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CORDON_BROWSER) return env.CORDON_BROWSER;
  if (process.platform === 'darwin') return MAC_APPS.find((app) => existsSync(app)) ?? null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of CANDIDATES) {
      const path = join(dir, process.platform === 'win32' ? `${name}.exe` : name);
      if (existsSync(path)) return path;
    }
  }
  return null;
}

/**
 * Opens a console window. In Chromium as an app window (no address bar, no tabs to lose it among) with a profile
 * of this workstation's own; otherwise in whatever browser the desktop opens links with.
 */
export function openWindow(url: string, profileDir: string): void {
  const chromium = findChromium();
  const [command, args] = chromium
    ? [chromium, [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--no-default-browser-check', '--disable-background-networking', '--disable-sync']]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', (error) => console.error(`cordon: could not open a window (${error.message}); open ${url} yourself`));
  child.unref();
}
