import { describe, expect, it } from 'vitest';
import { forceAreaAt, nearBorder, type ForceArea } from '../../shared/area/force-areas';
import { distanceMetres, type LngLat } from '../../shared/area/geo';

// Two forces side by side along the parallel 54° N: West's square from 1.0° to 1.1° E, East's from 1.1° to 1.2° E,
// sharing the meridian 1.1° E as their border; East's has a hole (another force's enclave, say) with nothing in it.
const square = (w: number, e: number): LngLat[] => [[w, 53.95], [e, 53.95], [e, 54.05], [w, 54.05], [w, 53.95]];
const areas: ForceArea[] = [
  { force: 'WST', shape: [[square(1.0, 1.1)]] },
  { force: 'EST', shape: [[square(1.1, 1.2), square(1.16, 1.18)]] },
];
/** Metres east-west at 54° N between two longitudes. */
const ew = (a: number, b: number) => distanceMetres([a, 54], [b, 54]);

describe('which force area a point is in, and how far from the border', () => {
  it("names the force whose area holds a point and its distance to the neighbour's area", () => {
    const west = forceAreaAt([1.09, 54], areas);
    expect(west.force).toBe('WST');
    expect(west.border!.force).toBe('EST');
    expect(west.border!.distanceMetres).toBeCloseTo(ew(1.09, 1.1), -1);
    const east = forceAreaAt([1.13, 54], areas);
    expect(east.force).toBe('EST');
    expect(east.border).toMatchObject({ force: 'WST' });
    expect(east.border!.distanceMetres).toBeCloseTo(ew(1.1, 1.13), -1);
  });

  it('says no force for a point outside every area (at sea), with the nearest area as its border', () => {
    const sea = forceAreaAt([1.25, 54], areas);
    expect(sea.force).toBeNull();
    expect(sea.border!.force).toBe('EST');
    expect(sea.border!.distanceMetres).toBeCloseTo(ew(1.2, 1.25), -1);
    // In the hole of East's area: in no force, and the hole's edge is East's border.
    const enclave = forceAreaAt([1.17, 54], areas);
    expect(enclave.force).toBeNull();
    expect(enclave.border!.distanceMetres).toBeCloseTo(ew(1.16, 1.17), -1);
  });

  it('has no border where only one force is known', () => {
    expect(forceAreaAt([1.05, 54], [areas[0]!])).toEqual({ force: 'WST', border: null });
  });

  it('tells whether a point is within a distance of another force: what sharing an incident across the border asks', () => {
    const near: LngLat = [1.098, 54]; // about 130 m west of the border
    expect(nearBorder(near, areas, 200)).toBe('EST');
    expect(nearBorder(near, areas, 100)).toBeNull();
    expect(nearBorder([1.05, 54], areas, 1000)).toBeNull();
  });
});
