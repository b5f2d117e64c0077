import type { LandmarkCategory } from '../../../shared/area/tile-schema';
import type { XY } from './clearance-grid';
import { CHURCHES, PUB_NAMES, VILLAGE_STREETS } from './names';
import { Random } from './random';
import { add, polar, walk } from './town-geometry';
import { landmarkSite, TownBuilder, type PlannedStreet, type Territory } from './town-builder';

/**
 * The neighbouring force's town, Northbridge: an inland market town north of Saltmere across the force border,
 * with its own streets, stations and villages, and a hamlet (Crossways) that the border runs through, where
 * cross-border incidents happen. Generated after Saltmere from its own random stream, so Saltmere stays the town it
 * was for a seed; in the same local metres (x east, y north of Saltmere's centre).
 */
export const NEIGHBOUR_TOWN = 'Northbridge';
export const NEIGHBOUR_CENTRE: XY = [-2600, 19500];
export const NEIGHBOUR_RADIUS = 3200;
export const NEIGHBOUR_SECTORS = ['Bridgefoot', 'Holmbury', 'Castlefields', 'Ryecroft'] as const;
export const NEIGHBOUR_VILLAGES = ['Crossways', 'Ottermouth', 'Hatherley'] as const;
/** How far north the exercise area reaches, for the neighbour's land. */
export const NEIGHBOUR_NORTH = 27000;

/** The generator's landmark: a name, a kind, a place. */
export interface Site {
  name: string;
  category: LandmarkCategory;
  at: XY;
}

export interface NeighbourTown {
  town: TownBuilder;
  sites: Site[];
  /** The force border, west to east, ending at the coast. */
  border: XY[];
  /** The border's y at an x: the neighbour's side is north of it. */
  borderY: (x: number) => number;
  villages: { name: string; center: XY }[];
  /** The beck the border follows, west to the sea. */
  beck: XY[];
}

/**
 * Lays out Northbridge and the border. `joinAt` is the far end of Saltmere's road north, which runs on over the
 * border as Saltmere Road into Northbridge; `reserved` are Saltmere's street names, which Northbridge does not reuse
 * (but for the few every village has).
 */
