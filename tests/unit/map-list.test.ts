import { describe, expect, it } from 'vitest';
import { byDistance, chooseReference, referenceHeading } from '../../renderer/features/map/map-list';

const incident = { point: { lat: 53.9262, lon: 1.7516 }, name: 'DMO-20261129-0001', what: 'the selected incident' };
const unit = { point: { lat: 53.93, lon: 1.76 }, name: 'DM-11', what: 'the unit chosen' };
const place = { point: { lat: 53.91, lon: 1.74 }, name: 'Market Street, Saltmere', what: 'the place found' };

describe('the map list, where no map can be drawn', () => {
  it('measures from the unit chosen, else the selected incident, else the place found, whichever has a position', () => {
    expect(chooseReference([unit, incident, place])).toBe(unit);
    expect(chooseReference([null, incident, place])).toBe(incident);
    expect(chooseReference([{ point: null }, { point: null }, place])).toBe(place);
    expect(chooseReference([null, null, null])).toBeNull();
    expect(referenceHeading(incident)).toBe('Distances from DMO-20261129-0001 (the selected incident)');
    expect(referenceHeading(null)).toMatch(/^No incident selected/);
  });

  it('lists nearest first with how far and which way, those with no position last, in their own order without a reference', () => {
    const things = [
      { id: 'far', point: { lat: 53.95, lon: 1.7516 } },
      { id: 'nowhere', point: null },
      { id: 'near', point: { lat: 53.9272, lon: 1.7516 } },
      { id: 'on-top', point: { lat: 53.9262, lon: 1.7516 } },
    ];
    const listed = byDistance(things, (t) => t.id, (t) => t.point, incident);
    expect(listed.map((p) => [p.id, p.way])).toEqual([
      ['on-top', 'here'],
      ['near', '110 m N'],
      ['far', '2.6 km N'],
      ['nowhere', null],
    ]);
    expect(byDistance(things, (t) => t.id, (t) => t.point, null).map((p) => [p.id, p.way])).toEqual([
      ['far', null],
      ['nowhere', null],
      ['near', null],
      ['on-top', null],
    ]);
  });
});
