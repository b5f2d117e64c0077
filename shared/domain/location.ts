import { z } from 'zod';
import { plainText } from './text';

export const GeoPoint = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });
export type GeoPoint = z.infer<typeof GeoPoint>;

/**
 * Where a location came from. gazetteer: the handler picked a known place. handset: the caller's phone said so
 * (AML or the cell), with its accuracy. unverified: typed and not found, to be followed up.
 */
export const LocationSource = z.enum(['gazetteer', 'handset', 'unverified']);
export type LocationSource = z.infer<typeof LocationSource>;

export const IncidentLocation = z.object({
  /** What everyone reads: "Shirley Road, Freemantle". */
  text: plainText({ min: 1, max: 200, empty: 'a location is needed' }),
  point: GeoPoint.nullable(),
  source: LocationSource,
  /** The district or ward, so that two places of the same name are told apart. */
  district: plainText({ max: 120 }).nullable(),
  /** For a handset position: the radius within which the caller is (metres). */
  accuracyM: z.number().nonnegative().nullable(),
});
export type IncidentLocation = z.infer<typeof IncidentLocation>;

/** A location typed and not found: allowed (the call cannot wait) but flagged for follow-up. */
export function unverifiedLocation(text: string): IncidentLocation {
  return { text, point: null, source: 'unverified', district: null, accuracyM: null };
}

export function needsFollowUp(location: IncidentLocation): boolean {
  return location.source === 'unverified';
}

/** Great-circle distance in metres (haversine): enough for a force area. */
export function distanceMetres(a: GeoPoint, b: GeoPoint): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function describeLocation(location: IncidentLocation): string {
  return location.district ? `${location.text}, ${location.district}` : location.text;
}
