import type { SyncStatus } from '../../../shared/contract/views';
import { useConsole } from '../../state/use-console';
import type { WallClock } from '../../../shared/domain/wall-clock';
import { plural, useWallClockIfLoaded } from '../../app/format';

/** The connection line in words, not only colour, so nobody has to guess what amber means at 3 a.m. */
export function describeConnection(sync: SyncStatus | null, linkUp: boolean, wall: WallClock | null): { state: string; text: string } {
  if (!linkUp) return { state: 'core-lost', text: 'Console core unreachable — reconnecting' };
  if (!sync || sync.connection === 'connecting') return { state: 'connecting', text: 'Connecting to the central server…' };
  const waiting = `${plural(sync.pending, 'command')} waiting to send`;
  const since = sync.offlineSince && wall ? ` since ${wall.time(sync.offlineSince)}` : '';
  switch (sync.connection) {
    case 'online':
      return { state: 'online', text: sync.pending > 0 ? `Online — sending ${plural(sync.pending, 'command')}` : 'Online' };
    case 'reconnecting':
      return { state: 'reconnecting', text: `Reconnecting (offline${since}) — ${waiting}` };
    case 'offline':
      return { state: 'offline', text: `Offline${since} — ${waiting}` };
  }
}

/**
 * Always visible: whether this workstation is in step with the central server, what is waiting to send, what
 * the server refused, and conflicts waiting for a decision.
 */
export function SyncStatusBar() {
  const sync = useConsole((s) => s.sync);
  const linkUp = useConsole((s) => s.linkUp);
  const session = useConsole((s) => s.session);
  const wall = useWallClockIfLoaded();
  const { state, text } = describeConnection(sync, linkUp, wall);

  return (
    <footer className="status-bar" data-state={state}>
      <span role="status" aria-label="Connection" title={sync?.lastError ?? undefined}>
        {text}
      </span>
      {sync?.catchUp && (
        <span className="catch-up">
          <label htmlFor="catch-up">Catching up</label>{' '}
          <progress id="catch-up" max={sync.catchUp.total} value={sync.catchUp.done} aria-valuetext={`${sync.catchUp.done} of ${sync.catchUp.total} changes`} />{' '}
          {sync.catchUp.done.toLocaleString('en-GB')} of {sync.catchUp.total.toLocaleString('en-GB')} changes
        </span>
      )}
      {sync && sync.conflicts > 0 && (
        <span role="status" aria-label="Conflicts" className="conflicts">
          {plural(sync.conflicts, 'conflict')} waiting — Shift+F9
        </span>
      )}
      {sync && sync.deadLetters > 0 && (
        <span role="alert" className="dead-letters">
          {plural(sync.deadLetters, 'command')} refused by the server — Shift+F8
        </span>
      )}
      {session && (
        <span className="who">
          {session.operator ? `${session.operator.id} at ${session.workstation}` : `${session.workstation}: nobody signed in`}
        </span>
      )}
    </footer>
  );
}
