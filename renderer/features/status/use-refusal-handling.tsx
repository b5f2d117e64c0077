import { useId, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { mayHandleRefusal } from '../../../shared/commands/refusal-handle';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useAction } from '../../app/use-action';

/** What a list of refused commands needs to let its reader redo or dismiss the chosen one. */
export interface RefusalHandling<T> {
  /** The chosen refusal (the first, until the reader chooses another); undefined when none is waiting. */
  current: T | undefined;
  /** Whether whoever is signed in here may redo or dismiss the chosen one: its issuer, or a supervisor. */
  mayHandle: boolean;
  select(id: string): void;
  redo(): void;
  /** Whether the form asking why it is dismissed is open. */
  dismissing: boolean;
  startDismissing(): void;
  reason: string;
  /** The dismissal form's handlers, for DismissRefusalForm. */
  form: { setReason(reason: string): void; submit(event: FormEvent): void; onReasonKey(event: KeyboardEvent): void; cancel(): void };
  onListKey(event: KeyboardEvent): void;
  busy: boolean;
  /** Why the last redo or dismissal failed (the server's or the core's words), shown beside the list. */
  error: string | null;
}

/**
 * The redo and dismiss handling of a list of refused commands (the workstation's own, or the room's): which one is
 * chosen, the keys (arrows choose, R redoes it now in the signed-in operator's name, D asks why and Enter dismisses
 * it, Esc in the reason cancels only the dismissal), and the calls to the core. `waiting` is in the order shown;
 * `list` is the list box, which keeps the keyboard and gets it back after each redo or dismissal; `idOf` gives a refusal's command id, `issuerOf` the operator who issued it (null: unknown, so only a supervisor
 * may handle it). `onHandled` runs after each redo or dismissal the core accepted.
 */
export function useRefusalHandling<T>(
  waiting: readonly T[],
  list: RefObject<HTMLUListElement | null>,
  { idOf, issuerOf, onHandled }: { idOf(refusal: T): string; issuerOf(refusal: T): string | null; onHandled?(): void },
): RefusalHandling<T> {
  const api = useApi();
  const operator = useConsole((s) => s.session?.operator ?? undefined);
  const action = useAction();
  const [selected, setSelected] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState('');

  const current = waiting.find((r) => idOf(r) === selected) ?? waiting[0];
  const mayHandle = current ? mayHandleRefusal(operator, issuerOf(current)) : false;

  const after = () => {
    setDismissing(false);
    setReason('');
    onHandled?.();
    list.current?.focus();
  };
  const redo = () => {
    if (!current || !mayHandle) return;
    void action.run(() => api.call('refused.redo', { commandId: idOf(current) })).then((done) => done && after());
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!current) return;
    // Said here in the operator's words, before the core's check of the request would say it in its own.
    if (reason.trim() === '') return void action.run(() => Promise.reject(new Error('Say why it is dismissed: the reason is kept with it.')));
    void action.run(() => api.call('refused.dismiss', { commandId: idOf(current), reason })).then((done) => done && after());
  };

  const onListKey = (event: KeyboardEvent) => {
    const index = current === undefined ? -1 : waiting.indexOf(current);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next = waiting[Math.max(0, Math.min(waiting.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (next) setSelected(idOf(next));
      event.preventDefault();
    } else if (event.key.toLowerCase() === 'r' && mayHandle) {
      redo();
      event.preventDefault();
    } else if (event.key.toLowerCase() === 'd' && mayHandle) {
      setDismissing(true);
      event.preventDefault();
    }
  };
  const onReasonKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    // Esc here cancels the dismissal only; the list keeps the keyboard.
    event.preventDefault();
    event.stopPropagation();
    setDismissing(false);
    setReason('');
    list.current?.focus();
  };
  const cancel = () => {
    setDismissing(false);
    setReason('');
  };

  return {
    current,
    mayHandle,
    select: setSelected,
    redo,
    dismissing,
    startDismissing: () => setDismissing(true),
    reason,
    form: { setReason, submit, onReasonKey, cancel },
    onListKey,
    busy: action.busy,
    error: action.error,
  };
}

/**
 * The form that asks why the chosen refused command is dismissed (Enter dismisses it, Esc cancels). `label` names
 * the form; `what` is the command in words.
 */
export function DismissRefusalForm({ handling, label, what }: { handling: RefusalHandling<unknown>; label: string; what: string }) {
  const id = useId();
  const { reason, busy, form } = handling;
  return (
    <form onSubmit={form.submit} aria-label={label}>
      <label htmlFor={`${id}-reason`}>Why dismiss “{what}”?</label>
      <input id={`${id}-reason`} autoFocus value={reason} maxLength={500} onKeyDown={form.onReasonKey} onChange={(e) => form.setReason(e.target.value)} />
      <div className="buttons">
        <button type="submit" disabled={busy}>
          Dismiss (Enter)
        </button>
        <button type="button" onClick={form.cancel}>
          Cancel (Esc)
        </button>
      </div>
    </form>
  );
}
