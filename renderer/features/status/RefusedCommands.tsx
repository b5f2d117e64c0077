import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DeadLetterView, HandledRefusalView } from '../../../shared/contract/channels';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useWallClock } from '../../app/format';
import { heldRefusalWords } from '../../../shared/domain/held-words';
import { describeCommand } from '../conflicts/describe-command';
import { useRecordNames } from '../conflicts/use-record-names';
import { RefusedWithIt, refusedWithItWords } from './RefusedWithIt';
import { DismissRefusalForm, useRefusalHandling } from './use-refusal-handling';

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
  const names = useRecordNames();
  const deadLetters = useConsole((s) => s.sync?.deadLetters ?? 0);
  // The room's record of each refusal (by the command's id), which keeps what was refused with it.
  const records = useConsole((s) => s.refusals);
  const held = useConsole((s) => s.sync?.held.reduce((n, h) => n + h.commands, 0) ?? 0);
  const [refused, setRefused] = useState<DeadLetterView[]>([]);
  const [handled, setHandled] = useState<HandledRefusalView[]>([]);
  const [version, setVersion] = useState(0);
  const handling = useRefusalHandling(refused, list, { idOf: (d) => d.commandId, issuerOf: (d) => d.operator, onHandled: () => setVersion((v) => v + 1) });
  const { current, mayHandle } = handling;

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

  // A command whose arguments went with a record erased is named by its command alone.
  const describe = (d: DeadLetterView) => describeCommand(d.name, d.args, names);

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
      <ul ref={list} role="listbox" aria-label="Refused commands waiting" tabIndex={0} onKeyDown={handling.onListKey} aria-activedescendant={current ? `refused-${current.commandId}` : undefined}>
        {refused.map((d) => (
          <li key={d.commandId} id={`refused-${d.commandId}`} role="option" aria-selected={d.commandId === current?.commandId} onClick={() => handling.select(d.commandId)}>
            {wall.timeWithSeconds(d.issuedAt)} {describe(d)} — {d.operator}: <strong>{d.held ? heldRefusalWords(d.operator, d.reason, d.accountDeactivated) : d.reason}</strong>
            {d.tooLarge && ' (too large for the server)'}
            {refusedWithItWords(records[d.commandId]?.followedBy)}
          </li>
        ))}
      </ul>
      {current && (
        <div className="buttons">
          {mayHandle ? (
            <>
              <button type="button" onClick={handling.redo} disabled={handling.busy}>
                Redo now (R)
              </button>
              <button type="button" onClick={handling.startDismissing} disabled={handling.busy}>
                Dismiss… (D)
              </button>
            </>
          ) : (
            <p>Only {current.operator} or a supervisor may redo or dismiss this.</p>
          )}
        </div>
      )}
      {current && <RefusedWithIt followedBy={records[current.commandId]?.followedBy} />}
      {current && handling.dismissing && <DismissRefusalForm handling={handling} label="Dismiss" what={describe(current)} />}
      {handling.error && <p role="alert">{handling.error}</p>}
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
