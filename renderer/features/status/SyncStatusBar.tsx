import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { plural, useWallClockIfLoaded } from '../../app/format';
import { heldWords } from '../../../shared/domain/held-words';
import { SignInAgain } from '../session/SignInAgain';
import { describeConnection, describeRefused } from './describe-link';
import { CatchUpBar } from '../catch-up/CatchUpBar';
import { useMayUse } from '../session/use-may';
import { useWindowRole } from '../../app/landing';

/**
 * Always visible: whether this workstation is in step with the central server (or what blocks it, and what to do),
 * what is waiting to send, what the server refused or holds for a sign-in, and conflicts waiting for a decision.
 */
export function SyncStatusBar() {
  const api = useApi();
  const sync = useConsole((s) => s.sync);
  const linkUp = useConsole((s) => s.linkUp);
  const session = useConsole((s) => s.session);
  const wall = useWallClockIfLoaded();
  const { state, text } = describeConnection(sync, linkUp, wall);
  const me = session?.operator?.id ?? null;
  // The keys to the conflict inbox and the refused list are named only to an operator who may open them, in a window
  // of the room: the administration window has neither (nor a room's conflicts to show).
  const roomWindow = useWindowRole() !== 'administration';
  const conflictsKey = useMayUse('conflicts.list') ? ' — Shift+F9' : '';
  const refusedKey = useMayUse('sync.deadLetters') && roomWindow ? ' — Shift+F8' : '';

  return (
    <footer className="status-bar" data-state={state}>
      <span role="status" aria-label="Connection" title={sync?.lastError ?? undefined}>
        {text}
      </span>
      {sync?.connection === 'blocked' && linkUp && (
        <button type="button" className="check-again" onClick={() => void api.call('sync.checkAgain', {}).catch(() => undefined)}>
          Check again
        </button>
      )}
      {sync?.catchUp && (
        <span className="catch-up">
          <label htmlFor="catch-up">Catching up</label>{' '}
          <progress id="catch-up" max={sync.catchUp.total} value={sync.catchUp.done} aria-valuetext={`${sync.catchUp.done} of ${sync.catchUp.total} changes`} />{' '}
          {sync.catchUp.done.toLocaleString('en-GB')} of {sync.catchUp.total.toLocaleString('en-GB')} changes
        </span>
      )}
      {roomWindow && sync && sync.conflicts > 0 && (
        <span role="status" aria-label="Conflicts" className="conflicts">
          {plural(sync.conflicts, 'conflict')} waiting{conflictsKey}
        </span>
      )}
      {sync?.held.map((held) => (
        <span key={held.operator} role="alert" className="held" title={held.reason ?? undefined}>
          {heldWords(held, me)}
          {held.accountDeactivated ? (held.reason && <span className="held-reason"> ({held.reason})</span>) : null}
          {held.operator === me && !held.accountDeactivated ? <SignInAgain operator={held.operator} /> : refusedKey}
        </span>
      ))}
      {sync && sync.deadLetters > 0 && (
        <span role="alert" className="dead-letters">
          {describeRefused(sync, roomWindow)}
        </span>
      )}
      <CatchUpBar />
      {session && (
        <span className="who">
          {session.operator ? `${session.operator.id} at ${session.workstation}` : `${session.workstation}: nobody signed in`}
        </span>
      )}
    </footer>
  );
}