export function generateNeighbourTown(seed: number, coastX: (y: number) => number, west: number, joinAt: XY, reserved: Iterable<string>): NeighbourTown {
  const random = new Random(seed * 7919 + 4201);
  const town = new TownBuilder(random, coastX);
  for (const name of reserved) town.namer.reserve(name);
  const sites: Site[] = [];
  const at = (p: XY) => add(NEIGHBOUR_CENTRE, p);
  const fromCentre = (p: XY) => Math.hypot(p[0] - NEIGHBOUR_CENTRE[0], p[1] - NEIGHBOUR_CENTRE[1]);

  // The border follows Mere Beck, a stream that wanders east to the sea between the two towns.
  const phase = random.range(0, 6);
  const borderY = (x: number) => 11600 + 420 * Math.sin(x / 2300 + phase) + 160 * Math.sin(x / 700 + 2 * phase);
  const beck: XY[] = [];
  for (let x = west; ; x += 80) {
    beck.push([x, borderY(x)]);
    if (x > coastX(borderY(x)) + 200) break;
  }
  const border = beck.filter((p) => p[0] <= coastX(p[1]));
  border.push([coastX(borderY(border.at(-1)![0])), borderY(border.at(-1)![0])]);
  town.addBarrier('river', beck);

  // The market place and its streets: a short grid, Market Place through the middle.
  const centreNames = ['Bridge Street', 'Sheaf Street', 'Corn Hill', 'Drovers Lane', 'Wool Street', 'Abbey Walk', 'Saddlers Row', 'Tithe Lane', 'Pound Lane', 'Mercers Row', 'Shambles', 'Bell Street'];
  const centre: PlannedStreet[] = [];
  for (let v = -360; v <= 360; v += 120) {
    const points: XY[] = [];
    for (let t = -520; t <= 520; t += 20) points.push(at([t, v]));
    centre.push(town.addStreet(points, v === 0 ? 'Market Place' : (centreNames.shift() ?? null), v === 0 ? 'secondary' : 'minor'));
  }
  for (let u = -390; u <= 390; u += 130) {
    const points: XY[] = [];
    for (let t = -420; t <= 420; t += 20) points.push(at([u, t]));
    centre.push(town.addStreet(points, centreNames.shift() ?? null, 'minor'));
  }

  // Six roads out; the southern one runs on over the border to Saltmere, two reach villages.
  const angles = [20, 80, 150, 210, 270, 330].map((deg) => ((deg + random.range(-6, 6)) * Math.PI) / 180);
  const villageAt = new Map<number, { name: string; center: XY }>([
    [1, { name: NEIGHBOUR_VILLAGES[1], center: at(polar(5600, angles[1]!)) }],
    [3, { name: NEIGHBOUR_VILLAGES[2], center: at(polar(5400, angles[3]!)) }],
  ]);
  const radials = angles.map((angle, i) => {
    const village = villageAt.get(i);
    const points: XY[] = [];
    const rPhase = random.range(0, 6);
    for (let r = 300; r <= (village ? 6300 : NEIGHBOUR_RADIUS + 400); r += 50) {
      const p = at(polar(r, angle + 0.08 * Math.sin(r / 900 + rPhase)));
      if (!town.onLand(p, 120) || p[1] < borderY(p[0]) + 250) break;
      points.push(p);
    }
    const name = i === 4 ? 'Saltmere Road' : village ? `${village.name} Road` : town.namer.next(['Road']);
    return town.addStreet(points, name, i % 2 === 0 ? 'primary' : 'secondary', i % 2 === 0 ? `A${1170 + i}` : `B${1310 + i}`);
  });

  // Saltmere Road on south, over the beck at the hamlet of Crossways, to the end of Saltmere's road north.
  const south = radials[4]!;
  const from = south.points.at(-1)!;
  const link: XY[] = [];
  const steps = Math.max(2, Math.round(Math.hypot(joinAt[0] - from[0], joinAt[1] - from[1]) / 50));
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    link.push([from[0] + (joinAt[0] - from[0]) * t + 180 * Math.sin(t * Math.PI), from[1] + (joinAt[1] - from[1]) * t]);
  }
  town.addStreet([from, ...link], 'Saltmere Road', 'secondary', 'B1231');
  const crossing = link.reduce((best, p) => (Math.abs(p[1] - borderY(p[0])) < Math.abs(best[1] - borderY(best[0])) ? p : best), link[0]!);
  const crossways = { name: NEIGHBOUR_VILLAGES[0], center: crossing };

  // A ring road part of the way round, and distributors.
  const ring: XY[] = [];
  for (let deg = 100; deg <= 300; deg += 2) {
    const p = at(polar(1900, (deg * Math.PI) / 180));
    if (town.onLand(p, 120)) ring.push(p);
  }
  if (ring.length > 2) town.addStreet(ring, 'Castle Way', 'primary', 'A1179');

  // Estates off the main roads, inside the town; a few streets in each village, Crossways on both sides of the beck.
  const inTown: Territory = { contains: (p) => fromCentre(p) < NEIGHBOUR_RADIUS && fromCentre(p) > 600 && p[1] > borderY(p[0]) + 150 };
  const hosts = town.streets.filter((s) => s.class === 'primary' || s.class === 'secondary');
  for (const host of hosts) {
    for (const sample of walk(host.points, random.range(110, 150)).slice(1)) {
      for (const side of [1, -1] as const) if (random.chance(0.8)) town.tryBranch(host, sample.at, sample.tangent, side, inTown, 2);
    }
  }
  const villages = [crossways, ...villageAt.values()];
  const villageStreets = new Map<string, PlannedStreet[]>();
  const hostOf = (name: string) => (name === crossways.name ? town.streets.find((s) => s.name === 'Saltmere Road' && s.ref === 'B1231')! : radials[[...villageAt.entries()].find(([, v]) => v.name === name)![0]]!);
  for (const village of villages) {
    const near: Territory = { contains: (p) => Math.hypot(p[0] - village.center[0], p[1] - village.center[1]) < 600 };
    const names = random.shuffle(VILLAGE_STREETS);
    const made: PlannedStreet[] = [];
    const host = hostOf(village.name);
    // Nearest the village's centre first: Crossways grows on both sides of the beck, not only the first reached.
    const samples = walk(host.points, 80).filter((sample) => near.contains(sample.at));
    samples.sort((a, b) => Math.hypot(a.at[0] - village.center[0], a.at[1] - village.center[1]) - Math.hypot(b.at[0] - village.center[0], b.at[1] - village.center[1]));
    for (const sample of samples) {
      for (const side of [1, -1] as const) {
        if (made.length >= 6 || !random.chance(0.75)) continue;
        const street = town.tryBranch(host, sample.at, sample.tangent, side, near, 0);
        if (street) {
          street.name = names[made.length]!;
          made.push(street);
        }
      }
    }
    villageStreets.set(village.name, made);
  }

  for (const street of centre) town.lineWithBuildings(street, 'terrace');
  for (const street of town.streets) if (street.class === 'minor' && !centre.includes(street)) town.lineWithBuildings(street, 'house');

  const residential = town.streets.filter((s) => s.class === 'minor' && !centre.includes(s));
  const place = (name: string, category: LandmarkCategory, streets: PlannedStreet[]) => {
    // The street asked for, else any in the town's centre: a landmark the force's files name is never left out.
    const site = landmarkSite(town, streets) ?? landmarkSite(town, [...centre, ...residential]);
    if (site) sites.push({ name, category, at: site });
  };
  const market = centre.filter((s) => s.name === 'Market Place');
  place(`${NEIGHBOUR_TOWN} Police Station`, 'police', market);
  place('Holmbury Police Station', 'police', [radials[1]!]);
  place(`${NEIGHBOUR_TOWN} Fire Station`, 'fire_station', [radials[2]!]);
  place(`${NEIGHBOUR_TOWN} Community Hospital`, 'hospital', [radials[0]!]);
  place(`${NEIGHBOUR_TOWN} Town Hall`, 'town_hall', market);
  place(`${NEIGHBOUR_TOWN} Library`, 'library', centre);
  place(`${NEIGHBOUR_TOWN} Bus Station`, 'bus_station', centre);
  place('Corn Exchange', 'shopping_centre', market);
  for (const name of ['Dale Stores', 'Northbridge Co-operative']) place(name, 'supermarket', radials);
  for (const name of ['Bridgefoot Surgery', 'Castlefields Medical Practice']) place(name, 'doctor', residential);
  for (const name of ['Market Pharmacy']) place(name, 'pharmacy', centre);
  for (const name of [CHURCHES[1], CHURCHES[3]]) place(`${name}, ${NEIGHBOUR_TOWN}`, 'place_of_worship', centre);
  for (const name of [`${NEIGHBOUR_TOWN} Grammar School`, 'Holmbury Primary School', 'Ryecroft Primary School']) place(name, 'school', residential);
  const pubs = random.shuffle(PUB_NAMES);
  for (const name of pubs.slice(0, 4)) place(name, 'pub', centre);
  // Crossways' pub stands on the Saltmere side, its church on Northbridge's: one hamlet, two forces.
  const crosswaysStreets = villageStreets.get(crossways.name) ?? [];
  const southOf = crosswaysStreets.filter((s) => s.points.every((p) => p[1] < borderY(p[0])));
  const northOf = crosswaysStreets.filter((s) => s.points.every((p) => p[1] > borderY(p[0])));
  place('The Border Inn', 'pub', southOf.length ? southOf : crosswaysStreets);
  place("St Cuthbert's Church, Crossways", 'place_of_worship', northOf.length ? northOf : crosswaysStreets);

  return { town, sites, border, borderY, villages, beck };
}
