import { useEffect, useEffectEvent } from 'react';
import { actionFor, type HotkeyAction, type WindowRole } from './keymap';

/**
 * Binds the window role's shortcuts to handlers, for as long as the component is mounted. Function keys are caught
 * in the capture phase, because a focused control (a <select>) would swallow them; Esc in the bubble phase, after
 * any control that has a use for it first (a list to close) has had it, and never from inside a dialog: Esc closes
 * the dialog (its default action, which the shortcut's preventDefault would cancel, leaving no key to close it).
 */
export function useHotkeys(role: WindowRole, handlers: Partial<Record<HotkeyAction, () => void>>): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent, phase: 'capture' | 'bubble') => {
    if ((event.key === 'Escape') !== (phase === 'bubble') || event.defaultPrevented) return;
    if (event.key === 'Escape' && event.target instanceof Element && event.target.closest('dialog[open]')) return;
    const action = actionFor(event, role);
    const handler = action ? handlers[action] : undefined;
    if (!handler) return;
    event.preventDefault();
    handler();
  });
  useEffect(() => {
    const capture = (event: KeyboardEvent) => onKeyDown(event, 'capture');
    const bubble = (event: KeyboardEvent) => onKeyDown(event, 'bubble');
    window.addEventListener('keydown', capture, true);
    window.addEventListener('keydown', bubble);
    return () => {
      window.removeEventListener('keydown', capture, true);
      window.removeEventListener('keydown', bubble);
    };
  }, []);
}
