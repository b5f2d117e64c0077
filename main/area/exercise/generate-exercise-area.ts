import { localMetres, type LngLat } from '../../../shared/area/geo';
import type { LandmarkCategory } from '../../../shared/area/tile-schema';
import { emptyModel, type AreaModel, type Shape } from '../build/area-model';
import type { XY } from './clearance-grid';
import { CENTRE_STREETS, CHURCHES, PUB_NAMES, VILLAGE_STREETS } from './names';
import { Random } from './random';
import { joinStreets } from './street-junctions';
import { add, angleOf, blob, buffer, polar, radius, rectangle, walk } from './town-geometry';
import { landmarkSite, radialRoad, TownBuilder, type PlannedStreet, type Territory } from './town-builder';
import { generateNeighbourTown, NEIGHBOUR_CENTRE, NEIGHBOUR_NORTH, NEIGHBOUR_RADIUS, NEIGHBOUR_SECTORS, NEIGHBOUR_TOWN, type NeighbourTown, type Site } from './neighbour-town';

/**
 * Where the fictional town lies: in the North Sea, off the Yorkshire coast, so it can never be mistaken for (or
 * drawn over) a real place. Its own coastline and land make it look like the coastal towns trainees know.
 */
export const EXERCISE_ORIGIN: LngLat = [1.75, 53.93];
export const EXERCISE_SEED = 1;
export const EXERCISE_FORCE = 'Demonstration Constabulary';
/** The neighbouring force, north of the border: assets/force/neighbour-force.json. */
export const NEIGHBOUR_FORCE = 'Northbridge Police';
/** The forces whose areas the exercise area holds, by the codes their configurations give (force.code). */
export const EXERCISE_FORCES = [
  { code: 'DMO', name: EXERCISE_FORCE },
  { code: 'NBR', name: NEIGHBOUR_FORCE },
] as const;

const TOWN = 'Saltmere';
const TOWN_RADIUS = 5000;
const CENTRE_RADIUS = 700;
const EXTENT = { west: -14000, south: -11000, north: 11000 };
const SECTORS = ['Harbourside', 'Northgate', 'Millfield', 'Westbury', 'Ashgrove', 'Southmead'] as const;
const VILLAGES = ['Little Marston', 'Kingsholt', 'Fenwick St Giles', 'Upper Brackley'] as const;
/** Letters Royal Mail uses at the end of a postcode (never C, I, K, M, O or V). */
const UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/**
 * The exercise area: a plausible coastal town (Saltmere) with its suburbs and four villages, generated from a
 * seed with no outside data. Streets, a river and a railway, buildings, parks, landmarks (police and fire
 * stations, a hospital, schools, pubs, shops), districts and policing beats, and postcodes in the fictional "XT"
 * area (no real postcode begins with X). North of it, across a border that follows Mere Beck, the neighbouring
 * force's town (Northbridge, postcodes "XN") and its villages, one of them (Crossways) on the border itself: two
 * force areas, for work that crosses between forces.
 */
