import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceMetres, nearestPointOnLines, type LngLat } from '../../shared/area/geo';
import type { AreaManifest } from '../../shared/area/manifest';
import { loadGazetteer, type Gazetteer } from '../../main/area/gazetteer-service';
import { bngToLngLat } from '../../main/area/import/bng';
import { makeTempDir } from '../fakes/temp-dir';

// Real open data for Hampshire and Thames Valley, kept beside the project (never in it): see ../shared/data/README.md.
const root = join(import.meta.dirname, '..', '..');
const DATA = join(root, '..', 'shared', 'data');
const data = (...parts: string[]) => join(DATA, ...parts);
if (!existsSync(data('README.md'))) throw new Error(`these tests read the real open data in ${DATA} (see the project README)`);

interface Feature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const roads = readJson<{ features: Feature[] }>(data('os-tutorial-southampton', 'roads.geojson')).features;
const forceDistricts = new Set(readJson<{ features: Feature[] }>(data('derived', 'lad_hampshire_thamesvalley.geojson')).features.map((f) => f.properties.LAD13CD as string));
const csvRows = (path: string) => readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.trim());

let dir: ReturnType<typeof makeTempDir>;
let areaDir: string;
let run: { status: number | null; stdout: string; stderr: string };
let manifest: AreaManifest;
let gazetteer: Gazetteer;
const damaged = { places: '', placesBadLine: 0, placesCutLine: 0, csv: '', csvRows: [] as string[] };

