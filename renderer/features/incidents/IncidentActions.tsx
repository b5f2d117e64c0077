import { useId, useMemo, useState } from 'react';
import type { AssignmentStatus } from '../../../shared/domain/assignment';
import type { IncidentView } from '../../../shared/contract/views';
import { assignmentStatusNames, canMoveAssignment } from '../../../shared/domain/assignment';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useAction } from '../../app/use-action';
import { useMay } from '../session/use-may';

const statusWords: Record<AssignmentStatus, string> = assignmentStatusNames;

/**
 * What a dispatcher does to an incident: take charge of it, deploy units, move each unit's status on it, close it.
 * Each action carries the version the operator is looking at, so a race lost elsewhere shows as a conflict.
 */
export function IncidentActions({ incident }: { incident: IncidentView }) {
  const api = useApi();
  const id = useId();
  const config = useConsole((s) => s.config);
  const units = useConsole((s) => s.units);
  const assignmentsById = useConsole((s) => s.assignments);
  const mayDeploy = useMay('unit.assign');
  const mayMove = useMay('assignment.setStatus');
  const mayClose = useMay('incident.close');
  const mayOwn = useMay('incident.takeOwnership');
  const action = useAction();
  const [unitId, setUnitId] = useState('');
  const [closingCode, setClosingCode] = useState('');

  const free = useMemo(() => Object.values(units).filter((u) => u.duty === 'on_duty' && !u.commitment).sort((a, b) => a.id.localeCompare(b.id)), [units]);
  const assignments = useMemo(
    () => Object.values(assignmentsById).filter((a) => a.incidentId === incident.id).sort((a, b) => a.assignedAt.localeCompare(b.assignedAt)),
    [assignmentsById, incident.id],
  );
  if (incident.status !== 'open') return null;

  const deploy = () => {
    const unit = units[unitId];
    if (!unit) return;
    void action.run(async () => {
      await api.call('units.assign', { unitId: unit.id, incidentId: incident.id, unitVersion: unit.version });
      setUnitId('');
    });
  };

  return (
    <section className="incident-actions" aria-label="Incident actions">
      {mayOwn && incident.owner === null && (
        <button type="button" onClick={() => void action.run(() => api.call('incidents.takeOwnership', { incidentId: incident.id, incidentVersion: incident.version }))}>
          Take ownership
        </button>
      )}
      {incident.owner && <p>Owned by {incident.owner}</p>}

      {assignments.length > 0 && (
        <ul aria-label="Units on this incident" className="assignments">
          {assignments.map((assignment) => (
            <li key={assignment.id}>
              <strong>{assignment.unitId}</strong> {statusWords[assignment.status]}
              {assignment.pending && <span className="pending"> not yet on the server</span>}
              {mayMove &&
                (['en_route', 'at_scene', 'cleared'] as const)
                  .filter((next) => canMoveAssignment(assignment.status, next))
                  .map((next) => (
                    <button
                      key={next}
                      type="button"
                      aria-label={`${assignment.unitId} ${statusWords[next].toLowerCase()}`}
                      onClick={() => void action.run(() => api.call('assignments.setStatus', { assignmentId: assignment.id, status: next, assignmentVersion: assignment.version }))}
                    >
                      {statusWords[next]}
                    </button>
                  ))}
            </li>
          ))}
        </ul>
      )}

      {mayDeploy && (
        <div className="deploy">
          <label htmlFor={`${id}-unit`}>Unit to deploy</label>
          <select id={`${id}-unit`} value={unitId} onChange={(e) => setUnitId(e.target.value)} onKeyDown={(e) => {
              // Enter deploys; left alone, Chromium would also open the list and keep every key after it.
              if (e.key !== 'Enter') return;
              e.preventDefault();
              deploy();
            }}
          >
            <option value="">{free.length ? 'Choose a unit…' : 'No unit free'}</option>
            {free.map((unit) => (
              <option key={unit.id} value={unit.id}>
                {unit.callSign} ({unit.type}, {unit.homeStation})
              </option>
            ))}
          </select>
          <button type="button" disabled={!unitId || action.busy} onClick={deploy}>
            Deploy
          </button>
        </div>
      )}

      {mayClose && config && (
        <div className="close">
          <label htmlFor={`${id}-closing`}>Closing code</label>
          <select id={`${id}-closing`} value={closingCode} onChange={(e) => setClosingCode(e.target.value)}>
            <option value="">Choose a closing code…</option>
            {config.closingCodes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={!closingCode || action.busy || incident.activeUnits.length > 0}
            title={incident.activeUnits.length > 0 ? 'Clear the units first' : undefined}
            onClick={() => void action.run(() => api.call('incidents.close', { incidentId: incident.id, closingCode, incidentVersion: incident.version }))}
          >
            Close incident
          </button>
        </div>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </section>
  );
}
