import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ForceArea } from '../shared/area/force-areas';
import { AREA_FILES } from '../shared/area/manifest';
import { StartProblem } from './start-problem';

const Position = z.tuple([z.number(), z.number()]).rest(z.number());
const BoundaryFile = z.object({
  features: z.array(
    z.object({
      properties: z.object({ kind: z.string(), code: z.string().optional() }).loose(),
      geometry: z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) }).or(z.object({ type: z.string() }).loose()),
    }),
  ),
});

/**
 * The forces' areas of an area folder (its boundaries of kind `force` that carry a force code): what the server
 * shares incidents across the border by. An area folder with no boundaries file, or none of kind force, gives none,
 * and nothing is then shared automatically; a file that cannot be read is a StartProblem, in one line.
 */
export function loadForceAreas(areaDir: string): ForceArea[] {
  const file = join(areaDir, AREA_FILES.boundaries);
  if (!existsSync(file)) return [];
  let parsed;
  try {
    parsed = BoundaryFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new StartProblem(`the area's boundaries (${file}) cannot be read: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const areas: ForceArea[] = [];
  for (const feature of parsed.features) {
    const { kind, code } = feature.properties;
    if (kind !== 'force' || !code || feature.geometry.type !== 'MultiPolygon') continue;
    const coordinates = (feature.geometry as { coordinates: number[][][][] }).coordinates;
    areas.push({ force: code, shape: coordinates.map((polygon) => polygon.map((ring) => ring.map((position): [number, number] => [position[0]!, position[1]!]))) });
  }
  return areas;
}
