import proj4 from 'proj4';
import type { LngLat } from '../../../shared/area/geo';

/**
 * British National Grid (EPSG:27700) to WGS84 longitude and latitude, by the OS's published seven-parameter
 * Helmert transformation: within a few metres of OS's own (OSTN15) figures, which is plenty for a console.
 */
const BRITISH_NATIONAL_GRID =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs';

const converter = proj4(BRITISH_NATIONAL_GRID, 'WGS84');

export function bngToLngLat(easting: number, northing: number): LngLat {
  const [lng, lat] = converter.forward([easting, northing]) as [number, number];
  return [lng, lat];
}

/** Whether an easting and northing lie on the British National Grid at all. */
export function onNationalGrid(easting: number, northing: number): boolean {
  return Number.isFinite(easting) && Number.isFinite(northing) && easting >= 0 && easting <= 700_000 && northing >= 0 && northing <= 1_300_000;
}
