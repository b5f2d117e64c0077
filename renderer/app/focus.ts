import { WindowRole } from '../../shared/domain/desk-layout';

/**
 * Puts the keyboard on an element by id: at once when it is already on screen, so a key pressed straight after
 * (F4 then ↓) lands where the operator expects; otherwise as soon as it appears (a list still being asked for),
 * giving up after a second rather than snatching focus later.
 */
export function focusById(id: string, select = false): void {
  const put = (element: HTMLInputElement) => {
    element.focus();
    if (select) element.select?.();
  };
  const until = performance.now() + 1000;
  const attempt = () => {
    const element = document.getElementById(id) as HTMLInputElement | null;
    if (element) put(element);
    else if (performance.now() < until) requestAnimationFrame(attempt);
  };
  attempt();
}

/** The window's role, from its address (?role=…): what this window of the desk is for (Incidents when it names none). */
export function windowRole(): WindowRole {
  return requestedRole() ?? 'incidents';
}

/**
 * The role the window's address names, or null for the workstation's first window, opened with none: that one
 * becomes the signed-in operator's own window (see landing.ts).
 */
export function requestedRole(): WindowRole | null {
  const asked = WindowRole.safeParse(new URLSearchParams(window.location.search).get('role'));
  return asked.success ? asked.data : null;
}
