import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { forceAreaAt, type ForceArea } from '../../shared/area/force-areas';
import { pointInMultiPolygon, type LngLat } from '../../shared/area/geo';
import { parseUnitPostcode } from '../../shared/gazetteer/postcode';
import { buildGazetteer } from '../../main/area/build/build-gazetteer';
import { EXERCISE_FORCE, EXERCISE_FORCES, generateExerciseArea, NEIGHBOUR_FORCE } from '../../main/area/exercise/generate-exercise-area';
import { gazetteerOf } from '../../main/area/gazetteer-service';
import { forceFocus } from '../../main/area/build/model-tiles';
import { bboxContains } from '../../shared/area/geo';

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
    // Two police stations, a fire station and a hospital in each town.
    expect(count('police')).toBe(4);
    expect(count('fire_station')).toBe(2);
    expect(count('hospital')).toBe(2);
    expect(count('station')).toBe(1);
    expect(count('school')).toBeGreaterThanOrEqual(6);
    expect(count('pub')).toBeGreaterThanOrEqual(12);
    expect(count('supermarket') + count('shopping_centre') + count('shop')).toBeGreaterThanOrEqual(4);
  });

  it('has two forces, each with two districts and policing beats, with everything inside one force or the other', () => {
    const force = model.boundaries.filter((b) => b.kind === 'force');
    expect(force.map((b) => [b.name, b.code])).toEqual([
      [EXERCISE_FORCE, 'DMO'],
      [NEIGHBOUR_FORCE, 'NBR'],
    ]);
    expect(EXERCISE_FORCES.map((f) => f.code)).toEqual(['DMO', 'NBR']);
    expect(model.boundaries.filter((b) => b.kind === 'district').map((b) => b.name)).toEqual(['Saltmere', 'Marston Vale', 'Northbridge', 'Otter Vale']);
    expect(model.boundaries.filter((b) => b.kind === 'beat').length).toBeGreaterThanOrEqual(14);
    const inside = (p: LngLat) => force.filter((f) => pointInMultiPolygon(p, f.shape)).length;
    expect(model.landmarks.filter((l) => inside(l.point) !== 1)).toEqual([]);
    expect(model.postcodes.filter((p) => inside(p.point) !== 1)).toEqual([]);
  });

  it('puts each town in its own force area, the border between them, and Crossways on it', () => {
    const areas: ForceArea[] = model.boundaries.filter((b) => b.kind === 'force').map((b) => ({ force: b.code!, shape: b.shape }));
    const placeAt = (name: string) => model.places.find((p) => p.name === name)!.point;
    const landmarkAt = (name: string) => model.landmarks.find((l) => l.name === name)!.point;
    expect(forceAreaAt(placeAt('Saltmere'), areas)).toMatchObject({ force: 'DMO', border: { force: 'NBR' } });
    expect(forceAreaAt(placeAt('Northbridge'), areas)).toMatchObject({ force: 'NBR', border: { force: 'DMO' } });
    expect(forceAreaAt(placeAt('Saltmere'), areas).border!.distanceMetres).toBeGreaterThan(10_000);
    expect(forceAreaAt(placeAt('Northbridge'), areas).border!.distanceMetres).toBeGreaterThan(5_000);
    // Crossways' pub is on the Saltmere side and its church on Northbridge's, each within a few hundred metres of the border.
    const inn = forceAreaAt(landmarkAt('The Border Inn'), areas);
    const church = forceAreaAt(landmarkAt("St Cuthbert's Church, Crossways"), areas);
    expect(inn.force).toBe('DMO');
    expect(church.force).toBe('NBR');
    expect(inn.border!.distanceMetres).toBeLessThan(500);
    expect(church.border!.distanceMetres).toBeLessThan(500);
    // Every police station stands in its own force's area.
    expect(['Saltmere Police Station', 'Northgate Police Station'].map((n) => forceAreaAt(landmarkAt(n), areas).force)).toEqual(['DMO', 'DMO']);
    expect(['Northbridge Police Station', 'Holmbury Police Station'].map((n) => forceAreaAt(landmarkAt(n), areas).force)).toEqual(['NBR', 'NBR']);
  });

  it("gives each force the extent of its own streets, where its people's map opens: Saltmere's, not Northbridge's", () => {
    const focus = Object.fromEntries(forceFocus(model).map((f) => [f.code, f.focus]));
    const placeAt = (name: string) => model.places.find((p) => p.name === name)!.point;
    expect(Object.keys(focus)).toEqual(['DMO', 'NBR']);
    expect(bboxContains(focus.DMO!, placeAt('Saltmere'))).toBe(true);
    expect(bboxContains(focus.DMO!, placeAt('Northbridge'))).toBe(false);
    expect(bboxContains(focus.NBR!, placeAt('Northbridge'))).toBe(true);
    expect(bboxContains(focus.NBR!, placeAt('Saltmere'))).toBe(false);
  });

  it('has unique postcodes, in the fictional XT area south of the border and XN north of it', () => {
    const units = model.postcodes.map((p) => parseUnitPostcode(p.postcode));
    expect(new Set(units.map((u) => u?.area))).toEqual(new Set(['XT', 'XN']));
    expect(new Set(units.map((u) => u!.unit)).size).toBe(units.length);
    expect(new Set(units.filter((u) => u!.area === 'XT').map((u) => u!.district)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(units.filter((u) => u!.area === 'XN').map((u) => u!.district)).size).toBeGreaterThanOrEqual(5);
    const nbr = model.boundaries.find((b) => b.code === 'NBR')!.shape;
    expect(model.postcodes.filter((p) => p.postcode.startsWith('XN') !== pointInMultiPolygon(p.point, nbr))).toEqual([]);
  });

  it('has streets of the same name in different districts, told apart by the gazetteer', () => {
    const search = gazetteerOf(buildGazetteer(model).entries).search;
    const highStreets = search('High Street', 10).filter((r) => r.name === 'High Street');
    expect(new Set(highStreets.map((r) => r.district))).toEqual(new Set(['Saltmere', 'Marston Vale', 'Otter Vale']));
    expect(new Set(highStreets.map((r) => r.locality)).size).toBe(highStreets.length);
    expect(search('Saltmere Police Station', 1)[0]).toMatchObject({ kind: 'landmark', category: 'police', district: 'Saltmere' });
    expect(search('XT1', 1)[0]).toMatchObject({ kind: 'postcode-district', name: 'XT1' });
  });

  it('finds an address in either town', () => {
    const search = gazetteerOf(buildGazetteer(model).entries).search;
    expect(search('Market Place Northbridge', 1)[0]).toMatchObject({ kind: 'street', name: 'Market Place', district: 'Northbridge' });
    expect(search('Market Street Saltmere', 1)[0]).toMatchObject({ kind: 'street', name: 'Market Street', district: 'Saltmere' });
    expect(search('Northbridge Police Station', 1)[0]).toMatchObject({ kind: 'landmark', category: 'police', district: 'Northbridge' });
    expect(search('XN1', 1)[0]).toMatchObject({ kind: 'postcode-district', name: 'XN1' });
  });
});
