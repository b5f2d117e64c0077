import type { BoundaryKind } from '../../../shared/area/tile-schema';
import type { Boundary } from '../build/area-model';
import { readShape } from './geojson-geometry';
import { pickProperty, readFeatures, type Warn } from './feature-files';

// Boundary files name their fields in many ways: ONS "LAD13NM"/"LAD13CD", "WD13NM", ours "pfa_name", plain "name".
const NAME_KEYS = ['name', 'NAME', 'Name'];
const NAME_PATTERNS = [/(^|_)name$/i, /\d*NM$/];
const CODE_KEYS = ['code', 'CODE', 'id'];
const CODE_PATTERNS = [/(^|_)code$/i, /\d*CD$/];

/** Boundaries of one kind (force, district, ward, beat) from a GeoJSON or TopoJSON file. */
export function readBoundaries(path: string, kind: BoundaryKind, warn: Warn): Boundary[] {
  const boundaries: Boundary[] = [];
  for (const feature of readFeatures(path, warn)) {
    const name = pickProperty(feature.properties, NAME_KEYS, NAME_PATTERNS);
    if (!name) {
      warn(feature.line, `${kind} boundary skipped: it has no name property (looked for name, *_name, *NM)`);
      continue;
    }
    const shape = readShape(feature.geometry);
    if (!shape.ok) {
      warn(feature.line, `${kind} boundary "${name}" skipped: ${shape.problem}`);
      continue;
    }
    boundaries.push({ kind, name, code: pickProperty(feature.properties, CODE_KEYS, CODE_PATTERNS), shape: shape.value });
  }
  return boundaries;
}
