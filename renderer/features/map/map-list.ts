import { distanceAndDirection } from '../../../shared/area/distance-words';
import type { GeoPoint } from '../../../shared/domain/location';

/** What the map list measures from, and how its heading names it. */
export interface ListReference {
  point: GeoPoint;
  /** "DM-01", "2026-000123", "Shirley Road, Freemantle". */
  name: string;
  /** "the unit chosen", "the selected incident", "the place found". */
  what: string;
}

/** One row of the map list: the thing, where it is, and how far and which way from the reference. */
export interface ListedPlace<T> {
  id: string;
  item: T;
  point: GeoPoint | null;
  /** Straight-line metres from the reference; null with no reference or no position. */
  metres: number | null;
  /** "1.2 km NE", "here"; null as `metres` is. */
  way: string | null;
}

/**
 * The reference the list measures from: the unit chosen on the resources board, else the incident selected, else the
 * place last found (F8); the first of these that has a position. None: the list is in its plain order.
 */
export function chooseReference(candidates: readonly (ListReference | { point: null } | null)[]): ListReference | null {
  for (const candidate of candidates) if (candidate?.point) return candidate as ListReference;
  return null;
}

/**
 * Things with positions, nearest the reference first (ties and those without a position keep `items`' order, the
 * unplaced last); with no reference, in `items`' order.
 */
export function byDistance<T>(items: readonly T[], idOf: (item: T) => string, pointOf: (item: T) => GeoPoint | null, reference: ListReference | null): ListedPlace<T>[] {
  const listed = items.map((item): ListedPlace<T> => {
    const point = pointOf(item);
    const measured = point && reference ? distanceAndDirection(reference.point, point) : null;
    return { id: idOf(item), item, point, metres: measured?.metres ?? null, way: measured?.words ?? null };
  });
  if (!reference) return listed;
  return listed.map((place, order) => ({ place, order })).sort((a, b) => (a.place.metres ?? Infinity) - (b.place.metres ?? Infinity) || a.order - b.order).map(({ place }) => place);
}

/** The list's heading: what its distances are measured from, or how to give it something to measure from. */
export function referenceHeading(reference: ListReference | null): string {
  return reference ? `Distances from ${reference.name} (${reference.what})` : 'No incident selected: distances are measured from the selected incident, the unit chosen or the place found (F8)';
}
