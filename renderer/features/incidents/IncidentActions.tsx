import { useId, useMemo, useState } from 'react';
import type { AssignmentStatus } from '../../../shared/domain/assignment';
import type { IncidentView } from '../../../shared/contract/views';
import { assignmentStatusNames, canMoveAssignment, deploymentRunBy, runsDeployment } from '../../../shared/domain/assignment';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useAction } from '../../app/use-action';
import { useMay } from '../session/use-may';
import { useNow } from '../../app/use-now';
import { useWallClock } from '../../app/format';
import { awaitingConfirmation, unconfirmed } from '../../../shared/dispatch/receipts';
import { ChangeType } from './ChangeType';
import { ReopenIncident } from './ReopenIncident';

const statusWords: Record<AssignmentStatus, string> = assignmentStatusNames;

/**
 * What a dispatcher does to an incident: take charge of it, move each unit's status on it (with what its terminal
 * said of the deployment), confirm a deployment by radio, answer a terminal's late rejection, change its type, close
 * it (which cancels its reservations, and says so first); and, closed, reopen it. A deployment its crew has not
 * accepted in its grade's time shows as unconfirmed until accepted or confirmed by radio. Deploying is the
 * recommendations' job.
 * Each action carries the version the operator is looking at, so a race lost elsewhere shows as a conflict.
 * A deployment another force runs (its unit assisting here: shared/domain/assignment.ts deploymentRunBy) is shown with
 * its statuses and receipts, read-only: that force moves it and confirms it by radio, and the server refuses this desk.
 */
export function IncidentActions({ incident }: { incident: IncidentView }) {
  const api = useApi();
  const id = useId();
  const config = useConsole((s) => s.config);
  const assignmentsById = useConsole((s) => s.assignments);
  const mayMove = useMay('assignment.setStatus');
  const mayConfirm = useMay('assignment.confirmByRadio');
  const now = useNow(1000);
  const wall = useWallClock();
  const mayClose = useMay('incident.close');
  const mayOwn = useMay('incident.takeOwnership');
  const action = useAction();
  const [closingCode, setClosingCode] = useState('');

  const assignments = useMemo(
    () => Object.values(assignmentsById).filter((a) => a.incidentId === incident.id && a.status !== 'cleared').sort((a, b) => a.assignedAt.localeCompare(b.assignedAt)),
    [assignmentsById, incident.id],
  );
  if (incident.status !== 'open') return <ReopenIncident incident={incident} />;
  const reservations = assignments.filter((a) => a.status === 'reserved');

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
          {assignments.map((assignment) => {
            // Whose deployment it is to run: this force's controls only for one it runs.
            const runBy = deploymentRunBy(assignment);
            const ours = runsDeployment(config?.force.code, assignment);
            return (
              <li key={assignment.id}>
                <strong>{assignment.unitId}</strong> {statusWords[assignment.status]}
                {assignment.status === 'reserved' && assignment.reservedFor && ` for ${wall.dateTime(assignment.reservedFor)}`}
                {assignment.delivery && <span className="delivery" data-delivery={assignment.delivery.state}> · terminal: {assignment.delivery.state}{assignment.delivery.note ? ` (${assignment.delivery.note})` : ''}</span>}
                {assignment.radioConfirmed && <span className="confirmed"> · confirmed by radio at {wall.time(assignment.radioConfirmed.at)} ({assignment.radioConfirmed.by})</span>}
                {config && unconfirmed(config, assignment, incident.grade, now) && (
                  <strong className="unconfirmed" data-unconfirmed>
                    {' '}
                    · UNCONFIRMED: not accepted by the crew, {ours ? 'confirm by radio' : `${runBy} confirms it by radio`}
                  </strong>
                )}
                {assignment.pending && <span className="pending"> not yet on the server</span>}
                {assignment.lateRejection && (
                  <span className="late-rejection">
                    {' '}
                    · its terminal rejected it after it was confirmed{assignment.lateRejection.note ? ` (${assignment.lateRejection.note})` : ''}
                    {ours ? ': ' : `: ${runBy} answers it`}
                    {ours && mayConfirm && (
                      <>
                        <button type="button" onClick={() => void action.run(() => api.call('assignments.answerLateRejection', { assignmentId: assignment.id, standDown: true, assignmentVersion: assignment.version }))}>
                          Stand {assignment.unitId} down
                        </button>
                        <button type="button" onClick={() => void action.run(() => api.call('assignments.answerLateRejection', { assignmentId: assignment.id, standDown: false, assignmentVersion: assignment.version }))}>
                          Keep {assignment.unitId}
                        </button>
                      </>
                    )}
                  </span>
                )}
                {ours && mayConfirm && awaitingConfirmation(assignment) && (
                  <button type="button" onClick={() => void action.run(() => api.call('assignments.confirmByRadio', { assignmentId: assignment.id }))}>
                    {assignment.unitId} confirmed by radio
                  </button>
                )}
                {/* Another force's unit assisting here is its own force's to move (the server refuses this desk). */}
                {config && !ours && <span className="assisting"> · {runBy}&apos;s unit, moved by {runBy}</span>}
                {mayMove &&
                  ours &&
                  (['assigned', 'en_route', 'at_scene', 'committed', 'cleared'] as const)
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
            );
          })}
        </ul>
      )}

      <ChangeType incident={incident} />

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
          {reservations.length > 0 && (
            <p className="closing-cancels">
              Closing cancels the reservation{reservations.length > 1 ? 's' : ''} of{' '}
              {reservations.map((r) => `${r.unitId}${r.reservedFor ? ` for ${wall.dateTime(r.reservedFor)}` : ''}`).join(', ')}.
            </p>
          )}
        </div>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </section>
  );
}
