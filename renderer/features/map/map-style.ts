import type { DataDrivenPropertyValueSpecification, ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { AreaManifest } from '../../../shared/area/manifest';
import { overlayLayers, overlaySources } from './map-overlays';

export type MapTheme = 'light' | 'dark';

/** The layers whose labels the map reads out (see MapView's summary) and tests look for. */
export const LABEL_LAYERS = ['road-label', 'landmark', 'place-label', 'boundary-label'] as const;
export const SELECTION_SOURCE = 'selection';

interface Palette {
  land: string;
  sea: string;
  landuse: Record<string, string>;
  water: string;
  waterway: string;
  building: string;
  buildingOutline: string;
  casing: string;
  road: Record<string, string>;
  railway: string;
  boundary: string;
  beat: string;
  text: string;
  roadText: string;
  mutedText: string;
  halo: string;
  selection: string;
  selectionHalo: string;
}

/**
 * Day: a calm, low-saturation street map where incidents and units (drawn over it) stand out. Night: dark and
 * low-glare for a control room at 3 a.m., with the same hierarchy of roads and labels.
 */
const PALETTES: Record<MapTheme, Palette> = {
  light: {
    land: '#f2efe9',
    sea: '#aacfdf',
    landuse: {
      residential: '#e9e5dd',
      commercial: '#f1dfdd',
      retail: '#f4d9d6',
      industrial: '#e5dce6',
      park: '#cfe6c2',
      grass: '#d7ebc9',
      wood: '#b9d8a8',
      farmland: '#eef0d6',
      cemetery: '#c9dcc1',
      school: '#f4eac6',
      hospital: '#f5dada',
      railway: '#e3ded8',
    },
    water: '#aacfdf',
    waterway: '#8ec0d6',
    building: '#d5c9bd',
    buildingOutline: '#bcae9f',
    casing: '#b9b0a4',
    road: { motorway: '#e48e9f', trunk: '#f4ad93', primary: '#fad39f', secondary: '#f6f3b5', tertiary: '#ffffff', minor: '#ffffff', service: '#fdfcfa', path: '#e9e1d4' },
    railway: '#76716b',
    boundary: '#8a5aa8',
    beat: '#3f8f8a',
    text: '#1d232a',
    roadText: '#3a3f45',
    mutedText: '#6b5a78',
    halo: '#ffffff',
    selection: '#c2185b',
    selectionHalo: '#ffffff',
  },
  dark: {
    land: '#1a1f25',
    sea: '#0d1a26',
    landuse: {
      residential: '#1f242b',
      commercial: '#2a2428',
      retail: '#2c2428',
      industrial: '#262330',
      park: '#1c2b21',
      grass: '#1e2c22',
      wood: '#18291d',
      farmland: '#1f241f',
      cemetery: '#1e2a22',
      school: '#29271f',
      hospital: '#2b2226',
      railway: '#22252a',
    },
    water: '#132a3f',
    waterway: '#1f4462',
    building: '#2a3139',
    buildingOutline: '#353e48',
    casing: '#0c1014',
    road: { motorway: '#9c5668', trunk: '#a06850', primary: '#8a6f47', secondary: '#6c6a45', tertiary: '#4d5660', minor: '#414952', service: '#363d45', path: '#3b4148' },
    railway: '#6e7780',
    boundary: '#b596e0',
    beat: '#5fc4bc',
    text: '#dfe6ee',
    roadText: '#c3ccd6',
    mutedText: '#b9a6d6',
    halo: '#0f1318',
    selection: '#ff5fae',
    selectionHalo: '#0f1318',
  },
};

const zoomed = (stops: [number, number][]): ExpressionSpecification => ['interpolate', ['exponential', 1.6], ['zoom'], ...stops.flat()] as ExpressionSpecification;
// Built from a table, which the expression types cannot follow; MapLibre validates the style when it loads.
const byClass = (values: Record<string, number | string>, fallback: number | string): ExpressionSpecification =>
  ['match', ['get', 'class'], ...Object.entries(values).flat(), fallback] as unknown as ExpressionSpecification;

/** Road widths by class and zoom: main roads legible from a county view, minor ones from a street view. */
const ROAD_WIDTHS: [number, Record<string, number>, number][] = [
  [8, { motorway: 1.6, trunk: 1.4, primary: 1.2, secondary: 0.8 }, 0.3],
  [12, { motorway: 4, trunk: 3.5, primary: 3, secondary: 2.4, tertiary: 1.8, minor: 0.8 }, 0.5],
  [15, { motorway: 11, trunk: 10, primary: 9, secondary: 8, tertiary: 7, minor: 5, service: 3 }, 1.5],
  [18, { motorway: 34, trunk: 30, primary: 28, secondary: 24, tertiary: 20, minor: 16, service: 9 }, 4],
];
/** The width expression, each width plus `extra` (a casing is the road plus its edges). */
const roadWidth = (extra = 0): ExpressionSpecification =>
  [
    'interpolate',
    ['exponential', 1.6],
    ['zoom'],
    ...ROAD_WIDTHS.flatMap(([zoom, widths, other]) => [zoom, byClass(Object.fromEntries(Object.entries(widths).map(([k, w]) => [k, w + extra])), other + extra)]),
  ] as unknown as ExpressionSpecification;
const ROAD_RANK = byClass({ motorway: 8, trunk: 7, primary: 6, secondary: 5, tertiary: 4, minor: 3, service: 2 }, 1);

/**
 * The map style for an area, built from its manifest: two vector sources served by the console itself under
 * /area/, glyphs and sprites from the area folder, and a selection source the search results are drawn into.
 */
export function buildMapStyle(area: AreaManifest, theme: MapTheme, origin: string): StyleSpecification {
  const p = PALETTES[theme];
  const url = (path: string) => `${origin}/area/${path}`;
  const font = [area.fonts[0]!];
  const hasLand = area.tiles.overview.layers.includes('land');
  const detail = area.tiles.detail;

  const sources: StyleSpecification['sources'] = {
    overview: { type: 'vector', tiles: [url('tiles/overview/{z}/{x}/{y}.mvt')], minzoom: area.tiles.overview.minzoom, maxzoom: area.tiles.overview.maxzoom, bounds: area.tiles.overview.bounds },
    [SELECTION_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    ...overlaySources(),
  };
  if (detail) sources.detail = { type: 'vector', tiles: [url('tiles/detail/{z}/{x}/{y}.mvt')], minzoom: detail.minzoom, maxzoom: detail.maxzoom, bounds: detail.bounds };

  const text = (size: DataDrivenPropertyValueSpecification<number>, color: string) => ({
    layout: { 'text-font': font, 'text-size': size },
    paint: { 'text-color': color, 'text-halo-color': p.halo, 'text-halo-width': 1.6, 'text-halo-blur': 0.3 },
  });

  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': hasLand ? p.sea : p.land } },
  ];
  if (hasLand) layers.push({ id: 'land', type: 'fill', source: 'overview', 'source-layer': 'land', paint: { 'fill-color': p.land } });
  if (detail) {
    layers.push(
      { id: 'landuse', type: 'fill', source: 'detail', 'source-layer': 'landuse', paint: { 'fill-color': byClass(p.landuse, p.landuse.residential!) } },
      { id: 'water', type: 'fill', source: 'detail', 'source-layer': 'water', paint: { 'fill-color': p.water } },
      { id: 'waterway', type: 'line', source: 'detail', 'source-layer': 'waterway', paint: { 'line-color': p.waterway, 'line-width': zoomed([[11, 1], [16, 4]]) } },
      { id: 'building', type: 'fill', source: 'detail', 'source-layer': 'building', minzoom: 13, paint: { 'fill-color': p.building, 'fill-outline-color': p.buildingOutline } },
      {
        id: 'railway',
        type: 'line',
        source: 'detail',
        'source-layer': 'railway',
        paint: { 'line-color': p.railway, 'line-width': zoomed([[9, 1], [16, 3]]), 'line-dasharray': [3, 2] },
      },
      {
        id: 'road-casing',
        type: 'line',
        source: 'detail',
        'source-layer': 'road',
        filter: ['!=', ['get', 'class'], 'path'],
        layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': ROAD_RANK },
        paint: { 'line-color': p.casing, 'line-width': roadWidth(1.5), 'line-opacity': zoomed([[10, 0.3], [13, 1]]) },
      },
      {
        id: 'road',
        type: 'line',
        source: 'detail',
        'source-layer': 'road',
        layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': ROAD_RANK },
        paint: { 'line-color': byClass(p.road, p.road.minor!), 'line-width': roadWidth() },
      },
    );
  }
  layers.push(
    {
      id: 'boundary',
      type: 'line',
      source: 'overview',
      'source-layer': 'boundary',
      paint: {
        'line-color': ['match', ['get', 'kind'], 'beat', p.beat, 'ward', p.beat, p.boundary] as ExpressionSpecification,
        'line-width': ['match', ['get', 'kind'], 'force', 2.5, 'district', 1.6, 1] as ExpressionSpecification,
        'line-dasharray': [4, 2],
        'line-opacity': 0.8,
      },
    },
    {
      id: 'selection-line',
      type: 'line',
      source: SELECTION_SOURCE,
      filter: ['==', ['geometry-type'], 'LineString'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': p.selection, 'line-width': zoomed([[10, 4], [16, 10], [18, 18]]), 'line-opacity': 0.75 },
    },
  );
  if (detail) {
    layers.push(
      {
        id: 'road-label',
        type: 'symbol',
        source: 'detail',
        'source-layer': 'road',
        minzoom: 12,
        filter: ['has', 'name'],
        layout: { ...text(zoomed([[12, 10], [16, 13], [18, 15]]), p.roadText).layout, 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'symbol-sort-key': ['-', 10, ROAD_RANK] as ExpressionSpecification },
        paint: text(12, p.roadText).paint,
      },
      {
        id: 'landmark',
        type: 'symbol',
        source: 'detail',
        'source-layer': 'landmark',
        layout: {
          ...text(11.5, p.text).layout,
          'icon-image': ['get', 'category'],
          'text-field': ['step', ['zoom'], '', 15, ['get', 'name']] as ExpressionSpecification,
          'text-anchor': 'top',
          'text-offset': [0, 1.1],
          'text-optional': true,
          'text-max-width': 9,
        },
        paint: text(11.5, p.text).paint,
      },
    );
  }
  layers.push(
    {
      id: 'boundary-label',
      type: 'symbol',
      source: 'overview',
      'source-layer': 'boundary_label',
      layout: { ...text(['match', ['get', 'kind'], 'force', 14, 'district', 13, 11] as ExpressionSpecification, p.mutedText).layout, 'text-field': ['get', 'name'], 'text-transform': 'uppercase', 'text-letter-spacing': 0.12, 'text-max-width': 8 },
      paint: text(12, p.mutedText).paint,
    },
    {
      id: 'place-label',
      type: 'symbol',
      source: 'overview',
      'source-layer': 'place',
      layout: {
        ...text(['match', ['get', 'kind'], 'city', 20, 'town', 17, 'village', 14, 'suburb', 13, 12] as ExpressionSpecification, p.text).layout,
        'text-field': ['get', 'name'],
        'text-max-width': 8,
        'symbol-sort-key': ['-', 0, ['get', 'population']] as ExpressionSpecification,
      },
      paint: text(14, p.text).paint,
    },
    {
      id: 'selection-point',
      type: 'circle',
      source: SELECTION_SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 9, 'circle-color': p.selection, 'circle-stroke-color': p.selectionHalo, 'circle-stroke-width': 3 },
    },
    // Incidents and units over everything else, so no label or road hides them.
    ...overlayLayers(font, p.halo),
  );
  // Symbols are placed top layer first: the call signs go just under the place names, which keep their room.
  const unitLabel = layers.findIndex((l) => l.id === 'unit-label');
  const placeLabel = layers.findIndex((l) => l.id === 'place-label');
  if (unitLabel > placeLabel && placeLabel >= 0) layers.splice(placeLabel, 0, ...layers.splice(unitLabel, 1));

  return {
    version: 8,
    name: `${area.name} (${theme})`,
    glyphs: url('glyphs/{fontstack}/{range}.pbf'),
    ...(area.sprites.includes(theme) ? { sprite: url(`sprites/${theme}`) } : {}),
    sources,
    layers,
  };
}
