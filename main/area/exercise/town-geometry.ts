import type { XY } from './clearance-grid';

/** Small plane-geometry helpers for the generator, in local metres. */

export const add = (a: XY, b: XY): XY => [a[0] + b[0], a[1] + b[1]];
export const scale = (a: XY, k: number): XY => [a[0] * k, a[1] * k];
export const length = (a: XY): number => Math.hypot(a[0], a[1]);
export const unit = (a: XY): XY => {
  const l = length(a) || 1;
  return [a[0] / l, a[1] / l];
};
/** The vector turned a quarter to the left. */
export const left = (a: XY): XY => [-a[1], a[0]];
export const polar = (r: number, angle: number): XY => [r * Math.cos(angle), r * Math.sin(angle)];
export const radius = (p: XY): number => Math.hypot(p[0], p[1]);
export const angleOf = (p: XY): number => Math.atan2(p[1], p[0]);

/** Points every `step` metres along a polyline, with the direction of travel at each. */
export function walk(points: XY[], step: number): { at: XY; along: number; tangent: XY }[] {
  const out: { at: XY; along: number; tangent: XY }[] = [];
  let travelled = 0;
  let next = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const d = length([b[0] - a[0], b[1] - a[1]]);
    const tangent = unit([b[0] - a[0], b[1] - a[1]]);
    while (next <= travelled + d) {
      const t = d === 0 ? 0 : (next - travelled) / d;
      out.push({ at: [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], along: next, tangent });
      next += step;
    }
    travelled += d;
  }
  return out;
}

export function polylineLength(points: XY[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += length([points[i]![0] - points[i - 1]![0], points[i]![1] - points[i - 1]![1]]);
  return total;
}

/** A closed ring around a centre, its radius wobbling by up to `wobble` (0–1), as parks and woods are drawn. */
export function blob(center: XY, r: number, wobble: number, phase: number, sides = 28): XY[] {
  const ring: XY[] = [];
  for (let i = 0; i < sides; i++) {
    const a = (i / sides) * Math.PI * 2;
    const rr = r * (1 + wobble * (0.6 * Math.sin(3 * a + phase) + 0.4 * Math.sin(5 * a + 2 * phase)));
    ring.push(add(center, polar(rr, a)));
  }
  ring.push(ring[0]!);
  return ring;
}

/** A rectangle of the given size centred on a point, its long side along a direction; a closed ring. */
export function rectangle(center: XY, along: XY, width: number, depth: number): XY[] {
  const u = scale(unit(along), width / 2);
  const v = scale(left(unit(along)), depth / 2);
  const ring: XY[] = [add(add(center, u), v), add(add(center, scale(u, -1)), v), add(add(center, scale(u, -1)), scale(v, -1)), add(add(center, u), scale(v, -1))];
  ring.push(ring[0]!);
  return ring;
}

/** The band either side of a centre line, as a closed ring: a river of a given width. */
export function buffer(line: XY[], halfWidth: (i: number) => number): XY[] {
  const leftSide: XY[] = [];
  const rightSide: XY[] = [];
  for (let i = 0; i < line.length; i++) {
    const prev = line[Math.max(0, i - 1)]!;
    const next = line[Math.min(line.length - 1, i + 1)]!;
    const normal = left(unit([next[0] - prev[0], next[1] - prev[1]]));
    const w = halfWidth(i);
    leftSide.push(add(line[i]!, scale(normal, w)));
    rightSide.push(add(line[i]!, scale(normal, -w)));
  }
  const ring = [...leftSide, ...rightSide.reverse()];
  ring.push(ring[0]!);
  return ring;
}
