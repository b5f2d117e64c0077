// `npm run area:import -- …`: builds an area folder from open data files (see main/area/import/import-area.ts).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BOUNDARY_KINDS, type BoundaryKind } from '../shared/area/tile-schema';
import { AreaFolderRefused } from '../main/area/build/write-area';
import { PLACED_INPUTS } from '../main/area/import/area-gaps';
import { importArea, ImportError, type ImportInputs } from '../main/area/import/import-area';
import { describeWarning } from '../main/area/import/warnings';
import { parseCommandLine, UsageError } from '../node-common/args';

export const AREA_IMPORT_USAGE = `usage: npm run area:import -- --out DIR --name NAME --attribution TEXT [inputs]
  --out DIR               the area folder to write; replaced whole only when the import succeeds
  --name NAME             the area's name, as the console shows it
  --attribution TEXT      the attribution a data source's licence asks for (once per source; shown on the map)
inputs (each may be given several times; any one of the first five is enough, and the import says what
the area does without and which input would add it):
  --roads FILE            road links as GeoJSON, OS Open Roads style (name1, class, function, roadNumber)
  --postcodes FILE        Code-Point Open CSV (British National Grid eastings and northings)
  --places FILE           towns and villages as GeoJSON points (name, population), e.g. GeoNames
  --boundaries KIND=FILE  boundaries as GeoJSON or TopoJSON; KIND is force, district, ward or beat
  --osm FILE              OpenStreetMap XML: roads, railways, buildings, land use, water, landmarks, places
  --land FILE             land polygons (GeoJSON): the map draws sea outside them
  --force CODE|NAME       keep only this force of the force boundaries, and only what lies inside it
  --id ID                 the area's id (default: made from its name)`;

export function parseImportOptions(argv: string[]): ImportInputs | 'help' {
  const values = parseCommandLine(
    argv,
    {
      out: { type: 'string' },
      name: { type: 'string' },
      id: { type: 'string' },
      attribution: { type: 'string', multiple: true },
      roads: { type: 'string', multiple: true },
      postcodes: { type: 'string', multiple: true },
      places: { type: 'string', multiple: true },
      boundaries: { type: 'string', multiple: true },
      osm: { type: 'string', multiple: true },
      land: { type: 'string' },
      force: { type: 'string' },
      help: { type: 'boolean' },
    },
    AREA_IMPORT_USAGE,
  );
  if (values.help) return 'help';
  if (!values.out) throw new UsageError(`--out is required: the area folder to write\n\n${AREA_IMPORT_USAGE}`);
  if (!values.name) throw new UsageError(`--name is required: the area's name\n\n${AREA_IMPORT_USAGE}`);
  if (!values.attribution?.length) {
    throw new UsageError('--attribution is required: open data licences ask for it, and the map shows it (e.g. "Contains OS data © Crown copyright and database right 2024")');
  }
  const file = (option: string, path: string) => {
    const full = resolve(path);
    if (!existsSync(full) || !statSync(full).isFile()) throw new UsageError(`${option} ${path}: no such file`);
    return full;
  };
  const boundaries = (values.boundaries ?? []).map((spec) => {
    const at = spec.indexOf('=');
    const kind = spec.slice(0, at) as BoundaryKind;
    if (at < 0 || !BOUNDARY_KINDS.includes(kind)) throw new UsageError(`--boundaries ${spec}: write KIND=FILE, KIND being ${BOUNDARY_KINDS.join(', ')}`);
    return { kind, file: file('--boundaries', spec.slice(at + 1)) };
  });
  const inputs: ImportInputs = {
    out: resolve(values.out),
    name: values.name,
    ...(values.id ? { id: values.id } : {}),
    attribution: values.attribution,
    roads: (values.roads ?? []).map((f) => file('--roads', f)),
    postcodes: (values.postcodes ?? []).map((f) => file('--postcodes', f)),
    places: (values.places ?? []).map((f) => file('--places', f)),
    osm: (values.osm ?? []).map((f) => file('--osm', f)),
    boundaries,
    land: values.land ? file('--land', values.land) : null,
    force: values.force ?? null,
  };
  if (inputs.roads.length + inputs.postcodes.length + inputs.places.length + inputs.osm.length + boundaries.length === 0) {
    // Land polygons alone say only where the sea is: an area needs something placed on it.
    throw new UsageError(`nothing to import: give at least one of ${PLACED_INPUTS}${inputs.land ? ' (--land only says where the sea is)' : ''}\n\n${AREA_IMPORT_USAGE}`);
  }
  return inputs;
}

export async function main(argv: string[]): Promise<void> {
  const inputs = parseImportOptions(argv);
  if (inputs === 'help') {
    console.log(AREA_IMPORT_USAGE);
    return;
  }
  const started = performance.now();
  const { written, warnings } = await importArea(inputs, (line) => console.log(line));
  for (const warning of warnings) console.error(`warning: ${describeWarning(warning)}`);
  const c = written.manifest.counts;
  console.log(
    `area "${written.manifest.name}" written to ${written.dir} in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${c.streets} streets, ${c.postcodes} postcodes, ${c.places} places, ${c.landmarks} landmarks, ${c.boundaries} boundaries; ` +
      `${written.tiles.overview + written.tiles.detail} tiles` +
      (warnings.length ? `; ${warnings.length} warnings (also in import-report.json)` : ''),
  );
  console.log(`use it with: npm start -- --area ${written.dir}`);
}

if (process.argv[1] && /area-import\.mjs$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof ImportError) for (const warning of error.warnings) console.error(`warning: ${describeWarning(warning)}`);
    const known = error instanceof UsageError || error instanceof ImportError || error instanceof AreaFolderRefused;
    console.error(known ? (error as Error).message : `area:import: ${(error as Error).stack ?? String(error)}`);
    console.error('nothing was written; any area already in that folder is as it was');
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
