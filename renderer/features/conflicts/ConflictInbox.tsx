import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { mayOpenConflict } from '../../../shared/domain/conflict';
import { commandDefinitions } from '../../../shared/commands/registry';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { describeCommand, describeTheirs } from './describe-command';
import { useRecordNames } from './use-record-names';

/**
 * The conflict inbox: actions that lost a race, each with both sides, who and when. The operator who made one
 * (or a supervisor, who sees everyone's; a trainer, the exercise's) either accepts what happened or does it again on the current state.
 * Arrow keys choose, A accepts, R does it again, Esc closes.
 */
export function ConflictInbox({ open, onClose }: { open: boolean; onClose(): void }) {
  const wall = useWallClock();
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const conflictsById = useConsole((s) => s.conflicts);
  const names = useRecordNames();
  const operator = useConsole((s) => s.session?.operator ?? null);
  const training = useConsole((s) => s.exercise !== null);
  const action = useAction();
  const [selected, setSelected] = useState<string | null>(null);

  const conflicts = useMemo(
    () =>
      Object.values(conflictsById)
        .filter((c) => c.status === 'open' && mayOpenConflict(operator, c, { training }))
        .sort((a, b) => a.detectedAt.localeCompare(b.detectedAt)),
    [conflictsById, operator, training],
  );
  const current = conflicts.find((c) => c.id === selected) ?? conflicts[0];

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      list.current?.focus();
    } else if (!open && element.open) element.close();
  }, [open]);

  const resolve = (resolution: 'accept_theirs' | 'redo') => {
    if (!current) return;
    void action.run(() => api.call('conflicts.resolve', { conflictId: current.id, resolution }));
  };
  const canRedo = current ? Boolean(commandDefinitions[current.commandName]?.redo) : false;

  const onKeyDown = (event: KeyboardEvent) => {
    const index = conflicts.findIndex((c) => c.id === current?.id);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next = conflicts[Math.max(0, Math.min(conflicts.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (next) setSelected(next.id);
      event.preventDefault();
    } else if (event.key.toLowerCase() === 'a') {
      resolve('accept_theirs');
      event.preventDefault();
    } else if (event.key.toLowerCase() === 'r' && canRedo) {
      resolve('redo');
      event.preventDefault();
    }
  };

  return (
    <dialog ref={dialog} aria-label="Conflicts" className="conflict-inbox" onCancel={(e) => (e.preventDefault(), onClose())} onKeyDown={onKeyDown}>
      <h2>Conflicts ({conflicts.length})</h2>
      {conflicts.length === 0 && <p id="conflicts-empty">Nothing waiting. Every action reached the server as it was made.</p>}
      <ul
        ref={list}
        role="listbox"
        aria-label="Conflicts waiting"
        aria-describedby={conflicts.length === 0 ? 'conflicts-empty' : undefined}
        tabIndex={0}
        aria-activedescendant={current ? `conflict-${current.id}` : undefined}
      >
        {conflicts.map((c) => (
          <li key={c.id} id={`conflict-${c.id}`} role="option" aria-selected={c.id === current?.id} onClick={() => setSelected(c.id)}>
            {describeCommand(c.commandName, c.args, names)} — {c.operator} at {c.workstation}, {wall.timeWithSeconds(c.issuedAt)}
            {c.followedBy?.length ? `, and ${c.followedBy.length} action${c.followedBy.length === 1 ? '' : 's'} refused with it` : ''}
          </li>
        ))}
      </ul>
      {current && (
        <section aria-label="Both sides" className="both-sides">
          <dl>
            <dt>Asked for</dt>
            <dd>
              {describeCommand(current.commandName, current.args, names)} by {current.operator} at {current.workstation}, {wall.timeWithSeconds(current.issuedAt)}
            </dd>
            <dt>What happened</dt>
            <dd>{describeTheirs(current, names)}</dd>
            <dt>Why it lost</dt>
            <dd>{current.reason} (found {wall.timeWithSeconds(current.detectedAt)})</dd>
            {current.followedBy?.length ? (
              <>
                <dt>Refused with it</dt>
                <dd>
                  {/* What was done afterwards on what this action made, refused only because it lost (Conflict.followedBy). */}
                  <ul aria-label="Refused with it">
                    {current.followedBy.map((f) => (
                      <li key={f.commandId}>
                        {describeCommand(f.commandName, f.args, names)} — {f.operator}, {wall.timeWithSeconds(f.issuedAt)}
                      </li>
                    ))}
                  </ul>
                  {/* The crew answered it, so its terminal had it: the desk that sent it tells the terminal it is withdrawn. */}
                  {current.commandName === 'unit.assign' && current.followedBy.some((f) => f.operator.startsWith('terminal ')) && <p>The unit’s terminal has been told the deployment is withdrawn.</p>}
                </dd>
              </>
            ) : null}
          </dl>
          <div className="buttons">
            <button type="button" onClick={() => resolve('accept_theirs')} disabled={action.busy}>
              Accept what happened (A)
            </button>
            {canRedo && (
              <button type="button" onClick={() => resolve('redo')} disabled={action.busy}>
                Do it again now (R)
              </button>
            )}
            <button type="button" onClick={onClose}>
              Close (Esc)
            </button>
          </div>
        </section>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </dialog>
  );
}
