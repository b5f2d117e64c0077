import type { GeoPoint } from '../../../shared/domain/location';
import type { Clock } from '../../../shared/domain/time';
import type { RoadNetwork } from '../../dispatch/road-network';
import { positionOnRoute, type Route } from '../../dispatch/route';
import type { Scheduler } from '../../../node-common/scheduler';
import type { AvlAdapter, UnitArrival, UnitFix } from './avl-adapter';

export interface SimulatedAvlOptions {
  network: RoadNetwork;
  /** Every unit the simulator moves, each starting at its home station. */
  units: readonly { unitId: string; home: GeoPoint }[];
  clock: Clock;
  scheduler: Scheduler;
  /** How often every unit reports, ms: 5,000, about what a real AVL feed over the radio network manages. */
  cadenceMs?: number;
  /** How many times faster than life the units drive (a demonstration may want them quicker); 1 by default. */
  speedFactor?: number;
}

interface Trip {
  route: Route;
  /** Clock time it set off. */
  since: number;
  home: boolean;
}

interface SimulatedUnit {
  unitId: string;
  home: GeoPoint;
  /** Where it was at the last report, or stands. */
  point: GeoPoint;
  trip: Trip | null;
}

/**
 * Vehicles driven along the area's roads at emergency response speeds, reporting through the same interface a
 * real AVL feed has. Told where to go (setDestination), a unit is routed from where it is and drives there; its
 * position is worked out from the clock at each report, so it moves on a fake clock in tests and follows the
 * training clock when that is paused or sped up. A unit that has arrived stands still and keeps reporting.
 */
export class SimulatedAvl implements AvlAdapter {
  private readonly network: RoadNetwork;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly cadenceMs: number;
  private readonly speedFactor: number;
  private readonly units = new Map<string, SimulatedUnit>();
  private readonly brokenDown = new Set<string>();
  private readonly arrivalListeners = new Set<(arrival: UnitArrival) => void>();
  private listener: ((fixes: UnitFix[]) => void) | null = null;
  private timer: unknown = null;

  constructor(options: SimulatedAvlOptions) {
    this.network = options.network;
    this.clock = options.clock;
    this.scheduler = options.scheduler;
    this.cadenceMs = options.cadenceMs ?? 5000;
    this.speedFactor = options.speedFactor ?? 1;
    if (!(this.cadenceMs > 0) || !(this.speedFactor > 0)) throw new Error('the AVL simulator needs a cadence and a speed factor above zero');
    for (const { unitId, home } of options.units) this.units.set(unitId, { unitId, home, point: home, trip: null });
  }

  /** Reports every unit at once (so the map has them from the start), then every cadenceMs. */
  start(listener: (fixes: UnitFix[]) => void): void {
    this.stop();
    this.listener = listener;
    this.tick();
  }

  stop(): void {
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
    this.listener = null;
  }

  /**
   * Routes a unit from where it is now to a point, or home with null; a new destination replaces the one before
   * at once (the unit turns round where it is). A unit the simulator was not given is ignored, as a real feed
   * would never report it.
   */
  setDestination(unitId: string, destination: GeoPoint | null): void {
    const unit = this.units.get(unitId);
    if (!unit || this.brokenDown.has(unitId)) return;
    const now = this.clock.now();
    unit.point = this.advance(unit, now).point;
    unit.trip = { route: this.network.route(unit.point, destination ?? unit.home), since: now, home: destination === null };
  }

  /** An exercise's starting state: the unit stands at `point` (not its home station), with no trip. */
  placeAt(unitId: string, point: GeoPoint): void {
    const unit = this.units.get(unitId);
    if (!unit) return;
    unit.point = point;
    unit.trip = null;
  }

  /** An exercise's breakdown: the unit stops where it is and goes nowhere else (it is towed away after the exercise). */
  breakDown(unitId: string): void {
    const unit = this.units.get(unitId);
    if (!unit) return;
    unit.point = this.advance(unit, this.clock.now()).point;
    unit.trip = null;
    this.brokenDown.add(unitId);
  }

  /** Arrivals are told after the batch of fixes that first shows the unit there (see UnitArrival). */
  onArrival(listener: (arrival: UnitArrival) => void): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }

  private tick(): void {
    const now = this.clock.now();
    const at = new Date(now).toISOString();
    const fixes: UnitFix[] = [];
    const arrivals: UnitArrival[] = [];
    for (const unit of this.units.values()) {
      const home = unit.trip?.home ?? false;
      const position = this.advance(unit, now);
      unit.point = position.point;
      fixes.push({ unitId: unit.unitId, point: position.point, at, speedKmh: position.speedKmh, headingDeg: position.headingDeg });
      if (unit.trip && position.done) {
        unit.trip = null;
        arrivals.push({ unitId: unit.unitId, point: position.point, at, home });
      }
    }
    this.listener?.(fixes);
    for (const arrival of arrivals) for (const listener of this.arrivalListeners) listener(arrival);
    if (this.listener) this.timer = this.scheduler.setTimeout(() => this.tick(), this.cadenceMs);
  }

  /** Where a unit is at a time: along its route if it is driving one, otherwise standing where it is. */
  private advance(unit: SimulatedUnit, now: number): { point: GeoPoint; speedKmh: number; headingDeg: number | null; done: boolean } {
    if (!unit.trip) return { point: unit.point, speedKmh: 0, headingDeg: null, done: false };
    const elapsedS = (Math.max(0, now - unit.trip.since) / 1000) * this.speedFactor;
    const position = positionOnRoute(unit.trip.route, elapsedS);
    // Speed as seen from outside: a unit driving twice as fast as life reports twice the speed.
    return { ...position, speedKmh: Math.round(position.speedKmh * this.speedFactor) };
  }
}
