import { describe, expect, it } from 'vitest';
import { automaticShare, automaticShareTargets } from '../../shared/domain/automatic-sharing';
import type { ForceArea } from '../../shared/area/force-areas';
import { automaticShareId } from '../../shared/domain/share';

// Two square force areas side by side on the equator, the border at longitude 1 (0.01° there is about 1,113 m).
const square = (west: number, east: number): ForceArea['shape'] => [[[[west, -1], [east, -1], [east, 1], [west, 1], [west, -1]]]];
const areas: ForceArea[] = [
  { force: 'DMO', shape: square(0, 1) },
  { force: 'NBR', shape: square(1, 2) },
];
const rule = { borderMetres: 1000, tier: 'view' as const };
const at = (lon: number, status: 'open' | 'closed' = 'open') => ({ force: 'DMO', status, location: { text: 'x', point: { lat: 0, lon }, source: 'gazetteer' as const, district: null, accuracyM: null } });

describe('automatic sharing across the border', () => {
  it('shares an incident located in the other force’s area with that force', () => {
    expect(automaticShareTargets(at(1.5), areas, rule, ['DMO', 'NBR'])).toEqual([{ sharedWith: 'NBR', reason: "the location is in NBR's area" }]);
  });

  it('shares one within the configured distance of the border, and not one beyond it', () => {
    expect(automaticShareTargets(at(0.995), areas, rule, ['DMO', 'NBR'])).toEqual([{ sharedWith: 'NBR', reason: "the location is 556 m from NBR's border" }]);
    expect(automaticShareTargets(at(0.98), areas, rule, ['DMO', 'NBR'])).toEqual([]);
    expect(automaticShareTargets(at(0.98), areas, { ...rule, borderMetres: 3000 }, ['DMO', 'NBR'])).toHaveLength(1);
  });

  it('shares nothing for an incident with no map point, a closed one, or with a force the platform does not serve', () => {
    expect(automaticShareTargets({ ...at(1.5), location: { ...at(1.5).location, point: null } }, areas, rule, ['DMO', 'NBR'])).toEqual([]);
    expect(automaticShareTargets(at(1.5, 'closed'), areas, rule, ['DMO', 'NBR'])).toEqual([]);
    expect(automaticShareTargets(at(1.5), areas, rule, ['DMO'])).toEqual([]);
    expect(automaticShareTargets(at(1.5), [], rule, ['DMO', 'NBR'])).toEqual([]);
  });

  it('makes one share per incident and force, of the owning force, so the server never makes it twice', () => {
    const share = automaticShare({ id: '0b7d9f9e-3d7e-4d5e-9a51-6f1f3e0c2a10', force: 'DMO' }, { sharedWith: 'NBR', reason: 'r' }, 'view', 'bob', '2026-11-30T10:00:00.000Z');
    expect(share).toMatchObject({ id: automaticShareId('0b7d9f9e-3d7e-4d5e-9a51-6f1f3e0c2a10', 'NBR'), force: 'DMO', how: 'automatic', revoked: null });
  });
});
