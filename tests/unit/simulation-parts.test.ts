import { describe, expect, it } from 'vitest';
import { seedsOfPart } from '../faults/sim/simulation-suite';

// The fault simulation's seeds run in four test files: together they must run every seed asked for, once.
describe('the fault simulation’s seeds divided between its parts', () => {
  const all = (total: number, firstSeed: number, parts: number) => Array.from({ length: parts }, (_, i) => seedsOfPart(i + 1, parts, { total, firstSeed }));

  it('runs each of a thousand seeds once, 250 a part, in order', () => {
    const parts = all(1000, 1, 4);
    expect(parts.map((p) => p.length)).toEqual([250, 250, 250, 250]);
    expect(parts.flat()).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('divides a count that does not divide evenly, from the first seed asked for', () => {
    const parts = all(10, 501, 4);
    expect(parts).toEqual([
      [501, 502, 503],
      [504, 505, 506],
      [507, 508],
      [509, 510],
    ]);
    expect(all(2, 1, 4)).toEqual([[1], [2], [], []]);
  });

  it('replays one seed in the first part alone', () => {
    expect([1, 2, 3, 4].map((part) => seedsOfPart(part, 4, { total: 1000, firstSeed: 1, only: '737' }))).toEqual([[737], [], [], []]);
  });
});