function importArea(out: string, extra: string[] = []) {
  const args = [
    join(root, 'dist', 'node', 'area-import.mjs'),
    '--out', out,
    '--name', 'Hampshire and Thames Valley',
    '--attribution', 'Contains OS data © Crown copyright and database right 2020',
    '--roads', data('os-tutorial-southampton', 'roads.geojson'),
    '--postcodes', data('codepoint-open-2014', 'Data', 'CSV', 'so.csv'),
    '--postcodes', damaged.csv,
    '--places', damaged.places,
    '--boundaries', `force=${data('derived', 'pfa_hampshire_thamesvalley.geojson')}`,
    '--boundaries', `district=${data('ons-boundaries-martinjc', 'topo_lad_eng.json')}`,
    '--boundaries', `ward=${data('ons-boundaries-martinjc', 'wards_by_lad', 'E06000045.json')}`,
    ...extra,
  ];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  dir = makeTempDir();
  areaDir = join(dir.path, 'area');

  // Postcodes with two broken rows: an easting that is not a number, and a quote never closed.
  damaged.csvRows = csvRows(data('codepoint-open-2014', 'Data', 'CSV', 'po.csv')).slice(0, 60);
  const broken = [...damaged.csvRows];
  broken[19] = broken[19]!.replace(/^("[^"]+",\d+,)\d+/, '$14x5');
  broken[34] = broken[34]!.replace(/"$/, '');
  damaged.csv = join(dir.path, 'po-broken.csv');
  writeFileSync(damaged.csv, `${broken.join('\n')}\n`);

  // The places file, one feature per few lines, with a corrupt feature (Yarnton) and cut short inside Andover.
  const places = JSON.stringify(readJson(data('derived', 'places_geonames.geojson')), null, 1);
  const yarnton = places.indexOf('"name": "Yarnton"');
  const withNaN = places.slice(0, yarnton) + places.slice(yarnton).replace(/"population": \d+/, '"population": NaN');
  const featureStart = (name: string) => withNaN.lastIndexOf('{', withNaN.lastIndexOf('"type": "Feature"', withNaN.indexOf(`"name": "${name}"`)));
  const lineOf = (offset: number) => withNaN.slice(0, offset).split('\n').length;
  const andover = featureStart('Andover');
  damaged.placesBadLine = lineOf(featureStart('Yarnton'));
  damaged.placesCutLine = lineOf(andover);
  damaged.places = join(dir.path, 'places-damaged.geojson');
  writeFileSync(damaged.places, withNaN.slice(0, andover + 80));

  run = importArea(areaDir);
  manifest = readJson<AreaManifest>(join(areaDir, 'area.json'));
  gazetteer = (await loadGazetteer(areaDir)).gazetteer;
}, 90_000);

afterAll(() => dir.remove());

describe('importing real open data', () => {
  it('succeeds despite the damaged files, reporting each problem by file and line', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: po-broken.csv line 20: ');
    expect(run.stderr).toMatch(/po-broken\.csv line 20: \S+ \S+: easting "4x5" and northing "\d+" are not a British National Grid position; row skipped/);
    expect(run.stderr).toContain('warning: po-broken.csv line 35: a quoted field is not closed; row skipped');
    expect(run.stderr).toContain(`warning: places-damaged.geojson line ${damaged.placesBadLine}: this feature is not valid JSON`);
    expect(run.stderr).toContain(`warning: places-damaged.geojson line ${damaged.placesCutLine}: the file ends inside the feature that starts here (it is cut short)`);
    expect(run.stdout).toMatch(/area "Hampshire and Thames Valley" written to .* 388 streets, \d+ postcodes, \d+ places/);
  });

  it('imports every named street of the OS Open Roads extract, a street apart from its namesake counted twice', () => {
    const named = new Set(roads.map((f) => f.properties.name1).filter((n): n is string => typeof n === 'string'));
    expect(named.size).toBe(387);
    for (const name of named) expect(gazetteer.search(name, 5).some((r) => r.kind === 'street' && r.name === name), name).toBe(true);
    // Herbert Walker Avenue is two lengths of road 600 m apart in the docks: two entries, each with its own line.
    expect(gazetteer.search('Herbert Walker Avenue', 5).filter((r) => r.name === 'Herbert Walker Avenue')).toHaveLength(2);
    expect(manifest.counts.streets).toBe(named.size + 1);
  });

  it('imports the postcodes inside the two force areas, and the good rows of the broken file', () => {
    // Independent count: Code-Point's own district code says which rows belong to the forces' 30 districts.
    const inForces = (row: string) => forceDistricts.has(row.split(',')[8]!.replace(/"/g, ''));
    const expected = csvRows(data('codepoint-open-2014', 'Data', 'CSV', 'so.csv')).filter(inForces).length + damaged.csvRows.filter((row, i) => i !== 19 && i !== 34 && inForces(row)).length;
    expect(Math.abs(manifest.counts.postcodes - expected), `imported ${manifest.counts.postcodes}, expected about ${expected}`).toBeLessThanOrEqual(expected * 0.002);
    const goodRow = damaged.csvRows[0]!.split(',')[0]!.replace(/"/g, '');
    expect(gazetteer.search(goodRow, 1)[0]?.kind).toBe('postcode');
  });

  it('places each postcode within 20 m of its published position', () => {
    // OS's tutorial lists 278 Southampton postcodes as published in 2020, with eastings, northings and WGS84.
    const published = csvRows(data('os-tutorial-southampton', 'postcodes.csv')).slice(1).map((row) => row.split(','));
    expect(published.length).toBe(278);
    // Our conversion of their eastings and northings lands within 20 m of their WGS84 (about 7 m: a Helmert fit).
    const conversion = published.map(([x, y, , , e, n]) => distanceMetres(bngToLngLat(Number(e), Number(n)), [Number(x), Number(y)]));
    expect(Math.max(...conversion)).toBeLessThan(20);
    // The imported 2014 positions: most within 20 m of 2020's; a few postcodes were re-surveyed in between,
    // and postcodes newer than 2014 cannot be there at all.
    const distances = published.flatMap(([x, y, postcode]) => {
      const [hit] = gazetteer.search(postcode!, 1);
      return hit?.kind === 'postcode' && hit.name.replace(' ', '') === postcode ? [distanceMetres(hit.center, [Number(x), Number(y)])] : [];
    });
    expect(distances.length).toBeGreaterThan(270);
    expect(distances.filter((d) => d < 20).length / distances.length).toBeGreaterThan(0.95);
    expect(distanceMetres(gazetteer.search('SO15 5AA', 1)[0]!.center, [-1.41507481394846, 50.9103765653593])).toBeLessThan(20);
  });

  it('imports the places inside the forces, not those outside, nor the corrupt and the cut-off ones', () => {
    expect(manifest.counts.places).toBeGreaterThan(150);
    const place = (name: string) => gazetteer.search(name, 5).find((r) => r.kind === 'place' && r.name === name);
    for (const name of ['Southampton', 'Winchester', 'Portsmouth', 'Newport', 'Oxford', 'Reading', 'Milton Keynes', 'Aylesbury']) expect(place(name), name).toBeDefined();
    for (const name of ['Salisbury', 'Guildford', 'Swindon', 'Bournemouth']) expect(place(name), name).toBeUndefined();
    expect(place('Yarnton')).toBeUndefined(); // the corrupt feature
    expect(place('Andover')).toBeUndefined(); // where the file was cut
  });

  it('imports streets and postcodes alone, saying what the area lacks and which input would add it', async () => {
    const out = join(dir.path, 'streets-and-postcodes');
    const args = [
      join(root, 'dist', 'node', 'area-import.mjs'),
      '--out', out,
      '--name', 'Southampton streets',
      '--attribution', 'Contains OS data © Crown copyright and database right 2020',
      '--roads', data('os-tutorial-southampton', 'roads.geojson'),
      '--postcodes', data('codepoint-open-2014', 'Data', 'CSV', 'so.csv'),
    ];
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
    try {
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/area "Southampton streets" written to .*: 388 streets, \d+ postcodes, 0 places/);
      expect(result.stdout).toContain('note       no district boundaries: results carry no district to tell two places of one name apart, and the overview draws no boundaries; add --boundaries district=FILE to have them');
      expect(result.stdout).toContain('add --places FILE (GeoNames) or --osm FILE to have them');
      const streetsOnly = (await loadGazetteer(out)).gazetteer;
      expect(streetsOnly.search('SO15 5AA', 1)[0]).toMatchObject({ kind: 'postcode', name: 'SO15 5AA', district: null });
      expect(streetsOnly.search('Shirley Road', 1)[0]).toMatchObject({ kind: 'street', name: 'Shirley Road' });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('leaves the area as it was when an import fails, with nothing half-written beside it', () => {
    const before = readFileSync(join(areaDir, 'area.json'), 'utf8');
    const failed = importArea(areaDir, ['--force', 'Sussex']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/--force Sussex: no such force among the force boundaries read; known: Hampshire \(E23000030\), Thames Valley \(E23000029\)/);
    expect(failed.stderr).toContain('nothing was written');
    expect(readFileSync(join(areaDir, 'area.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir.path).sort()).toEqual(['area', 'places-damaged.geojson', 'po-broken.csv']);
  });
});

describe('the gazetteer of the real area', () => {
  const shirleyRoad = roads.filter((f) => f.properties.name1 === 'Shirley Road').map((f) => (f.geometry.coordinates as number[][]).map(([x, y]) => [x, y] as LngLat));

  it('finds Shirley Road by name, with a point on the road itself to centre on', () => {
    const [hit] = gazetteer.search('Shirley Road', 1);
    expect(hit).toMatchObject({ kind: 'street', name: 'Shirley Road', district: 'Southampton', match: 'exact' });
    expect(distanceMetres(hit!.center, nearestPointOnLines(hit!.center, shirleyRoad)!)).toBeLessThan(5);
    expect(hit!.lines!.length).toBeGreaterThan(0);
  });

  it('finds it misspelt, abbreviated and partly typed', () => {
    for (const query of ['Shirly Road', 'shirl rd', 'Shirley Rd', 'shirley road so15', 'A3057']) {
      expect(gazetteer.search(query, 1)[0]?.name, query).toBe('Shirley Road');
    }
  });

  it('finds a postcode sector typed without a space, then its units', () => {
    const hits = gazetteer.search('SO155', 6);
    expect(hits[0]).toMatchObject({ kind: 'postcode-sector', name: 'SO15 5', district: 'Southampton' });
    expect(hits.slice(1).every((h) => h.kind === 'postcode' && h.name.startsWith('SO15 5'))).toBe(true);
  });

  it('finds the Polygon', () => {
    expect(gazetteer.search('the Polygon', 1)[0]).toMatchObject({ kind: 'street', name: 'The Polygon', district: 'Southampton' });
  });

  it('lists same-name places each with its own district', () => {
    const farnboroughs = gazetteer.search('Farnborough', 8).filter((r) => r.kind === 'place' && r.name === 'Farnborough');
    expect(farnboroughs.map((r) => r.district)).toEqual(['Rushmoor', 'West Berkshire']);
    const wickhams = gazetteer.search('Wickham', 8).filter((r) => r.kind === 'place' && r.name === 'Wickham');
    expect(new Set(wickhams.map((r) => r.district))).toEqual(new Set(['Winchester', 'West Berkshire']));
  });
});
