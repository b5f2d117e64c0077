const KEY_STORAGE = 'cordon.key';

/**
 * The launch key arrives in the address fragment (never sent over HTTP); it is kept for this window's session
 * so a reload still works, and removed from the address bar so it is not left on screen.
 */
export function takeLaunchKey(): string | null {
  const match = /(?:^#|&)key=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(KEY_STORAGE, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(KEY_STORAGE);
}
