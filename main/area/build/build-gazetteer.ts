import polylabel from 'polylabel';
import { bboxCentre, bboxOf, distanceMetres, lineLengthMetres, nearestPointOnLines, roundBBox, roundLngLat, simplifyLine, type LngLat } from '../../../shared/area/geo';
import { PointIndex, ShapeIndex } from '../../../shared/area/spatial-index';
import type { RoadClass } from '../../../shared/area/tile-schema';
import type { GazetteerEntry } from '../../../shared/gazetteer/entry';
import { normaliseText } from '../../../shared/gazetteer/normalise';
import { parseUnitPostcode } from '../../../shared/gazetteer/postcode';
import type { AreaModel, Boundary, Road, Shape } from './area-model';

export interface GazetteerCounts {
  streets: number;
  postcodes: number;
  places: number;
  landmarks: number;
  boundaries: number;
}

const ROAD_WEIGHT: Record<RoadClass, number> = { motorway: 1, trunk: 0.9, primary: 0.8, secondary: 0.65, tertiary: 0.5, minor: 0.3, service: 0.15, path: 0.1 };
const BOUNDARY_WEIGHT = { force: 0.9, district: 0.8, ward: 0.5, beat: 0.4 } as const;
/** Links of one name whose ends come this close are one street; farther apart, two streets of the same name. */
const SAME_STREET_METRES = 150;
/** A postcode this near a street's line lends the street its postcode district ("Shirley Road SO15"). */
const POSTCODE_NEAR_STREET_METRES = 120;
const LOCALITY_RADIUS_METRES = 1200;

/**
 * Everything a call handler can name in an area, each with its district (and ward or village) so that places of
 * one name are told apart, and a point or line to centre the map on.
 */
export function buildGazetteer(model: AreaModel): { entries: GazetteerEntry[]; counts: GazetteerCounts } {
  const areas = new AreaLookup(model);
  const entries: GazetteerEntry[] = [];

  const streets = streetEntries(model.roads, areas, postcodeDistrictIndex(model));
  const postcodes = postcodeEntries(model, areas);
  const places = model.places.map((place): GazetteerEntry => {
    const district = areas.district(place.point);
    return {
      kind: 'place',
      name: place.name,
      district,
      locality: null,
      category: place.kind,
      aliases: [],
      center: roundLngLat(place.point),
      bbox: null,
      lines: null,
      weight: place.population ? Math.min(1, Math.log10(Math.max(10, place.population)) / 6) : 0.3,
    };
  });
  const landmarks = model.landmarks.map((landmark): GazetteerEntry => ({
    kind: 'landmark',
    name: landmark.name,
    district: areas.district(landmark.point),
    locality: areas.locality(landmark.point),
    category: landmark.category,
    aliases: [],
    center: roundLngLat(landmark.point),
    bbox: null,
    lines: null,
    weight: ['police', 'hospital', 'station'].includes(landmark.category) ? 0.7 : 0.4,
  }));
  const boundaries = model.boundaries.map((boundary) => boundaryEntry(boundary, areas));

  entries.push(...streets, ...postcodes.entries, ...places, ...landmarks, ...boundaries);
  return {
    entries,
    counts: { streets: streets.length, postcodes: postcodes.units, places: places.length, landmarks: landmarks.length, boundaries: boundaries.length },
  };
}

/** District and locality of a point, from the area's boundaries and places. */
class AreaLookup {
  private readonly districts = new ShapeIndex<string>();
  private readonly wards = new ShapeIndex<string>(0.01);
  private readonly places = new PointIndex<string>(0.02);
  readonly districtNames = new Map<string, string>();
  readonly wardNames = new Map<string, string>();

  constructor(model: AreaModel) {
    for (const boundary of model.boundaries) {
      if (boundary.kind === 'district') {
        this.districts.add(boundary.name, boundary.shape);
        if (boundary.code) this.districtNames.set(boundary.code, boundary.name);
      } else if (boundary.kind === 'ward') {
        this.wards.add(boundary.name, boundary.shape);
        if (boundary.code) this.wardNames.set(boundary.code, boundary.name);
      }
    }
    for (const place of model.places) if (place.kind !== 'city') this.places.add(place.point, place.name);
  }

  district(point: LngLat): string | null {
    return this.districts.find(point);
  }

  /** The ward where wards are known, else the nearest village or suburb, else nothing. */
  locality(point: LngLat, district = this.district(point)): string | null {
    const ward = this.wards.find(point);
    if (ward) return ward;
    const place = this.places.near(point, LOCALITY_RADIUS_METRES).find((p) => p.value !== district);
    return place?.value ?? null;
  }
}

function streetEntries(roads: Road[], areas: AreaLookup, postcodeDistricts: PointIndex<string>): GazetteerEntry[] {
  const byName = new Map<string, Road[]>();
  for (const road of roads) {
    if (!road.name?.trim()) continue;
    const key = normaliseText(road.name);
    if (!key) continue;
    const list = byName.get(key);
    if (list) list.push(road);
    else byName.set(key, [road]);
  }
  const entries: GazetteerEntry[] = [];
  for (const group of byName.values()) {
    for (const cluster of clusterByProximity(group)) entries.push(streetEntry(cluster, areas, postcodeDistricts));
  }
  return entries;
}

/** Splits the links of one name into streets: links joined end to end, or nearly, are one street. */
function clusterByProximity(roads: Road[]): Road[][] {
  const parent = roads.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const ends = roads.map((r) => [r.line[0]!, r.line[r.line.length - 1]!]);
  for (let i = 0; i < roads.length; i++) {
    for (let j = i + 1; j < roads.length; j++) {
      if (find(i) === find(j)) continue;
      if (ends[i]!.some((a) => ends[j]!.some((b) => distanceMetres(a, b) <= SAME_STREET_METRES))) parent[find(j)] = find(i);
    }
  }
  const clusters = new Map<number, Road[]>();
  roads.forEach((road, i) => {
    const root = find(i);
    const list = clusters.get(root);
    if (list) list.push(road);
    else clusters.set(root, [road]);
  });
  return [...clusters.values()];
}

