import { useId, useState, type FormEvent } from 'react';
import type { IncidentView } from '../../../shared/contract/views';
import { findClosingCode } from '../../../shared/domain/force-config';
import { mayReopen, roleNames } from '../../../shared/domain/operator';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { clearSaved, keepTypedSince } from '../../app/typed-since';

/**
 * A closed incident: how it closed, and, for the roles the force allows, reopening it with the reason (a caller
 * rang back, new information). Reopened, it goes back to the queue with its attendance clock running from now.
 * Others are told who may, and that a caller ringing back can be taken as a new incident, linked to this one.
 */
export function ReopenIncident({ incident }: { incident: IncidentView }) {
  const wall = useWallClock();
  const api = useApi();
  const id = useId();
  const action = useAction();
  const config = useConsole((s) => s.config);
  const may = useConsole((s) => (s.config ? mayReopen(s.session?.operator ?? undefined, s.config.reopening) : false));
  const [reason, setReason] = useState('');
  if (!config) return null;
  const code = incident.closingCode ?? '';
  const closedAs = `${findClosingCode(config, code)?.name ?? code} (${code})`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    void action.run(async () => {
      await api.call('incidents.reopen', { incidentId: incident.id, reason, incidentVersion: incident.version });
      clearSaved(() => setReason(keepTypedSince(reason)));
    });
  };

  return (
    <section className="incident-actions reopen" aria-label="Closed incident">
      <p>
        Closed {incident.closedAt ? wall.dateTime(incident.closedAt) : ''} by {incident.closedBy ?? 'someone'}: {closedAs}.
      </p>
      {may ? (
        <form className="close" onSubmit={submit}>
          <label htmlFor={`${id}-reason`}>Why reopen it</label>
          <input id={`${id}-reason`} value={reason} maxLength={500} autoComplete="off" onChange={(e) => setReason(e.target.value)} />
          <button type="submit" disabled={action.busy || !reason.trim()}>
            Reopen incident
          </button>
        </form>
      ) : (
        <p>
          Only a {config.reopening.roles.map((role) => roleNames[role].toLowerCase()).join(' or ')} may reopen it; a caller ringing back about it can be taken
          as a new incident, linked to this one.
        </p>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </section>
  );
}
