import { z } from 'zod';

/** A position as GeoJSON writes it: longitude, then latitude, in WGS84 degrees. */
export type LngLat = [number, number];
/** West, south, east, north, in WGS84 degrees. */
export type BBox = [number, number, number, number];

export const LngLat = z.tuple([z.number().gte(-180).lte(180), z.number().gte(-90).lte(90)]);
export const BBox = z
  .tuple([z.number().gte(-180).lte(180), z.number().gte(-90).lte(90), z.number().gte(-180).lte(180), z.number().gte(-90).lte(90)])
  .refine(([w, s, e, n]) => w <= e && s <= n, 'west must not be east of east, nor south north of north');

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres. */
export function distanceMetres(a: LngLat, b: LngLat): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLng = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A flat projection around a latitude, in metres: good to a fraction of a percent over a town or a county, which
 * is all the simplification and nearest-point work here needs.
 */
export function localMetres(originLat: number): { toXY(p: LngLat): [number, number]; toLngLat(x: number, y: number): LngLat } {
  const mPerDegLat = EARTH_RADIUS_M * RAD;
  const mPerDegLng = mPerDegLat * Math.cos(originLat * RAD);
  return {
    toXY: (p) => [p[0] * mPerDegLng, p[1] * mPerDegLat],
    toLngLat: (x, y) => [x / mPerDegLng, y / mPerDegLat],
  };
}

export function bboxOf(points: Iterable<LngLat>): BBox | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const [x, y] of points) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return w === Infinity ? null : [w, s, e, n];
}

export function bboxUnion(a: BBox | null, b: BBox | null): BBox | null {
  if (!a) return b;
  if (!b) return a;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

export function bboxIntersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

export function bboxContains(box: BBox, p: LngLat): boolean {
  return p[0] >= box[0] && p[0] <= box[2] && p[1] >= box[1] && p[1] <= box[3];
}

export function bboxCentre(box: BBox): LngLat {
  return [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
}

/** The box grown by a margin in metres on every side. */
export function expandBBox(box: BBox, metres: number): BBox {
  const dLat = metres / (EARTH_RADIUS_M * RAD);
  const dLng = dLat / Math.max(0.01, Math.cos(((box[1] + box[3]) / 2) * RAD));
  return [Math.max(-180, box[0] - dLng), Math.max(-85, box[1] - dLat), Math.min(180, box[2] + dLng), Math.min(85, box[3] + dLat)];
}

/**
 * The box grown by a fraction of its size on every side (at least `minDegrees`): the map lets the operator pan
 * this far past the area's edge, and the overview tiles reach as far, so there is never a blank margin.
 */
export function padBBox(box: BBox, fraction = 0.3, minDegrees = 0.05): BBox {
  const dx = Math.max(minDegrees, (box[2] - box[0]) * fraction);
  const dy = Math.max(minDegrees, (box[3] - box[1]) * fraction);
  return [Math.max(-180, box[0] - dx), Math.max(-85, box[1] - dy), Math.min(180, box[2] + dx), Math.min(85, box[3] + dy)];
}

/** Ray casting; a point exactly on an edge may fall either side, which no caller here minds. */
export function pointInRing(p: LngLat, ring: readonly LngLat[]): boolean {
  let inside = false;
  const [x, y] = p;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A polygon as GeoJSON has it: the outer ring, then its holes. */
export function pointInPolygon(p: LngLat, rings: readonly (readonly LngLat[])[]): boolean {
  const [outer, ...holes] = rings;
  if (!outer || !pointInRing(p, outer)) return false;
  return !holes.some((hole) => pointInRing(p, hole));
}

export function pointInMultiPolygon(p: LngLat, polygons: readonly (readonly (readonly LngLat[])[])[]): boolean {
  return polygons.some((rings) => pointInPolygon(p, rings));
}

/** The point of a set of lines nearest to p (measured flat, which is fine at street scale). */
export function nearestPointOnLines(p: LngLat, lines: readonly (readonly LngLat[])[]): LngLat | null {
  const flat = localMetres(p[1]);
  const [px, py] = flat.toXY(p);
  let best: [number, number] | null = null;
  let bestD = Infinity;
  for (const line of lines) {
    for (let i = 0; i < line.length; i++) {
      const [ax, ay] = flat.toXY(line[i]!);
      const [bx, by] = i + 1 < line.length ? flat.toXY(line[i + 1]!) : [ax, ay];
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
      const qx = ax + t * dx;
      const qy = ay + t * dy;
      const d = (qx - px) ** 2 + (qy - py) ** 2;
      if (d < bestD) {
        bestD = d;
        best = [qx, qy];
      }
    }
  }
  return best ? flat.toLngLat(best[0], best[1]) : null;
}

export function lineLengthMetres(line: readonly LngLat[]): number {
  let total = 0;
  for (let i = 1; i < line.length; i++) total += distanceMetres(line[i - 1]!, line[i]!);
  return total;
}

/** Douglas–Peucker with a tolerance in metres; the ends are always kept. */
export function simplifyLine(line: readonly LngLat[], toleranceMetres: number): LngLat[] {
  if (line.length <= 2) return [...line];
  const flat = localMetres(line[0]![1]);
  const xy = line.map((p) => flat.toXY(p));
  const keep = new Uint8Array(line.length);
  keep[0] = 1;
  keep[line.length - 1] = 1;
  const stack: [number, number][] = [[0, line.length - 1]];
  const tol2 = toleranceMetres * toleranceMetres;
  while (stack.length) {
    const [first, last] = stack.pop()!;
    const [ax, ay] = xy[first]!;
    const [bx, by] = xy[last]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let worstD = tol2;
    for (let i = first + 1; i < last; i++) {
      const [px, py] = xy[i]!;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
      const d = (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2;
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst > 0) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  return line.filter((_, i) => keep[i] === 1);
}

/** Rounds a position to a number of decimals (5 is about a metre), to keep stored files small. */
export function roundLngLat(p: LngLat, decimals = 6): LngLat {
  const f = 10 ** decimals;
  return [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f];
}

export function roundBBox(box: BBox, decimals = 6): BBox {
  const f = 10 ** decimals;
  return [Math.floor(box[0] * f) / f, Math.floor(box[1] * f) / f, Math.ceil(box[2] * f) / f, Math.ceil(box[3] * f) / f];
}
