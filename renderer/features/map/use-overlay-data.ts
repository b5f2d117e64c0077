import { useEffect, useMemo } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { unitStatus } from '../../../shared/dispatch/unit-status';
import { commonPriority, incidentPriority } from '../../../shared/domain/common-priority';
import { homeOf, type ForceConfig } from '../../../shared/domain/force-config';
import { displayReference } from '../../../shared/domain/incident';
import type { IncidentView } from '../../../shared/contract/views';
import { useConsole } from '../../state/use-console';
import { usePositionsStore } from '../../state/use-positions';
import type { MapDrawing } from './map-drawing';
import type { IncidentMark, MapOverlays, UnitMark } from './map-overlays';
import { useMap } from './map-store';
import { useDeskReplayState } from '../training/DeskReplay';
import type { DeskReplayState } from '../../../shared/training/replay';

/**
 * An incident's mark on the map, made once per incident record (records keep their identity until they change), so
 * a change to one incident among thousands makes one new mark and the map compares the rest by identity alone.
 */
const marksByConfig = new WeakMap<ForceConfig, WeakMap<IncidentView, IncidentMark | null>>();
const NO_CONFIG = {} as ForceConfig;
function markOf(incident: IncidentView, config: ForceConfig | null): IncidentMark | null {
  // Per configuration too: its grades' common priorities colour the marks (another force's incident, the common
  // priority its share carries), and it may arrive after the incidents.
  let marks = marksByConfig.get(config ?? NO_CONFIG);
  if (!marks) marksByConfig.set(config ?? NO_CONFIG, (marks = new WeakMap()));
  let mark = marks.get(incident);
  if (mark === undefined) {
    const point = incident.status === 'open' ? incident.location.point : null;
    mark = point ? { id: incident.id, point, grade: incident.grade, priority: config ? incidentPriority(config, incident) : null, label: displayReference(incident) } : null;
    marks.set(incident, mark);
  }
  return mark;
}

/**
 * Feeds the map's incident and unit layers from the window's state: records when they change, positions as they
 * arrive (straight from the positions store, never through a React render), the selected incident centred and
 * marked, and a followed unit kept in the middle.
 */
export function useOverlayData(overlays: MapOverlays | null, map: MapLibreMap | null, drawing: MapDrawing = 'full'): void {
  const config = useConsole((s) => s.config);
  const incidents = useConsole((s) => s.incidents);
  const units = useConsole((s) => s.units);
  const assignments = useConsole((s) => s.assignments);
  const selectedId = useConsole((s) => s.selectedId);
  const select = useConsole((s) => s.select);
  const contacts = useConsole((s) => s.contacts);
  const following = useMap((s) => s.following);
  const positions = usePositionsStore();
  // A replay of an exercise on this desk: its incidents and units in the layers' place, the live ones back after it.
  const replay = useDeskReplayState();

  const incidentMarks = useMemo(() => Object.values(incidents).flatMap((i) => markOf(i, config) ?? []), [incidents, config]);

  useEffect(() => overlays?.showIncidents(replay ? replayIncidentMarks(replay, config) : incidentMarks), [overlays, incidentMarks, replay, config]);

  // Callers on the line now, where their handsets say they are.
  useEffect(() => {
    if (replay) return overlays?.showHandsets([]);
    const live = Object.values(contacts).flatMap((c) =>
      (c.state === 'ringing' || c.state === 'answered') && c.handsetLocation ? [{ id: c.id, point: c.handsetLocation.point, accuracyM: c.handsetLocation.accuracyM }] : [],
    );
    overlays?.showHandsets(live);
  }, [overlays, contacts, replay]);

  useEffect(() => {
    if (!overlays || !config) return;
    if (replay) {
      overlays.showUnits(replay.units.flatMap((unit) => (unit.point ? [{ id: `replay-${unit.callSign}`, point: unit.point, callSign: unit.callSign, status: unit.state }] : [])));
      return;
    }
    const fixes = positions.getState().fixes;
    const marks: UnitMark[] = Object.values(units).flatMap((unit) => {
      const point = fixes[unit.id]?.point ?? homeOf(config, unit);
      return point ? [{ id: unit.id, point, callSign: unit.callSign, status: unitStatus(unit, (id) => assignments[id]) }] : [];
    });
    overlays.showUnits(marks);
  }, [overlays, config, units, assignments, positions, replay]);

  // Live positions move the live units only: none while a replay has the map.
  const replaying = replay !== null;
  useEffect(() => {
    if (!overlays || replaying) return;
    return positions.subscribe((state) => {
      overlays.moveUnits(state.latest);
      const followed = following ? state.latest.find((f) => f.unitId === following) : undefined;
      if (!followed || !map) return;
      // A glide is a dozen frames to draw; where the processor draws them, the unit jumps instead.
      if (drawing === 'light') map.jumpTo({ center: [followed.point.lon, followed.point.lat] });
      else map.easeTo({ center: [followed.point.lon, followed.point.lat], duration: 300 });
    });
  }, [overlays, positions, following, map, drawing, replaying]);

  // A click on an incident selects it, as the arrow keys do in the list.
  useEffect(() => {
    if (!map) return;
    const onClick = (event: { features?: { properties?: Record<string, unknown> }[] }) => {
      const id = event.features?.[0]?.properties?.id;
      // A replay's incident is not the desk's: choosing it selects nothing.
      if (typeof id === 'string' && !id.startsWith('replay-')) select(id);
    };
    map.on('click', 'incident', onClick);
    return () => {
      map.off('click', 'incident', onClick);
    };
  }, [map, select]);

  useEffect(() => {
    overlays?.select(selectedId);
    const point = selectedId ? incidents[selectedId]?.location.point : null;
    // Straight there, no glide: a dispatcher moving down the queue wants each incident's surroundings at once, and
    // every frame of a glide across town draws the map again over tiles that are only passed through.
    if (point && map) map.jumpTo({ center: [point.lon, point.lat], zoom: Math.max(map.getZoom(), 14) });
    // Centre only when the selection changes, not on every change to the incident.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [overlays, selectedId, map]);
}

/** The replay's incidents as the map marks them, coloured by their grades' common priorities as the live ones are. */
function replayIncidentMarks(replay: DeskReplayState, config: ForceConfig | null): IncidentMark[] {
  return replay.queue.flatMap((incident) =>
    incident.point ? [{ id: `replay-${incident.reference}`, point: incident.point, grade: incident.grade, priority: config ? commonPriority(config, incident.grade) : null, label: incident.reference }] : [],
  );
}
