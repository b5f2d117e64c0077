import { useConsole } from '../../state/use-console';
import { plural, shortTime } from '../../app/format';

/**
 * Always visible: whether this workstation is in step with the central server, and what is waiting. Said in
 * words, not only colour, so nobody has to guess what amber means at 3 a.m.
 */
export function SyncStatusBar() {
  const sync = useConsole((s) => s.sync);
  const linkUp = useConsole((s) => s.linkUp);
  const session = useConsole((s) => s.session);

  let state: 'online' | 'offline' | 'connecting' | 'core-lost' = sync?.connection ?? 'connecting';
  let text: string;
  if (!linkUp) {
    state = 'core-lost';
    text = 'Console core unreachable — reconnecting';
  } else if (!sync || sync.connection === 'connecting') {
    text = 'Connecting to the central server…';
  } else if (sync.connection === 'online') {
    text = sync.pending > 0 ? `Online — sending ${plural(sync.pending, 'command')}` : 'Online';
  } else {
    const since = sync.offlineSince ? ` since ${shortTime(sync.offlineSince)}` : '';
    text = `Offline${since} — ${plural(sync.pending, 'command')} waiting to send`;
  }

  return (
    <footer className="status-bar" data-state={state}>
      <span role="status" aria-label="Connection" title={sync?.lastError ?? undefined}>
        {text}
      </span>
      {sync && sync.deadLetters > 0 && (
        <span role="alert" className="dead-letters">
          {plural(sync.deadLetters, 'command')} refused by the server
        </span>
      )}
      {session && (
        <span className="who">
          {session.operator} at {session.workstation}
        </span>
      )}
    </footer>
  );
}
