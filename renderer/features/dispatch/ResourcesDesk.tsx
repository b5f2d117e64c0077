import { useEffect, useId, useMemo, useState } from 'react';
import { useSelectedIncident } from '../../state/use-selected-incident';
import type { AssignmentView } from '../../../shared/contract/views';
import { displayReference } from '../../../shared/domain/incident';
import type { UnitDuty } from '../../../shared/domain/unit';
import { statusCode, unitStatus, unitStatusNames } from '../../../shared/dispatch/unit-status';
import { activeAssignments } from '../../state/console-store';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { usePositions } from '../../state/use-positions';
import { useAction } from '../../app/use-action';
import { elapsed, useNow } from '../../app/use-now';
import { useWallClock } from '../../app/format';
import { focusById } from '../../app/focus';
import { LongListbox } from '../../app/LongListbox';
import { useHotkeys } from '../../keyboard/use-hotkeys';
import { PanelBoundary } from '../../app/PanelBoundary';
import { ShortcutLegend } from '../../app/ShortcutLegend';
import { CommandLine } from '../command-line/CommandLine';
import { useIntents } from '../command-line/use-intents';
import { MapPanel } from '../map/MapPanel';
import { focusMap } from '../map/focus-map';
import { useMap } from '../map/map-store';
import { useMay } from '../session/use-may';
import { tourOver } from '../../../shared/dispatch/shifts';
import type { UnitView } from '../../../shared/contract/views';
import type { WallClock } from '../../../shared/domain/wall-clock';
import { DeskAlarms } from './DeskAlarms';
import { clearSaved, keepTypedSince } from '../../app/typed-since';

export const UNIT_LIST_ID = 'unit-list';
/** A board row's height before one is drawn and measured. */
const ROW_PX_ESTIMATE = 50;

/**
 * The resources board: every unit with what it is doing (status and the force's status code), where, for which
 * incident, what its terminal last said, any booking for later, and its tour of duty (booked on until when). Arrow
 * keys choose a unit; it can be booked on (until its shift's end, or a time given) or off, or made unavailable, from
 * here. Only the rows in view are drawn: positions of 2,000 units arrive many times a second.
 */
