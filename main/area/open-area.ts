import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { appRoot } from '../../node-common/app-paths';
import { StartProblem } from '../../node-common/start-problem';
import { AREA_FILES, AREA_FORMAT, AreaManifest } from '../../shared/area/manifest';
import { describeIssues } from '../../shared/validation';

/** The area `npm start` shows when none is chosen: the exercise area the build generates. */
export function defaultAreaDir(): string {
  return join(appRoot(), 'dist', 'areas', 'exercise');
}

export class AreaProblem extends StartProblem {
  override name = 'AreaProblem';
}

/**
 * Reads and checks an area folder's manifest, and that the files it names are there. Throws an AreaProblem that
 * says what is wrong and what to do, so a console never starts half-mapped without saying so.
 */
export function readAreaManifest(dir: string): AreaManifest {
  const folder = resolve(dir);
  const manifestFile = join(folder, AREA_FILES.manifest);
  if (!existsSync(manifestFile)) {
    const hint = folder === defaultAreaDir() ? ' (the build makes it: run npm run build)' : ' (make one with npm run area:import)';
    throw new AreaProblem(`no area at ${folder}: it has no ${AREA_FILES.manifest}${hint}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (error) {
    throw new AreaProblem(`the area at ${folder} is unreadable: ${AREA_FILES.manifest} is not JSON (${(error as Error).message})`);
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (format !== AREA_FORMAT) {
    throw new AreaProblem(`the area at ${folder} is in format ${String(format)}, this console reads format ${AREA_FORMAT}: import it again with this version`);
  }
  const parsed = AreaManifest.safeParse(raw);
  if (!parsed.success) throw new AreaProblem(`the area at ${folder} has a bad ${AREA_FILES.manifest}: ${describeIssues(parsed.error)}`);
  const needed = [
    AREA_FILES.gazetteer,
    AREA_FILES.tiles('overview'),
    ...(parsed.data.tiles.detail ? [AREA_FILES.tiles('detail')] : []),
    ...(parsed.data.roads ? [AREA_FILES.roads] : []),
  ];
  const missing = needed.filter((file) => !existsSync(join(folder, file)));
  if (missing.length) throw new AreaProblem(`the area at ${folder} is incomplete: ${missing.join(', ')} missing`);
  return parsed.data;
}
