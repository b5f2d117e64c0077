import type { LanduseClass, RoadClass } from '../../../shared/area/tile-schema';
import { ClearanceGrid, type XY } from './clearance-grid';
import { CLOSE_SUFFIXES, CURVE_SUFFIXES, StreetNamer, THROUGH_SUFFIXES } from './names';
import type { Random } from './random';
import { add, blob, length, left, polar, polylineLength, rectangle, scale, unit, walk } from './town-geometry';

export interface PlannedStreet {
  id: number;
  name: string | null;
  class: RoadClass;
  ref: string | null;
  points: XY[];
}

export interface Zone {
  center: XY;
  radius: number;
  ring: XY[];
  class: LanduseClass;
  name: string | null;
}

/** Where a new street may go: inside the town or a village, on land, clear of what is there. */
export interface Territory {
  contains(p: XY): boolean;
}

const BARRIER = { river: -1, railway: -2 } as const;

/**
 * The town as it is laid out, in local metres around its centre: streets, barriers (river, railway, coast) and
 * reserved grounds (parks, hospital, industrial estate). Every new street and building is checked against what is
 * already there, so the result reads like a real street map rather than a tangle.
 */
export class TownBuilder {
  readonly streets: PlannedStreet[] = [];
  readonly zones: Zone[] = [];
  readonly buildings: XY[][] = [];
  private readonly streetGrid = new ClearanceGrid(60);
  private readonly barrierGrid = new ClearanceGrid(60);
  private readonly buildingCells = new Map<string, XY[]>();
  readonly namer: StreetNamer;

  constructor(
    readonly random: Random,
    readonly coastX: (y: number) => number,
  ) {
    this.namer = new StreetNamer(random);
  }

  onLand(p: XY, margin: number): boolean {
    return p[0] < this.coastX(p[1]) - margin;
  }

  addBarrier(kind: keyof typeof BARRIER, points: XY[]): void {
    this.barrierGrid.addLine(points, BARRIER[kind]);
  }

  /** Whether a point is at least r metres from the river and the railway. */
  barrierClear(p: XY, r: number): boolean {
    return this.barrierGrid.clear(p, r);
  }

  addZone(center: XY, r: number, landuse: LanduseClass, name: string | null): Zone {
    const zone: Zone = { center, radius: r, ring: blob(center, r, 0.18, this.random.range(0, 6)), class: landuse, name };
    this.zones.push(zone);
    return zone;
  }

  inZone(p: XY, margin = 0): Zone | null {
    return this.zones.find((z) => length([p[0] - z.center[0], p[1] - z.center[1]]) < z.radius * 1.2 + margin) ?? null;
  }

  /** Adds a street without checks (main roads, the centre's grid); returns it. */
  addStreet(points: XY[], name: string | null, roadClass: RoadClass, ref: string | null = null): PlannedStreet {
    const street: PlannedStreet = { id: this.streets.length, name, class: roadClass, ref, points };
    this.streets.push(street);
    this.streetGrid.addLine(points, street.id);
    if (name) this.namer.reserve(name);
    return street;
  }

  /**
   * Grows a street off a host street at a point: a through street (which stops where it meets another street,
   * making a junction), a crescent back to the host, or a short cul-de-sac. Returns it if a useful length fits.
   */
  tryBranch(host: PlannedStreet, at: XY, tangent: XY, side: 1 | -1, territory: Territory, depth: number): PlannedStreet | null {
    const normal = scale(left(tangent), side);
    const kind = this.random.next();
    let planned: XY[];
    let suffixes: readonly string[];
    let through = false;
    if (kind < 0.62) {
      const len = this.random.range(200, 520);
      const bend = this.random.range(-0.2, 0.2);
      planned = [];
      for (let t = 0; t <= len; t += 12) planned.push(add(at, scale(unit(add(normal, scale(tangent, (bend * t) / len))), t)));
      suffixes = THROUGH_SUFFIXES;
      through = true;
    } else if (kind < 0.8) {
      const depthOut = this.random.range(90, 160);
      const span = this.random.range(140, 260);
      planned = [];
      for (let i = 0; i <= 24; i++) {
        const a = (i / 24) * Math.PI;
        planned.push(add(add(at, scale(tangent, (span / 2) * (1 - Math.cos(a)))), scale(normal, depthOut * Math.sin(a))));
      }
      suffixes = CURVE_SUFFIXES;
    } else {
      const len = this.random.range(70, 150);
      planned = [];
      for (let t = 0; t <= len; t += 12) planned.push(add(at, scale(normal, t)));
      suffixes = CLOSE_SUFFIXES;
    }
    const points = this.grow(planned, host.id, territory, through);
    if (!points) return null;
    const street = this.addStreet(points, this.namer.next(suffixes), 'minor');
    if (depth > 0 && through && polylineLength(points) > 200) {
      // Cross streets off this one make the estates grid-like, as real estates are.
      for (const sample of walk(points, this.random.range(120, 170)).slice(1, -1)) {
        for (const s of [1, -1] as const) if (this.random.chance(0.6)) this.tryBranch(street, sample.at, sample.tangent, s, territory, depth - 1);
      }
    }
    return street;
  }

