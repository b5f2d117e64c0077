import { useEffect, useRef, useState } from 'react';
import type { DeadLetterView } from '../../../shared/contract/channels';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useWallClock } from '../../app/format';
import { describeCommand } from '../conflicts/describe-command';

/** Commands the server refused for good, with its reasons: kept, never dropped, for the operator to act on. */
export function RefusedCommands({ open, onClose }: { open: boolean; onClose(): void }) {
  const wall = useWallClock();
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const incidents = useConsole((s) => s.incidents);
  const units = useConsole((s) => s.units);
  const deadLetters = useConsole((s) => s.sync?.deadLetters ?? 0);
  const [refused, setRefused] = useState<DeadLetterView[]>([]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    else if (!open && element.open) element.close();
  }, [open]);

  useEffect(() => {
    if (open) void api.call('sync.deadLetters', {}).then((r) => setRefused(r.deadLetters));
  }, [open, api, deadLetters]);

  return (
    <dialog ref={dialog} aria-label="Refused commands" onCancel={(e) => (e.preventDefault(), onClose())}>
      <h2>Refused by the server ({refused.length})</h2>
      {refused.length === 0 && <p>The server has refused nothing from this workstation.</p>}
      <ul aria-label="Refused commands">
        {refused.map((d) => (
          <li key={d.commandId}>
            {wall.timeWithSeconds(d.issuedAt)} {describeCommand(d.name, d.args, { incidents, units })}: <strong>{d.reason}</strong>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onClose}>
        Close (Esc)
      </button>
    </dialog>
  );
}
