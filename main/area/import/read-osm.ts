import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import { bboxOf, type LngLat } from '../../../shared/area/geo';
import type { LandmarkCategory, LanduseClass } from '../../../shared/area/tile-schema';
import type { AreaModel, Shape } from '../build/area-model';
import { labelPoint } from '../build/build-gazetteer';
import type { Warn } from './feature-files';
import { placeKindOf } from './read-places';
import { roadClassOf } from './read-roads';

type Tags = Record<string, string>;
interface Way {
  id: string;
  refs: string[];
  tags: Tags;
  line: number;
}
interface Relation {
  id: string;
  members: { type: string; ref: string; role: string }[];
  tags: Tags;
  line: number;
}

export type OsmContent = Pick<AreaModel, 'roads' | 'railways' | 'waterways' | 'water' | 'landuse' | 'buildings' | 'landmarks' | 'places'>;

/**
 * Roads, railways, water, land use, buildings, landmarks and places from an OpenStreetMap XML extract (.osm).
 * Multipolygon relations are assembled from their ways. A malformed file gives what was read before the fault,
 * which is reported with its line; ways whose nodes are missing from the extract are counted and skipped.
 */
export function readOsm(path: string, warn: Warn): OsmContent {
  const nodes = new Map<string, LngLat>();
  const taggedNodes: { id: string; point: LngLat; tags: Tags; line: number }[] = [];
  const ways = new Map<string, Way>();
  const relations: Relation[] = [];

  const parser = new SaxesParser({ position: true });
  let current: { kind: 'node'; id: string; point: LngLat | null; tags: Tags; line: number } | ({ kind: 'way' } & Way) | ({ kind: 'relation' } & Relation) | null = null;
  let failed = false;
  parser.on('error', (error) => {
    warn(parser.line, `the XML is malformed here (${error.message.split('\n')[0]}); what came before was read`);
    failed = true;
    throw error;
  });
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>;
    if (tag.name === 'node') {
      const lat = Number(a.lat);
      const lon = Number(a.lon);
      const ok = a.id && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
      if (!ok) warn(parser.line, `node ${a.id ?? '(no id)'} has no usable lat/lon; skipped`);
      current = { kind: 'node', id: a.id ?? '', point: ok ? [lon, lat] : null, tags: {}, line: parser.line };
    } else if (tag.name === 'way') {
      current = { kind: 'way', id: a.id ?? '', refs: [], tags: {}, line: parser.line };
    } else if (tag.name === 'relation') {
      current = { kind: 'relation', id: a.id ?? '', members: [], tags: {}, line: parser.line };
    } else if (tag.name === 'tag' && current && a.k !== undefined && a.v !== undefined) {
      current.tags[a.k] = a.v;
    } else if (tag.name === 'nd' && current?.kind === 'way' && a.ref) {
      current.refs.push(a.ref);
    } else if (tag.name === 'member' && current?.kind === 'relation' && a.ref) {
      current.members.push({ type: a.type ?? '', ref: a.ref, role: a.role ?? '' });
    }
  });
  parser.on('closetag', (tag) => {
    if (!current || tag.name !== current.kind) return;
    if (current.kind === 'node' && current.point) {
      nodes.set(current.id, current.point);
      if (Object.keys(current.tags).length) taggedNodes.push({ id: current.id, point: current.point, tags: current.tags, line: current.line });
    } else if (current.kind === 'way') {
      ways.set(current.id, current);
    } else if (current.kind === 'relation') {
      relations.push(current);
    }
    current = null;
  });
  try {
    parser.write(readFileSync(path, 'utf8')).close();
  } catch (error) {
    if (!failed) throw error;
  }

  const out: OsmContent = { roads: [], railways: [], waterways: [], water: [], landuse: [], buildings: [], landmarks: [], places: [] };
  let missingNodes = 0;
  const lineOf = (way: Way): LngLat[] | null => {
    const points = way.refs.map((ref) => nodes.get(ref));
    if (points.some((p) => !p)) missingNodes++;
    const present = points.filter((p): p is LngLat => !!p);
    return present.length >= 2 ? present : null;
  };

  for (const node of taggedNodes) {
    const landmark = landmarkOf(node.tags);
    if (landmark && node.tags.name) out.landmarks.push({ name: node.tags.name, category: landmark, point: node.point });
    if (node.tags.place && node.tags.name) {
      const population = Number(node.tags.population) > 0 ? Number(node.tags.population) : null;
      out.places.push({ name: node.tags.name, kind: placeKindOf({ place: node.tags.place }, population), point: node.point, population });
    }
  }

  for (const way of ways.values()) {
    const t = way.tags;
    if (Object.keys(t).length === 0) continue;
    const coords = lineOf(way);
    if (!coords) continue;
    const closed = way.refs.length >= 4 && way.refs[0] === way.refs[way.refs.length - 1];
    const area = closed && t.area !== 'no' ? [[coords]] : null;
    if (t.highway && t.area !== 'yes') out.roads.push({ line: coords, name: t.name ?? null, class: roadClassOf({ highway: t.highway }), ref: t.ref ?? null });
    else if (t.railway && ['rail', 'light_rail', 'subway', 'narrow_gauge'].includes(t.railway)) out.railways.push(coords);
    else if (t.waterway && ['river', 'stream', 'canal'].includes(t.waterway)) out.waterways.push({ line: coords, name: t.name ?? null });
    if (area) addArea(out, t, area);
  }

  for (const relation of relations) {
    if (relation.tags.type !== 'multipolygon') continue;
    const shape = assembleMultipolygon(relation, ways, nodes);
    if (!shape) {
      warn(relation.line, `multipolygon ${relation.id}: its outer ways do not close into rings; skipped`);
      continue;
    }
    addArea(out, relation.tags, shape);
  }
  if (missingNodes > 0) warn(null, `${missingNodes} ways refer to nodes not in the file (an extract cut at its edge); they were shortened or skipped`);
  return out;
}

