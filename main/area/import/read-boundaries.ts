import type { BoundaryKind } from '../../../shared/area/tile-schema';
import type { Boundary } from '../build/area-model';
import { readShape } from './geojson-geometry';
import { pickProperty, readFeatures, type Warn } from './feature-files';

// Boundary files name their fields in many ways: ONS "LAD13NM"/"LAD13CD", "WD13NM", ours "pfa_name", plain "name".
// A file may have several (the districts file also names each district's force, as pfa_name): the field whose
// name speaks of the kind of boundary wins, so a district is never named after its force.
const KIND_HINTS: Record<BoundaryKind, RegExp> = { force: /^(pfa|force|police)/i, district: /^(lad|lau|district|la_?)/i, ward: /^(wd|ward)/i, beat: /^(beat|sector|neighbourhood)/i };
const NAME_KEYS = ['name', 'NAME', 'Name'];
const NAME_FIELD = /((^|_)name|\d*NM)$/i;
const CODE_KEYS = ['code', 'CODE', 'id'];
const CODE_FIELD = /((^|_)code|\d*CD)$/i;

function fieldFor(properties: Record<string, unknown>, kind: BoundaryKind, field: RegExp, plain: string[]): string | null {
  const keys = Object.keys(properties).filter((key) => field.test(key));
  const hinted = keys.filter((key) => KIND_HINTS[kind].test(key));
  return pickProperty(properties, [...hinted, ...plain, ...keys], []);
}

/** Boundaries of one kind (force, district, ward, beat) from a GeoJSON or TopoJSON file. */
export function readBoundaries(path: string, kind: BoundaryKind, warn: Warn): Boundary[] {
  const boundaries: Boundary[] = [];
  for (const feature of readFeatures(path, warn)) {
    const name = fieldFor(feature.properties, kind, NAME_FIELD, NAME_KEYS);
    if (!name) {
      warn(feature.line, `${kind} boundary skipped: it has no name property (looked for name, *_name, *NM)`);
      continue;
    }
    const shape = readShape(feature.geometry);
    if (!shape.ok) {
      warn(feature.line, `${kind} boundary "${name}" skipped: ${shape.problem}`);
      continue;
    }
    boundaries.push({ kind, name, code: fieldFor(feature.properties, kind, CODE_FIELD, CODE_KEYS), shape: shape.value });
  }
  return boundaries;
}
