import proj4 from 'proj4';
import type { LngLat } from '../../../shared/area/geo';
import { BRITISH_NATIONAL_GRID } from '../../../shared/area/grid-reference';

const converter = proj4(BRITISH_NATIONAL_GRID, 'WGS84');

/**
 * British National Grid (EPSG:27700) to WGS84 longitude and latitude, by the OS's published seven-parameter
 * Helmert transformation (see shared/area/grid-reference.ts for the other way).
 */
export function bngToLngLat(easting: number, northing: number): LngLat {
  const [lng, lat] = converter.forward([easting, northing]) as [number, number];
  return [lng, lat];
}

/** Whether an easting and northing lie on the British National Grid at all. */
export function onNationalGrid(easting: number, northing: number): boolean {
  return Number.isFinite(easting) && Number.isFinite(northing) && easting >= 0 && easting <= 700_000 && northing >= 0 && northing <= 1_300_000;
}