export function ResourcesDesk() {
  const api = useApi();
  const action = useAction();
  const config = useConsole((s) => s.config);
  const unitsById = useConsole((s) => s.units);
  const assignmentsById = useConsole((s) => s.assignments);
  const incidents = useConsole((s) => s.incidents);
  const fixes = usePositions((s) => s.fixes);
  const now = useNow(5000);
  const wall = useWallClock();
  const mayChangeDuty = useMay('unit.setDuty');
  const [activeId, setActiveId] = useState<string | null>(null);
  const [until, setUntil] = useState('');
  const untilId = useId();
  const target = useSelectedIncident();
  const onIntent = useIntents(target, {});
  const follow = useMap((s) => s.follow);
  // The map follows the unit chosen on the board.
  useEffect(() => follow(activeId), [activeId, follow]);

  const units = useMemo(() => Object.values(unitsById).sort((a, b) => a.callSign.localeCompare(b.callSign)), [unitsById]);
  const reservations = useMemo(() => reservationsByUnit(activeAssignments({ assignments: assignmentsById })), [assignmentsById]);
  const assignmentOf = (id: string) => assignmentsById[id];

  useHotkeys('resources', {
    focusUnits: () => focusById(UNIT_LIST_ID),
    focusMap,
    home: () => focusById(UNIT_LIST_ID),
  });

  if (!config) return null;
  const chosen = activeId ? unitsById[activeId] : undefined;

  const setDuty = (duty: UnitDuty) =>
    chosen &&
    void action.run(async () => {
      // A time typed for booking on is placed by the core: its clock, the force's zone.
      const end = duty === 'on_duty' && chosen.duty === 'off_duty' && until.trim() ? (await api.call('clock.nextTime', { text: until })).at : null;
      await api.call('units.setDuty', { unitId: chosen.id, duty, unitVersion: chosen.version, until: end });
      clearSaved(() => setUntil(keepTypedSince(until)));
    });

  return (
    <>
      <main className="workspace resources">
        <DeskAlarms />
        <section className="unit-board" aria-labelledby="unit-board-heading">
          <h2 id="unit-board-heading">Units ({units.filter((u) => unitStatus(u, assignmentOf, now) === 'available').length} available of {units.length})</h2>
          <LongListbox
            id={UNIT_LIST_ID}
            label="Units"
            items={units}
            activeId={activeId}
            optionIdPrefix="unit-"
            rowPxEstimate={ROW_PX_ESTIMATE}
            onActivate={(unit) => setActiveId(unit.id)}
            row={(unit, position, of) => {
              const status = unitStatus(unit, assignmentOf, now);
              const job = unit.commitment ? assignmentsById[unit.commitment.assignmentId] : undefined;
              const incident = unit.commitment ? incidents[unit.commitment.incidentId] : undefined;
              const booked = reservations.get(unit.id) ?? [];
              const fix = fixes[unit.id];
              return (
                <li
                  key={unit.id}
                  id={`unit-${unit.id}`}
                  role="option"
                  aria-selected={unit.id === activeId}
                  aria-posinset={position}
                  aria-setsize={of}
                  data-row
                  data-status={status}
                  onClick={() => setActiveId(unit.id)}
                >
                  <strong className="call-sign">{unit.callSign}</strong>{' '}
                  <span className="status">
                    {unitStatusNames[status]} (status {statusCode(config, status)})
                  </span>{' '}
                  <span className="type">{config.unitTypes.find((t) => t.code === unit.type)?.name ?? unit.type}</span>{' '}
                  {/* A unit on loan (shared/domain/loan.ts): the lender does not see the borrower's incident, only that it is lent. */}
                  <span className="job">{[incident ? displayReference(incident) : '', unit.loan ? (unit.force === config.force.code ? `lent to ${unit.loan.to}` : `on loan from ${unit.force}`) : ''].filter(Boolean).join(', ')}</span>{' '}
                  <span className="delivery">{job?.delivery ? `terminal: ${job.delivery.state}` : ''}</span>{' '}
                  <span className="booked">{booked.length ? `reserved for ${booked.map((b) => (b.reservedFor ? wall.timeFromToday(b.reservedFor, now) : '')).join(', ')}` : ''}</span>{' '}
                  <span className="fix">{fix ? `position ${elapsed(now - Date.parse(fix.at))} ago${fix.speedKmh > 1 ? `, ${Math.round(fix.speedKmh)} km/h` : ''}` : `at ${unit.homeStation}`}</span>{' '}
                  {/* The row has room for two lines of four cells: the tour leads the last one. */}
                  <span className="skills">
                    {[
                      tourText(unit, wall, now),
                      unit.shift ? `shift ${unit.shift.starts}–${unit.shift.ends}` : '',
                      unit.skills.join(', '),
                      unit.equipment.length ? `carries ${unit.equipment.join(', ')}` : '',
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                  {unit.pending && <span className="pending"> not yet on the server</span>}
                </li>
              );
            }}
          />
          {/* A unit lent by another force is booked on and off by that force only (the server refuses this desk). */}
          {chosen && mayChangeDuty && chosen.force === config.force.code && (
            <div className="duty" aria-label={`Duty of ${chosen.callSign}`} role="group">
              {chosen.duty === 'off_duty' ? (
                <>
                  <button type="button" disabled={action.busy} onClick={() => setDuty('on_duty')}>
                    Book {chosen.callSign} on
                  </button>
                  <label htmlFor={untilId}>until (hh:mm; outside its shift, or to end sooner)</label>
                  <input id={untilId} value={until} size={9} maxLength={12} autoComplete="off" onChange={(e) => setUntil(e.target.value)} />
                </>
              ) : (
                <>
                  <button type="button" disabled={action.busy} onClick={() => setDuty(chosen.duty === 'on_duty' ? 'unavailable' : 'on_duty')}>
                    {chosen.callSign} {chosen.duty === 'on_duty' ? 'unavailable' : 'available'}
                  </button>
                  <button type="button" disabled={action.busy} onClick={() => setDuty('off_duty')}>
                    Book {chosen.callSign} off
                  </button>
                </>
              )}
            </div>
          )}
          {action.error && <p role="alert">{action.error}</p>}
        </section>
        <PanelBoundary part="the map panel">
          <MapPanel />
        </PanelBoundary>
      </main>
      <PanelBoundary part="the command line">
        <CommandLine target={target} onIntent={onIntent} />
      </PanelBoundary>
      <ShortcutLegend role="resources" />
    </>
  );
}

/** A unit's tour of duty as the board says it: booked on until when (by whom), or its shift over. */
function tourText(unit: UnitView, wall: WallClock, now: number): string {
  const tour = unit.tour;
  if (!tour) return '';
  const by = tour.via === 'terminal' ? ' (crew, by terminal)' : '';
  if (!tour.endsAt) return `booked on${by}, no end`;
  const ends = wall.timeFromToday(tour.endsAt, now);
  if (tourOver(unit, now)) return tour.overrun && !tour.overrun.relieved ? `shift ended ${ends}, still on its job` : `shift ended ${ends}`;
  return `on until ${ends}${by}`;
}

/** Each unit's bookings for later (reserved, not yet deployed). */
function reservationsByUnit(active: AssignmentView[]): Map<string, AssignmentView[]> {
  const byUnit = new Map<string, AssignmentView[]>();
  for (const assignment of active) {
    if (assignment.status !== 'reserved') continue;
    byUnit.set(assignment.unitId, [...(byUnit.get(assignment.unitId) ?? []), assignment]);
  }
  return byUnit;
}
