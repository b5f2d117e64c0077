/** Points in local metres (x east, y north). */
export type XY = [number, number];

/**
 * Segments already drawn (streets, river, railway), by grid cell: answers "is there anything within r metres of
 * this point?", so new streets and buildings keep clear of what is there.
 */
export class ClearanceGrid {
  private readonly cells = new Map<string, { a: XY; b: XY; owner: number }[]>();

  constructor(private readonly cell = 60) {}

  addLine(points: XY[], owner: number): void {
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      const seen = new Set<string>();
      const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / (this.cell / 2)));
      for (let s = 0; s <= steps; s++) {
        const key = this.keyOf(a[0] + ((b[0] - a[0]) * s) / steps, a[1] + ((b[1] - a[1]) * s) / steps);
        if (seen.has(key)) continue;
        seen.add(key);
        const list = this.cells.get(key);
        const segment = { a, b, owner };
        if (list) list.push(segment);
        else this.cells.set(key, [segment]);
      }
    }
  }

  /** Whether nothing (but the owners named) lies within r metres of p; r must not exceed the cell size. */
  clear(p: XY, r: number, ignore: ReadonlySet<number> = EMPTY): boolean {
    const cx = Math.floor(p[0] / this.cell);
    const cy = Math.floor(p[1] / this.cell);
    for (let x = cx - 1; x <= cx + 1; x++) {
      for (let y = cy - 1; y <= cy + 1; y++) {
        for (const s of this.cells.get(`${x}:${y}`) ?? []) {
          if (ignore.has(s.owner)) continue;
          if (distanceToSegment(p, s.a, s.b) < r) return false;
        }
      }
    }
    return true;
  }

  /** The distance to the nearest segment within r (but the owners named), or Infinity. */
  nearest(p: XY, r: number, ignore: ReadonlySet<number> = EMPTY): number {
    let best = Infinity;
    const cx = Math.floor(p[0] / this.cell);
    const cy = Math.floor(p[1] / this.cell);
    for (let x = cx - 1; x <= cx + 1; x++) {
      for (let y = cy - 1; y <= cy + 1; y++) {
        for (const s of this.cells.get(`${x}:${y}`) ?? []) {
          if (ignore.has(s.owner)) continue;
          const d = distanceToSegment(p, s.a, s.b);
          if (d < best) best = d;
        }
      }
    }
    return best <= r ? best : Infinity;
  }

  private keyOf(x: number, y: number): string {
    return `${Math.floor(x / this.cell)}:${Math.floor(y / this.cell)}`;
  }
}

const EMPTY: ReadonlySet<number> = new Set();

export function distanceToSegment(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
}
