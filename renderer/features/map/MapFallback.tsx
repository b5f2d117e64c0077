import { useMemo, useState } from 'react';
import { incidentPriority } from '../../../shared/domain/common-priority';
import { describePosition } from '../../../shared/area/grid-reference';
import { distanceAndDirection } from '../../../shared/area/distance-words';
import type { UnitView } from '../../../shared/contract/views';
import { unitStatus, unitStatusNames } from '../../../shared/dispatch/unit-status';
import { homeOf } from '../../../shared/domain/force-config';
import { displayReference } from '../../../shared/domain/incident';
import { describeLocation, type GeoPoint } from '../../../shared/domain/location';
import { LongListbox } from '../../app/LongListbox';
import { useNow } from '../../app/use-now';
import { openIncidents } from '../../state/console-store';
import { useConsole } from '../../state/use-console';
import { usePositionsStore } from '../../state/use-positions';
import { gradeLabel, incidentTypeName, sharedLabel } from '../incidents/describe';
import { resultSummary } from './describe-result';
import { MAP_LIST_ID } from './focus-map';
import { useMap } from './map-store';
import { byDistance, chooseReference, referenceHeading, type ListReference } from './map-list';

const UNIT_LIST_ID = 'map-list-units';
/** A row's height before one is drawn and measured (two lines). */
const ROW_PX_ESTIMATE = 48;
/** Units' positions are read again this often: the list is for finding who is near, not for watching them move. */
const POSITIONS_READ_EVERY_MS = 5000;

/**
 * The map, where it cannot be drawn (no WebGL, its library failed): the incidents and units it would have shown, as
 * two lists to move through by keyboard, each row with how far and which way it is from the selected incident (or
 * the unit chosen, or the place found) and its grid reference. Says once, at the top, why there is no map.
 */
