import { describe, expect, it } from 'vitest';
import { bngToLngLat } from '../../main/area/import/bng';
import { bearingDegrees, compassPoint, distanceAndDirection, formatDistance } from '../../shared/area/distance-words';
import { describePosition, formatGridReference, gridReferenceOf, nationalGridOf } from '../../shared/area/grid-reference';

const at = (lon: number, lat: number) => ({ lat, lon });

describe('grid references', () => {
  it('names the 100 km square by its two letters across the whole grid', () => {
    expect(formatGridReference(441854, 111970)).toBe('SU 41854 11970');
    expect(formatGridReference(216667, 771253)).toBe('NN 16667 71253');
    expect(formatGridReference(651409, 313177)).toBe('TG 51409 13177');
    expect(formatGridReference(530015, 180415)).toBe('TQ 30015 80415');
    expect(formatGridReference(446000, 1_141_000)).toBe('HU 46000 41000');
    expect(formatGridReference(0, 0)).toBe('SV 00000 00000');
    expect(formatGridReference(699_999, 1_299_999)).toBe('JM 99999 99999');
  });

  it('keeps the leading zeros and truncates, never rounds, to the figures asked for', () => {
    expect(formatGridReference(400_500.9, 100_099.6)).toBe('SU 00500 00099');
    expect(formatGridReference(441854, 111970, 8)).toBe('SU 4185 1197');
    expect(formatGridReference(441854, 111970, 6)).toBe('SU 418 119');
  });

  it('refuses figures off the grid', () => {
    expect(() => formatGridReference(-1, 100)).toThrow(RangeError);
    expect(() => formatGridReference(700_000, 100)).toThrow(RangeError);
    expect(() => formatGridReference(Number.NaN, 100)).toThrow(RangeError);
  });

  it('converts WGS84 to the grid as the importer converts back, to the metre', () => {
    for (const [e, n] of [
      [441854, 111970],
      [530015, 180415],
      [216667, 771253],
      [645123, 440321], // the exercise area, off the Yorkshire coast: on the grid, in square TB
    ] as const) {
      const [lon, lat] = bngToLngLat(e, n);
      const grid = nationalGridOf(at(lon, lat))!;
      expect(grid.easting).toBeCloseTo(e, 0);
      expect(grid.northing).toBeCloseTo(n, 0);
    }
  });

  it('puts known places in their squares (WGS84 in, within a hundred metres)', () => {
    // Ben Nevis summit, OS trig pillar NN 16667 71253.
    expect(gridReferenceOf(at(-5.00352, 56.79685))!.slice(0, 2)).toBe('NN');
    const ben = nationalGridOf(at(-5.00352, 56.79685))!;
    expect(Math.hypot(ben.easting - 216667, ben.northing - 771253)).toBeLessThan(100);
    // Nelson's Column, Trafalgar Square.
    expect(gridReferenceOf(at(-0.12803, 51.50774))).toMatch(/^TQ 300\d\d 804\d\d$/);
  });

  it('says latitude and longitude where the British National Grid does not reach', () => {
    expect(gridReferenceOf(at(2.35222, 48.85661))).toBeNull(); // Paris
    expect(describePosition(at(2.35222, 48.85661))).toBe('48.85661° N, 2.35222° E');
    expect(describePosition(at(-74.006, 40.7128))).toBe('40.71280° N, 74.00600° W');
    expect(describePosition(at(-151.2093, -33.8688))).toBe('33.86880° S, 151.20930° W');
    expect(describePosition(at(-1.40435, 50.9097))).toMatch(/^SU \d{5} \d{5}$/);
  });
});

describe('distances in words', () => {
  it('reads metres to the ten below a kilometre, tenths below ten, whole kilometres beyond', () => {
    expect(formatDistance(0)).toBe('0 m');
    expect(formatDistance(44)).toBe('40 m');
    expect(formatDistance(846)).toBe('850 m');
    expect(formatDistance(994)).toBe('990 m');
    expect(formatDistance(996)).toBe('1.0 km');
    expect(formatDistance(2_449)).toBe('2.4 km');
    expect(formatDistance(9_949)).toBe('9.9 km');
    expect(formatDistance(9_951)).toBe('10 km');
    expect(formatDistance(14_400)).toBe('14 km');
    expect(() => formatDistance(-1)).toThrow(RangeError);
    expect(() => formatDistance(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('gives the way to go as one of eight compass points', () => {
    const here = at(-1.4, 50.9);
    expect(compassPoint(bearingDegrees(here, at(-1.4, 50.91)))).toBe('N');
    expect(compassPoint(bearingDegrees(here, at(-1.38, 50.9)))).toBe('E');
    expect(compassPoint(bearingDegrees(here, at(-1.42, 50.89)))).toBe('SW');
    expect(compassPoint(bearingDegrees(here, at(-1.39, 50.91)))).toBe('NE');
    expect(compassPoint(359)).toBe('N');
    expect(compassPoint(-45)).toBe('NW');
  });

  it('says how far and which way from the reference, and "here" when it is on top of it', () => {
    const incident = at(-1.40435, 50.9097);
    expect(distanceAndDirection(incident, at(-1.40435, 50.9205)).words).toBe('1.2 km N');
    expect(distanceAndDirection(incident, at(-1.41, 50.905)).words).toMatch(/^\d{3} m SW$/);
    expect(distanceAndDirection(incident, at(-1.40436, 50.90971)).words).toBe('here');
    expect(distanceAndDirection(incident, at(-1.40435, 50.9205)).metres).toBeCloseTo(1200, -1);
  });
});
