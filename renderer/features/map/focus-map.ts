/** The map list's first listbox (the incidents), where the map cannot be drawn. */
export const MAP_LIST_ID = 'map-list-incidents';

/** Puts the keyboard on the map (F9): its canvas, or where it cannot be drawn, the list standing in for it. */
export function focusMap(): void {
  (document.querySelector<HTMLElement>('.map-panel canvas') ?? document.getElementById(MAP_LIST_ID))?.focus();
}
