/**
 * Every global shortcut, in one place: the handlers, the legend on screen and the tests all read this table.
 * Function keys, because browsers and window managers keep most Ctrl combinations for themselves; not F1, F5, F7,
 * F10, F11 or F12, which Chromium keeps too (help, reload, caret browsing, menu, full screen, developer tools).
 */
export const keymap = [
  { key: 'F2', action: 'newIncident', label: 'New incident' },
  { key: 'F3', action: 'writeLog', label: 'Write in the selected incident’s log' },
  { key: 'F4', action: 'focusList', label: 'Go to the incident list' },
  { key: 'F6', action: 'find', label: 'Find an incident by reference' },
  { key: 'F8', action: 'findLocation', label: 'Find a location' },
  { key: 'F9', action: 'focusMap', label: 'Go to the map (arrows pan, + and − zoom)' },
  { key: 'F9', shift: true, action: 'conflicts', label: 'Conflicts' },
  { key: 'F8', shift: true, action: 'refused', label: 'Commands the server refused' },
  { key: 'Escape', action: 'home', label: 'Close and return to the list' },
] as const;

export type HotkeyAction = (typeof keymap)[number]['action'];

export function actionFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'>): HotkeyAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  return keymap.find((binding) => binding.key === event.key && ('shift' in binding) === event.shiftKey)?.action ?? null;
}

/** How a binding is written in the legend and in help text. */
export function keyName(binding: (typeof keymap)[number]): string {
  const key = binding.key === 'Escape' ? 'Esc' : binding.key;
  return 'shift' in binding ? `Shift+${key}` : key;
}
