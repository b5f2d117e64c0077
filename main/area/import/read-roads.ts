import type { RoadClass } from '../../../shared/area/tile-schema';
import type { Road } from '../build/area-model';
import { readLines } from './geojson-geometry';
import { pickProperty, readFeatures, type Warn } from './feature-files';

/** OS Open Roads' road function (its best guide to importance), then its class, as our road classes. */
const BY_FUNCTION: Record<string, RoadClass> = {
  Motorway: 'motorway',
  'A Road': 'primary',
  'B Road': 'secondary',
  'Minor Road': 'tertiary',
  'Local Road': 'minor',
  'Local Access Road': 'service',
  'Restricted Local Access Road': 'service',
  'Secondary Access Road': 'service',
};
const BY_CLASS: Record<string, RoadClass> = {
  Motorway: 'motorway',
  'A Road': 'primary',
  'B Road': 'secondary',
  'Classified Unnumbered': 'tertiary',
  Unclassified: 'minor',
  'Not Classified': 'minor',
  Unknown: 'minor',
};
/** OpenStreetMap's highway values, for road files exported from OSM. */
const BY_HIGHWAY: Record<string, RoadClass> = {
  motorway: 'motorway',
  motorway_link: 'motorway',
  trunk: 'trunk',
  trunk_link: 'trunk',
  primary: 'primary',
  primary_link: 'primary',
  secondary: 'secondary',
  secondary_link: 'secondary',
  tertiary: 'tertiary',
  tertiary_link: 'tertiary',
  residential: 'minor',
  unclassified: 'minor',
  living_street: 'minor',
  road: 'minor',
  service: 'service',
  pedestrian: 'path',
  footway: 'path',
  path: 'path',
  cycleway: 'path',
  bridleway: 'path',
  steps: 'path',
  track: 'path',
};

export function roadClassOf(properties: Record<string, unknown>): RoadClass {
  const text = (key: string) => (typeof properties[key] === 'string' ? (properties[key] as string) : '');
  const trunk = properties.trunkRoad === true || properties.trunkRoad === 'true';
  const byFunction = BY_FUNCTION[text('function')];
  if (byFunction) return byFunction === 'primary' && trunk ? 'trunk' : byFunction;
  const byClass = BY_CLASS[text('class')];
  if (byClass) return byClass === 'primary' && trunk ? 'trunk' : byClass;
  return BY_HIGHWAY[text('highway')] ?? 'minor';
}

/** Road links from an OS Open Roads style GeoJSON file (name1, class, function, roadNumber), or an OSM export. */
export function readRoads(path: string, warn: Warn): Road[] {
  const roads: Road[] = [];
  for (const feature of readFeatures(path, warn)) {
    const lines = readLines(feature.geometry);
    if (!lines.ok) {
      warn(feature.line, `road skipped: ${lines.problem}`);
      continue;
    }
    const name = pickProperty(feature.properties, ['name1', 'name', 'NAME', 'road_name'], []);
    const ref = pickProperty(feature.properties, ['roadNumber', 'ref', 'road_number'], []);
    const roadClass = roadClassOf(feature.properties);
    for (const line of lines.value) roads.push({ line, name, class: roadClass, ref });
  }
  return roads;
}
