import { z } from 'zod';
import type { LngLat } from './geo';
import { ROAD_CLASSES, type RoadClass } from './tile-schema';

/** The version of the roads file; a console reads only this one (an area without it routes in straight lines). */
export const ROADS_FORMAT = 1;

/**
 * One road link in the roads file. The line is flat (lng, lat, lng, lat…) rather than a list of pairs: an
 * imported county holds about a million positions, and a flat list is a quarter of the size and parses faster.
 */
export const StoredRoad = z.object({
  class: z.enum(ROAD_CLASSES),
  name: z.string().max(200).nullable(),
  ref: z.string().max(40).nullable(),
  line: z
    .array(z.number().gte(-180).lte(180))
    .min(4)
    .refine((flat) => flat.length % 2 === 0, 'a line is pairs of longitude and latitude'),
});
export type StoredRoad = z.infer<typeof StoredRoad>;

/**
 * `roads.json.gz`: the area's road network, for routing vehicles with no network. Lines meet where they share a
 * position (or come within a couple of metres of one), as OS Open Roads links and OpenStreetMap ways do, and as
 * the exercise generator writes its streets; two lines that merely cross (a bridge) do not meet.
 */
export const StoredRoads = z.object({
  format: z.literal(ROADS_FORMAT),
  roads: z.array(StoredRoad),
});
export type StoredRoads = z.infer<typeof StoredRoads>;

export function toStoredRoad(road: { line: readonly LngLat[]; name: string | null; class: RoadClass; ref: string | null }): StoredRoad {
  return { class: road.class, name: road.name, ref: road.ref, line: road.line.flatMap(([lng, lat]) => [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]) };
}

export function lineOf(road: StoredRoad): LngLat[] {
  const line: LngLat[] = [];
  for (let i = 0; i + 1 < road.line.length; i += 2) line.push([road.line[i]!, road.line[i + 1]!]);
  return line;
}