export function generateExerciseArea(seed = EXERCISE_SEED): AreaModel {
  const random = new Random(seed);
  const phase = [random.range(0, 6), random.range(0, 6), random.range(0, 6)] as const;
  const coastX = (y: number) => 3600 + 350 * Math.sin(y / 1300 + phase[0]) + 180 * Math.sin(y / 530 + phase[1]);
  const town = new TownBuilder(random, coastX);
  const sites: Site[] = [];

  // The river, from the west to the sea just south of the centre, and the railway to a terminus by the centre.
  const river: XY[] = [];
  for (let x = EXTENT.west; ; x += 60) {
    const y = -700 + 260 * Math.sin(x / 900 + phase[2]) + 120 * Math.sin(x / 310 + phase[0]);
    river.push([x, y]);
    if (x > coastX(y) + 300) break;
  }
  town.addBarrier('river', river);
  const railway: XY[] = [];
  for (let x = EXTENT.west; x <= 150; x += 80) railway.push([x, 1500 - ((x - EXTENT.west) / (150 - EXTENT.west)) * 800 + 160 * Math.sin(x / 2100)]);
  town.addBarrier('railway', railway);
  const terminus = railway[railway.length - 1]!;
  sites.push({ name: `${TOWN} railway station`, category: 'station', at: [terminus[0] + 45, terminus[1]] });

  // The old centre: a slightly skewed grid of short streets, High Street through the middle.
  const skew = random.range(-0.15, 0.15);
  const across: XY = [Math.cos(skew), Math.sin(skew)];
  const up: XY = [-Math.sin(skew), Math.cos(skew)];
  const centreNames = [...CENTRE_STREETS];
  const centreStreets: PlannedStreet[] = [];
  for (let v = -440; v <= 440; v += 110) {
    for (const run of clippedRuns(town, (t) => [across[0] * t + up[0] * v, across[1] * t + up[1] * v], -900, 900, v === 0 ? 900 : CENTRE_RADIUS)) {
      centreStreets.push(town.addStreet(run, v === 0 ? 'High Street' : (centreNames.shift() ?? null), v === 0 ? 'secondary' : 'minor'));
    }
  }
  for (let u = -585; u <= 585; u += 130) {
    for (const run of clippedRuns(town, (t) => [across[0] * u + up[0] * t, across[1] * u + up[1] * t], -700, 700, CENTRE_RADIUS)) {
      centreStreets.push(town.addStreet(run, centreNames.shift() ?? null, 'minor'));
    }
  }

  // Main roads out of town: three A roads, the rest B roads; four run on to villages.
  const radialAngles = [40, 88, 132, 178, 222, 268, 318].map((deg) => ((deg + random.range(-8, 8)) * Math.PI) / 180);
  const villageAt = new Map<number, { name: string; center: XY }>();
  const villageRadials = [1, 2, 4, 5];
  villageRadials.forEach((radial, i) => villageAt.set(radial, { name: VILLAGES[i]!, center: polar(random.range(7200, 8600), radialAngles[radial]!) }));
  const radials = radialAngles.map((angle, i) => {
    const village = villageAt.get(i);
    const points = radialRoad(town, angle, 520, village ? radius(village.center) + 900 : TOWN_RADIUS + 300);
    const major = i % 2 === 0;
    const name = village ? `${village.name} Road` : town.namer.next(['Road']);
    return town.addStreet(points, name, major ? 'primary' : 'secondary', major ? `A${1090 + i}` : `B${1230 + i}`);
  });

  // Distributor roads between the main roads, from the inner suburbs outwards: estates grow off them too.
  radialAngles.forEach((angle, i) => {
    const next = radialAngles[(i + 1) % radialAngles.length]!;
    const gap = (next - angle + Math.PI * 2) % (Math.PI * 2);
    if (gap > Math.PI) return; // the seaward gap
    const points = radialRoad(town, angle + gap / 2, 1000, 4300);
    if (points.length > 10) town.addStreet(points, town.namer.next(['Road', 'Avenue']), 'tertiary');
  });

  // A ring road round the landward side, in three named lengths, and the sea front.
  const ringPhase = random.range(0, 6);
  const ringNames = ['Northern Way', 'Western Way', 'Southern Way'];
  [
    [62, 135],
    [135, 225],
    [225, 298],
  ].forEach(([from, to], i) => {
    const points: XY[] = [];
    for (let deg = from!; deg <= to!; deg += 1.5) {
      const a = (deg * Math.PI) / 180;
      const p = polar(2400 + 150 * Math.sin(3 * a + ringPhase), a);
      if (town.onLand(p, 120)) points.push(p);
    }
    if (points.length > 2) town.addStreet(points, ringNames[i]!, 'primary', 'A1099');
  });
  const front: XY[] = [];
  for (let y = -3200; y <= 3200; y += 40) front.push([coastX(y) - 95, y]);
  const riverMouthY = river[river.length - 1]![1];
  const frontNorth = front.filter((p) => p[1] > riverMouthY + 90);
  const frontSouth = front.filter((p) => p[1] < riverMouthY - 90);
  town.addStreet(frontNorth, 'Marine Parade', 'tertiary');
  town.addStreet(frontSouth, 'The Esplanade', 'tertiary');

  // Grounds that streets keep out of: parks, the hospital, an industrial estate by the harbour, a retail park.
  const parks = ['Victoria Park', `${TOWN} Common`, 'Jubilee Gardens', 'Memorial Park'].map((name) => {
    const center = freeSpot(town, 1300, 3900, 260);
    return town.addZone(center, random.range(140, 230), 'park', name);
  });
  const hospital = town.addZone(freeSpot(town, 2700, 3600, 220), 150, 'hospital', `${TOWN} General Hospital`);
  const industrial = town.addZone([coastX(riverMouthY - 700) - 650, riverMouthY - 700], 330, 'industrial', 'Harbour Industrial Estate');
  const retail = town.addZone(freeSpot(town, 2500, 2900, 170), 130, 'retail', 'Northgate Retail Park');
  town.addZone(freeSpot(town, 3000, 4200, 150), 110, 'cemetery', `${TOWN} Cemetery`);
  for (const park of parks) sites.push({ name: park.name!, category: 'park', at: park.center });
  sites.push({ name: hospital.name!, category: 'hospital', at: hospital.center });
  sites.push({ name: 'Northgate Retail Park', category: 'shopping_centre', at: retail.center });
  const estate: PlannedStreet[] = [];
  for (const [dx, dy, name] of [
    [-300, 0, 'Harbour Road'],
    [0, -280, 'Fishmarket Way'],
    [0, 260, 'Chandlers Way'],
  ] as const) {
    const a: XY = [industrial.center[0] + dx, industrial.center[1] + dy];
    const b: XY = [industrial.center[0] - dx * 0.1 + (dy ? 250 : 0), industrial.center[1] + dy * 0.1];
    estate.push(town.addStreet([a, b], name, 'service'));
  }

  // Residential streets off every main road and the ring, inside the town; villages get their own few.
  const inTown: Territory = { contains: (p) => radius(p) < TOWN_RADIUS && radius(p) > CENTRE_RADIUS + 60 };
  const hosts = town.streets.filter((s) => s.class === 'primary' || s.class === 'secondary' || s.class === 'tertiary');
  for (const host of hosts) {
    for (const sample of walk(host.points, random.range(100, 140)).slice(1)) {
      for (const side of [1, -1] as const) if (random.chance(0.85)) town.tryBranch(host, sample.at, sample.tangent, side, inTown, 2);
    }
  }
  const villageStreets = new Map<string, PlannedStreet[]>();
  for (const [radialIndex, village] of villageAt) {
    const host = radials[radialIndex]!;
    const near: Territory = { contains: (p) => Math.hypot(p[0] - village.center[0], p[1] - village.center[1]) < 650 };
    const names = random.shuffle(VILLAGE_STREETS);
    const made: PlannedStreet[] = [];
    for (const sample of walk(host.points, 90)) {
      if (!near.contains(sample.at)) continue;
      for (const side of [1, -1] as const) {
        if (made.length >= 6 || !random.chance(0.7)) continue;
        const street = town.tryBranch(host, sample.at, sample.tangent, side, near, 0);
        if (street) {
          street.name = names[made.length]!;
          made.push(street);
        }
      }
    }
    villageStreets.set(village.name, made);
  }

  // Buildings: terraces in the centre, houses on the estates and in villages, sheds on the industrial estate.
  for (const street of centreStreets) town.lineWithBuildings(street, 'terrace');
  for (const street of town.streets) if (street.class === 'minor' && !centreStreets.includes(street)) town.lineWithBuildings(street, 'house');
  for (const street of estate) town.lineWithBuildings(street, 'shed');

  // Landmarks, beside streets where a real one would be.
  const residential = town.streets.filter((s) => s.class === 'minor' && !centreStreets.includes(s));
  const place = (name: string, category: LandmarkCategory, streets: PlannedStreet[]) => {
    const at = landmarkSite(town, streets);
    if (at) sites.push({ name, category, at });
  };
  const highStreet = centreStreets.filter((s) => s.name === 'High Street');
  place(`${TOWN} Police Station`, 'police', highStreet);
  place('Northgate Police Station', 'police', [radials[1]!]);
  place(`${TOWN} Fire Station`, 'fire_station', town.streets.filter((s) => s.ref === 'A1099'));
  place(`${TOWN} Town Hall`, 'town_hall', centreStreets);
  place(`${TOWN} Library`, 'library', centreStreets);
  place(`${TOWN} Shopping Centre`, 'shopping_centre', highStreet);
  place(`${TOWN} Bus Station`, 'bus_station', centreStreets);
  place(`${TOWN} Post Office`, 'shop', highStreet);
  place(`${TOWN} College`, 'college', radials);
  for (const name of ['Harbour Foods', 'FreshWay Supermarket', 'Coastal Co-operative']) place(name, 'supermarket', radials);
  for (const name of ['Northgate Medical Centre', 'Harbourside Surgery', 'Westbury Health Centre']) place(name, 'doctor', residential);
  for (const name of ['Quay Pharmacy', 'Westbury Pharmacy', 'Ashgrove Pharmacy']) place(name, 'pharmacy', residential);
  for (const name of CHURCHES.slice(0, 5)) place(name, 'place_of_worship', [...centreStreets, ...residential]);
  const schoolNames = [`${TOWN} Academy`, 'Northgate High School', "St Mary's C of E Primary School", 'Millfield Primary School', 'Westbury Junior School', 'Ashgrove Infant School', 'Southmead Primary School'];
  for (const name of schoolNames) place(name, 'school', residential);
  const pubs = random.shuffle(PUB_NAMES);
  for (const name of pubs.slice(0, 6)) place(name, 'pub', centreStreets);
  for (const name of pubs.slice(6, 12)) place(name, 'pub', residential);
  // Villages have a pub, a church and a school; two villages' pubs share names with the town's, as in life.
  [...villageStreets].forEach(([village, streets], i) => {
    if (streets.length === 0) return;
    place(i % 2 === 0 ? pubs[0]! : pubs[1]!, 'pub', streets);
    place(`St ${['Giles', 'Mary', 'Andrew', 'John'][i]}'s Church`, 'place_of_worship', streets);
    if (i < 2) place(`${village} Primary School`, 'school', streets);
  });

  // The neighbouring force's town, north over the border, reached by Saltmere's road north.
  const neighbour = generateNeighbourTown(seed, coastX, EXTENT.west, radials[1]!.points.at(-1)!, town.streets.flatMap((s) => (s.name ? [s.name] : [])));

  return toModel(seed, town, neighbour, { river, railway, sites, villageAt, coastX });
}

