import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { alarmsHere, sounds, type DeskAlarm } from '../../../shared/dispatch/alarms';
import { tourOver } from '../../../shared/dispatch/shifts';
import { displayReference } from '../../../shared/domain/incident';
import type { AssignmentView, UnitView } from '../../../shared/contract/views';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { consoleNow } from '../../app/console-clock';
import { focusById, windowRole } from '../../app/focus';
import { useHotkeys } from '../../keyboard/use-hotkeys';
import { useMay } from '../session/use-may';
import { RECOMMENDATIONS_ID } from './Recommendations';
import { sharedLabel } from '../incidents/describe';
import { playDeploymentAlarm } from './deployment-alarm-sound';

export const DESK_ALARMS_ID = 'desk-alarms';
/** What Shift+F3 goes to: the first control of the desk's alerts (every alert section is a .desk-alarms). */
const ALERT_ACTIONS = `#${DESK_ALARMS_ID} button, #${DESK_ALARMS_ID} input, .desk-alarms button`;

/**
 * The alarms and prompts this workstation must put in front of its dispatcher (shared/dispatch/alarms.ts): a
 * deployment not accepted in time, a rejection that came after a confirmation, a shift ended on a job, a
 * reservation due. Each was raised once for the room and shows only at the desk whose claim the server kept; it
 * stays until someone deals with it. The alarms (not the prompts) sound once per workstation, whichever of its
 * windows shows them first. Shift+F3 goes to the first (or, with none, to the other alerts: another force's request
 * or offer, an answer, an incident not taken); every action is a button, reachable by Tab.
 */
