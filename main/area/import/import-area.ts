import { basename } from 'node:path';
import { bboxOf, type LngLat } from '../../../shared/area/geo';
import { ShapeIndex } from '../../../shared/area/spatial-index';
import type { BoundaryKind } from '../../../shared/area/tile-schema';
import { emptyModel, type AreaModel } from '../build/area-model';
import { labelPoint } from '../build/build-gazetteer';
import { writeArea, type ImportWarning, type WrittenArea } from '../build/write-area';
import { describeGap, gapsOf, hasAnythingPlaced, PLACED_INPUTS, type AreaGap } from './area-gaps';
import { readFeatures } from './feature-files';
import { readShape } from './geojson-geometry';
import { readBoundaries } from './read-boundaries';
import { readCodePoint } from './read-codepoint';
import { readOsm } from './read-osm';
import { readPlaces } from './read-places';
import { readRoads } from './read-roads';
import { Warnings } from './warnings';

export interface ImportInputs {
  out: string;
  name: string;
  id?: string;
  roads: string[];
  postcodes: string[];
  places: string[];
  osm: string[];
  boundaries: { kind: BoundaryKind; file: string }[];
  land: string | null;
  /** Keep only this force (by code or name) of the force boundaries, and only what lies inside it. */
  force: string | null;
  attribution: string[];
}

export interface ImportOutcome {
  written: WrittenArea;
  warnings: ImportWarning[];
  /** What the area does without because no input gave it, each with the input that would (also in the report). */
  gaps: AreaGap[];
}

/**
 * Builds an area from open data files: each file read for what it holds (a bad line or feature reported and
 * skipped, the rest kept), everything clipped to the force area when one is given, then written as one area.
 * Any one kind of input is enough (streets and postcodes alone make an area); what is missing is told in `gaps`.
 * Throws an ImportError, writing nothing, only when no input gave anything with a position.
 */
export async function importArea(inputs: ImportInputs, log: (line: string) => void): Promise<ImportOutcome> {
  const warnings = new Warnings();
  const model: AreaModel = emptyModel({
    id: inputs.id ?? slug(inputs.name),
    name: inputs.name,
    kind: 'imported',
    fictional: false,
    attribution: inputs.attribution,
    builtBy: `cordon area:import from ${[...inputs.roads, ...inputs.postcodes, ...inputs.places, ...inputs.osm, ...inputs.boundaries.map((b) => b.file), ...(inputs.land ? [inputs.land] : [])].map((f) => basename(f)).join(', ')}`,
  });

  for (const file of inputs.roads) {
    const roads = readRoads(file, warnings.forFile(file));
    model.roads.push(...roads);
    log(`roads      ${basename(file)}: ${roads.length} links, ${roads.filter((r) => r.name).length} named`);
  }
  for (const file of inputs.postcodes) {
    const read = readCodePoint(file, warnings.forFile(file));
    model.postcodes.push(...read.units);
    log(`postcodes  ${basename(file)}: ${read.units.length} of ${read.rows} rows${read.withoutCoordinates ? ` (${read.withoutCoordinates} have no coordinates)` : ''}`);
  }
  for (const file of inputs.places) {
    const places = readPlaces(file, warnings.forFile(file));
    model.places.push(...places);
    log(`places     ${basename(file)}: ${places.length}`);
  }
  for (const { kind, file } of inputs.boundaries) {
    const boundaries = readBoundaries(file, kind, warnings.forFile(file));
    model.boundaries.push(...boundaries);
    log(`${kind.padEnd(10)} ${basename(file)}: ${boundaries.length}`);
  }
  for (const file of inputs.osm) {
    const osm = readOsm(file, warnings.forFile(file));
    for (const key of Object.keys(osm) as (keyof typeof osm)[]) (model[key] as unknown[]).push(...osm[key]);
    log(`osm        ${basename(file)}: ${osm.roads.length} roads, ${osm.buildings.length} buildings, ${osm.landuse.length + osm.water.length} areas, ${osm.landmarks.length} landmarks`);
  }
  if (inputs.land) {
    const warn = warnings.forFile(inputs.land);
    model.land = readFeatures(inputs.land, warn).flatMap((f) => {
      const shape = readShape(f.geometry);
      if (!shape.ok) warn(f.line, `land skipped: ${shape.problem}`);
      return shape.ok ? [shape.value] : [];
    });
  }

  clipToForce(model, inputs.force, log);
  const listed = warnings.finish();
  if (!hasAnythingPlaced(model)) {
    throw new ImportError(`nothing to make an area from: the inputs gave no street, postcode, place, boundary or landmark with a position${listed.length ? ' (see the warnings above)' : ''}; give at least one of ${PLACED_INPUTS}`, listed);
  }
  const gaps = gapsOf(model);
  for (const gap of gaps) log(`note       ${describeGap(gap)}`);
  const written = await writeArea(model, inputs.out, listed, gaps.map(describeGap));
  return { written, warnings: listed, gaps };
}

/** Keeps one force (if asked) and drops what lies outside the force area, saying how much. */
function clipToForce(model: AreaModel, wanted: string | null, log: (line: string) => void): void {
  let forces = model.boundaries.filter((b) => b.kind === 'force');
  if (wanted) {
    const match = (s: string | null) => s?.toLowerCase() === wanted.toLowerCase();
    const chosen = forces.filter((f) => match(f.code) || match(f.name));
    if (chosen.length === 0) {
      const known = forces.map((f) => `${f.name}${f.code ? ` (${f.code})` : ''}`).join(', ') || 'none: give one with --boundaries force=FILE';
      throw new ImportError(`--force ${wanted}: no such force among the force boundaries read; known: ${known}`);
    }
    model.boundaries = model.boundaries.filter((b) => b.kind !== 'force' || chosen.includes(b));
    forces = chosen;
  }
  if (forces.length === 0) return;
  const inside = new ShapeIndex<true>(0.05);
  for (const force of forces) inside.add(true, force.shape);
  const within = (p: LngLat) => inside.find(p) !== null;
  const keep = <T>(what: string, list: T[], at: (item: T) => LngLat): T[] => {
    const kept = list.filter((item) => within(at(item)));
    if (kept.length < list.length) log(`outside    ${list.length - kept.length} ${what} outside ${forces.map((f) => f.name).join(' and ')} left out`);
    return kept;
  };
  model.postcodes = keep('postcodes', model.postcodes, (p) => p.point);
  model.places = keep('places', model.places, (p) => p.point);
  model.landmarks = keep('landmarks', model.landmarks, (l) => l.point);
  model.roads = keep('road links', model.roads, (r) => r.line[Math.floor(r.line.length / 2)]!);
  model.boundaries = [...forces, ...keep('boundaries', model.boundaries.filter((b) => b.kind !== 'force'), (b) => labelPoint(b.shape))];
  model.bounds = bboxOf(forces.flatMap((f) => f.shape.flatMap((polygon) => polygon[0] ?? [])));
}

/**
 * A problem with the inputs as a whole (not a line of a file): the import stops and writes nothing. The
 * warnings read so far go with it, since they often say why (every row of a file skipped, and for what).
 */
export class ImportError extends Error {
  override name = 'ImportError';

  constructor(
    message: string,
    readonly warnings: ImportWarning[] = [],
  ) {
    super(message);
  }
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'area'
  );
}
