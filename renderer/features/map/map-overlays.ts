import type { Feature, Point } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource, LayerSpecification, Map as MapLibreMap, SourceSpecification } from 'maplibre-gl';
import { localMetres } from '../../../shared/area/geo';
import type { GeoPoint } from '../../../shared/domain/location';
import { STREET_ZOOM, TOWN_ZOOM, rgb } from './dot-geometry';
import { OTHER_STATUS_COLOUR, STATUS_COLOURS as UNIT_STATUS_COLOURS, UnitDotsLayer } from './unit-dots-layer';
import { holdForKeys, movesDueIn, type MapDrawing } from './map-drawing';


export const INCIDENTS_SOURCE = 'incidents';
export const UNITS_SOURCE = 'units';
export const HANDSETS_SOURCE = 'handsets';
/** The units' dots: a layer of our own over everything (see unit-dots-layer.ts), added once the style is in. */
export const UNIT_DOTS_LAYER = 'unit';
/** The finest zoom the incident and unit layers are tiled at (see overlaySources). */
const OVERLAY_TILE_ZOOM = 12;

/**
 * The colours of incidents (by their grade's common priority, so any force's scheme reads alike) and unit statuses
 * on the map: the same in both themes, strong on either ground.
 */
const PRIORITY_COLOURS = ['match', ['get', 'priority'], 1, '#e02020', 2, '#f08a00', 3, '#b03fd0', 4, '#1f8fd6', '#808080'] as ExpressionSpecification;
/** The call signs in their units' colours (see unit-dots-layer.ts). */
const STATUS_COLOURS = ['match', ['get', 'status'], ...Object.entries(UNIT_STATUS_COLOURS).flat(), OTHER_STATUS_COLOUR] as unknown as ExpressionSpecification;

export function overlaySources(): Record<string, SourceSpecification> {
  const empty = { type: 'FeatureCollection' as const, features: [] };
  // promoteId: features are addressed by their record's id, so a change is sent alone, not the whole layer.
  // maxzoom: points are cut into tiles no finer than zoom 12 and enlarged beyond it. A change redraws every tile of
  // the layer in view, one draw per batch of tiles back from the worker; at 12, a street-level view holds one to four
  // tiles, not a dozen. A zoom-12 tile places a point to within a metre or so (8,192 steps a side), well inside the
  // error of a vehicle's GPS or a handset's fix.
  return {
    [INCIDENTS_SOURCE]: { type: 'geojson', data: empty, promoteId: 'id', maxzoom: OVERLAY_TILE_ZOOM },
    [UNITS_SOURCE]: { type: 'geojson', data: empty, promoteId: 'id', maxzoom: OVERLAY_TILE_ZOOM },
    [HANDSETS_SOURCE]: { type: 'geojson', data: empty },
  };
}

/** Call signs from a district's view in: across a whole town a big fleet's could only cover one another. */
const UNIT_LABELS_FROM_ZOOM = 13;
/** Where WebGL is drawn by the processor: call signs from a neighbourhood's view in, a few dozen labels at most. */
const UNIT_LABELS_FROM_ZOOM_LIGHT = 15;

/**
 * Incidents (and units, see dot-geometry.ts) drawn small across a whole town and full size from street level:
 * thousands of full-size marks over a town are one blot, and each is a patch of pixels to fill at every draw (on a
 * machine without a graphics card, the incidents' marks alone took more of each draw than the whole basemap).
 */
const byZoom = (town: number | ExpressionSpecification, street: number | ExpressionSpecification): ExpressionSpecification =>
  ['interpolate', ['linear'], ['zoom'], TOWN_ZOOM, town, STREET_ZOOM, street] as ExpressionSpecification;

