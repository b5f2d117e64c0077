import { describe, expect, it } from 'vitest';
import { distanceMetres as lngLatMetres, nearestPointOnLines, type LngLat } from '../../shared/area/geo';
import { distanceMetres, type GeoPoint } from '../../shared/domain/location';
import { generateExerciseArea } from '../../main/area/exercise/generate-exercise-area';
import { OFF_NETWORK_KMH, RoadNetwork } from '../../main/dispatch/road-network';

const model = generateExerciseArea(1);
const network = RoadNetwork.fromRoads(model.roads);
const drivable = model.roads.filter((r) => r.class !== 'path').map((r) => r.line);

const geo = ([lon, lat]: LngLat): GeoPoint => ({ lat, lon });
const lngLat = (p: GeoPoint): LngLat => [p.lon, p.lat];
/** How far a point is from the nearest road, in metres. */
const offRoad = (p: GeoPoint) => lngLatMetres(lngLat(p), nearestPointOnLines(lngLat(p), drivable)!);
/** The road position nearest a named landmark (landmarks stand beside their street). */
const roadBeside = (name: string): GeoPoint => {
  const landmark = model.landmarks.find((l) => l.name === name)!;
  return geo(nearestPointOnLines(landmark.point, drivable)!);
};

describe('the road network of the exercise area', () => {
  it('joins the generated streets at their junctions into one network, bar an estate nobody built a road to', () => {
    expect(network.nodeCount).toBeGreaterThan(10_000);
    // Every road position reaches the police station by road, except the industrial estate's own few.
    const station = roadBeside('Saltmere Police Station');
    const positions = model.roads.flatMap((r) => r.line).filter((_, i) => i % 40 === 0);
    const cut = positions.filter((p) => network.route(station, geo(p)).straightLine);
    expect(cut.length).toBeLessThan(positions.length / 100);
  });

  it('routes between two far points along the roads: longer than the crow flies, but not twice as long', () => {
    const from = roadBeside('Saltmere Police Station');
    const to = geo(model.places.find((p) => p.name === 'Kingsholt')!.point);
    const route = network.route(from, to);
    const crowFlies = distanceMetres(from, to);
    expect(crowFlies).toBeGreaterThan(5000);
    expect(route.straightLine).toBe(false);
    expect(route.lengthM).toBeGreaterThan(crowFlies);
    expect(route.lengthM).toBeLessThan(2 * crowFlies);
    // Every point and the middle of every leg lies on a road, bar the last leg from the road to the village centre.
    const onRoads = route.points.slice(0, -1);
    expect(onRoads.filter((p) => offRoad(p) > 2.5)).toEqual([]);
    const middles = onRoads.slice(1).map((p, i) => ({ lat: (p.lat + onRoads[i]!.lat) / 2, lon: (p.lon + onRoads[i]!.lon) / 2 }));
    expect(middles.filter((p) => offRoad(p) > 2.5)).toEqual([]);
    expect(route.points.at(-1)).toEqual(to);
    // At response speeds: between 40 and 70 km/h on average.
    expect(route.lengthM / route.durationS).toBeGreaterThan(40 / 3.6);
    expect(route.lengthM / route.durationS).toBeLessThan(70 / 3.6);
    expect(route.seconds.at(-1)).toBe(route.durationS);
    expect(route.metres.at(-1)).toBeCloseTo(route.lengthM, 6);
  });

  it('finds the nearest road position to a point off the road', () => {
    const onRoad = roadBeside('Saltmere Fire Station');
    const nearest = network.nearestNode({ lat: onRoad.lat + 0.0002, lon: onRoad.lon })!; // 22 m north
    expect(nearest.distanceM).toBeLessThan(40);
    expect(offRoad(nearest.point)).toBeLessThan(1);
  });
});

// A small made-up network near the exercise area's latitude: metres east and north of a corner, as positions.
const at = (east: number, north: number): LngLat => [1.7 + east / 65_600, 53.9 + north / 111_200];

describe('routing', () => {
  it('prefers a quicker main road to a shorter side street', () => {
    const roads = RoadNetwork.fromRoads([
      { line: [at(0, 0), at(1000, 0)], class: 'minor' }, // 1 km at 40 km/h: 90 s
      { line: [at(0, 0), at(0, 200), at(1000, 200), at(1000, 0)], class: 'primary' }, // 1.4 km at 70 km/h: 72 s
    ]);
    const route = roads.route(geo(at(0, 0)), geo(at(1000, 0)));
    expect(route.lengthM).toBeGreaterThan(1300);
    expect(route.durationS).toBeCloseTo(72, 0);
    expect(new Set(route.legKmh)).toEqual(new Set([70]));
  });

  it('joins lines whose ends are within two metres, and not those farther apart', () => {
    const near = RoadNetwork.fromRoads([
      { line: [at(0, 0), at(500, 0)], class: 'minor' },
      { line: [at(501, 1), at(1000, 0)], class: 'minor' },
    ]);
    expect(near.route(geo(at(0, 0)), geo(at(1000, 0))).straightLine).toBe(false);
    const apart = RoadNetwork.fromRoads([
      { line: [at(0, 0), at(500, 0)], class: 'minor' },
      { line: [at(505, 0), at(1000, 0)], class: 'minor' },
    ]);
    expect(apart.route(geo(at(0, 0)), geo(at(1000, 0))).straightLine).toBe(true);
  });

  it('drives no footpaths', () => {
    const roads = RoadNetwork.fromRoads([
      { line: [at(0, 0), at(1000, 0)], class: 'path' },
      { line: [at(0, 0), at(0, 300), at(1000, 300), at(1000, 0)], class: 'minor' },
    ]);
    expect(roads.route(geo(at(0, 0)), geo(at(1000, 0))).lengthM).toBeGreaterThan(1500);
  });

  it('crosses a gap between roads that do not meet in a straight line, slowly and flagged, and gets there', () => {
    const roads = RoadNetwork.fromRoads([
      { line: [at(0, 0), at(2000, 0)], class: 'primary' },
      { line: [at(2300, 0), at(2300, 800)], class: 'service' }, // an estate's road, joined to nothing
    ]);
    const to = geo(at(2300, 800));
    const route = roads.route(geo(at(0, 0)), to);
    expect(route.straightLine).toBe(true);
    expect(route.points.at(-1)).toEqual(to);
    // Along the main road as far as it goes, then across the 300 m gap, then along the estate road.
    expect(route.legKmh).toEqual([70, OFF_NETWORK_KMH, 20]);
    expect(route.lengthM).toBeCloseTo(2000 + 300 + 800, -1);
  });

  it('goes in a straight line where there are no roads at all', () => {
    const none = RoadNetwork.fromRoads([]);
    const route = none.route(geo(at(0, 0)), geo(at(1000, 0)));
    expect(route).toMatchObject({ straightLine: true, legKmh: [OFF_NETWORK_KMH] });
    expect(route.points).toHaveLength(2);
    expect(none.nearestNode(geo(at(0, 0)))).toBeNull();
  });
});
