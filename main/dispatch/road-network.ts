import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { bboxOf, localMetres, type LngLat } from '../../shared/area/geo';
import { AREA_FILES } from '../../shared/area/manifest';
import { lineOf, StoredRoads } from '../../shared/area/roads';
import type { RoadClass } from '../../shared/area/tile-schema';
import type { GeoPoint } from '../../shared/domain/location';
import { describeIssues } from '../../shared/validation';
import { readAreaManifest } from '../area/open-area';
import { MinHeap } from './min-heap';
import { routeThrough, type Route } from './route';

/**
 * Speeds a police car on an emergency run keeps up on average, by road class, km/h: faster than the limit on open
 * roads, held back in town by junctions and traffic. Rough figures from published response-time studies, good
 * enough to make a simulated unit take about as long as a real one. Paths carry no vehicles.
 */
export const RESPONSE_KMH: Readonly<Record<RoadClass, number | null>> = {
  motorway: 100,
  trunk: 80,
  primary: 70, // A roads
  secondary: 60, // B roads
  tertiary: 50, // minor roads
  minor: 40, // local streets
  service: 20, // access roads, estates, car parks
  path: null,
};

/** Off the network (from a point to the nearest road, or where the roads do not join): slow, as over unknown ground. */
export const OFF_NETWORK_KMH = 20;

/** Road positions closer than this are one junction: the data's own rounding, or two links digitised apart. */
export const SNAP_METRES = 2;

const GRID_METRES = 250;

export interface RoadLine {
  line: readonly LngLat[];
  class: RoadClass;
}

/**
 * An area's roads as a graph for routing vehicles: a node for each road position (positions within SNAP_METRES
 * are one node, which is how links join at junctions), an edge each way between positions along a road, weighted
 * by the time it takes at the road's response speed. One-way streets are not known to the open data we import,
 * so every road is driven both ways, as an emergency vehicle may.
 */
