import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAreaFiles } from '../../main/area/area-files';
import { loadGazetteer } from '../../main/area/gazetteer-service';
import { describeGap } from '../../main/area/import/area-gaps';
import { importArea, ImportError, type ImportInputs } from '../../main/area/import/import-area';
import { readAreaManifest } from '../../main/area/open-area';
import { makeTempDir } from '../fakes/temp-dir';

// Which inputs an import needs: any one kind that places something is enough; the rest are told, not required.

let dir: ReturnType<typeof makeTempDir>;
const file = (name: string, text: string) => {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
};
const roadsFile = () =>
  file(
    'roads.geojson',
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name1: 'Shirley Road', class: 'B Road', roadNumber: 'B3041' }, geometry: { type: 'LineString', coordinates: [[-1.43, 50.92], [-1.42, 50.925]] } },
        { type: 'Feature', properties: { name1: 'Park Lane', class: 'Unclassified' }, geometry: { type: 'LineString', coordinates: [[-1.425, 50.918], [-1.425, 50.927]] } },
      ],
    }),
  );
const postcodesFile = () =>
  file(
    'so.csv',
    [
      '"SO155AA",10,441221,112493,"E92000001","E19000002","E18000009","","E06000045","E05002455"',
      '"SO155AF",10,441219,113334,"E92000001","E19000002","E18000009","","E06000045","E05002461"',
    ].join('\r\n'),
  );
const inputs = (given: Partial<ImportInputs>): ImportInputs => ({
  out: join(dir.path, 'area'),
  name: 'Streets and postcodes',
  attribution: ['Test data'],
  roads: [],
  postcodes: [],
  places: [],
  osm: [],
  boundaries: [],
  land: null,
  force: null,
  ...given,
});
const quiet = () => {};

beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => dir.remove());

describe('importing an area from some of the inputs', () => {
  it('makes an area of streets and postcodes alone, with an empty overview, that a console opens, draws and searches', async () => {
    const lines: string[] = [];
    const { written, gaps } = await importArea(inputs({ roads: [roadsFile()], postcodes: [postcodesFile()] }), (line) => lines.push(line));

    const manifest = readAreaManifest(written.dir);
    expect(manifest.tiles.overview.layers).toEqual([]);
    expect(manifest.tiles.detail?.layers).toEqual(['road']);
    expect(manifest.counts).toMatchObject({ streets: 2, postcodes: 2, places: 0, boundaries: 0 });
    const { gazetteer } = await loadGazetteer(written.dir);
    expect(gazetteer.search('SO15 5AA', 1)[0]).toMatchObject({ kind: 'postcode', name: 'SO15 5AA' });
    expect(gazetteer.search('shirley rd', 1)[0]).toMatchObject({ kind: 'street', name: 'Shirley Road' });
    // The empty overview is still a tile archive the console serves (empty tiles).
    const files = createAreaFiles(written.dir);
    expect((await files.read('tiles/overview/10/505/343.mvt'))?.body.length).toBe(0);
    await files.close();

    // What it does without is said, each with the input that would give it, on the log and in the report.
    expect(gaps.map((g) => g.lacks)).toEqual(['no towns or villages', 'no district boundaries', 'no wards, beats or villages', 'no land polygons']);
    expect(lines).toContain(`note       ${describeGap(gaps[1]!)}`);
    expect(describeGap(gaps[1]!)).toBe(
      'no district boundaries: results carry no district to tell two places of one name apart, and the overview draws no boundaries; add --boundaries district=FILE to have them',
    );
    const report = JSON.parse(readFileSync(join(written.dir, 'import-report.json'), 'utf8')) as { notes: string[] };
    expect(report.notes).toEqual(gaps.map(describeGap));
  });

  it('makes an area of postcodes alone, and says streets are missing', async () => {
    const { written, gaps } = await importArea(inputs({ postcodes: [postcodesFile()] }), quiet);
    expect(readAreaManifest(written.dir).tiles.detail).toBeNull();
    expect(gaps.find((g) => g.lacks === 'no streets')?.add).toBe('--roads FILE (OS Open Roads) or --osm FILE');
  });

  it('refuses, writing nothing, only when no input placed anything, naming the inputs that would, with the reasons', async () => {
    const badRows = file('bad.csv', '"SO155AB",10,4412X1,112493\n"SO155AE",90,0,0\n');
    const attempt = importArea(inputs({ postcodes: [badRows] }), quiet);
    await expect(attempt).rejects.toThrow(ImportError);
    const error = (await attempt.catch((e: unknown) => e)) as ImportError;
    expect(error.message).toBe(
      'nothing to make an area from: the inputs gave no street, postcode, place, boundary or landmark with a position (see the warnings above); give at least one of --roads FILE, --postcodes FILE, --places FILE, --boundaries KIND=FILE or --osm FILE',
    );
    expect(error.warnings.map((w) => w.line)).toEqual([1]);
    expect(existsSync(join(dir.path, 'area'))).toBe(false);
  });
});
