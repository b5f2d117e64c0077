import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pointInMultiPolygon, type LngLat } from '../../shared/area/geo';
import { parseUnitPostcode } from '../../shared/gazetteer/postcode';
import { buildGazetteer } from '../../main/area/build/build-gazetteer';
import { EXERCISE_FORCE, generateExerciseArea } from '../../main/area/exercise/generate-exercise-area';
import { gazetteerOf } from '../../main/area/gazetteer-service';

const model = generateExerciseArea(1);
const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const count = (category: string) => model.landmarks.filter((l) => l.category === category).length;

describe('the generated exercise area', () => {
  it('is the same town from the same seed, and another from another seed', () => {
    expect(hash(generateExerciseArea(1))).toBe(hash(model));
    expect(hash(generateExerciseArea(2))).not.toBe(hash(model));
  });

  it('is a plausible town: hundreds of streets, buildings, a river and a railway', () => {
    expect(new Set(model.roads.map((r) => r.name).filter(Boolean)).size).toBeGreaterThan(500);
    expect(model.buildings.length).toBeGreaterThan(10_000);
    expect(model.railways).toHaveLength(1);
    expect(model.waterways[0]?.name).toBe('River Sale');
    expect(new Set(model.roads.map((r) => r.class))).toEqual(new Set(['primary', 'secondary', 'tertiary', 'minor', 'service']));
  });

  it('has the landmarks a call handler is given: police and fire stations, hospital, station, schools, pubs, shops', () => {
    expect(count('police')).toBe(2);
    expect(count('fire_station')).toBe(1);
    expect(count('hospital')).toBe(1);
    expect(count('station')).toBe(1);
    expect(count('school')).toBeGreaterThanOrEqual(6);
    expect(count('pub')).toBeGreaterThanOrEqual(12);
    expect(count('supermarket') + count('shopping_centre') + count('shop')).toBeGreaterThanOrEqual(4);
  });

  it('has a force, two districts and policing beats, with everything inside the force', () => {
    const force = model.boundaries.filter((b) => b.kind === 'force');
    expect(force.map((b) => b.name)).toEqual([EXERCISE_FORCE]);
    expect(model.boundaries.filter((b) => b.kind === 'district').map((b) => b.name)).toEqual(['Saltmere', 'Marston Vale']);
    expect(model.boundaries.filter((b) => b.kind === 'beat').length).toBeGreaterThanOrEqual(8);
    const inside = (p: LngLat) => pointInMultiPolygon(p, force[0]!.shape);
    expect(model.landmarks.filter((l) => !inside(l.point))).toEqual([]);
    expect(model.postcodes.filter((p) => !inside(p.point))).toEqual([]);
  });

  it('has unique postcodes, all in the fictional XT area', () => {
    const units = model.postcodes.map((p) => parseUnitPostcode(p.postcode));
    expect(units.every((u) => u?.area === 'XT')).toBe(true);
    expect(new Set(units.map((u) => u!.unit)).size).toBe(units.length);
    expect(new Set(units.map((u) => u!.district)).size).toBeGreaterThanOrEqual(8);
  });

  it('has streets of the same name in different districts, told apart by the gazetteer', () => {
    const search = gazetteerOf(buildGazetteer(model).entries).search;
    const highStreets = search('High Street', 10).filter((r) => r.name === 'High Street');
    expect(new Set(highStreets.map((r) => r.district))).toEqual(new Set(['Saltmere', 'Marston Vale']));
    expect(new Set(highStreets.map((r) => r.locality)).size).toBe(highStreets.length);
    expect(search('Saltmere Police Station', 1)[0]).toMatchObject({ kind: 'landmark', category: 'police', district: 'Saltmere' });
    expect(search('XT1', 1)[0]).toMatchObject({ kind: 'postcode-district', name: 'XT1' });
  });
});
