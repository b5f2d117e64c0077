import { describe, expect, it } from 'vitest';
import { rgb, sizeAt, translated } from '../../renderer/features/map/dot-geometry';
import { inDrawingOrder } from '../../renderer/features/map/dot-order';

describe("the units' dots on the map", () => {
  it('places a dot given relative to an origin where the map would place it given whole', () => {
    // A column-major matrix, as the map hands its custom layers; values of the size a street-level view has.
    const matrix = [2.1e5, 0.3, 0, 0, -0.2, -2.4e5, 0, 0, 0, 0, 1, 0, -1.07e5, 7.9e4, 0, 1];
    const origin = { x: 0.50486, y: 0.32817 };
    const point = { x: 0.5049123, y: 0.3282456 };
    const whole = apply(matrix, point.x, point.y);
    const relative = apply([...translated(matrix, origin.x, origin.y)], point.x - origin.x, point.y - origin.y);
    // The same to a hundredth: the translation is done in double precision before the matrix becomes single.
    expect(relative[0]).toBeCloseTo(whole[0], 2);
    expect(relative[1]).toBeCloseTo(whole[1], 2);
  });

  it('grows from a town view to a street view and no further either way', () => {
    expect(sizeAt(8)).toEqual({ radius: 3, stroke: 1 });
    expect(sizeAt(13)).toEqual({ radius: 4.5, stroke: 1.5 });
    expect(sizeAt(19)).toEqual({ radius: 6, stroke: 2 });
  });

  it('draws an available unit over the off-duty and busy units standing at the same place', () => {
    const atStation = [
      { id: 'DM-41', status: 'available' },
      { id: 'DM-11', status: 'off_duty' },
      { id: 'DM-12', status: 'en_route' },
      { id: 'DM-21', status: 'unavailable' },
      { id: 'DM-42', status: 'available' },
    ];
    // The last drawn is the one seen on top.
    expect(inDrawingOrder(atStation).map((dot) => dot.id)).toEqual(['DM-11', 'DM-21', 'DM-12', 'DM-41', 'DM-42']);
  });

  it('reads the status colours', () => {
    expect(rgb('#1fa64a')).toEqual([0x1f / 255, 0xa6 / 255, 0x4a / 255]);
  });
});

/** A column-major 4×4 matrix applied to (x, y, 0, 1), in double precision. */
function apply(m: readonly number[], x: number, y: number): [number, number] {
  const w = m[3]! * x + m[7]! * y + m[15]!;
  return [(m[0]! * x + m[4]! * y + m[12]!) / w, (m[1]! * x + m[5]! * y + m[13]!) / w];
}
