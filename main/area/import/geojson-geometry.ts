import type { LngLat } from '../../../shared/area/geo';
import type { Shape } from '../build/area-model';

/** A geometry read from a file, or why it could not be. */
export type Read<T> = { ok: true; value: T } | { ok: false; problem: string };

const fail = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });

function position(raw: unknown): LngLat | string {
  if (!Array.isArray(raw) || raw.length < 2) return 'a position is not [longitude, latitude]';
  const [lng, lat] = raw as unknown[];
  if (typeof lng !== 'number' || typeof lat !== 'number' || !Number.isFinite(lng) || !Number.isFinite(lat)) return 'a coordinate is not a number';
  if (Math.abs(lng) > 180 || Math.abs(lat) > 90) return `coordinates ${lng}, ${lat} are not longitude and latitude (WGS84); reproject the file first`;
  return [lng, lat];
}

function positions(raw: unknown, minimum: number): LngLat[] | string {
  if (!Array.isArray(raw)) return 'coordinates are not a list';
  const out: LngLat[] = [];
  for (const item of raw) {
    const p = position(item);
    if (typeof p === 'string') return p;
    out.push(p);
  }
  if (out.length < minimum) return `a line or ring has ${out.length} positions, fewer than ${minimum}`;
  return out;
}

function geometryOf(raw: unknown): { type: string; coordinates: unknown } | string {
  if (typeof raw !== 'object' || raw === null) return 'it has no geometry';
  const g = raw as { type?: unknown; coordinates?: unknown };
  if (typeof g.type !== 'string') return 'its geometry has no type';
  return { type: g.type, coordinates: g.coordinates };
}

export function readPoint(raw: unknown): Read<LngLat> {
  const g = geometryOf(raw);
  if (typeof g === 'string') return fail(g);
  if (g.type === 'Point') {
    const p = position(g.coordinates);
    return typeof p === 'string' ? fail(p) : { ok: true, value: p };
  }
  if (g.type === 'MultiPoint' && Array.isArray(g.coordinates) && g.coordinates.length > 0) {
    const p = position(g.coordinates[0]);
    return typeof p === 'string' ? fail(p) : { ok: true, value: p };
  }
  return fail(`a ${g.type} where a Point was expected`);
}

export function readLines(raw: unknown): Read<LngLat[][]> {
  const g = geometryOf(raw);
  if (typeof g === 'string') return fail(g);
  const parts = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' && Array.isArray(g.coordinates) ? g.coordinates : null;
  if (!parts) return fail(`a ${g.type} where a LineString was expected`);
  const lines: LngLat[][] = [];
  for (const part of parts) {
    const line = positions(part, 2);
    if (typeof line === 'string') return fail(line);
    lines.push(line);
  }
  return { ok: true, value: lines };
}

export function readShape(raw: unknown): Read<Shape> {
  const g = geometryOf(raw);
  if (typeof g === 'string') return fail(g);
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' && Array.isArray(g.coordinates) ? g.coordinates : null;
  if (!polygons) return fail(`a ${g.type} where a Polygon was expected`);
  const shape: Shape = [];
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) return fail('a polygon has no rings');
    const rings: LngLat[][] = [];
    for (const ring of polygon) {
      const read = positions(ring, 4);
      if (typeof read === 'string') return fail(read);
      rings.push(read);
    }
    shape.push(rings);
  }
  return { ok: true, value: shape };
}
