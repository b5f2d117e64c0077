import { useEffect, useEffectEvent } from 'react';
import { actionFor, type HotkeyAction, type WindowRole } from './keymap';

/**
 * Binds the window role's shortcuts to handlers, for as long as the component is mounted. Function keys are caught
 * in the capture phase, because a focused control (a <select>) would swallow them; Esc in the bubble phase, after
 * any control that has a use for it first (a list to close) has had it. None acts on a key pressed inside an open
 * dialog: the keyboard is the dialog's while it is open. Esc closes it (its default action, which a shortcut's
 * preventDefault would cancel, leaving no key to close it), and an F-key would act on the desk the dialog covers.
 */
export function useHotkeys(role: WindowRole, handlers: Partial<Record<HotkeyAction, () => void>>): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent, phase: 'capture' | 'bubble') => {
    if ((event.key === 'Escape') !== (phase === 'bubble') || event.defaultPrevented) return;
    if (event.target instanceof Element && event.target.closest('dialog[open]')) return;
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
