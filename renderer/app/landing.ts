import { useSyncExternalStore } from 'react';
import { homeWindow, type WindowRole } from '../../shared/domain/desk-layout';
import type { Role } from '../../shared/domain/operator';
import type { CordonApi } from '../api/cordon-api';
import { requestedRole } from './focus';

/**
 * Where the workstation's first window lands. It opens naming no role (the launcher's address has none), shows the
 * sign-in, and becomes the operator's own window: their saved desk's first window if they saved one here, else
 * their role's (a call handler's is Call taking, so a 999 call is in front of them from the first minute). A window
 * opened at a role stays at it. At sign-out the landed window goes back to naming none, for the next operator.
 */

const listeners = new Set<() => void>();
let current: WindowRole | null = requestedRole();
let landing: Promise<WindowRole> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** This window's role as it stands, or null while it is the workstation's first window with nobody landed. */
export function useWindowRole(): WindowRole | null {
  return useSyncExternalStore(subscribe, () => current);
}

function setRole(role: WindowRole | null, landed: boolean): void {
  // The address keeps saying which window this is, so a reload comes back to it; the history entry says it landed.
  history.replaceState(landed ? { cordonLanded: true } : null, '', `${window.location.pathname}${role ? `?role=${role}` : ''}${window.location.hash}`);
  current = role;
  for (const listener of listeners) listener();
}

/**
 * Makes the first window the operator's own (see above) and says which it became; a window that already has a role
 * keeps it. Several callers at once share one landing.
 */
export function landOnDesk(api: CordonApi, roles: readonly Role[]): Promise<WindowRole> {
  if (current) return Promise.resolve(current);
  landing ??= (async () => {
    let target = homeWindow(roles);
    try {
      const { layout } = await api.call('desk.layout', {});
      if (layout?.windows[0]) target = layout.windows[0].role;
    } catch {
      // No saved desk to read: the role's own window will do.
    }
    setRole(target, true);
    return target;
  })().finally(() => {
    landing = null;
  });
  return landing;
}

/** After a sign-out: a window that landed is the first window again, for whoever signs in next. */
export function leaveDesk(): void {
  if ((history.state as { cordonLanded?: boolean } | null)?.cordonLanded) setRole(null, false);
}
