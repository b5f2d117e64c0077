import { placeOnDisplays, type DisplayArea, type WindowBounds, type WindowRole } from '../../shared/domain/desk-layout';
import type { CordonApi } from '../api/cordon-api';

/** What each window of the desk is called, in its header link and its "Open" button. */
export const windowTitles: Record<WindowRole, string> = { incidents: 'Incidents', calltaking: 'Call taking', resources: 'Resources', map: 'Map', supervisor: 'Supervisor', administration: 'Administration' };

/** This window, among the desk's windows: new for every load, so a reload is a new window that replaces nothing. */
const WINDOW_ID = crypto.randomUUID();

function boundsNow(): WindowBounds {
  return {
    x: Math.round(window.screenX),
    y: Math.round(window.screenY),
    width: Math.max(200, Math.round(window.outerWidth)),
    height: Math.max(150, Math.round(window.outerHeight)),
  };
}

/**
 * Keeps the core told where this window is: at once, on resize, every few seconds (browsers say nothing when a
 * window is only moved) and, with no bounds, when it closes. Returns the function that stops reporting.
 */
export function reportWhereThisWindowIs(api: CordonApi, role: WindowRole): () => void {
  const report = (bounds: WindowBounds | null) => void api.call('desk.report', { windowId: WINDOW_ID, role, bounds }).catch(() => undefined);
  const now = () => report(boundsNow());
  const closing = () => report(null);
  now();
  const timer = window.setInterval(now, 5000);
  window.addEventListener('resize', now);
  window.addEventListener('pagehide', closing);
  return () => {
    window.clearInterval(timer);
    window.removeEventListener('resize', now);
    window.removeEventListener('pagehide', closing);
  };
}

/** Opens (or brings forward) the window of a role, where asked: one window per role, named for it. */
export function openRoleWindow(role: WindowRole, bounds?: WindowBounds): Window | null {
  const url = `${window.location.pathname}?role=${encodeURIComponent(role)}`;
  const where = bounds ?? { x: window.screenX + 40, y: window.screenY + 40, width: window.outerWidth, height: window.outerHeight };
  return window.open(url, `cordon-${role}`, `popup,left=${where.x},top=${where.y},width=${where.width},height=${where.height}`);
}

/** The display this window is on: all a page may know without asking for the window-management permission. */
function knownDisplays(): DisplayArea[] {
  const s = window.screen as Screen & { availLeft?: number; availTop?: number };
  return [{ x: s.availLeft ?? 0, y: s.availTop ?? 0, width: s.availWidth, height: s.availHeight }];
}

/**
 * At sign-in: the operator's saved desk comes back. Windows of other roles open where they were (kept on a
 * display that exists); this window stays as it is.
 */
export async function restoreDesk(api: CordonApi, ownRole: WindowRole): Promise<number> {
  const { layout } = await api.call('desk.layout', {});
  if (!layout) return 0;
  const displays = knownDisplays();
  const others = layout.windows.filter((w, i, all) => w.role !== ownRole && all.findIndex((x) => x.role === w.role) === i);
  for (const w of others) openRoleWindow(w.role, placeOnDisplays(w.bounds, displays));
  return others.length;
}

/**
 * Brings the window of a role forward: the desk's own, if this window opened it and it is still there (found by
 * its name, not loaded again, so nothing typed in it is disturbed), else a new one.
 */
export function showRoleWindow(role: WindowRole): Window | null {
  const existing = window.open('', `cordon-${role}`);
  if (!existing) return openRoleWindow(role);
  try {
    if (existing.location.href === 'about:blank') existing.location.replace(`${window.location.pathname}?role=${encodeURIComponent(role)}`);
  } catch {
    // Not ours to read (it cannot be, by its name): open the role afresh.
    return openRoleWindow(role);
  }
  existing.focus();
  return existing;
}