  /**
   * The part of a planned street that fits: it keeps clear of barriers, grounds and other streets, except that a
   * through street may run into another street and end there (a junction). Curved streets must fit whole, as
   * they return to their host. Null when less than a useful length fits.
   */
  private grow(planned: XY[], hostId: number, territory: Territory, mayJoin: boolean): XY[] | null {
    const ignore = new Set([hostId]);
    const start = planned[0]!;
    const kept: XY[] = [start];
    let close = 0;
    for (const p of planned.slice(1)) {
      const fromStart = length([p[0] - start[0], p[1] - start[1]]);
      if (fromStart < 25) {
        kept.push(p);
        continue;
      }
      const ok = territory.contains(p) && this.onLand(p, 70) && !this.inZone(p, 20) && this.barrierGrid.clear(p, 35);
      const nearest = this.streetGrid.nearest(p, 45, ignore);
      if (ok && nearest === Infinity) {
        kept.push(p);
        close = 0;
        continue;
      }
      if (!mayJoin) return null;
      if (ok && nearest < 12 && fromStart > 60) {
        kept.push(p);
        return kept;
      }
      // Approaching another street: carry on for a few steps to meet it, but never run alongside it.
      if (ok && nearest < 45 && ++close <= 4) {
        kept.push(p);
        continue;
      }
      kept.length = Math.max(1, kept.length - close);
      break;
    }
    return polylineLength(kept) >= (mayJoin ? 80 : 60) ? kept : null;
  }

  /** Buildings along both sides of a street, where there is room: terraces in the centre, houses elsewhere. */
  lineWithBuildings(street: PlannedStreet, style: 'house' | 'terrace' | 'shed'): void {
    const spec = { house: { step: 15, setback: 14, width: 8, depth: 9 }, terrace: { step: 10, setback: 12, width: 9, depth: 12 }, shed: { step: 45, setback: 30, width: 35, depth: 25 } }[style];
    for (const { at, tangent } of walk(street.points, spec.step)) {
      for (const side of [1, -1]) {
        const center = add(at, scale(left(tangent), side * spec.setback));
        const reach = Math.max(spec.width, spec.depth) / 2;
        if (!this.onLand(center, 15) || !this.barrierGrid.clear(center, 25)) continue;
        if (!this.streetGrid.clear(center, spec.setback - 1.5)) continue;
        const zone = this.inZone(center);
        if (zone && !(style === 'shed' && zone.class === 'industrial')) continue;
        if (!this.roomForBuilding(center, reach * 1.6)) continue;
        this.buildings.push(rectangle(center, tangent, spec.width, spec.depth));
        this.markBuilding(center);
      }
    }
  }

  /** A point beside a street suited to a landmark: off the carriageway, clear of other things. */
  siteBeside(street: PlannedStreet): XY | null {
    const samples = walk(street.points, 25);
    for (const { at, tangent } of this.random.shuffle(samples).slice(0, 12)) {
      const p = add(at, scale(left(tangent), this.random.pick([1, -1]) * 22));
      if (this.onLand(p, 30) && this.barrierGrid.clear(p, 25) && this.streetGrid.clear(p, 15) && !this.inZone(p)) return p;
    }
    return null;
  }

  private roomForBuilding(p: XY, r: number): boolean {
    const cx = Math.floor(p[0] / 20);
    const cy = Math.floor(p[1] / 20);
    for (let x = cx - 2; x <= cx + 2; x++) for (let y = cy - 2; y <= cy + 2; y++) for (const q of this.buildingCells.get(`${x}:${y}`) ?? []) if (length([q[0] - p[0], q[1] - p[1]]) < r) return false;
    return true;
  }

  private markBuilding(p: XY): void {
    const key = `${Math.floor(p[0] / 20)}:${Math.floor(p[1] / 20)}`;
    const list = this.buildingCells.get(key);
    if (list) list.push(p);
    else this.buildingCells.set(key, [p]);
  }
}

/** A main road out from the centre at an angle, wandering a little, ending at `to` metres or at the coast. */
export function radialRoad(town: TownBuilder, angle: number, from: number, to: number): XY[] {
  const phase = town.random.range(0, 6);
  const points: XY[] = [];
  for (let r = from; r <= to; r += 50) {
    const p = polar(r, angle + 0.1 * Math.sin(r / 1100 + phase));
    if (!town.onLand(p, 120)) break;
    points.push(p);
  }
  return points;
}

export function landmarkSite(town: TownBuilder, streets: PlannedStreet[]): XY | null {
  for (const street of town.random.shuffle(streets).slice(0, 20)) {
    const site = town.siteBeside(street);
    if (site) return site;
  }
  return null;
}