function streetEntry(roads: Road[], areas: AreaLookup, postcodeDistricts: PointIndex<string>): GazetteerEntry {
  const lines = roads.map((road) => simplifyLine(road.line, 2).map((p) => roundLngLat(p)));
  const box = bboxOf(lines.flat())!;
  const center = roundLngLat(nearestPointOnLines(bboxCentre(box), lines) ?? lines[0]![0]!);
  const district = areas.district(center);
  const refs = [...new Set(roads.map((r) => r.ref).filter((r): r is string => !!r))];
  const length = roads.reduce((sum, road) => sum + lineLengthMetres(road.line), 0);
  const weight = Math.min(1, Math.max(...roads.map((r) => ROAD_WEIGHT[r.class])) + Math.min(0.15, length / 20_000));
  return {
    kind: 'street',
    name: mostCommon(roads.map((r) => r.name!.trim())),
    district,
    locality: areas.locality(center, district),
    category: refs[0] ?? null,
    aliases: [...refs, ...nearbyPostcodeDistricts(lines, postcodeDistricts)],
    center,
    bbox: roundBBox(box),
    lines,
    weight,
  };
}

function nearbyPostcodeDistricts(lines: LngLat[][], index: PointIndex<string>): string[] {
  const points = lines.flat();
  const step = Math.max(1, Math.floor(points.length / 40));
  const found = new Set<string>();
  for (let i = 0; i < points.length; i += step) for (const near of index.near(points[i]!, POSTCODE_NEAR_STREET_METRES)) found.add(near.value);
  return [...found].sort();
}

function postcodeDistrictIndex(model: AreaModel): PointIndex<string> {
  const index = new PointIndex<string>();
  for (const unit of model.postcodes) {
    const parsed = parseUnitPostcode(unit.postcode);
    if (parsed) index.add(unit.point, parsed.district);
  }
  return index;
}

function postcodeEntries(model: AreaModel, areas: AreaLookup): { entries: GazetteerEntry[]; units: number } {
  const entries: GazetteerEntry[] = [];
  const groups = { sector: new Map<string, { points: LngLat[]; districts: (string | null)[] }>(), district: new Map<string, { points: LngLat[]; districts: (string | null)[] }>() };
  const seen = new Set<string>();
  for (const unit of model.postcodes) {
    const parsed = parseUnitPostcode(unit.postcode);
    if (!parsed || seen.has(parsed.unit)) continue;
    seen.add(parsed.unit);
    const district = (unit.districtCode && areas.districtNames.get(unit.districtCode)) || areas.district(unit.point);
    const locality = (unit.wardCode && areas.wardNames.get(unit.wardCode)) || areas.locality(unit.point, district);
    entries.push({ kind: 'postcode', name: parsed.unit, district, locality, category: null, aliases: [], center: roundLngLat(unit.point), bbox: null, lines: null, weight: 0.3 });
    for (const [level, key] of [
      ['sector', parsed.sector],
      ['district', parsed.district],
    ] as const) {
      const group = groups[level].get(key) ?? { points: [], districts: [] };
      group.points.push(unit.point);
      group.districts.push(district);
      groups[level].set(key, group);
    }
  }
  for (const [level, kind, weight] of [
    ['sector', 'postcode-sector', 0.5],
    ['district', 'postcode-district', 0.6],
  ] as const) {
    for (const [name, { points, districts }] of groups[level]) {
      const box = bboxOf(points)!;
      const mean: LngLat = [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];
      entries.push({ kind, name, district: mostCommon(districts), locality: null, category: `${points.length}`, aliases: [], center: roundLngLat(mean), bbox: roundBBox(box), lines: null, weight });
    }
  }
  return { entries, units: seen.size };
}

function boundaryEntry(boundary: Boundary, areas: AreaLookup): GazetteerEntry {
  const center = roundLngLat(labelPoint(boundary.shape));
  return {
    kind: boundary.kind,
    name: boundary.name,
    district: boundary.kind === 'ward' || boundary.kind === 'beat' ? areas.district(center) : null,
    locality: null,
    category: boundary.code,
    aliases: boundary.code ? [boundary.code] : [],
    center,
    bbox: roundBBox(bboxOf(boundary.shape.flatMap((polygon) => polygon[0] ?? []))!),
    lines: null,
    weight: BOUNDARY_WEIGHT[boundary.kind],
  };
}

/** A point well inside the largest part of a shape (its pole of inaccessibility), where a label or a pin belongs. */
export function labelPoint(shape: Shape): LngLat {
  let largest = shape[0]!;
  let largestArea = -1;
  for (const polygon of shape) {
    const box = bboxOf(polygon[0] ?? []);
    const area = box ? (box[2] - box[0]) * (box[3] - box[1]) : 0;
    if (area > largestArea) {
      largestArea = area;
      largest = polygon;
    }
  }
  const box = bboxOf(largest[0] ?? [])!;
  const point = polylabel(largest as [number, number][][], Math.max(1e-5, (box[2] - box[0]) / 200));
  return [point[0], point[1]];
}

/** The value given most often (the first such); a known value beats null on a tie. */
function mostCommon<T>(values: T[]): T {
  const counts = new Map<T, number>();
  let best = values[0] as T;
  let bestCount = 0;
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count > bestCount || (count === bestCount && value !== null && best === null)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

