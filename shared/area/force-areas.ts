import { distanceMetres, nearestPointOnLines, pointInMultiPolygon, type LngLat } from './geo';

/**
 * A force's area as the area folder's boundaries hold it (`kind: "force"`, the force's code): a GeoJSON
 * MultiPolygon's coordinates, each polygon an outer ring then its holes, in WGS84 longitude and latitude.
 */
export interface ForceArea {
  force: string;
  shape: readonly (readonly (readonly LngLat[])[])[];
}

/** Where a point stands between forces. */
export interface ForceAreaPlace {
  /** The code of the force whose area holds the point; null where no force's does (at sea, beyond the areas). */
  force: string | null;
  /**
   * The nearest area of any other force, and how far the point is from it in metres (0 for a point on its edge):
   * for a point inside one force's area, its distance to the border with that neighbour. Null when no other force's
   * area is known.
   */
  border: { force: string; distanceMetres: number } | null;
}

/**
 * Which force's area a point is in, and how far it is from the nearest other force's area: what the rules that
 * share an incident across a border ask (a location in the other force's area, or within a configured distance of
 * the border). Where areas overlap (a surveyed border drawn twice), the first area listed that holds the point wins.
 * Distances are great-circle metres to the nearest point of the other area's edge, measured on a flat projection
 * around the point (good to a fraction of a percent over a county). Pure; `areas` may be in any order.
 */
export function forceAreaAt(point: LngLat, areas: readonly ForceArea[]): ForceAreaPlace {
  const inside = areas.find((area) => pointInMultiPolygon(point, area.shape));
  const force = inside?.force ?? null;
  let border: ForceAreaPlace['border'] = null;
  for (const area of areas) {
    if (area.force === force) continue;
    const distance = pointInMultiPolygon(point, area.shape) ? 0 : distanceToShape(point, area.shape);
    if (distance !== null && (border === null || distance < border.distanceMetres)) border = { force: area.force, distanceMetres: distance };
  }
  return { force, border };
}

/** Whether a point lies within `metres` of another force's area: the neighbour, or null. */
export function nearBorder(point: LngLat, areas: readonly ForceArea[], metres: number): string | null {
  const { border } = forceAreaAt(point, areas);
  return border && border.distanceMetres <= metres ? border.force : null;
}

function distanceToShape(point: LngLat, shape: ForceArea['shape']): number | null {
  const nearest = nearestPointOnLines(point, shape.flat());
  return nearest ? distanceMetres(point, nearest) : null;
}
