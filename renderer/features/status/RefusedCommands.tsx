import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DeadLetterView, HandledRefusalView } from '../../../shared/contract/channels';
import { mayHandleRefusal } from '../../../shared/commands/refusal-handle';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { describeCommand } from '../conflicts/describe-command';

const actionWords: Record<HandledRefusalView['action'], string> = { redone: 'Redone', dismissed: 'Dismissed', resent: 'Sent again' };

/**
 * Commands the server refused (or holds for a sign-in, or that were too large to send), with its reasons: kept until
 * someone acts. The operator who issued one, or a supervisor, redoes it (R: the same again, now, in their own name)
 * or dismisses it (D, then the reason, Enter). To change what a command said, do it again by hand and dismiss the
 * refused one saying so. Arrow keys choose; Esc closes (or, while typing a reason, cancels the dismissal).
 */
export function RefusedCommands({ open, onClose }: { open: boolean; onClose(): void }) {
  const wall = useWallClock();
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const incidents = useConsole((s) => s.incidents);
  const units = useConsole((s) => s.units);
  const operator = useConsole((s) => s.session?.operator ?? null);
  const deadLetters = useConsole((s) => s.sync?.deadLetters ?? 0);
  const held = useConsole((s) => s.sync?.held.reduce((n, h) => n + h.commands, 0) ?? 0);
  const action = useAction();
  const [refused, setRefused] = useState<DeadLetterView[]>([]);
  const [handled, setHandled] = useState<HandledRefusalView[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState('');
  const [version, setVersion] = useState(0);
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      list.current?.focus();
    } else if (!open && element.open) element.close();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    void api.call('sync.deadLetters', {}).then((r) => {
      setRefused(r.deadLetters);
      setHandled(r.handled);
    });
  }, [open, api, deadLetters, held, version]);

  const current = refused.find((d) => d.commandId === selected) ?? refused[0];
  const mayHandle = current ? mayHandleRefusal(operator ?? undefined, current.operator) : false;
  const describe = (d: DeadLetterView) => describeCommand(d.name, d.args, { incidents, units });

  const after = () => {
    setDismissing(false);
    setReason('');
    setVersion((v) => v + 1);
    list.current?.focus();
  };
  const redo = () => {
    if (!current || !mayHandle) return;
    void action.run(() => api.call('refused.redo', { commandId: current.commandId })).then((done) => done && after());
  };
  const dismiss = (event: FormEvent) => {
    event.preventDefault();
    if (!current) return;
    void action.run(() => api.call('refused.dismiss', { commandId: current.commandId, reason })).then((done) => done && after());
  };

  const onListKey = (event: KeyboardEvent) => {
    const index = refused.findIndex((d) => d.commandId === current?.commandId);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next = refused[Math.max(0, Math.min(refused.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (next) setSelected(next.commandId);
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

  // Esc closes here, before the window's own Esc (back to the list) can take the key and keep the dialog open.
  const onDialogKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    onClose();
  };

  return (
    <dialog ref={dialog} aria-label="Refused commands" className="refused-commands" onCancel={(e) => (e.preventDefault(), onClose())} onKeyDown={onDialogKey}>
      <h2>Refused by the server ({refused.length})</h2>
      {refused.length === 0 && <p>Nothing waiting: the server has refused nothing from this workstation that is not handled.</p>}
      <ul ref={list} role="listbox" aria-label="Refused commands waiting" tabIndex={0} onKeyDown={onListKey} aria-activedescendant={current ? `refused-${current.commandId}` : undefined}>
        {refused.map((d) => (
          <li key={d.commandId} id={`refused-${d.commandId}`} role="option" aria-selected={d.commandId === current?.commandId} onClick={() => setSelected(d.commandId)}>
            {wall.timeWithSeconds(d.issuedAt)} {describe(d)} — {d.operator}: <strong>{d.held ? `held until ${d.operator} signs in again (${d.reason})` : d.reason}</strong>
            {d.tooLarge && ' (too large for the server)'}
          </li>
        ))}
      </ul>
      {current && (
        <div className="buttons">
          {mayHandle ? (
            <>
              <button type="button" onClick={redo} disabled={action.busy}>
                Redo now (R)
              </button>
              <button type="button" onClick={() => setDismissing(true)} disabled={action.busy}>
                Dismiss… (D)
              </button>
            </>
          ) : (
            <p>Only {current.operator} or a supervisor may redo or dismiss this.</p>
          )}
        </div>
      )}
      {current && dismissing && (
        <form onSubmit={dismiss} aria-label="Dismiss">
          <label htmlFor={`${id}-reason`}>Why dismiss “{describe(current)}”?</label>
          <input id={`${id}-reason`} autoFocus value={reason} maxLength={500} onKeyDown={onReasonKey} onChange={(e) => setReason(e.target.value)} />
          <div className="buttons">
            <button type="submit" disabled={action.busy}>
              Dismiss (Enter)
            </button>
            <button type="button" onClick={() => (setDismissing(false), setReason(''))}>
              Cancel (Esc)
            </button>
          </div>
        </form>
      )}
      {action.error && <p role="alert">{action.error}</p>}
      {handled.length > 0 && (
        <>
          <h3>Handled</h3>
          <ul aria-label="Refused commands handled">
            {handled.map((h) => (
              <li key={h.commandId}>
                {wall.timeWithSeconds(h.issuedAt)} {describe(h)} — {h.operator}: {actionWords[h.action]} by {h.by} at {wall.timeWithSeconds(h.at)}
                {h.handledReason && `: ${h.handledReason}`}
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" onClick={onClose}>
        Close (Esc)
      </button>
    </dialog>
  );
}
