import { useId, useMemo, useRef } from 'react';
import type { RefusalView } from '../../../shared/contract/views';
import { useConsole } from '../../state/use-console';
import { useWallClock } from '../../app/format';
import { useNow } from '../../app/use-now';
import { describeCommand } from '../conflicts/describe-command';
import { useRecordNames } from '../conflicts/use-record-names';
import { RefusedWithIt, refusedWithItWords } from '../status/RefusedWithIt';
import { heldRefusalWords } from '../../../shared/domain/held-words';
import { DismissRefusalForm, useRefusalHandling } from '../status/use-refusal-handling';

export const ROOM_REFUSALS_ID = 'room-refusals';

/**
 * The room's refused commands waiting for someone, whichever workstation issued them (the server records each one):
 * an exception stays here until a named person handles it. The oldest first, each with how long it has waited.
 * Arrow keys choose; R redoes it now in the name of whoever is signed in here (its issuer or a supervisor); D asks
 * why, and Enter dismisses it. The workstation that issued it follows: its alert clears however it was handled.
 */
export function RoomRefusals() {
  const wall = useWallClock();
  const now = useNow(5000);
  const refusals = useConsole((s) => s.refusals);
  const names = useRecordNames();
  const list = useRef<HTMLUListElement>(null);
  const id = useId();

  const waiting = useMemo(() => Object.values(refusals).filter((r) => r.status === 'waiting').sort((a, b) => a.refusedAt.localeCompare(b.refusedAt)), [refusals]);
  const handling = useRefusalHandling(waiting, list, { idOf: (r) => r.id, issuerOf: (r) => r.operator });
  const { current, mayHandle } = handling;
  const describe = (r: RefusalView) => describeCommand(r.commandName, r.args, names);

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
        onKeyDown={handling.onListKey}
        aria-activedescendant={current ? `room-refusal-${current.id}` : undefined}
      >
        {waiting.map((r) => (
          <li key={r.id} id={`room-refusal-${r.id}`} role="option" aria-selected={r.id === current?.id} onClick={() => handling.select(r.id)}>
            {describe(r)} — {r.operator ?? 'unknown operator'} at {r.workstation}, refused at {wall.time(r.refusedAt)}, waiting {waitedFor(now - Date.parse(r.refusedAt))}:{' '}
            <strong>{r.code === 'unauthenticated' ? heldRefusalWords(r.operator, r.reason, r.accountDeactivated) : r.reason}</strong>
            {r.tooLarge && ' (too large for the server)'}
            {refusedWithItWords(r.followedBy)}
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
            <button type="button" onClick={handling.redo} disabled={handling.busy}>
              Redo now, in your name (R)
            </button>
            <button type="button" onClick={handling.startDismissing} disabled={handling.busy}>
              Dismiss… (D)
            </button>
          </div>
        ) : (
          <p>Only {current.operator ?? 'a supervisor'} or a supervisor may redo or dismiss this.</p>
        ))}
      {current && <RefusedWithIt followedBy={current.followedBy} />}
      {current && handling.dismissing && <DismissRefusalForm handling={handling} label="Dismiss a refused command" what={describe(current)} />}
      {handling.error && <p role="alert">{handling.error}</p>}
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
