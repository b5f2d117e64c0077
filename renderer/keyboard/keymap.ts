/**
 * Every global shortcut, in one place: the handlers, the legend on screen and the tests all read this table.
 * Function keys, because browsers and window managers keep most Ctrl combinations for themselves; not F1, F5, F7,
 * F10, F11 or F12, which Chromium keeps too (help, reload, caret browsing, menu, full screen, developer tools); Shift+F7
 * is free.
 */
import type { WindowRole } from '../../shared/domain/desk-layout';

export type { WindowRole };

interface Binding {
  key: string;
  shift?: true;
  action: string;
  label: string;
  /** The window roles the binding belongs to; absent for every window. */
  roles?: readonly WindowRole[];
}

/**
 * The room's windows: the command line, finding a location, the conflict inbox and the refused commands are theirs;
 * the administration window has none of them (an administrator's work is accounts and records, not incidents).
 */
const ROOM_WINDOWS = ['incidents', 'calltaking', 'resources', 'map', 'supervisor'] as const satisfies readonly WindowRole[];

export const keymap = [
  { key: 'F2', action: 'newIncident', label: 'New incident', roles: ['incidents'] },
  { key: 'F2', action: 'answerNext', label: 'Answer the next call (999 first)', roles: ['calltaking'] },
  { key: 'F2', shift: true, action: 'answer999', label: 'Answer a 999 call' },
  { key: 'F3', action: 'writeLog', label: 'Write in the selected incident’s log', roles: ['incidents'] },
  { key: 'F3', action: 'focusRefusals', label: 'Go to the refused commands waiting across the room', roles: ['supervisor'] },
  { key: 'F3', action: 'useHandset', label: 'Take the caller’s handset position as the location', roles: ['calltaking'] },
  { key: 'F3', shift: true, action: 'focusAlarms', label: 'Go to the alarms and prompts (receipts, reservations due, shift ends, other forces’ requests for a unit and offers of an incident, incidents not taken)', roles: ['incidents', 'resources', 'supervisor'] },
  { key: 'F4', action: 'focusList', label: 'Go to the incident list', roles: ['incidents'] },
  { key: 'F4', shift: true, action: 'focusRecommendations', label: 'Units recommended for the selected incident', roles: ['incidents'] },
  { key: 'F4', action: 'focusUnits', label: 'Go to the units', roles: ['resources'] },
  { key: 'F4', action: 'focusBreaches', label: 'Go to the incidents needing attention', roles: ['supervisor'] },
  { key: 'F4', action: 'attachProposed', label: 'Attach the call to the first proposed incident', roles: ['calltaking'] },
  { key: 'F2', action: 'addOperator', label: 'Add an operator', roles: ['administration'] },
  { key: 'F4', action: 'focusAccounts', label: 'Go to the accounts', roles: ['administration'] },
  { key: 'F3', action: 'eraseRecord', label: 'Erase a record (retention ended, or a lawful request)', roles: ['administration'] },
  { key: 'F7', shift: true, action: 'shareIncident', label: 'Share the selected incident with another force (tier and reason), or change its share', roles: ['incidents'] },
  { key: 'F6', action: 'commandLine', label: 'Command line', roles: ROOM_WINDOWS },
  { key: 'F6', shift: true, action: 'audit', label: 'Audit log: who looked at or changed what, and why' },
  { key: 'F8', action: 'findLocation', label: 'Find a location', roles: ROOM_WINDOWS },
  { key: 'F9', action: 'focusMap', label: 'Go to the map (arrows pan, + and − zoom)', roles: ['incidents', 'resources', 'map'] },
  { key: 'F9', shift: true, action: 'conflicts', label: 'Conflicts', roles: ROOM_WINDOWS },
  { key: 'F8', shift: true, action: 'refused', label: 'Commands the server refused', roles: ROOM_WINDOWS },
  { key: 'Escape', action: 'home', label: 'Close and go back' },
] as const satisfies readonly Binding[];

export type HotkeyAction = (typeof keymap)[number]['action'];

/** The bindings of a window role, in legend order. */
export function bindingsFor(role: WindowRole): readonly (typeof keymap)[number][] {
  return keymap.filter((binding) => !('roles' in binding) || (binding.roles as readonly WindowRole[]).includes(role));
}

export function actionFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'>, role: WindowRole): HotkeyAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  return bindingsFor(role).find((binding) => binding.key === event.key && ('shift' in binding) === event.shiftKey)?.action ?? null;
}

/** How a binding is written in the legend and in help text. */
export function keyName(binding: (typeof keymap)[number]): string {
  const key = binding.key === 'Escape' ? 'Esc' : binding.key;
  return 'shift' in binding ? `Shift+${key}` : key;
}
