import { useMemo } from 'react';
import { useSelectedIncident } from '../../state/use-selected-incident';
import { attentionReasons } from '../../../shared/dispatch/attention';
import { unitStatus, unitStatusNames, type UnitStatus } from '../../../shared/dispatch/unit-status';
import { displayReference } from '../../../shared/domain/incident';
import { clockOf, openIncidents } from '../../state/console-store';
import { useConsole } from '../../state/use-console';
import { focusById } from '../../app/focus';
import { useNow } from '../../app/use-now';
import { PanelBoundary } from '../../app/PanelBoundary';
import { ShortcutLegend } from '../../app/ShortcutLegend';
import { useHotkeys } from '../../keyboard/use-hotkeys';
import { CommandLine } from '../command-line/CommandLine';
import { useIntents } from '../command-line/use-intents';
import { gradeLabel, incidentTypeName, sharedLabel } from '../incidents/describe';
import type { AssignmentView } from '../../../shared/contract/views';
import { DeskAlarms } from './DeskAlarms';
import { CallRecords } from './CallRecords';
import { SupervisorHandoffs } from './SupervisorHandoffs';
import { ROOM_REFUSALS_ID, RoomRefusals } from './RoomRefusals';
import { RoomMeasures } from './RoomMeasures';
import { useMayUse } from '../session/use-may';

const ATTENTION_ID = 'needs-attention';

/**
 * The supervisor's whole picture: open incidents by grade, those needing attention (target missed or near, waiting
 * too long, a downgrade to decide, risk due again, a deployment not confirmed by its crew, a late rejection to
 * answer), calls waiting, units by status, conflicts waiting; answered calls with no incident or disposal, with their
 * age, and the calls ended without an incident by disposal; and refused commands waiting at any workstation (F3).
 */
export function SupervisorDesk() {
  const config = useConsole((s) => s.config);
  const incidentsById = useConsole((s) => s.incidents);
  const units = useConsole((s) => s.units);
  const assignments = useConsole((s) => s.assignments);
  const contacts = useConsole((s) => s.contacts);
  const conflicts = useConsole((s) => s.conflicts);
  const refusals = useConsole((s) => s.refusals);
  const select = useConsole((s) => s.select);
  // The room's measures are a supervisor's (the server's MEASURE_READERS): another role at this window is not shown a refusal.
  const mayMeasure = useMayUse('measures.get');
  const now = useNow(5000);
  const target = useSelectedIncident();
  const onIntent = useIntents(target, {});
  useHotkeys('supervisor', { focusBreaches: () => focusById(ATTENTION_ID), focusRefusals: () => focusById(ROOM_REFUSALS_ID), home: () => focusById(ATTENTION_ID) });

  const incidents = useMemo(() => openIncidents({ incidents: incidentsById }), [incidentsById]);
  const attention = useMemo(() => {
    if (!config) return [];
    const deployments = new Map<string, AssignmentView[]>();
    for (const a of Object.values(assignments)) if (a.status !== 'cleared') deployments.set(a.incidentId, [...(deployments.get(a.incidentId) ?? []), a]);
    return incidents.flatMap((incident) => {
      const reasons = attentionReasons(config, incident, deployments.get(incident.id) ?? [], clockOf(config, incident, now), now);
      return reasons.length ? [{ incident, reasons }] : [];
    });
  }, [config, incidents, assignments, now]);
  const byStatus = useMemo(() => {
    const counts = new Map<UnitStatus, number>();
    for (const unit of Object.values(units)) {
      const status = unitStatus(unit, (id) => assignments[id], now);
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    return counts;
  }, [units, assignments, now]);
  if (!config) return null;
  const waitingCalls = Object.values(contacts).filter((c) => c.state === 'ringing');
  const openConflicts = Object.values(conflicts).filter((c) => c.status === 'open');
  const waitingRefusals = Object.values(refusals).filter((r) => r.status === 'waiting');

  return (
    <>
      <main className="workspace supervisor">
        <DeskAlarms />
        {/* Focusable: on a short screen the picture scrolls, and the keyboard must be able to scroll it too. */}
        <section aria-labelledby="picture-heading" className="picture" tabIndex={0}>
          <h2 id="picture-heading">The picture now</h2>
          <dl>
            {config.grades.map((grade) => (
              <div key={grade.code}>
                <dt>{gradeLabel(config, grade.code)}</dt>
                <dd>{incidents.filter((i) => i.grade === grade.code).length} open</dd>
              </div>
            ))}
            <div>
              <dt>Calls waiting</dt>
              <dd>
                {waitingCalls.length}
                {waitingCalls.some((c) => c.source === '999') ? ` (${waitingCalls.filter((c) => c.source === '999').length} on 999)` : ''}
              </dd>
            </div>
            <div>
              <dt>Conflicts waiting</dt>
              <dd>{openConflicts.length}</dd>
            </div>
            <div>
              <dt>Refused commands waiting</dt>
              <dd>{waitingRefusals.length}</dd>
            </div>
            {[...byStatus.entries()].map(([status, count]) => (
              <div key={status}>
                <dt>Units {unitStatusNames[status].toLowerCase()}</dt>
                <dd>{count}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section aria-labelledby="attention-heading" className="attention">
          <h2 id="attention-heading">Needing attention ({attention.length})</h2>
          <ul id={ATTENTION_ID} aria-label="Incidents needing attention" tabIndex={0}>
            {attention.map(({ incident, reasons }) => (
              <li key={incident.id}>
                <button type="button" className="link-like" onClick={() => select(incident.id)}>
                  {displayReference(incident)}
                </button>{' '}
                {incident.force === config.force.code ? gradeLabel(config, incident.grade) : sharedLabel(incident)}, {incidentTypeName(config, incident)}: {reasons.join('; ')}
              </li>
            ))}
            {attention.length === 0 && <li className="empty">Nothing needs attention.</li>}
          </ul>
        </section>
        <PanelBoundary part="the handoffs not taken">
          <SupervisorHandoffs />
        </PanelBoundary>
        {mayMeasure && (
          <PanelBoundary part="the room's measures">
            <RoomMeasures />
          </PanelBoundary>
        )}
        <PanelBoundary part="the calls to reconcile">
          <CallRecords />
        </PanelBoundary>
        <PanelBoundary part="the refused commands">
          <RoomRefusals />
        </PanelBoundary>
      </main>
      <PanelBoundary part="the command line">
        <CommandLine target={target} onIntent={onIntent} />
      </PanelBoundary>
      <ShortcutLegend role="supervisor" />
    </>
  );
}
