import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distanceMetres } from '../../shared/area/geo';
import { bngToLngLat } from '../../main/area/import/bng';
import { readBoundaries } from '../../main/area/import/read-boundaries';
import { parseCsvLine, readCodePoint } from '../../main/area/import/read-codepoint';
import { readOsm } from '../../main/area/import/read-osm';
import { readRoads } from '../../main/area/import/read-roads';
import { scanFeatureCollection } from '../../main/area/import/tolerant-json';
import { makeTempDir } from '../fakes/temp-dir';

let dir: ReturnType<typeof makeTempDir>;
let problems: { line: number | null; message: string }[];
const warn = (line: number | null, message: string) => problems.push({ line, message });
const file = (name: string, text: string) => {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
};

beforeEach(() => {
  dir = makeTempDir();
  problems = [];
});
afterEach(() => dir.remove());

describe('Code-Point Open postcodes', () => {
  it('converts British National Grid to WGS84 within a few metres of the published position', () => {
    // SO15 5AA: OS publish 441221 E, 112493 N and, in their tutorial data, -1.41507481, 50.91037657.
    expect(distanceMetres(bngToLngLat(441221, 112493), [-1.41507481394846, 50.9103765653593])).toBeLessThan(20);
  });

  it('reads rows as OS ship them, reporting each bad row by line and keeping the rest', () => {
    const path = file(
      'so.csv',
      [
        '"SO155AA",10,441221,112493,"E92000001","E19000002","E18000009","","E06000045","E05002455"',
        '"SO155AB",10,4412X1,112493,"E92000001","E19000002","E18000009","","E06000045","E05002455"',
        '"SO155AD",10,441211,112945,"E92000001","E19000002","E18000009","","E06000045","E05002455',
        '"NOTAPOSTCODE",10,441211,112945',
        '"SO155AE",90,0,0,"E92000001","","","","",""',
        '"SO155AF",10,441219,113334,"E92000001","E19000002","E18000009","","E06000045","E05002461"',
        '',
      ].join('\r\n'),
    );
    const read = readCodePoint(path, warn);
    expect(read.units.map((u) => u.postcode)).toEqual(['SO15 5AA', 'SO15 5AF']);
    expect(read.units[0]).toMatchObject({ districtCode: 'E06000045', wardCode: 'E05002455' });
    expect(read.withoutCoordinates).toBe(1);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(problems[0]!.message).toMatch(/SO15 5AB: easting "4412X1".*not a British National Grid position/);
    expect(problems[1]!.message).toMatch(/quoted field is not closed/);
    expect(problems[2]!.message).toMatch(/"NOTAPOSTCODE" is not a postcode/);
  });

  it('reads a postcode written with a look-alike character as the one its format allows, saying so', () => {
    const path = file(
      'typed.csv',
      [
        '"S0155AA",10,441221,112493,"E92000001","E19000002","E18000009","","E06000045","E05002455"',
        '"SO15 SAB",10,441219,113334,"E92000001","E19000002","E18000009","","E06000045","E05002461"',
        '"1P11AA",10,441219,113334,"E92000001","E19000002","E18000009","","E06000045","E05002461"',
      ].join('\n'),
    );
    const read = readCodePoint(path, warn);
    expect(read.units.map((u) => u.postcode)).toEqual(['SO15 5AA', 'SO15 5AB']);
    expect(problems).toEqual([
      { line: 1, message: '"S0155AA" is not a postcode as written; read as SO15 5AA, its look-alike characters as the format needs them' },
      { line: 2, message: '"SO15 SAB" is not a postcode as written; read as SO15 5AB, its look-alike characters as the format needs them' },
      { line: 3, message: '"1P11AA" is not a postcode (it could be IP1 1AA or LP1 1AA); row skipped' },
    ]);
  });

  it('reads a file with a header row, by column name', () => {
    const path = file('with-header.csv', 'X,Y,PC,PQ,EA,NO,CY,RH,LH,CC,DC,WC\n-1.415,50.910,SO155AA,10,441221,112493,E92000001,E19000002,E18000009,,E06000045,E05002455\n');
    const read = readCodePoint(path, warn);
    expect(read.units).toHaveLength(1);
    expect(distanceMetres(read.units[0]!.point, [-1.41507481394846, 50.9103765653593])).toBeLessThan(20);
    expect(problems).toEqual([]);
  });

  it('splits CSV fields with quotes, escaped quotes and empty fields', () => {
    expect(parseCsvLine('a,"b,c","d ""e""",,f')).toEqual(['a', 'b,c', 'd "e"', '', 'f']);
    expect(parseCsvLine('"open')).toBe('a quoted field is not closed');
  });
});

