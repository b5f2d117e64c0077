import { useId, useState } from 'react';
import type { IncidentView } from '../../../shared/contract/views';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useMay } from '../session/use-may';
import { gradeLabel } from './describe';
import { clearSaved, keepTypedSince } from '../../app/typed-since';

/**
 * A downgrade somebody asked for, waiting on a supervisor: shown to everyone (the grade has not changed yet), and
 * to a supervisor with the means to confirm or refuse it, with a note for the log.
 */
export function PendingDowngrade({ incident }: { incident: IncidentView }) {
  const wall = useWallClock();
  const api = useApi();
  const id = useId();
  const action = useAction();
  const config = useConsole((s) => s.config);
  const mayDecide = useMay('incident.decideDowngrade');
  const [note, setNote] = useState('');
  const pending = incident.pendingDowngrade;
  if (!pending) return null;

  const decide = (approve: boolean) =>
    void action.run(async () => {
      await api.call('incidents.decideDowngrade', { incidentId: incident.id, approve, note });
      clearSaved(() => setNote(keepTypedSince(note)));
    });

  return (
    <section className="pending-downgrade" aria-label="Downgrade waiting for a supervisor">
      <p role="status">
        Downgrade to {gradeLabel(config, pending.grade)} asked by {pending.requestedBy} at {wall.timeWithSeconds(pending.requestedAt)}: “{pending.reason}”.{' '}
        {mayDecide ? 'Your decision as supervisor:' : 'Waiting for a supervisor; the grade stays until then.'}
      </p>
      {mayDecide && (
        <div className="decide">
          <label htmlFor={`${id}-note`}>Supervisor’s note</label>
          <input id={`${id}-note`} value={note} maxLength={500} autoComplete="off" onChange={(e) => setNote(e.target.value)} />
          <button type="button" disabled={action.busy} onClick={() => decide(true)}>
            Confirm downgrade
          </button>
          <button type="button" disabled={action.busy} onClick={() => decide(false)}>
            Refuse downgrade
          </button>
        </div>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </section>
  );
}
