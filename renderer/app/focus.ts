/** Puts the keyboard on an element by id, after the frame in which it may have appeared. */
export function focusById(id: string, select = false): void {
  requestAnimationFrame(() => {
    const element = document.getElementById(id) as HTMLInputElement | null;
    element?.focus();
    if (select) element?.select?.();
  });
}

/** The window's role, from its address (?role=…): what this window of the desk is for. */
export function windowRole(): 'incidents' | 'calltaking' {
  return new URLSearchParams(window.location.search).get('role') === 'calltaking' ? 'calltaking' : 'incidents';
}
