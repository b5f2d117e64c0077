import { useEffect, useEffectEvent } from 'react';
import { actionFor, type HotkeyAction } from './keymap';

/** Binds the global shortcuts of the keymap to handlers, for as long as the component is mounted. */
export function useHotkeys(handlers: Partial<Record<HotkeyAction, () => void>>): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    const action = actionFor(event);
    const handler = action ? handlers[action] : undefined;
    if (!handler) return;
    event.preventDefault();
    handler();
  });
  // Capture phase: a focused control (a <select> swallows function keys) must not keep a shortcut from working.
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
