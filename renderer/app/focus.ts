import type { WindowRole } from '../keyboard/keymap';

/**
 * Puts the keyboard on an element by id: at once when it is already on screen, so a key pressed straight after
 * (F4 then ↓) lands where the operator expects; otherwise after the frame in which it may appear.
 */
export function focusById(id: string, select = false): void {
  const put = (element: HTMLInputElement) => {
    element.focus();
    if (select) element.select?.();
  };
  const now = document.getElementById(id) as HTMLInputElement | null;
  if (now) return put(now);
  requestAnimationFrame(() => {
    const later = document.getElementById(id) as HTMLInputElement | null;
    if (later) put(later);
  });
}

/** The window's role, from its address (?role=…): what this window of the desk is for. */
export function windowRole(): WindowRole {
  const asked = new URLSearchParams(window.location.search).get('role');
  return asked === 'calltaking' || asked === 'resources' ? asked : 'incidents';
}
