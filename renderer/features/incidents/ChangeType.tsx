import { useId, useState, type FormEvent } from 'react';
import type { IncidentView } from '../../../shared/contract/views';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useMay } from '../session/use-may';
import { clearSaved, keepChosenSince, keepTypedSince } from '../../app/typed-since';

/**
 * What the incident turns out to be: another type from the force's list, with a reason if one is worth logging.
 * The type it opened as stays on the record, and the risk assessment is due again at once (RiskAssessment says so).
 */
export function ChangeType({ incident }: { incident: IncidentView }) {
  const api = useApi();
  const id = useId();
  const action = useAction();
  const config = useConsole((s) => s.config);
  const may = useMay('incident.changeType');
  const [type, setType] = useState('');
  const [reason, setReason] = useState('');
  if (!may || !config || incident.status !== 'open') return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!type) return;
    void action.run(async () => {
      await api.call('incidents.changeType', { incidentId: incident.id, type, reason });
      clearSaved(() => {
        setType(keepChosenSince(type));
        setReason(keepTypedSince(reason));
      });
    });
  };

  return (
    <form className="close change-type" aria-label="Change type" onSubmit={submit}>
      <label htmlFor={`${id}-type`}>New type</label>
      <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value)}>
        <option value="">Choose a type…</option>
        {config.incidentTypes
          .filter((t) => t.code !== incident.type)
          .map((t) => (
            <option key={t.code} value={t.code}>
              {t.name}
            </option>
          ))}
      </select>
      <label htmlFor={`${id}-reason`}>Reason for the change</label>
      <input id={`${id}-reason`} value={reason} maxLength={500} autoComplete="off" onChange={(e) => setReason(e.target.value)} />
      <button type="submit" disabled={!type || action.busy}>
        Change type
      </button>
      {action.error && <p role="alert">{action.error}</p>}
    </form>
  );
}
