import proj4 from 'proj4';
import type { GeoPoint } from '../domain/location';

/**
 * The British National Grid (EPSG:27700): OSGB36 on the Airy ellipsoid, transverse Mercator, with the OS's published
 * seven-parameter Helmert transformation from WGS84. Within a few metres of OS's own (OSTN15) figures: plenty to
 * say where a unit or an incident is, never a survey.
 */
export const BRITISH_NATIONAL_GRID =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs';

const fromWgs84 = proj4('WGS84', BRITISH_NATIONAL_GRID);

/**
 * Where the grid is meant to be used: EPSG:27700's area of use, Great Britain and the UK continental shelf, 49.75° N
 * to 61.01° N, 9.01° W to 2.01° E. Outside it the projection still gives figures, ever further from the truth.
 */
const AREA_OF_USE = { south: 49.75, north: 61.01, west: -9.01, east: 2.01 };
/** The grid's extent: 700 km east and 1,300 km north of its false origin (squares SV to JM). */
const GRID_EXTENT = { easting: 700_000, northing: 1_300_000 };

/** The 100 km squares' letters: A to Z without I, five to a row, from the north-west corner. */
const LETTERS = 'ABCDEFGHJKLMNOPQRSTUVWXYZ';

/** A point's easting and northing on the British National Grid, in metres; null outside the grid's area of use. */
export function nationalGridOf(point: GeoPoint): { easting: number; northing: number } | null {
  const { lat, lon } = point;
  if (!(lat >= AREA_OF_USE.south && lat <= AREA_OF_USE.north && lon >= AREA_OF_USE.west && lon <= AREA_OF_USE.east)) return null;
  const [easting, northing] = fromWgs84.forward([lon, lat]) as [number, number];
  if (!(easting >= 0 && easting < GRID_EXTENT.easting && northing >= 0 && northing < GRID_EXTENT.northing)) return null;
  return { easting, northing };
}

/**
 * An Ordnance Survey grid reference as people write it: the 100 km square's two letters, then the easting and the
 * northing within it, `figures` digits in all (10: to the metre, "SU 41854 11970"; 8: to ten metres; 6: to a
 * hundred), truncated as the OS does (a reference names the square the point is in). Eastings and northings in
 * metres, within the grid's extent (a RangeError otherwise).
 */
export function formatGridReference(easting: number, northing: number, figures: 6 | 8 | 10 = 10): string {
  if (!(easting >= 0 && easting < GRID_EXTENT.easting && northing >= 0 && northing < GRID_EXTENT.northing)) {
    throw new RangeError(`${easting} E, ${northing} N is not on the British National Grid`);
  }
  const e = Math.floor(easting);
  const n = Math.floor(northing);
  // The first letter is the 500 km square: S holds the false origin, T is east of it, N, O, H and J to the north.
  const major = LETTERS.indexOf('S') - Math.floor(n / 500_000) * 5 + Math.floor(e / 500_000);
  // The second is the 100 km square within it, counted from its north-west corner.
  const minor = (4 - Math.floor((n % 500_000) / 100_000)) * 5 + Math.floor((e % 500_000) / 100_000);
  const digits = figures / 2;
  const within = (metres: number) => String(Math.floor((metres % 100_000) / 10 ** (5 - digits))).padStart(digits, '0');
  return `${LETTERS[major]}${LETTERS[minor]} ${within(e)} ${within(n)}`;
}

/** A point's ten-figure grid reference ("SU 41854 11970"), or null where the British National Grid does not reach. */
export function gridReferenceOf(point: GeoPoint): string | null {
  const grid = nationalGridOf(point);
  return grid && formatGridReference(grid.easting, grid.northing);
}

/** Latitude and longitude in words a radio operator reads out: "50.90970° N, 1.40435° W" (five places: about a metre). */
export function formatLatLon(point: GeoPoint): string {
  const lat = `${Math.abs(point.lat).toFixed(5)}° ${point.lat >= 0 ? 'N' : 'S'}`;
  const lon = `${Math.abs(point.lon).toFixed(5)}° ${point.lon >= 0 ? 'E' : 'W'}`;
  return `${lat}, ${lon}`;
}

/** Where a point is, said the way the force would: its grid reference in Great Britain, latitude and longitude elsewhere. */
export function describePosition(point: GeoPoint): string {
  return gridReferenceOf(point) ?? formatLatLon(point);
}
