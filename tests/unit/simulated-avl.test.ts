import { describe, expect, it } from 'vitest';
import { nearestPointOnLines, type LngLat } from '../../shared/area/geo';
import { distanceMetres, type GeoPoint } from '../../shared/domain/location';
import { ManualClock } from '../../shared/domain/time';
import type { UnitArrival, UnitFix } from '../../main/adapters/avl/avl-adapter';
import { SimulatedAvl } from '../../main/adapters/avl/simulated-avl';
import { generateExerciseArea } from '../../main/area/exercise/generate-exercise-area';
import { RoadNetwork } from '../../main/dispatch/road-network';
import { ManualScheduler } from '../fakes/manual-scheduler';

const model = generateExerciseArea(1);
const network = RoadNetwork.fromRoads(model.roads);
const geo = ([lon, lat]: LngLat): GeoPoint => ({ lat, lon });
const drivable = model.roads.filter((r) => r.class !== 'path').map((r) => r.line);

const station = geo(model.landmarks.find((l) => l.name === 'Saltmere Police Station')!.point);
/** The first road position about `metres` from the police station, in the direction given. */
const roadPositionAway = (metres: number, direction: (p: GeoPoint) => boolean): GeoPoint => {
  const found = model.roads
    .flatMap((r) => r.line)
    .map(geo)
    .find((p) => Math.abs(distanceMetres(station, p) - metres) < 50 && direction(p));
  return found!;
};
const east = roadPositionAway(3000, (p) => p.lon > station.lon);
const west = roadPositionAway(2500, (p) => p.lon < station.lon);

const CADENCE = 5000;

/** The simulator on a fake clock and fake timers, moved on together one cadence at a time. */
function simulate(options: { units?: { unitId: string; home: GeoPoint }[]; network?: RoadNetwork; speedFactor?: number } = {}) {
  const clock = new ManualClock(Date.parse('2026-11-29T10:00:00Z'));
  const scheduler = new ManualScheduler();
  const avl = new SimulatedAvl({ network: options.network ?? network, units: options.units ?? [{ unitId: 'U1', home: station }], clock, scheduler, cadenceMs: CADENCE, speedFactor: options.speedFactor });
  const batches: UnitFix[][] = [];
  const arrivals: UnitArrival[] = [];
  avl.onArrival((arrival) => arrivals.push(arrival));
  avl.start((fixes) => batches.push(fixes));
  const started = clock.now();
  const step = () => {
    clock.advance(CADENCE);
    scheduler.advance(CADENCE);
  };
  return {
    avl,
    batches,
    arrivals,
    fixes: (unitId = 'U1') => batches.map((batch) => batch.find((f) => f.unitId === unitId)!),
    last: (unitId = 'U1') => batches.at(-1)!.find((f) => f.unitId === unitId)!,
    run: (ms: number) => {
      for (let t = 0; t < ms; t += CADENCE) step();
    },
    /** Steps until an arrival (or the limit), returning the simulated seconds since the start. */
    runUntilArrival: (limitMs: number) => {
      const before = arrivals.length;
      for (let t = 0; t < limitMs && arrivals.length === before; t += CADENCE) step();
      return (clock.now() - started) / 1000;
    },
  };
}