export function overlayLayers(font: string[], halo: string): LayerSpecification[] {
  const selected = ['boolean', ['feature-state', 'selected'], false] as ExpressionSpecification;
  return [
    // A caller's handset position: the area it could be anywhere within, and its centre.
    { id: 'handset-accuracy', type: 'fill', source: HANDSETS_SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#7b3fe4', 'fill-opacity': 0.12 } },
    { id: 'handset-accuracy-edge', type: 'line', source: HANDSETS_SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': '#7b3fe4', 'line-width': 1.5, 'line-dasharray': [2, 2] } },
    { id: 'handset', type: 'circle', source: HANDSETS_SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 5, 'circle-color': '#7b3fe4', 'circle-stroke-color': halo, 'circle-stroke-width': 2 } },
    {
      id: 'incident',
      type: 'circle',
      source: INCIDENTS_SOURCE,
      // Incidents at one place: the most urgent drawn over the rest (a higher key is drawn above), as units' dots are.
      layout: { 'circle-sort-key': ['-', 6, ['coalesce', ['get', 'priority'], 6]] },
      paint: {
        'circle-radius': byZoom(['case', selected, 8, 3], ['case', selected, 11, 7]),
        'circle-color': PRIORITY_COLOURS,
        'circle-stroke-color': ['case', selected, '#ffd23f', halo],
        'circle-stroke-width': byZoom(['case', selected, 3, 1], ['case', selected, 4, 2]),
      },
    },
    {
      id: 'unit-label',
      type: 'symbol',
      source: UNITS_SOURCE,
      minzoom: UNIT_LABELS_FROM_ZOOM, // raised in light drawing (see MapOverlays)
      // Placed after the place names (see map-style.ts), so a town's name is never pushed off by the units in it.
      layout: { 'text-field': ['get', 'callSign'], 'text-font': font, 'text-size': 11, 'text-offset': [0, 1.1], 'text-anchor': 'top', 'text-allow-overlap': false },
      paint: { 'text-color': STATUS_COLOURS, 'text-halo-color': halo, 'text-halo-width': 1.5 },
    },
  ];
}

export interface IncidentMark {
  id: string;
  point: GeoPoint;
  grade: string;
  /** The grade's common priority (1–5), which colours the mark; null for a grade the configuration lacks. */
  priority: number | null;
  label: string;
}

export interface UnitMark {
  id: string;
  point: GeoPoint;
  callSign: string;
  status: string;
}


const pointOf = (p: GeoPoint): Point => ({ type: 'Point', coordinates: [p.lon, p.lat] });

/**
 * Keeps the map's incident and unit layers in step with the console. Incidents and call signs are GeoJSON sources
 * changed by difference: new features are added, gone ones removed, moved ones get a new geometry, a unit's status
 * changes its property and the selection changes feature state only (not the units' status as feature state: MapLibre
 * applies every feature state again each time a source's tiles reload, a seventh of the window's main thread for
 * 2,000 units reporting every second). Units themselves are dots of our own (unit-dots-layer.ts). A style change (day
 * to night) empties the sources and drops the dots' layer; `redraw` puts everything back.
 */
export class MapOverlays {
  private incidents = new Map<string, IncidentMark>();
  private units = new Map<string, UnitMark>();
  private selectedId: string | null = null;
  private handsets: readonly { id: string; point: GeoPoint; accuracyM: number }[] = [];
  /** Reported positions not yet drawn, the latest of each unit; and when moves were last drawn. */
  private moves = new Map<string, GeoPoint>();
  private movesDrawnAt = -Infinity;
  private movesTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly dots: UnitDotsLayer;
  /** The units as the call signs' source has them (see syncLabels). */
  private labelled = new Map<string, UnitMark>();
  private readonly onMoved = () => this.syncLabels();
  private readonly labelsFromZoom: number;
  /** When a key was last pressed in this window (light drawing only). */
  private keyPressedAt = -Infinity;
  private readonly onKey = () => {
    this.keyPressedAt = performance.now();
  };

  constructor(
    private readonly map: MapLibreMap,
    private readonly drawing: MapDrawing = 'full',
  ) {
    this.labelsFromZoom = drawing === 'light' ? UNIT_LABELS_FROM_ZOOM_LIGHT : UNIT_LABELS_FROM_ZOOM;
    this.dots = new UnitDotsLayer(UNIT_DOTS_LAYER, haloOf(map));
    map.addLayer(this.dots);
    this.limitLabels();
    map.on('moveend', this.onMoved);
    if (drawing === 'light') window.addEventListener('keydown', this.onKey, true);
  }

  /** Before the map is removed: no draw of moves is left waiting for it. */
  dispose(): void {
    if (this.movesTimer) clearTimeout(this.movesTimer);
    this.movesTimer = null;
    this.moves.clear();
    this.map.off('moveend', this.onMoved);
    window.removeEventListener('keydown', this.onKey, true);
  }

  showIncidents(next: readonly IncidentMark[]): void {
    const source = this.map.getSource<GeoJSONSource>(INCIDENTS_SOURCE);
    if (!source) return;
    const wanted = new Map(next.map((m) => [m.id, m]));
    const remove = [...this.incidents.keys()].filter((id) => !wanted.has(id));
    const add: Feature[] = [];
    for (const mark of next) {
      const before = this.incidents.get(mark.id);
      if (before === mark) continue;
      if (before && before.grade === mark.grade && before.priority === mark.priority && before.label === mark.label && samePoint(before.point, mark.point)) continue;
      if (before) remove.push(mark.id);
      add.push({ type: 'Feature', id: mark.id, properties: { id: mark.id, grade: mark.grade, priority: mark.priority ?? 0, label: mark.label }, geometry: pointOf(mark.point) });
    }
    this.incidents = wanted;
    if (remove.length || add.length) void source.updateData({ remove, add });
    this.paintSelection();
  }

  /** Every unit as it is now: its dot, and its call sign when call signs are shown. */
  showUnits(next: readonly UnitMark[]): void {
    this.units = new Map(next.map((m) => [m.id, m]));
    this.dots.show(next);
    this.syncLabels();
  }

  /** Only the units that reported: their new positions, nothing else touched, drawn together (see above). */
  moveUnits(fixes: readonly { unitId: string; point: GeoPoint }[]): void {
    for (const fix of fixes) this.moves.set(fix.unitId, fix.point);
    if (this.movesTimer) return;
    const now = performance.now();
    const wait = movesDueIn(this.drawing, now, this.movesDrawnAt);
    this.drawMovesAfter(wait, now + wait);
  }

  /** Draws the moves after `wait` ms, or later while the operator is typing (light drawing; see map-drawing.ts). */
  private drawMovesAfter(wait: number, dueAt: number): void {
    this.movesTimer = setTimeout(() => {
      this.movesTimer = null;
      const hold = holdForKeys(this.drawing, performance.now(), dueAt, this.keyPressedAt);
      if (hold > 0) this.drawMovesAfter(hold, dueAt);
      else this.drawMoves();
    }, wait);
  }

  /** The units within the bounds given, by call sign with their status: what the map describes to screen readers. */
  unitsWithin(west: number, south: number, east: number, north: number): UnitMark[] {
    return [...this.units.values()].filter(({ point }) => point.lon >= west && point.lon <= east && point.lat >= south && point.lat <= north);
  }

  private drawMoves(): void {
    this.movesDrawnAt = performance.now();
    const moved: [string, GeoPoint][] = [];
    for (const [unitId, point] of this.moves) {
      const mark = this.units.get(unitId);
      if (!mark || samePoint(mark.point, point)) continue;
      this.units.set(unitId, { ...mark, point });
      moved.push([unitId, point]);
    }
    this.moves.clear();
    this.dots.move(moved);
    this.syncLabels();
  }

  /**
   * Brings the call signs' source up to date, by difference, with the units in and around the view, while call signs
   * are shown. While they are not (a whole town in view) it is left alone, and caught up when they show; units far
   * out of view are left out. Each update re-cuts the source's tiles and places every label in them again, and a
   * street-level view needs a few dozen call signs, not a fleet's.
   */
  private syncLabels(): void {
    if (this.map.getZoom() < this.labelsFromZoom) return;
    const source = this.map.getSource<GeoJSONSource>(UNITS_SOURCE);
    if (!source) return;
    const bounds = this.map.getBounds();
    const [dx, dy] = [(bounds.getEast() - bounds.getWest()) / 2, (bounds.getNorth() - bounds.getSouth()) / 2];
    const near = new Map(this.unitsWithin(bounds.getWest() - dx, bounds.getSouth() - dy, bounds.getEast() + dx, bounds.getNorth() + dy).map((m) => [m.id, m]));
    const remove = [...this.labelled.keys()].filter((id) => !near.has(id));
    const add: Feature[] = [];
    const update: { id: string; newGeometry?: Point; addOrUpdateProperties?: { key: string; value: string }[] }[] = [];
    for (const mark of near.values()) {
      const before = this.labelled.get(mark.id);
      if (!before) {
        add.push({ type: 'Feature', id: mark.id, properties: { id: mark.id, callSign: mark.callSign, status: mark.status }, geometry: pointOf(mark.point) });
        continue;
      }
      const moved = !samePoint(before.point, mark.point);
      const restated = before.status !== mark.status;
      if (moved || restated) {
        update.push({ id: mark.id, ...(moved ? { newGeometry: pointOf(mark.point) } : {}), ...(restated ? { addOrUpdateProperties: [{ key: 'status', value: mark.status }] } : {}) });
      }
    }
    this.labelled = near;
    if (remove.length || add.length || update.length) void source.updateData({ remove, add, update });
  }

  /** Callers' handset positions (few, and each replaced whole): drawn afresh when any changes. */
  showHandsets(handsets: readonly { id: string; point: GeoPoint; accuracyM: number }[]): void {
    const source = this.map.getSource<GeoJSONSource>(HANDSETS_SOURCE);
    if (!source) return;
    this.handsets = handsets;
    source.setData({
      type: 'FeatureCollection',
      features: handsets.flatMap((h): Feature[] => [
        { type: 'Feature', properties: { id: h.id }, geometry: { type: 'Polygon', coordinates: [circle(h.point, h.accuracyM)] } },
        { type: 'Feature', properties: { id: h.id }, geometry: pointOf(h.point) },
      ]),
    });
  }

  select(incidentId: string | null): void {
    if (this.selectedId && this.selectedId !== incidentId && this.incidents.has(this.selectedId)) {
      this.map.setFeatureState({ source: INCIDENTS_SOURCE, id: this.selectedId }, { selected: false });
    }
    this.selectedId = incidentId;
    this.paintSelection();
  }

  /** After a style change: the sources are new and empty, so everything is added again. */
  redraw(): void {
    const incidents = [...this.incidents.values()];
    const units = [...this.units.values()];
    this.incidents = new Map();
    this.labelled = new Map();
    this.dots.setHalo(haloOf(this.map));
    if (!this.map.getLayer(UNIT_DOTS_LAYER)) this.map.addLayer(this.dots);
    this.limitLabels();
    this.showIncidents(incidents);
    this.showUnits(units);
    this.showHandsets(this.handsets);
  }

  /** The call signs' layer shows from the zoom this drawing allows (the style says the full drawing's). */
  private limitLabels(): void {
    if (this.labelsFromZoom !== UNIT_LABELS_FROM_ZOOM && this.map.getLayer('unit-label')) this.map.setLayerZoomRange('unit-label', this.labelsFromZoom, 24);
  }

  private paintSelection(): void {
    if (this.selectedId && this.incidents.has(this.selectedId)) this.map.setFeatureState({ source: INCIDENTS_SOURCE, id: this.selectedId }, { selected: true });
  }
}

/** The style's halo colour (the ground the marks stand out from), as the call signs carry it. */
function haloOf(map: MapLibreMap): [number, number, number] {
  const halo = map.getPaintProperty('unit-label', 'text-halo-color');
  return typeof halo === 'string' && /^#[0-9a-f]{6}$/i.test(halo) ? rgb(halo) : [1, 1, 1];
}

function samePoint(a: GeoPoint, b: GeoPoint): boolean {
  return a.lat === b.lat && a.lon === b.lon;
}

/** A circle of `radiusM` metres around a point, as a ring of 48 positions (near enough flat at these sizes). */
function circle(centre: GeoPoint, radiusM: number): number[][] {
  const flat = localMetres(centre.lat);
  const [x, y] = flat.toXY([centre.lon, centre.lat]);
  const ring: number[][] = [];
  for (let i = 0; i <= 48; i++) {
    const angle = (i / 48) * 2 * Math.PI;
    ring.push(flat.toLngLat(x + radiusM * Math.cos(angle), y + radiusM * Math.sin(angle)));
  }
  return ring;
}
