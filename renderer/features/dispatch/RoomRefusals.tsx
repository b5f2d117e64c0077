import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { mayHandleRefusal } from '../../../shared/commands/refusal-handle';
import type { RefusalView } from '../../../shared/contract/views';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useNow } from '../../app/use-now';
import { describeCommand } from '../conflicts/describe-command';

export const ROOM_REFUSALS_ID = 'room-refusals';

/**
 * The room's refused commands waiting for someone, whichever workstation issued them (the server records each one):
 * an exception stays here until a named person handles it. The oldest first, each with how long it has waited.
 * Arrow keys choose; R redoes it now in the name of whoever is signed in here (its issuer or a supervisor); D asks
 * why, and Enter dismisses it. The workstation that issued it follows: its alert clears however it was handled.
 */
export function RoomRefusals() {
  const api = useApi();
  const wall = useWallClock();
  const now = useNow(5000);
  const refusals = useConsole((s) => s.refusals);
  const incidents = useConsole((s) => s.incidents);
  const units = useConsole((s) => s.units);
  const operator = useConsole((s) => s.session?.operator ?? undefined);
  const action = useAction();
  const list = useRef<HTMLUListElement>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState('');
  const id = useId();

  const waiting = useMemo(() => Object.values(refusals).filter((r) => r.status === 'waiting').sort((a, b) => a.refusedAt.localeCompare(b.refusedAt)), [refusals]);
  const current = waiting.find((r) => r.id === selected) ?? waiting[0];
  const mayHandle = current ? mayHandleRefusal(operator, current.operator) : false;
  const describe = (r: RefusalView) => (r.args === null ? r.commandName : describeCommand(r.commandName, r.args, { incidents, units }));

  const after = () => {
    setDismissing(false);
    setReason('');
    list.current?.focus();
  };
  const redo = () => {
    if (!current || !mayHandle) return;
    void action.run(() => api.call('refused.redo', { commandId: current.id })).then((done) => done && after());
  };
  const dismiss = (event: FormEvent) => {
    event.preventDefault();
    if (!current) return;
    void action.run(() => api.call('refused.dismiss', { commandId: current.id, reason })).then((done) => done && after());
  };

  const onListKey = (event: KeyboardEvent) => {
    const index = waiting.findIndex((r) => r.id === current?.id);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next = waiting[Math.max(0, Math.min(waiting.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (next) setSelected(next.id);
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

  return (
    <section aria-labelledby={`${id}-heading`} className="room-refusals">
      <h2 id={`${id}-heading`}>Refused commands waiting ({waiting.length})</h2>
      <ul
        id={ROOM_REFUSALS_ID}
        ref={list}
        role="listbox"
        aria-label="Refused commands waiting across the room"
        aria-describedby={waiting.length === 0 ? `${id}-empty` : undefined}
        tabIndex={0}
        onKeyDown={onListKey}
        aria-activedescendant={current ? `room-refusal-${current.id}` : undefined}
      >
        {waiting.map((r) => (
          <li key={r.id} id={`room-refusal-${r.id}`} role="option" aria-selected={r.id === current?.id} onClick={() => setSelected(r.id)}>
            {describe(r)} — {r.operator ?? 'unknown operator'} at {r.workstation}, refused at {wall.time(r.refusedAt)}, waiting {waitedFor(now - Date.parse(r.refusedAt))}:{' '}
            <strong>{r.code === 'unauthenticated' ? `held until ${r.operator ?? 'its operator'} signs in again (${r.reason})` : r.reason}</strong>
            {r.tooLarge && ' (too large for the server)'}
          </li>
        ))}
      </ul>
      {waiting.length === 0 && (
        <p id={`${id}-empty`} className="empty">
          No refused commands waiting at any workstation.
        </p>
      )}
      {current &&
        (mayHandle ? (
          <div className="buttons">
            <button type="button" onClick={redo} disabled={action.busy}>
              Redo now, in your name (R)
            </button>
            <button type="button" onClick={() => setDismissing(true)} disabled={action.busy}>
              Dismiss… (D)
            </button>
          </div>
        ) : (
          <p>Only {current.operator ?? 'a supervisor'} or a supervisor may redo or dismiss this.</p>
        ))}
      {current && dismissing && (
        <form onSubmit={dismiss} aria-label="Dismiss a refused command">
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
    </section>
  );
}

/** How long a refusal has waited, in words a supervisor reads at a glance: "under a minute", "12 min", "2 h 05 min". */
export function waitedFor(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