export function DeskAlarms() {
  const api = useApi();
  const units = useConsole((s) => s.units);
  const assignments = useConsole((s) => s.assignments);
  const session = useConsole((s) => s.session);
  const connection = useConsole((s) => s.sync?.connection);
  const force = useConsole((s) => s.config?.force.code);
  const mayAnswer = useMay('assignment.confirmByRadio');
  const asked = useRef(new Set<string>());
  const [soundedHere, setSoundedHere] = useState<ReadonlySet<string>>(new Set());

  const clientId = session?.clientId;
  const alarms = useMemo(
    () => (clientId && force && mayAnswer ? alarmsHere(Object.values(units), Object.values(assignments), { clientId, online: connection === 'online', force }) : []),
    [units, assignments, clientId, connection, mayAnswer, force],
  );

  // Each alarm sounds once at this desk: the first of its windows to ask the core plays it.
  useEffect(() => {
    for (const alarm of alarms) {
      if (!sounds(alarm) || asked.current.has(alarm.key)) continue;
      asked.current.add(alarm.key);
      api.call('alarms.sound', { key: alarm.key }).then(
        ({ play }) => {
          if (!play) return;
          playDeploymentAlarm();
          setSoundedHere((keys) => new Set(keys).add(alarm.key));
        },
        () => asked.current.delete(alarm.key),
      );
    }
  }, [alarms, api]);

  // The first action of every alert on the desk, in the order the desk shows them: these alarms and prompts, the
  // other forces' requests for a unit and offers of an incident, their answers, the incidents not taken (each a
  // .desk-alarms section). The first button of a request is its Lend, of an offer its Accept; Tab goes on from there.
  useHotkeys(windowRole(), { focusAlarms: () => document.querySelector<HTMLElement>(ALERT_ACTIONS)?.focus() });

  if (alarms.length === 0) return null;
  return (
    <section id={DESK_ALARMS_ID} className="desk-alarms" aria-label="Alarms and prompts">
      <ul>
        {alarms.map((alarm) => (
          <li key={alarm.key} data-kind={alarm.kind} data-sounded-here={soundedHere.has(alarm.key) || undefined}>
            <AlarmItem alarm={alarm} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function AlarmItem({ alarm }: { alarm: DeskAlarm }) {
  switch (alarm.kind) {
    case 'receipt':
      return <ReceiptAlarm assignment={alarm.assignment} />;
    case 'late_rejection':
      return <LateRejection assignment={alarm.assignment} />;
    case 'shift_end':
      return <ShiftEnd unit={alarm.unit} />;
    case 'reservation_due':
      return <ReservationDue assignment={alarm.assignment} />;
  }
}

/** The incident's reference as the desk shows it, or its id's start if this window does not hold it. */
function useReference(incidentId: string): string {
  return useConsole((s) => {
    const incident = s.incidents[incidentId];
    return incident ? displayReference(incident) : `incident ${incidentId.slice(0, 8)}`;
  });
}

function ReceiptAlarm({ assignment }: { assignment: AssignmentView }) {
  const api = useApi();
  const action = useAction();
  const wall = useWallClock();
  const reference = useReference(assignment.incidentId);
  // Another force's incident (this force's unit assisting there) is named by its force and common priority, as its
  // queue names it: its grade is of the other force's scheme and is not sent.
  const urgency = useConsole((s) => {
    const incident = s.incidents[assignment.incidentId];
    if (!incident) return '';
    if (incident.force !== s.config?.force.code) return ` (${sharedLabel(incident)})`;
    return incident.grade ? ` (grade ${incident.grade})` : '';
  });
  const heard = assignment.delivery?.state === 'received' ? 'its terminal received it, the crew has not accepted' : 'no receipt from its terminal';
  return (
    <>
      <p role="alert">
        {assignment.unitId} not confirmed on {reference}
        {urgency}: sent {assignment.delivery ? wall.time(assignment.delivery.at) : ''}, {heard}. Confirm it by radio.
      </p>
      <button type="button" disabled={action.busy} onClick={() => void action.run(() => api.call('assignments.confirmByRadio', { assignmentId: assignment.id }))}>
        {assignment.unitId} confirmed by radio
      </button>
      <ShowIncident incidentId={assignment.incidentId} reference={reference} />
      {action.error && <p role="alert">{action.error}</p>}
    </>
  );
}

function LateRejection({ assignment }: { assignment: AssignmentView }) {
  const api = useApi();
  const action = useAction();
  const reference = useReference(assignment.incidentId);
  const answer = (standDown: boolean) => void action.run(() => api.call('assignments.answerLateRejection', { assignmentId: assignment.id, standDown, assignmentVersion: assignment.version }));
  const note = assignment.lateRejection?.note;
  return (
    <>
      <p role="alert">
        {assignment.unitId}&apos;s terminal rejected {reference} after the deployment was confirmed{note ? ` (${note})` : ''}: stand it down, or keep it?
      </p>
      <button type="button" disabled={action.busy} onClick={() => answer(true)}>
        Stand {assignment.unitId} down
      </button>
      <button type="button" disabled={action.busy} onClick={() => answer(false)}>
        Keep {assignment.unitId} on {reference}
      </button>
      {action.error && <p role="alert">{action.error}</p>}
    </>
  );
}

function ShiftEnd({ unit }: { unit: UnitView }) {
  const api = useApi();
  const action = useAction();
  const wall = useWallClock();
  const id = useId();
  const [until, setUntil] = useState('');
  const reference = useReference(unit.commitment?.incidentId ?? '');
  const force = useConsole((s) => s.config?.force.code);
  const answer = (extendUntil: string | null) => api.call('units.answerShiftEnd', { unitId: unit.id, unitVersion: unit.version, extendUntil });
  // A unit lent by another force: its shift is its own force's to extend or end (the server refuses this desk).
  if (unit.force !== force) {
    return (
      <p role="status">
        {unit.callSign}&apos;s shift ended at {unit.tour?.endsAt ? wall.time(unit.tour.endsAt) : ''} and it is still committed to {reference}: {unit.force}, whose unit it is, relieves it or
        extends its shift.
      </p>
    );
  }
  return (
    <>
      <p role="status">
        {unit.callSign}&apos;s shift ended at {unit.tour?.endsAt ? wall.time(unit.tour.endsAt) : ''} and it is still committed to {reference}: relieve it, or extend its shift.
      </p>
      <button type="button" disabled={action.busy} onClick={() => void action.run(() => answer(null))}>
        Relieve {unit.callSign} (off duty when it clears)
      </button>
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => answer((await api.call('clock.nextTime', { text: until })).at));
        }}
      >
        <label htmlFor={`${id}-until`}>Extend {unit.callSign}&apos;s shift to (hh:mm)</label>
        <input id={`${id}-until`} value={until} size={9} maxLength={12} autoComplete="off" onChange={(e) => setUntil(e.target.value)} />
        <button type="submit" disabled={action.busy || !until.trim()}>
          Extend
        </button>
      </form>
      {action.error && <p role="alert">{action.error}</p>}
    </>
  );
}

function ReservationDue({ assignment }: { assignment: AssignmentView }) {
  const api = useApi();
  const action = useAction();
  const wall = useWallClock();
  const reference = useReference(assignment.incidentId);
  const unit = useConsole((s) => s.units[assignment.unitId]);
  const select = useConsole((s) => s.select);
  const busyWith = (u: UnitView | undefined): string | null => {
    if (!u) return 'not known here';
    if (u.duty === 'off_duty') return 'off duty';
    if (u.duty === 'unavailable') return 'unavailable';
    if (u.commitment) return 'committed to another incident';
    if (tourOver(u, consoleNow())) return 'at the end of its shift';
    return null;
  };
  const why = busyWith(unit);
  const move = (status: 'assigned' | 'cleared') => void action.run(() => api.call('assignments.setStatus', { assignmentId: assignment.id, status, assignmentVersion: assignment.version }));
  return (
    <>
      <p role="status">
        {assignment.unitId}&apos;s reservation for {reference} at {assignment.reservedFor ? wall.time(assignment.reservedFor) : ''} is due
        {why ? `: ${assignment.unitId} is ${why}, choose another unit` : `: ${assignment.unitId} is free`}.
      </p>
      {why === null && (
        <button type="button" disabled={action.busy} onClick={() => move('assigned')}>
          Deploy {assignment.unitId} to {reference} now
        </button>
      )}
      {why !== null && windowRole() === 'incidents' && (
        <button
          type="button"
          onClick={() => {
            select(assignment.incidentId);
            focusById(RECOMMENDATIONS_ID);
          }}
        >
          Choose another unit for {reference}
        </button>
      )}
      <button type="button" disabled={action.busy} onClick={() => move('cleared')}>
        Cancel {assignment.unitId}&apos;s reservation
      </button>
      {action.error && <p role="alert">{action.error}</p>}
    </>
  );
}

function ShowIncident({ incidentId, reference }: { incidentId: string; reference: string }) {
  const select = useConsole((s) => s.select);
  if (windowRole() !== 'incidents') return null;
  return (
    <button type="button" onClick={() => select(incidentId)}>
      Show {reference}
    </button>
  );
}