/** Pieces of a straight line (given by t → point) that lie within r of the centre, on land and off barriers. */
function clippedRuns(town: TownBuilder, at: (t: number) => XY, from: number, to: number, r: number): XY[][] {
  const runs: XY[][] = [];
  let run: XY[] = [];
  for (let t = from; t <= to; t += 20) {
    const p = at(t);
    const ok = radius(p) <= r && town.onLand(p, 120) && !town.inZone(p) && town.barrierClear(p, 30);
    if (ok) run.push(p);
    else {
      if (run.length >= 4) runs.push(run);
      run = [];
    }
  }
  if (run.length >= 4) runs.push(run);
  return runs;
}


/** A point at a distance from the centre, on land and clear of other grounds. */
function freeSpot(town: TownBuilder, rMin: number, rMax: number, clearance: number): XY {
  for (let attempt = 0; attempt < 200; attempt++) {
    const p = polar(town.random.range(rMin, rMax), town.random.range(0, Math.PI * 2));
    if (town.onLand(p, clearance + 150) && !town.inZone(p, clearance + 100)) return p;
  }
  return polar(rMin, Math.PI);
}

function toModel(
  seed: number,
  town: TownBuilder,
  neighbour: NeighbourTown,
  parts: { river: XY[]; railway: XY[]; sites: Site[]; villageAt: Map<number, { name: string; center: XY }>; coastX: (y: number) => number },
): AreaModel {
  const flat = localMetres(EXERCISE_ORIGIN[1]);
  const [ox, oy] = flat.toXY(EXERCISE_ORIGIN);
  const ll = (p: XY): LngLat => {
    const [lng, lat] = flat.toLngLat(ox + p[0], oy + p[1]);
    return [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
  };
  const ring = (points: XY[]) => points.map(ll);
  const model = emptyModel({
    id: 'exercise',
    name: `${TOWN} and ${NEIGHBOUR_TOWN} (exercise area)`,
    kind: 'exercise',
    fictional: true,
    attribution: [`Fictional exercise area generated by Cordon (seed ${seed}): not a real place`],
    builtBy: `cordon exercise generator, seed ${seed}`,
  });

  // Streets meet at their junctions in the model (not just on the map), so vehicles can be routed along them.
  const streets = [...town.streets, ...neighbour.town.streets];
  const joined = joinStreets(streets.map((street) => street.points));
  streets.forEach((street, i) => {
    if (street.points.length >= 2) model.roads.push({ line: joined[i]!.map(ll), name: street.name, class: street.class, ref: street.ref });
  });
  model.railways.push(parts.railway.map(ll));
  model.waterways.push({ line: parts.river.map(ll), name: 'River Sale' });
  model.water.push({ shape: [[ring(buffer(parts.river, (i) => (parts.river[i]![0] > -4000 ? 22 : 11)))]], name: 'River Sale' });
  model.waterways.push({ line: neighbour.beck.map(ll), name: 'Mere Beck' });
  for (const zone of town.zones) model.landuse.push({ shape: [[ring(zone.ring)]], class: zone.class, name: zone.name });
  for (const pond of town.zones.filter((z) => z.class === 'park').slice(0, 2)) model.water.push({ shape: [[ring(blob(pond.center, pond.radius * 0.25, 0.2, 1))]], name: null });
  model.landuse.push({ shape: [[ring(blob([0, 0], CENTRE_RADIUS, 0.05, 0))]], class: 'commercial', name: null });
  for (const site of parts.sites) {
    if (site.category === 'school') model.landuse.push({ shape: [[ring(rectangle(site.at, [1, 0], 110, 80))]], class: 'school', name: site.name });
  }
  const random = town.random;
  for (let i = 0; i < 9; i++) {
    const center = polar(random.range(5600, 11000), random.range(Math.PI * 0.4, Math.PI * 1.6));
    model.landuse.push({ shape: [[ring(blob(center, random.range(300, 700), 0.3, random.range(0, 6)))]], class: 'wood', name: null });
  }
  model.buildings = [...town.buildings, ...neighbour.town.buildings].map((b) => [[ring(b)]]);
  model.landmarks = [...parts.sites, ...neighbour.sites].map((s) => ({ name: s.name, category: s.category, point: ll(s.at) }));

  // Land: everything west of the coastline, well beyond the force areas; the map draws sea east of it. The border
  // runs west to east along Mere Beck to the sea: the demonstration force's area south of it, Northbridge's north.
  const borderEnd = neighbour.border.at(-1)!;
  const coastSouth: XY[] = [];
  for (let y = Math.floor(borderEnd[1] / 100) * 100; y >= EXTENT.south; y -= 100) coastSouth.push([parts.coastX(y), y]);
  const coastNorth: XY[] = [];
  for (let y = NEIGHBOUR_NORTH; y > borderEnd[1]; y -= 100) coastNorth.push([parts.coastX(y), y]);
  const landRing: XY[] = [...neighbour.border, ...coastSouth, [EXTENT.west, EXTENT.south], neighbour.border[0]!];
  const neighbourRing: XY[] = [[EXTENT.west, NEIGHBOUR_NORTH], ...coastNorth, ...[...neighbour.border].reverse(), [EXTENT.west, NEIGHBOUR_NORTH]];
  const farCoast: XY[] = [];
  for (let y = 3 * EXTENT.north; y >= 3 * EXTENT.south; y -= 200) farCoast.push([parts.coastX(y), y]);
  model.land = [[[ring([[5 * EXTENT.west, 3 * EXTENT.north], ...farCoast, [5 * EXTENT.west, 3 * EXTENT.south], [5 * EXTENT.west, 3 * EXTENT.north]])]]];

  // Places: the town, a suburb in each sector, the villages.
  model.places.push({ name: TOWN, kind: 'town', point: ll([0, 0]), population: 62_000 });
  SECTORS.forEach((name, i) => {
    let p = polar(2300, ((i * 60 + 30) * Math.PI) / 180);
    if (!town.onLand(p, 300)) p = [parts.coastX(p[1]) - 600, p[1]];
    model.places.push({ name, kind: 'suburb', point: ll(p), population: null });
  });
  for (const village of parts.villageAt.values()) model.places.push({ name: village.name, kind: 'village', point: ll(village.center), population: Math.round(random.range(400, 2500)) });
  model.places.push({ name: NEIGHBOUR_TOWN, kind: 'town', point: ll(NEIGHBOUR_CENTRE), population: 38_000 });
  NEIGHBOUR_SECTORS.forEach((name, i) => model.places.push({ name, kind: 'suburb', point: ll(add(NEIGHBOUR_CENTRE, polar(1500, ((i * 90 + 45) * Math.PI) / 180))), population: null }));
  neighbour.villages.forEach((village, i) => model.places.push({ name: village.name, kind: i === 0 ? 'hamlet' : 'village', point: ll(village.center), population: i === 0 ? 180 : 600 + 400 * i }));

  // Boundaries: the force, two districts, policing beats (a central one, six town sectors, two rural).
  const clipToLand = (p: XY): XY => (p[0] > parts.coastX(p[1]) ? [parts.coastX(p[1]), p[1]] : p);
  const circle = (r: number, from = 0, to = 360, step = 3): XY[] => {
    const out: XY[] = [];
    for (let deg = from; deg <= to; deg += step) out.push(clipToLand(polar(r, (deg * Math.PI) / 180)));
    return out;
  };
  const closed = (points: XY[]) => [...points, points[0]!];
  const townRing = closed(circle(TOWN_RADIUS, 0, 357));
  const shape = (...rings: XY[][]): Shape => [rings.map(ring)];
  model.boundaries.push({ kind: 'force', name: EXERCISE_FORCE, code: EXERCISE_FORCES[0].code, shape: [[ring(landRing)]] });
  model.boundaries.push({ kind: 'force', name: NEIGHBOUR_FORCE, code: EXERCISE_FORCES[1].code, shape: [[ring(neighbourRing)]] });
  model.boundaries.push({ kind: 'district', name: TOWN, code: 'X01', shape: shape(townRing) });
  model.boundaries.push({ kind: 'district', name: 'Marston Vale', code: 'X02', shape: shape(landRing, townRing) });
  model.boundaries.push({ kind: 'beat', name: `${TOWN} Central`, code: 'SM1', shape: shape(closed(circle(900 + 60, 0, 357))) });
  SECTORS.forEach((name, i) => {
    const outer = circle(TOWN_RADIUS, i * 60, (i + 1) * 60, 3);
    const inner = circle(960, i * 60, (i + 1) * 60, 3).reverse();
    model.boundaries.push({ kind: 'beat', name, code: `SM${i + 2}`, shape: shape(closed([...outer, ...inner])) });
  });
  const north = closed([[EXTENT.west, 0], ...neighbour.border, ...coastSouth.filter((p) => p[1] >= 0), [parts.coastX(0), 0]]);
  const south = closed([[EXTENT.west, EXTENT.south], [EXTENT.west, 0], [parts.coastX(0), 0], ...coastSouth.filter((p) => p[1] < 0)]);
  model.boundaries.push({ kind: 'beat', name: 'Marston Vale North', code: 'MV1', shape: shape(north, townRing) });
  model.boundaries.push({ kind: 'beat', name: 'Marston Vale South', code: 'MV2', shape: shape(south, townRing) });

  // Northbridge's: the town and Otter Vale round it; a central beat, the town's four quarters, the vale.
  const around = (r: number, from = 0, to = 360, step = 3): XY[] => {
    const out: XY[] = [];
    for (let deg = from; deg <= to; deg += step) out.push(clipToLand(add(NEIGHBOUR_CENTRE, polar(r, (deg * Math.PI) / 180))));
    return out;
  };
  const neighbourTownRing = closed(around(NEIGHBOUR_RADIUS, 0, 357));
  model.boundaries.push({ kind: 'district', name: NEIGHBOUR_TOWN, code: 'N01', shape: shape(neighbourTownRing) });
  model.boundaries.push({ kind: 'district', name: 'Otter Vale', code: 'N02', shape: shape(neighbourRing, neighbourTownRing) });
  model.boundaries.push({ kind: 'beat', name: `${NEIGHBOUR_TOWN} Central`, code: 'NB1', shape: shape(closed(around(700, 0, 357))) });
  NEIGHBOUR_SECTORS.forEach((name, i) => {
    const outer = around(NEIGHBOUR_RADIUS, i * 90, (i + 1) * 90, 3);
    const inner = around(700, i * 90, (i + 1) * 90, 3).reverse();
    model.boundaries.push({ kind: 'beat', name, code: `NB${i + 2}`, shape: shape(closed([...outer, ...inner])) });
  });
  model.boundaries.push({ kind: 'beat', name: 'Otter Vale', code: 'NB6', shape: shape(neighbourRing, neighbourTownRing) });

  const saltmereDistrict = (p: XY): PostcodeSector => {
    const r = radius(p);
    const deg = ((angleOf(p) * 180) / Math.PI + 360) % 360;
    const district = r < 960 ? 1 : r < TOWN_RADIUS ? 2 + Math.floor(deg / 60) : p[1] >= 0 ? 8 : 9;
    const sector = district === 1 ? Math.min(9, Math.floor(r / 320)) : Math.min(9, Math.floor((r < TOWN_RADIUS ? r - 960 : r - TOWN_RADIUS) / 700));
    return ['XT', district, sector];
  };
  // Northbridge's postcodes are XN: XN1 the centre, XN2–XN5 its quarters, XN6 the vale (Crossways' north side too).
  const northbridgeDistrict = (p: XY): PostcodeSector => {
    const q: XY = [p[0] - NEIGHBOUR_CENTRE[0], p[1] - NEIGHBOUR_CENTRE[1]];
    const r = radius(q);
    const deg = ((angleOf(q) * 180) / Math.PI + 360) % 360;
    const district = r < 700 ? 1 : r < NEIGHBOUR_RADIUS ? 2 + Math.floor(deg / 90) : 6;
    return ['XN', district, Math.min(9, Math.floor((r < 700 ? r : r < NEIGHBOUR_RADIUS ? r - 700 : r - NEIGHBOUR_RADIUS) / 600))];
  };
  // A point's postcode is of the town on its side of the border: Crossways has both.
  const sectorOf = (p: XY) => (p[1] > neighbour.borderY(p[0]) ? northbridgeDistrict(p) : saltmereDistrict(p));
  const used = new Map<string, number>();
  const taken = new Set<string>();
  model.postcodes = [...postcodesFor(town.streets, parts.coastX, sectorOf, used, taken), ...postcodesFor(neighbour.town.streets, parts.coastX, sectorOf, used, taken)].map((p) => ({ postcode: p.postcode, point: ll(p.at), districtCode: null, wardCode: null }));
  return model;
}

/** A postcode district and sector: area letters ("XT"), district number, sector digit. */
type PostcodeSector = [area: string, district: number, sector: number];

/**
 * Postcode units every 85 m along the streets, in districts by beat (for Saltmere: XT1 the centre, XT2–XT7 the
 * town's sectors, XT8 and XT9 the country north and south) and sectors by distance out; the unit letters counted up
 * per sector, in `used` (shared by the calls for one area, so the towns' units never repeat). `sectorOf` gives a
 * point's sector, or null for none.
 */
function postcodesFor(streets: PlannedStreet[], coastX: (y: number) => number, sectorOf: (p: XY) => PostcodeSector | null, used: Map<string, number>, taken: Set<string>): { postcode: string; at: XY }[] {
  const out: { postcode: string; at: XY }[] = [];
  const cellOf = (p: XY) => `${Math.round(p[0] / 30)}:${Math.round(p[1] / 30)}`;
  for (const street of streets) {
    if (street.class === 'primary' && street.ref?.startsWith('A')) continue;
    for (const { at, tangent } of walk(street.points, 85).slice(0, 40)) {
      const p: XY = [at[0] - tangent[1] * 12, at[1] + tangent[0] * 12];
      // One unit per 30 m cell: two streets meeting do not get two postcodes on one spot.
      if (p[0] > coastX(p[1]) - 10 || taken.has(cellOf(p))) continue;
      const sector = sectorOf(p);
      if (!sector) continue;
      const key = `${sector[0]}${sector[1]} ${sector[2]}`;
      const n = used.get(key) ?? 0;
      if (n >= UNIT_LETTERS.length ** 2) continue;
      used.set(key, n + 1);
      taken.add(cellOf(p));
      out.push({ postcode: `${key}${UNIT_LETTERS[Math.floor(n / UNIT_LETTERS.length)]}${UNIT_LETTERS[n % UNIT_LETTERS.length]}`, at: p });
    }
  }
  return out;
}