describe('the simulated AVL feed', () => {
  it('drives a unit sent 3 km along the roads in a plausible time, reporting every cadence, then stands', () => {
    expect(distanceMetres(station, east)).toBeGreaterThan(2950);
    const sim = simulate();
    expect(sim.batches).toHaveLength(1); // everyone at once on start, at home
    expect(sim.last()).toMatchObject({ point: station, speedKmh: 0, headingDeg: null });

    sim.avl.setDestination('U1', east);
    const seconds = sim.runUntilArrival(30 * 60_000);
    expect(sim.arrivals).toEqual([{ unitId: 'U1', point: east, at: sim.last().at, home: false }]);
    expect(seconds).toBeGreaterThanOrEqual(3 * 60);
    expect(seconds).toBeLessThanOrEqual(8 * 60);
    expect(sim.last()).toMatchObject({ point: east, speedKmh: 0, headingDeg: null });

    // One fix per cadence, each CADENCE after the one before; on the way, on a road, moving at a road's speed.
    const fixes = sim.fixes();
    expect(fixes).toHaveLength(seconds / (CADENCE / 1000) + 1);
    fixes.slice(1).forEach((fix, i) => expect(Date.parse(fix.at) - Date.parse(fixes[i]!.at)).toBe(CADENCE));
    const moving = fixes.slice(1, -1);
    for (const fix of moving) {
      expect(fix.speedKmh).toBeGreaterThan(0);
      expect(fix.speedKmh).toBeLessThanOrEqual(100);
      expect(fix.headingDeg).toBeGreaterThanOrEqual(0);
      expect(fix.headingDeg).toBeLessThan(360);
    }
    // Never farther in one report than the fastest road allows, and (past the station's yard) always on a road.
    fixes.slice(1).forEach((fix, i) => expect(distanceMetres(fix.point, fixes[i]!.point)).toBeLessThan((100 / 3.6) * (CADENCE / 1000)));
    const offRoad = moving.slice(2).filter((f) => distanceMetres(f.point, geo(nearestPointOnLines([f.point.lon, f.point.lat], drivable)!)) > 3);
    expect(offRoad).toEqual([]);

    // Standing, it keeps reporting where it is.
    sim.run(3 * CADENCE);
    expect(sim.fixes().slice(-3).map((f) => [f.point, f.speedKmh, f.headingDeg])).toEqual([[east, 0, null], [east, 0, null], [east, 0, null]]);
    expect(sim.arrivals).toHaveLength(1);
  });

  it('sends a unit home with null, and says it arrived home', () => {
    const sim = simulate();
    sim.avl.setDestination('U1', east);
    sim.runUntilArrival(30 * 60_000);
    sim.avl.setDestination('U1', null);
    sim.run(CADENCE);
    expect(distanceMetres(sim.last().point, east)).toBeGreaterThan(10);
    sim.runUntilArrival(30 * 60_000);
    expect(sim.arrivals.map((a) => [a.point, a.home])).toEqual([[east, false], [station, true]]);
    expect(sim.last()).toMatchObject({ point: station, speedKmh: 0, headingDeg: null });
  });

  it('turns a unit sent elsewhere on the way toward its new destination, and it never reaches the first', () => {
    const sim = simulate();
    sim.avl.setDestination('U1', east);
    sim.run(90_000);
    const turnedAt = sim.last().point;
    expect(distanceMetres(turnedAt, east)).toBeGreaterThan(500);
    sim.avl.setDestination('U1', west);
    sim.run(60_000);
    // A minute later it is nearer the new destination than when told, and farther from the old one.
    expect(distanceMetres(sim.last().point, west)).toBeLessThan(distanceMetres(turnedAt, west) - 300);
    expect(distanceMetres(sim.last().point, east)).toBeGreaterThan(distanceMetres(turnedAt, east));
    sim.runUntilArrival(30 * 60_000);
    expect(sim.arrivals.map((a) => a.point)).toEqual([west]);
    expect(Math.min(...sim.fixes().map((f) => distanceMetres(f.point, east)))).toBeGreaterThan(400);
  });

  it('still gets a unit to a place the roads do not reach', () => {
    const at = (eastM: number, northM: number): LngLat => [1.7 + eastM / 65_600, 53.9 + northM / 111_200];
    const island = RoadNetwork.fromRoads([
      { line: [at(0, 0), at(2000, 0)], class: 'primary' },
      { line: [at(2300, 0), at(2300, 800)], class: 'service' },
    ]);
    const sim = simulate({ network: island, units: [{ unitId: 'U1', home: geo(at(0, 0)) }] });
    const target = geo(at(2300, 800));
    expect(island.route(geo(at(0, 0)), target).straightLine).toBe(true);
    sim.avl.setDestination('U1', target);
    const seconds = sim.runUntilArrival(30 * 60_000);
    expect(sim.arrivals.map((a) => a.point)).toEqual([target]);
    expect(sim.last().point).toEqual(target);
    // 2 km at 70 km/h (103 s), 300 m across at 20 (54 s), 800 m of service road at 20 (144 s); seen at the next report.
    expect(seconds).toBeGreaterThanOrEqual(301);
    expect(seconds).toBeLessThanOrEqual(305);
  });

  it('reports every unit in one batch, drives faster by the speed factor, and ignores units it does not know', () => {
    const units = [
      { unitId: 'U1', home: station },
      { unitId: 'U2', home: west },
    ];
    const normal = simulate({ units });
    const quick = simulate({ units, speedFactor: 2 });
    for (const sim of [normal, quick]) {
      sim.avl.setDestination('U1', east);
      sim.avl.setDestination('NOBODY', east);
    }
    const normalS = normal.runUntilArrival(30 * 60_000);
    const quickS = quick.runUntilArrival(30 * 60_000);
    expect(quickS).toBeGreaterThanOrEqual(normalS / 2 - CADENCE / 1000);
    expect(quickS).toBeLessThanOrEqual(normalS / 2 + CADENCE / 1000);
    expect(quick.batches.every((batch) => batch.map((f) => f.unitId).join() === 'U1,U2')).toBe(true);
    expect(quick.fixes('U2').every((f) => f.point === west && f.speedKmh === 0)).toBe(true);
  });

  it('stops reporting when stopped', () => {
    const sim = simulate();
    sim.avl.stop();
    sim.run(10 * CADENCE);
    expect(sim.batches).toHaveLength(1);
  });
});
