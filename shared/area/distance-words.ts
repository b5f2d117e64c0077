import { distanceMetres, type GeoPoint } from '../domain/location';

const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
export type CompassPoint = (typeof COMPASS)[number];

/**
 * A straight-line distance as a dispatcher reads it: metres to the nearest ten below a kilometre ("850 m"), a
 * tenth of a kilometre below ten ("2.4 km"), whole kilometres beyond ("14 km"). Metres in; a RangeError for a
 * negative or non-finite distance.
 */
export function formatDistance(metres: number): string {
  if (!(metres >= 0) || !Number.isFinite(metres)) throw new RangeError(`not a distance: ${metres}`);
  if (metres < 995) return `${Math.round(metres / 10) * 10} m`;
  if (metres < 9_950) return `${(metres / 1000).toFixed(1)} km`;
  return `${Math.round(metres / 1000)} km`;
}

/** The initial bearing from one point to another, in degrees clockwise from true north (0 to 360). */
export function bearingDegrees(from: GeoPoint, to: GeoPoint): number {
  const rad = Math.PI / 180;
  const [lat1, lat2, dLon] = [from.lat * rad, to.lat * rad, (to.lon - from.lon) * rad];
  const y = Math.sin(dLon) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLon);
  return ((Math.atan2(y, x) / rad) % 360 + 360) % 360;
}

/** The nearest of the eight compass points to a bearing in degrees. */
export function compassPoint(bearing: number): CompassPoint {
  return COMPASS[Math.round((((bearing % 360) + 360) % 360) / 45) % 8]!;
}

/**
 * How far and which way `to` lies from `from`: "1.2 km NE", "850 m S"; "here" within ten metres (where a direction
 * means nothing), and metres from `distanceMetres` (the great circle: straight line, not road).
 */
export function distanceAndDirection(from: GeoPoint, to: GeoPoint): { metres: number; words: string } {
  const metres = distanceMetres(from, to);
  if (metres < 10) return { metres, words: 'here' };
  return { metres, words: `${formatDistance(metres)} ${compassPoint(bearingDegrees(from, to))}` };
}
