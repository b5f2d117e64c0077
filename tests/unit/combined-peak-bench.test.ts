import { describe, expect, it } from 'vitest';
import type { Observations } from '../../bench/fleet/fleet-protocol';
import { twoForceLatencies, type ForceConfirmation } from '../../bench/load/two-force-latencies';
import { pointNearBorder } from '../../bench/suites/combined-peak';
import { forceAreaAt, nearBorder, type ForceArea } from '../../shared/area/force-areas';
import type { LngLat } from '../../shared/area/geo';

// The combined-peak benchmark's own decisions, apart from any timing: whose workstation saw a command (its own
// force's, or the other's through a share), what is missing, and where it places an incident near the border.

const confirmation = (entryId: string, force: string, issuer: number, confirmedAt: number, shared = false): ForceConfirmation => ({ entryId, force, issuer, confirmedAt, shared });

describe('confirmed-to-visible by force, as the combined-peak benchmark reads it', () => {
  // Processes: 0 the DMO issuer, 1 the NBR issuer, 2 DMO's watchers (workstations 2, 3), 3 NBR's (workstations 4, 5).
  const forceOf = ['DMO', 'NBR', 'DMO', 'NBR'];
  const counts = { DMO: 3, NBR: 3 };
  const noOffsets = [0, 0, 0, 0];

  it("counts a command on an incident of its own at the issuing force's other workstations only", () => {
    const seen = twoForceLatencies([confirmation('a', 'DMO', 0, 1000)], [{}, {}, { a: [[2, 1010], [3, 1030]] }, {}], forceOf, noOffsets, (c) => c.issuer, counts);
    expect(seen.DMO).toEqual({ sameForce: [10, 30], otherForce: [], missing: 0 });
  });

  it("counts a command on a shared incident at the other force's workstations apart, and what they have not seen as missing", () => {
    const observed: Observations[] = [{}, { b: [[1, 1050]] }, { b: [[2, 1010], [3, 1020]] }, { b: [[4, 1060]] }];
    const seen = twoForceLatencies([confirmation('b', 'DMO', 0, 1000, true)], observed, forceOf, noOffsets, (c) => c.issuer, counts);
    expect(seen.DMO!.sameForce).toEqual([10, 20]);
    expect(seen.DMO!.otherForce).toEqual([50, 60]);
    // NBR's workstation 5 never saw it.
    expect(seen.DMO!.missing).toBe(1);
  });

  it("moves each process's times onto the suite's clock before subtracting", () => {
    // The watchers' clock runs 5 ms ahead of the suite's, the issuer's 2 ms behind.
    const seen = twoForceLatencies([confirmation('c', 'NBR', 1, 998)], [{}, {}, {}, { c: [[4, 1015], [5, 1025]] }], forceOf, [0, -2, 0, 5], (c) => c.issuer, counts);
    expect(seen.NBR).toEqual({ sameForce: [10, 20], otherForce: [], missing: 0 });
  });
});

describe('where the combined-peak benchmark opens an incident near the border', () => {
  const square = (w: number, e: number): LngLat[] => [[w, 53.95], [e, 53.95], [e, 54.05], [w, 54.05], [w, 53.95]];
  // Side by side along the meridian 1.1° E; the benchmark moves along the neighbour's outline by 0.002° of latitude.
  const areas: ForceArea[] = [
    { force: 'DMO', shape: [[square(1.0, 1.1)]] },
    { force: 'NBR', shape: [[square(1.1, 1.2)]] },
  ];

  it("finds a point in the force's own area within 800 m of the other's, which the server shares automatically", () => {
    const point = pointNearBorder(areas, 'DMO', 'NBR')!;
    expect(forceAreaAt([point.lon, point.lat], areas).force).toBe('DMO');
    expect(nearBorder([point.lon, point.lat], areas, 800)).toBe('NBR');
  });

  it('finds none where the forces do not meet', () => {
    expect(pointNearBorder([areas[0]!, { force: 'NBR', shape: [[square(1.5, 1.6)]] }], 'DMO', 'NBR')).toBeNull();
  });
});
