const KEY_STORAGE = 'cordon.key';

/**
 * The launch key arrives in the address fragment (never sent over HTTP); it is kept for this window's session
 * so a reload still works, and removed from the address bar so it is not left on screen. Where the browser keeps
 * nothing for the console (site data blocked by policy: sessionStorage then throws), it stays in the address, or a
 * reload would lock the window out.
 */
export function takeLaunchKey(): string | null {
  const match = /(?:^#|&)key=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  try {
    if (match?.[1]) {
      sessionStorage.setItem(KEY_STORAGE, match[1]);
      history.replaceState(null, '', window.location.pathname + window.location.search);
      return match[1];
    }
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return match?.[1] ?? null;
  }
}
