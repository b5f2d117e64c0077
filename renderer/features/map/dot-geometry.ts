/** The arithmetic of the units' dots (unit-dots-layer.ts), apart from WebGL so that it can be tested on its own. */

/** Marks on the map grow from a whole town's view to a street's (see map-overlays.ts for why). */
export const TOWN_ZOOM = 11;
export const STREET_ZOOM = 15;
const TOWN = { zoom: TOWN_ZOOM, radius: 3, stroke: 1 };
const STREET = { zoom: STREET_ZOOM, radius: 6, stroke: 2 };

/** Radius and halo width in CSS pixels at a zoom: linear between the town and street sizes. */
export function sizeAt(zoom: number): { radius: number; stroke: number } {
  const t = Math.max(0, Math.min(1, (zoom - TOWN.zoom) / (STREET.zoom - TOWN.zoom)));
  return { radius: TOWN.radius + t * (STREET.radius - TOWN.radius), stroke: TOWN.stroke + t * (STREET.stroke - TOWN.stroke) };
}

/** "#1fa64a" as red, green and blue from 0 to 1. */
export function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

/** The map's matrix moved to the origin, in double precision before it becomes single: column-major 4×4. */
export function translated(matrix: ArrayLike<number>, x: number, y: number): Float32Array {
  const out = Float32Array.from(matrix);
  for (let row = 0; row < 4; row++) out[12 + row] = matrix[row]! * x + matrix[4 + row]! * y + matrix[12 + row]!;
  return out;
}