export function MapFallback({ problem, onRetry }: { problem: string; onRetry(): void }) {
  const config = useConsole((s) => s.config);
  const incidentsById = useConsole((s) => s.incidents);
  const unitsById = useConsole((s) => s.units);
  const assignments = useConsole((s) => s.assignments);
  const selectedId = useConsole((s) => s.selectedId);
  const following = useMap((s) => s.following);
  const found = useMap((s) => s.selected);
  const positions = usePositionsStore();
  const now = useNow(POSITIONS_READ_EVERY_MS);
  const [activeIncident, setActiveIncident] = useState<string | null>(null);
  const [activeUnit, setActiveUnit] = useState<string | null>(null);

  // Read on the list's own tick, not at every report: 2,000 units report every second.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const fixes = useMemo(() => positions.getState().fixes, [positions, now]);
  const unitPoint = (unit: UnitView): GeoPoint | null => fixes[unit.id]?.point ?? (config ? (homeOf(config, unit) ?? null) : null);

  const foundPlace = found ? { point: { lat: found.center[1], lon: found.center[0] }, name: resultSummary(found), what: 'the place found' } : null;
  const followedUnit = following ? unitsById[following] : undefined;
  const selectedIncident = selectedId ? incidentsById[selectedId] : undefined;
  const reference = chooseReference([
    followedUnit ? { point: unitPoint(followedUnit), name: followedUnit.callSign, what: 'the unit chosen' } : null,
    selectedIncident ? { point: selectedIncident.location.point, name: displayReference(selectedIncident), what: 'the selected incident' } : null,
    foundPlace,
  ]);

  const incidents = useMemo(
    () => byDistance(openIncidents({ incidents: incidentsById }), (i) => i.id, (i) => i.location.point, reference),
    // The reference is rebuilt each render; its point and name are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [incidentsById, reference?.point.lat, reference?.point.lon, reference?.name],
  );
  const units = useMemo(
    () => byDistance(Object.values(unitsById).sort((a, b) => a.callSign.localeCompare(b.callSign)), (u) => u.id, unitPoint, reference),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [unitsById, fixes, config, reference?.point.lat, reference?.point.lon, reference?.name],
  );

  return (
    <div className="map-fallback">
      <div className="map-unavailable" role="alert">
        <p>
          <strong>The map cannot be drawn in this window:</strong> {problem}.
        </p>
        <p>Incidents and units are listed instead, with how far each is and its grid reference. Everything else works.</p>
        <button type="button" onClick={onRetry}>
          Try the map again
        </button>
      </div>
      {foundPlace && <FoundPlace place={foundPlace} reference={reference} />}
      <p className="map-list-reference" id="map-list-reference">
        {referenceHeading(reference)}
      </p>
      <h3 id="map-list-incidents-heading">Incidents ({incidents.length})</h3>
      <LongListbox
        id={MAP_LIST_ID}
        label={`Map list: incidents. ${referenceHeading(reference)}`}
        items={incidents}
        activeId={activeIncident}
        optionIdPrefix="map-incident-"
        rowPxEstimate={ROW_PX_ESTIMATE}
        onActivate={(place) => setActiveIncident(place.id)}
        row={(place, position, of) => (
          <li key={place.id} id={`map-incident-${place.id}`} role="option" aria-selected={place.id === activeIncident} aria-posinset={position} aria-setsize={of} data-row data-grade={place.item.grade} data-priority={config ? (incidentPriority(config, place.item) ?? undefined) : undefined}>
            <span className="ref">{displayReference(place.item)}</span>
            <Pause />
            <span className="way">{place.way ?? ''}</span>
            {place.way && <Pause />}
            <span className="grid">{place.point ? describePosition(place.point) : 'no position'}</span>
            <Pause />
            <span className="what">
              {place.item.sharedView ? sharedLabel(place.item) : gradeLabel(config, place.item.grade)}, {incidentTypeName(config, place.item)}: {describeLocation(place.item.location)}
            </span>
          </li>
        )}
        empty="No open incidents."
      />
      <h3 id="map-list-units-heading">Units ({units.length})</h3>
      <LongListbox
        id={UNIT_LIST_ID}
        label={`Map list: units. ${referenceHeading(reference)}`}
        items={units}
        activeId={activeUnit}
        optionIdPrefix="map-unit-"
        rowPxEstimate={ROW_PX_ESTIMATE}
        onActivate={(place) => setActiveUnit(place.id)}
        row={(place, position, of) => <UnitRow key={place.id} unit={place.item} place={place} active={place.id === activeUnit} position={position} of={of} status={unitStatusNames[unitStatus(place.item, (id) => assignments[id])]} reported={Boolean(fixes[place.id])} />}
        empty="No units."
      />
    </div>
  );
}

function UnitRow({ unit, place, active, position, of, status, reported }: { unit: UnitView; place: { way: string | null; point: GeoPoint | null }; active: boolean; position: number; of: number; status: string; reported: boolean }) {
  return (
    <li id={`map-unit-${unit.id}`} role="option" aria-selected={active} aria-posinset={position} aria-setsize={of} data-row>
      <span className="ref">{unit.callSign}</span>
      <Pause />
      <span className="way">{place.way ?? ''}</span>
      {place.way && <Pause />}
      <span className="grid">{place.point ? describePosition(place.point) : 'no position'}</span>
      <Pause />
      <span className="what">
        {status}
        {reported ? '' : `, at ${unit.homeStation}`}
      </span>
    </li>
  );
}

/** A comma a screen reader reads between a row's columns (the grid lays them out for the eye). */
function Pause() {
  return <span className="visually-hidden">, </span>;
}

/** The place last found (F8), said by where it is rather than by centring a map on it. */
function FoundPlace({ place, reference }: { place: ListReference; reference: ListReference | null }) {
  const from = reference && reference.name !== place.name ? distanceAndDirection(reference.point, place.point).words : null;
  return (
    <p className="map-found">
      Found {place.name}: {describePosition(place.point)}
      {from === 'here' ? `, at ${reference!.name}` : from ? `, ${from} of ${reference!.name}` : ''}
    </p>
  );
}