function addArea(out: OsmContent, t: Tags, shape: Shape): void {
  if (t.building && t.building !== 'no') out.buildings.push(shape);
  const landuse = landuseOf(t);
  if (landuse === 'water') out.water.push({ shape, name: t.name ?? null });
  else if (landuse) out.landuse.push({ shape, class: landuse, name: t.name ?? null });
  const landmark = landmarkOf(t);
  if (landmark && t.name) out.landmarks.push({ name: t.name, category: landmark, point: labelPoint(shape) });
}

const LANDUSE: Record<string, LanduseClass> = {
  residential: 'residential',
  commercial: 'commercial',
  retail: 'retail',
  industrial: 'industrial',
  cemetery: 'cemetery',
  railway: 'railway',
  grass: 'grass',
  meadow: 'grass',
  recreation_ground: 'park',
  forest: 'wood',
  farmland: 'farmland',
  reservoir: 'water',
  basin: 'water',
};

function landuseOf(t: Tags): LanduseClass | null {
  if (t.natural === 'water' || t.waterway === 'riverbank') return 'water';
  if (t.natural === 'wood') return 'wood';
  if (t.leisure === 'park' || t.leisure === 'garden' || t.leisure === 'playground') return 'park';
  if (t.leisure === 'pitch') return 'grass';
  if (t.amenity === 'school') return 'school';
  if (t.amenity === 'hospital') return 'hospital';
  return (t.landuse && LANDUSE[t.landuse]) || null;
}

const AMENITIES: Record<string, LandmarkCategory> = {
  police: 'police',
  fire_station: 'fire_station',
  hospital: 'hospital',
  doctors: 'doctor',
  clinic: 'doctor',
  pharmacy: 'pharmacy',
  school: 'school',
  college: 'college',
  university: 'college',
  pub: 'pub',
  bar: 'pub',
  place_of_worship: 'place_of_worship',
  library: 'library',
  townhall: 'town_hall',
  bus_station: 'bus_station',
};

function landmarkOf(t: Tags): LandmarkCategory | null {
  if (t.amenity && AMENITIES[t.amenity]) return AMENITIES[t.amenity]!;
  if (t.railway === 'station' || t.public_transport === 'station') return 'station';
  if (t.shop === 'supermarket') return 'supermarket';
  if (t.shop === 'mall') return 'shopping_centre';
  if (t.shop) return 'shop';
  if (t.leisure === 'park') return 'park';
  return null;
}

/** Joins a multipolygon's member ways end to end into closed rings; null if an outer ring will not close. */
function assembleMultipolygon(relation: Relation, ways: Map<string, Way>, nodes: Map<string, LngLat>): Shape | null {
  const ringsOf = (role: string): LngLat[][] | null => {
    const pieces = relation.members
      .filter((m) => m.type === 'way' && (m.role || 'outer') === role)
      .map((m) => ways.get(m.ref)?.refs)
      .filter((refs): refs is string[] => !!refs && refs.length >= 2)
      .map((refs) => [...refs]);
    const rings: string[][] = [];
    while (pieces.length) {
      let ring = pieces.shift()!;
      while (ring[0] !== ring[ring.length - 1]) {
        const end = ring[ring.length - 1];
        const next = pieces.findIndex((p) => p[0] === end || p[p.length - 1] === end);
        if (next < 0) return null;
        const piece = pieces.splice(next, 1)[0]!;
        ring = ring.concat((piece[0] === end ? piece : piece.reverse()).slice(1));
      }
      rings.push(ring);
    }
    const coords = rings.map((ring) => ring.map((ref) => nodes.get(ref)).filter((p): p is LngLat => !!p)).filter((r) => r.length >= 4);
    return coords;
  };
  const outers = ringsOf('outer');
  const inners = ringsOf('inner') ?? [];
  if (!outers || outers.length === 0) return null;
  // Each hole goes with the outer ring whose box holds it.
  return outers.map((outer) => {
    const box = bboxOf(outer)!;
    const holes = inners.filter((inner) => {
      const b = bboxOf(inner)!;
      return b[0] >= box[0] && b[2] <= box[2] && b[1] >= box[1] && b[3] <= box[3];
    });
    return [outer, ...holes];
  });
}
