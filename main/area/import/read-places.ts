import { PLACE_KINDS, type PlaceKind } from '../../../shared/area/tile-schema';
import type { PlacePoint } from '../build/area-model';
import { readPoint } from './geojson-geometry';
import { pickProperty, readFeatures, type Warn } from './feature-files';

/** A place's kind: as tagged (OSM `place`), else from its population (GeoNames gives one). */
export function placeKindOf(properties: Record<string, unknown>, population: number | null): PlaceKind {
  const tagged = properties.place ?? properties.kind;
  if (typeof tagged === 'string') {
    if ((PLACE_KINDS as readonly string[]).includes(tagged)) return tagged as PlaceKind;
    if (tagged === 'neighbourhood' || tagged === 'quarter') return 'suburb';
  }
  if (properties.featureCode === 'PPLX') return 'suburb';
  if (population === null) return 'village';
  return population >= 100_000 ? 'city' : population >= 10_000 ? 'town' : population >= 1_000 ? 'village' : 'hamlet';
}

/** Populated places (towns, villages) from a GeoJSON file of points, such as GeoNames extracts. */
export function readPlaces(path: string, warn: Warn): PlacePoint[] {
  const places: PlacePoint[] = [];
  for (const feature of readFeatures(path, warn)) {
    const name = pickProperty(feature.properties, ['name', 'NAME', 'asciiname'], [/(^|_)name$/i]);
    if (!name) {
      warn(feature.line, 'place skipped: it has no name');
      continue;
    }
    const point = readPoint(feature.geometry);
    if (!point.ok) {
      warn(feature.line, `place "${name}" skipped: ${point.problem}`);
      continue;
    }
    const raw = feature.properties.population;
    const population = typeof raw === 'number' && raw > 0 ? raw : typeof raw === 'string' && Number(raw) > 0 ? Number(raw) : null;
    places.push({ name, kind: placeKindOf(feature.properties, population), point: point.value, population });
  }
  return places;
}