export class RoadNetwork {
  private readonly flat: ReturnType<typeof localMetres>;
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];
  /** Edges from node n are firstEdge[n] to firstEdge[n + 1] in the arrays below (compressed adjacency). */
  private firstEdge = new Int32Array(1);
  private edgeFrom = new Int32Array(0);
  private edgeTo = new Int32Array(0);
  private edgeSeconds = new Float64Array(0);
  private edgeKmh = new Float64Array(0);
  /** Which connected piece of the network each node is in: roads that meet nowhere are pieces of their own. */
  private component = new Int32Array(0);
  private readonly grid = new Map<number, number[]>();
  private gridExtent = { minX: 0, minY: 0, maxX: -1, maxY: -1 };
  private readonly fastestMps: number;

  static fromRoads(roads: Iterable<RoadLine>): RoadNetwork {
    return new RoadNetwork([...roads].filter((road) => RESPONSE_KMH[road.class] !== null && road.line.length >= 2));
  }

  private constructor(roads: RoadLine[]) {
    const box = bboxOf(roads.flatMap((road) => road.line));
    this.flat = localMetres(box ? (box[1] + box[3]) / 2 : 0);
    const edges: { from: number; to: number; seconds: number; kmh: number }[] = [];
    const snap = new Map<number, number[]>();
    for (const road of roads) {
      const kmh = RESPONSE_KMH[road.class]!;
      let previous = -1;
      for (const position of road.line) {
        const node = this.nodeAt(this.flat.toXY(position), snap);
        if (previous >= 0 && node !== previous) {
          const seconds = Math.hypot(this.xs[node]! - this.xs[previous]!, this.ys[node]! - this.ys[previous]!) / (kmh / 3.6);
          edges.push({ from: previous, to: node, seconds, kmh }, { from: node, to: previous, seconds, kmh });
        }
        previous = node;
      }
    }
    this.link(edges);
    this.labelComponents();
    this.fastestMps = roads.reduce((fastest, road) => Math.max(fastest, RESPONSE_KMH[road.class]!), OFF_NETWORK_KMH) / 3.6;
  }

  get nodeCount(): number {
    return this.xs.length;
  }

  /** The road position nearest a point, and how far it is; null when there are no roads. */
  nearestNode(point: GeoPoint): { node: number; point: GeoPoint; distanceM: number } | null {
    return this.nearest(point, null);
  }

  /**
   * The quickest way by road from one point to another: straight to the nearest road position, along the roads
   * (A* by travel time), and straight from the road to the point, those two short legs at OFF_NETWORK_KMH.
   *
   * Where the roads do not join the two ends (an estate's roads that meet no public road, an island, no roads at
   * all), the unit still gets there: it drives its own roads to where they come nearest the end's roads, crosses
   * that gap in a straight line at OFF_NETWORK_KMH, and drives on. Such a route is flagged `straightLine`.
   */
  route(from: GeoPoint, to: GeoPoint): Route {
    const start = this.nearestNode(from);
    const end = this.nearestNode(to);
    if (!start || !end) return routeThrough([from, to], [OFF_NETWORK_KMH], true);
    const joined = this.component[start.node] === this.component[end.node];
    // Where the start's roads come nearest the end's, found by looking from each piece to the other once: not
    // always the narrowest gap between the two, but near it, and cheap.
    const leave = joined ? start : this.nearest(end.point, this.component[start.node]!)!;
    const enter = joined ? start : this.nearest(leave.point, this.component[end.node]!)!;
    const before = joined ? { nodes: [], kmh: [] } : this.quickestPath(start.node, leave.node);
    const after = this.quickestPath(enter.node, end.node);
    if (!before || !after) throw new Error('no path between two nodes of one piece of the road network'); // a bug, not bad data
    const nodes = joined ? after.nodes : [...before.nodes, ...after.nodes];
    const kmh = joined ? after.kmh : [...before.kmh, OFF_NETWORK_KMH, ...after.kmh];
    return routeThrough([from, ...nodes.map((node) => this.pointOf(node)), to], [OFF_NETWORK_KMH, ...kmh, OFF_NETWORK_KMH], !joined);
  }

  /** The nearest node to a point, of one piece of the network if given: a grid search in rings outwards. */
  private nearest(point: GeoPoint, component: number | null): { node: number; point: GeoPoint; distanceM: number } | null {
    if (this.xs.length === 0) return null;
    const [x, y] = this.flat.toXY([point.lon, point.lat]);
    const cx = Math.floor(x / GRID_METRES);
    const cy = Math.floor(y / GRID_METRES);
    const { minX, minY, maxX, maxY } = this.gridExtent;
    // Rings of cells outwards until the nearest found is nearer than any unsearched cell could be.
    const rings = Math.max(Math.abs(cx - minX), Math.abs(cx - maxX), Math.abs(cy - minY), Math.abs(cy - maxY));
    let best = -1;
    let bestD = Infinity;
    for (let ring = 0; ring <= rings; ring++) {
      if (best >= 0 && (ring - 1) * GRID_METRES > bestD) break;
      for (const key of ringOfCells(cx, cy, ring)) {
        for (const node of this.grid.get(key) ?? []) {
          if (component !== null && this.component[node] !== component) continue;
          const d = Math.hypot(this.xs[node]! - x, this.ys[node]! - y);
          if (d < bestD) {
            bestD = d;
            best = node;
          }
        }
      }
    }
    return best < 0 ? null : { node: best, point: this.pointOf(best), distanceM: bestD };
  }

  /** A* from node to node by travel time; the heuristic (straight distance at the fastest speed) never overestimates. */
  private quickestPath(start: number, goal: number): { nodes: number[]; kmh: number[] } | null {
    const seconds = new Float64Array(this.xs.length).fill(Infinity);
    const cameBy = new Int32Array(this.xs.length).fill(-1);
    const done = new Uint8Array(this.xs.length);
    const estimate = (node: number) => Math.hypot(this.xs[node]! - this.xs[goal]!, this.ys[node]! - this.ys[goal]!) / this.fastestMps;
    const open = new MinHeap();
    seconds[start] = 0;
    open.push(start, estimate(start));
    for (let node = open.pop(); node !== undefined; node = open.pop()) {
      if (node === goal) break;
      if (done[node]) continue;
      done[node] = 1;
      for (let e = this.firstEdge[node]!; e < this.firstEdge[node + 1]!; e++) {
        const next = this.edgeTo[e]!;
        const via = seconds[node]! + this.edgeSeconds[e]!;
        if (via < seconds[next]!) {
          seconds[next] = via;
          cameBy[next] = e;
          open.push(next, via + estimate(next));
        }
      }
    }
    if (seconds[goal] === Infinity) return null;
    const nodes = [goal];
    const kmh: number[] = [];
    for (let node = goal; node !== start; ) {
      const e = cameBy[node]!;
      kmh.push(this.edgeKmh[e]!);
      node = this.edgeFrom[e]!;
      nodes.push(node);
    }
    return { nodes: nodes.reverse(), kmh: kmh.reverse() };
  }

  /** The node at a position, or a new one: positions within SNAP_METRES of a node are that node. */
  private nodeAt([x, y]: [number, number], snap: Map<number, number[]>): number {
    const cx = Math.floor(x / SNAP_METRES);
    const cy = Math.floor(y / SNAP_METRES);
    for (let gx = cx - 1; gx <= cx + 1; gx++) {
      for (let gy = cy - 1; gy <= cy + 1; gy++) {
        for (const node of snap.get(cellKey(gx, gy)) ?? []) if (Math.hypot(this.xs[node]! - x, this.ys[node]! - y) <= SNAP_METRES) return node;
      }
    }
    const node = this.xs.push(x) - 1;
    this.ys.push(y);
    push(snap, cellKey(cx, cy), node);
    const gx = Math.floor(x / GRID_METRES);
    const gy = Math.floor(y / GRID_METRES);
    push(this.grid, cellKey(gx, gy), node);
    const extent = this.gridExtent;
    if (extent.maxX < extent.minX) this.gridExtent = { minX: gx, minY: gy, maxX: gx, maxY: gy };
    else this.gridExtent = { minX: Math.min(extent.minX, gx), minY: Math.min(extent.minY, gy), maxX: Math.max(extent.maxX, gx), maxY: Math.max(extent.maxY, gy) };
    return node;
  }

  private link(edges: { from: number; to: number; seconds: number; kmh: number }[]): void {
    edges.sort((a, b) => a.from - b.from);
    this.firstEdge = new Int32Array(this.xs.length + 1);
    this.edgeFrom = new Int32Array(edges.length);
    this.edgeTo = new Int32Array(edges.length);
    this.edgeSeconds = new Float64Array(edges.length);
    this.edgeKmh = new Float64Array(edges.length);
    edges.forEach((edge, i) => {
      this.firstEdge[edge.from + 1]!++;
      this.edgeFrom[i] = edge.from;
      this.edgeTo[i] = edge.to;
      this.edgeSeconds[i] = edge.seconds;
      this.edgeKmh[i] = edge.kmh;
    });
    for (let n = 0; n < this.xs.length; n++) this.firstEdge[n + 1]! += this.firstEdge[n]!;
  }

  private labelComponents(): void {
    this.component = new Int32Array(this.xs.length).fill(-1);
    let label = 0;
    for (let seed = 0; seed < this.xs.length; seed++) {
      if (this.component[seed]! >= 0) continue;
      const stack = [seed];
      this.component[seed] = label++;
      while (stack.length) {
        const node = stack.pop()!;
        for (let e = this.firstEdge[node]!; e < this.firstEdge[node + 1]!; e++) {
          const next = this.edgeTo[e]!;
          if (this.component[next]! < 0) {
            this.component[next] = this.component[seed]!;
            stack.push(next);
          }
        }
      }
    }
  }

  private pointOf(node: number): GeoPoint {
    const [lon, lat] = this.flat.toLngLat(this.xs[node]!, this.ys[node]!);
    return { lat: Math.round(lat * 1e7) / 1e7, lon: Math.round(lon * 1e7) / 1e7 };
  }
}