describe('GeoJSON read feature by feature', () => {
  const feature = (name: string) => `{"type":"Feature","properties":{"name":"${name}"},"geometry":{"type":"Point","coordinates":[-1.4,50.9]}}`;

  it('keeps the good features of a file with a bad one and a cut-short end, naming the lines', () => {
    const text = `{"type":"FeatureCollection","features":[\n${feature('A')},\n{"type":"Feature","properties":{"name":NaN},"geometry":null},\n${feature('C')},\n{"type":"Feature","prop`;
    const scan = scanFeatureCollection(text);
    expect(scan.features.map((f) => [(f.value as { properties: { name: string } }).properties.name, f.line])).toEqual([
      ['A', 2],
      ['C', 4],
    ]);
    expect(scan.problems).toEqual([
      { line: 3, message: expect.stringContaining('not valid JSON') },
      { line: 5, message: expect.stringContaining('the file ends inside the feature that starts here') },
    ]);
  });

  it('reads road links with their class, name and number, and skips one with no usable geometry', () => {
    const path = file(
      'roads.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { name1: 'Shirley Road', function: 'A Road', class: 'A Road', roadNumber: 'A3057', trunkRoad: 'false' }, geometry: { type: 'LineString', coordinates: [[-1.43, 50.92, 0], [-1.42, 50.93, 0]] } },
          { type: 'Feature', properties: { name1: 'Bad Road' }, geometry: { type: 'LineString', coordinates: [[441221, 112493], [441300, 112500]] } },
          { type: 'Feature', properties: { name1: null, function: 'Restricted Local Access Road' }, geometry: { type: 'MultiLineString', coordinates: [[[-1.43, 50.92], [-1.431, 50.921]]] } },
        ],
      }, null, 1),
    );
    const roads = readRoads(path, warn);
    expect(roads.map((r) => [r.name, r.class, r.ref])).toEqual([
      ['Shirley Road', 'primary', 'A3057'],
      [null, 'service', null],
    ]);
    expect(problems).toEqual([{ line: expect.any(Number), message: expect.stringMatching(/not longitude and latitude \(WGS84\); reproject/) }]);
  });

  it('finds boundary names and codes however the file names its fields, preferring those of the kind read', () => {
    const square = { type: 'Polygon', coordinates: [[[-1, 50], [-1, 51], [0, 51], [0, 50], [-1, 50]]] };
    const path = file(
      'b.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { LAD13CD: 'E06000045', LAD13NM: 'Southampton', LAD13NMW: null, pfa_code: 'E23000030', pfa_name: 'Hampshire' }, geometry: square },
          { type: 'Feature', properties: { pfa_code: 'E23000030', pfa_name: 'Hampshire' }, geometry: square },
          { type: 'Feature', properties: { colour: 'red' }, geometry: square },
        ],
      }),
    );
    expect(readBoundaries(path, 'district', warn).map((b) => [b.name, b.code])).toEqual([
      ['Southampton', 'E06000045'],
      ['Hampshire', 'E23000030'],
    ]);
    expect(problems[0]!.message).toMatch(/no name property/);
  });
});

describe('OpenStreetMap XML', () => {
  it('reads roads, buildings, areas, landmarks and places, and what came before a malformed end', () => {
    const path = file(
      'extract.osm',
      `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="50.920" lon="-1.430"/>
  <node id="2" lat="50.921" lon="-1.428"/>
  <node id="3" lat="50.922" lon="-1.428"/>
  <node id="4" lat="50.922" lon="-1.430"/>
  <node id="5" lat="50.9205" lon="-1.429"><tag k="amenity" v="pub"/><tag k="name" v="The Crown"/></node>
  <node id="6" lat="50.95" lon="-1.40"><tag k="place" v="suburb"/><tag k="name" v="Bassett"/></node>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="Park Road"/></way>
  <way id="11"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="building" v="yes"/></way>
  <way id="12"><nd ref="1"/><nd ref="2"/><nd ref="3"/></way>
  <way id="13"><nd ref="3"/><nd ref="4"/><nd ref="1"/></way>
  <way id="14"><nd ref="2"/><nd ref="99"/><nd ref="3"/><tag k="highway" v="footway"/></way>
  <relation id="20"><member type="way" ref="12" role="outer"/><member type="way" ref="13" role="outer"/><tag k="type" v="multipolygon"/><tag k="leisure" v="park"/><tag k="name" v="Hoglands Park"/></relation>
  <way id="15"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="name" v="Cut Off Road"/>
  <broken`,
    );
    const osm = readOsm(path, warn);
    expect(osm.roads.map((r) => [r.name, r.class])).toEqual([
      ['Park Road', 'minor'],
      [null, 'path'],
    ]);
    expect(osm.buildings).toHaveLength(1);
    expect(osm.landuse.map((l) => [l.class, l.name])).toEqual([['park', 'Hoglands Park']]);
    expect(osm.landmarks.map((l) => [l.name, l.category])).toEqual([
      ['The Crown', 'pub'],
      ['Hoglands Park', 'park'],
    ]);
    expect(osm.places).toEqual([{ name: 'Bassett', kind: 'suburb', point: [-1.4, 50.95], population: null }]);
    expect(problems).toEqual(
      expect.arrayContaining([
        { line: expect.any(Number), message: expect.stringContaining('malformed') },
        { line: null, message: expect.stringContaining('1 ways refer to nodes not in the file') },
      ]),
    );
    expect(problems.find((p) => p.message.includes('malformed'))!.line).toBe(16); // where "<broken" is
  });
});
