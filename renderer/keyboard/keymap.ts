/**
 * Every global shortcut, in one place: the handlers, the legend on screen and the tests all read this table.
 * Function keys, because browsers and window managers keep most Ctrl combinations for themselves.
 */
export const keymap = [
  { key: 'F2', action: 'newIncident', label: 'New incident' },
  { key: 'F3', action: 'writeLog', label: 'Write in the selected incident’s log' },
  { key: 'F4', action: 'focusList', label: 'Go to the incident list' },
  { key: 'F8', action: 'findLocation', label: 'Find a location' },
  { key: 'F9', action: 'focusMap', label: 'Go to the map (arrows pan, + and − zoom)' },
  { key: 'Escape', action: 'home', label: 'Close and return to the list' },
] as const;

export type HotkeyAction = (typeof keymap)[number]['action'];

export function actionFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey'>): HotkeyAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  return keymap.find((binding) => binding.key === event.key)?.action ?? null;
}