/**
 * The road network of an area folder. An area written before areas carried roads gives an empty network, on
 * which every route is a straight line (flagged), so the console still works with it.
 */
export function loadRoadNetwork(areaDir: string): RoadNetwork {
  if (!readAreaManifest(areaDir).roads) return RoadNetwork.fromRoads([]);
  const file = join(areaDir, AREA_FILES.roads);
  const parsed = StoredRoads.safeParse(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')));
  if (!parsed.success) throw new Error(`${file} is not a road network this console reads: ${describeIssues(parsed.error)}`);
  return RoadNetwork.fromRoads(parsed.data.roads.map((road) => ({ line: lineOf(road), class: road.class })));
}

function cellKey(x: number, y: number): number {
  // Cells are whole numbers within ±2^25 anywhere on Earth at these sizes, so the key is unique and exact.
  return (x + 2 ** 25) * 2 ** 26 + (y + 2 ** 25);
}

/** The cells `ring` steps out from a cell (the square's edge only): the cell itself for ring 0. */
function* ringOfCells(cx: number, cy: number, ring: number): Generator<number> {
  if (ring === 0) {
    yield cellKey(cx, cy);
    return;
  }
  for (let x = cx - ring; x <= cx + ring; x++) {
    yield cellKey(x, cy - ring);
    yield cellKey(x, cy + ring);
  }
  for (let y = cy - ring + 1; y <= cy + ring - 1; y++) {
    yield cellKey(cx - ring, y);
    yield cellKey(cx + ring, y);
  }
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
