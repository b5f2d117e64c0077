import { z } from 'zod';
import type { Role } from './operator';

/** What each window of a desk is for. */
export const WindowRole = z.enum(['incidents', 'calltaking', 'resources', 'map', 'supervisor', 'administration']);
export type WindowRole = z.infer<typeof WindowRole>;

/** Where a window sits, in the desktop's coordinates (which span every display). */
export const WindowBounds = z.object({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(150).max(20_000),
});
export type WindowBounds = z.infer<typeof WindowBounds>;

/** An operator's desk: which windows, where. Saved per operator at a workstation and restored at sign-in. */
export const DeskLayout = z.object({ windows: z.array(z.object({ role: WindowRole, bounds: WindowBounds })).max(8) });
export type DeskLayout = z.infer<typeof DeskLayout>;

/** A display as the host reports it: its area on the desktop. */
export interface DisplayArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Puts a saved window back where it can be seen: on the display it was on if that display is still there, else
 * onto the first display, at the same size where it fits. A layout saved on a three-screen desk must not open
 * windows off-screen at a two-screen one.
 */
export function placeOnDisplays(bounds: WindowBounds, displays: readonly DisplayArea[]): WindowBounds {
  if (displays.length === 0) return bounds;
  const centreX = bounds.x + bounds.width / 2;
  const centreY = bounds.y + bounds.height / 2;
  const home = displays.find((d) => centreX >= d.x && centreX < d.x + d.width && centreY >= d.y && centreY < d.y + d.height) ?? displays[0]!;
  const width = Math.min(bounds.width, home.width);
  const height = Math.min(bounds.height, home.height);
  const x = Math.min(Math.max(bounds.x, home.x), home.x + home.width - width);
  const y = Math.min(Math.max(bounds.y, home.y), home.y + home.height - height);
  return { x, y, width, height };
}

/** The window each role works in: where an operator lands at a sign-in with no saved desk. */
const ROLE_WINDOWS: Record<Role, WindowRole> = { call_handler: 'calltaking', dispatcher: 'incidents', supervisor: 'supervisor', trainer: 'incidents', admin: 'administration', auditor: 'supervisor' };

/**
 * The roles each window is for, as an allowlist: what a window shows are reads only these roles may make
 * (shared/contract/channel-access.ts), so it is offered to no one else. The room's windows to the room's roles (and
 * to a trainer those an exercise is watched in); the force administrator's to administrators. None is an auditor's:
 * their desk, the audit log, is drawn in whatever window they land on.
 */
const WINDOW_ROLES: Record<WindowRole, readonly Role[]> = {
  incidents: ['call_handler', 'dispatcher', 'supervisor', 'trainer'],
  calltaking: ['call_handler', 'dispatcher', 'supervisor'],
  resources: ['call_handler', 'dispatcher', 'supervisor', 'trainer'],
  map: ['call_handler', 'dispatcher', 'supervisor', 'trainer'],
  // The picture of the room, its breaches and handoffs: a supervisor's and a dispatcher's, not a call handler's (least
  // privilege); its list of the room's refused commands shows a dispatcher only their own (refusal-handlers.ts).
  supervisor: ['dispatcher', 'supervisor'],
  administration: ['admin'],
};

/** The roles a window is for (WINDOW_ROLES), to say whose it is. */
export function rolesForWindow(window: WindowRole): readonly Role[] {
  return WINDOW_ROLES[window];
}

/**
 * The windows an operator may open (and the header links to): those one of their roles is for (WINDOW_ROLES). An
 * administrator alone has the administration window; an auditor alone none to open.
 */
export function windowsFor(roles: readonly Role[]): WindowRole[] {
  return WindowRole.options.filter((window) => roles.some((role) => WINDOW_ROLES[window].includes(role)));
}

/**
 * The window an operator with these roles lands on when they have no saved desk: their first role's (an operator
 * file lists each operator's main role first). Incidents for none.
 */
export function homeWindow(roles: readonly Role[]): WindowRole {
  const first = roles[0];
  return first ? ROLE_WINDOWS[first] : 'incidents';
}
