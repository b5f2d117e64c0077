import { bboxOf, distanceMetres, pointInPolygon, type BBox, type LngLat } from './geo';

type Polygon = readonly (readonly LngLat[])[];

/**
 * Which of a set of shapes holds a point: a grid of cells over their boxes, then a point-in-polygon test on the
 * few shapes a cell names. Used to give every street, postcode and place its district and ward.
 */
export class ShapeIndex<T> {
  private readonly cells = new Map<string, number[]>();
  private readonly items: { value: T; polygons: Polygon[]; boxes: BBox[] }[] = [];

  constructor(private readonly cellDegrees = 0.02) {}

  add(value: T, polygons: Polygon[]): void {
    const boxes = polygons.map((p) => bboxOf(p[0] ?? [])).filter((b): b is BBox => b !== null);
    const id = this.items.push({ value, polygons, boxes }) - 1;
    const seen = new Set<string>();
    for (const box of boxes) {
      for (const key of this.cellsOf(box)) {
        if (seen.has(key)) continue;
        seen.add(key);
        const list = this.cells.get(key);
        if (list) list.push(id);
        else this.cells.set(key, [id]);
      }
    }
  }

  /** The first shape holding the point, or null. */
  find(point: LngLat): T | null {
    for (const id of this.cells.get(this.keyOf(point[0], point[1])) ?? []) {
      const item = this.items[id]!;
      for (let i = 0; i < item.polygons.length; i++) {
        const box = item.boxes[i]!;
        if (point[0] < box[0] || point[0] > box[2] || point[1] < box[1] || point[1] > box[3]) continue;
        if (pointInPolygon(point, item.polygons[i]!)) return item.value;
      }
    }
    return null;
  }

  get size(): number {
    return this.items.length;
  }

  private keyOf(lng: number, lat: number): string {
    return `${Math.floor(lng / this.cellDegrees)}:${Math.floor(lat / this.cellDegrees)}`;
  }

  private *cellsOf(box: BBox): Generator<string> {
    const x0 = Math.floor(box[0] / this.cellDegrees);
    const x1 = Math.floor(box[2] / this.cellDegrees);
    const y0 = Math.floor(box[1] / this.cellDegrees);
    const y1 = Math.floor(box[3] / this.cellDegrees);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) yield `${x}:${y}`;
  }
}

/** Points by grid cell, to find those near a place quickly. */
export class PointIndex<T> {
  private readonly cells = new Map<string, { point: LngLat; value: T }[]>();

  constructor(private readonly cellDegrees = 0.005) {}

  add(point: LngLat, value: T): void {
    const key = this.keyOf(point[0], point[1]);
    const list = this.cells.get(key);
    if (list) list.push({ point, value });
    else this.cells.set(key, [{ point, value }]);
  }

  /** Everything within the radius, nearest first. The radius must not exceed about one cell (~350 m by default). */
  near(point: LngLat, metres: number): { value: T; distance: number }[] {
    const found: { value: T; distance: number }[] = [];
    const cx = Math.floor(point[0] / this.cellDegrees);
    const cy = Math.floor(point[1] / this.cellDegrees);
    for (let x = cx - 1; x <= cx + 1; x++) {
      for (let y = cy - 1; y <= cy + 1; y++) {
        for (const item of this.cells.get(`${x}:${y}`) ?? []) {
          const distance = distanceMetres(point, item.point);
          if (distance <= metres) found.push({ value: item.value, distance });
        }
      }
    }
    return found.sort((a, b) => a.distance - b.distance);
  }

  private keyOf(lng: number, lat: number): string {
    return `${Math.floor(lng / this.cellDegrees)}:${Math.floor(lat / this.cellDegrees)}`;
  }
}
