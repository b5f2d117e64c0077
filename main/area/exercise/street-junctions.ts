import type { XY } from './clearance-grid';

const CELL = 50;
/** Closer than this to a vertex, a junction is that vertex (the router snaps within 2 m anyway). */
const SAME_POINT = 0.05;

interface Cut {
  segment: number;
  t: number;
  at: XY;
}

/**
 * Makes the generated streets meet where they meet on the map, so that vehicles can be routed on them. The
 * generator lays streets that cross (the centre's grid, main roads through it), branches that start part-way
 * along a segment of their host, and through streets that stop a few metres short of the street they run into;
 * a router joins lines only where they share a position, and would see none of those as junctions.
 *
 * So every crossing becomes a vertex of both streets, and a street's end within `reach` metres of another street
 * is carried onto it and becomes a vertex of that street too. Every crossing is a junction: the exercise town has
 * no road bridged over another. The lines come back in the same order, otherwise unchanged.
 */
export function joinStreets(lines: readonly (readonly XY[])[], reach = 15): XY[][] {
  const segments = new SegmentGrid(lines);
  const cuts: Cut[][] = lines.map(() => []);
  const ends: { start: XY | null; end: XY | null }[] = lines.map(() => ({ start: null, end: null }));

  for (const [first, second] of segments.crossingPairs()) {
    const hit = intersect(lines[first.line]![first.segment]!, lines[first.line]![first.segment + 1]!, lines[second.line]![second.segment]!, lines[second.line]![second.segment + 1]!);
    if (!hit) continue;
    cuts[first.line]!.push({ segment: first.segment, t: hit.t, at: hit.at });
    cuts[second.line]!.push({ segment: second.segment, t: hit.u, at: hit.at });
  }

  lines.forEach((line, index) => {
    if (line.length < 2) return;
    for (const which of ['start', 'end'] as const) {
      const end = which === 'start' ? line[0]! : line[line.length - 1]!;
      const nearest = segments.nearest(end, reach, index);
      if (!nearest) continue;
      cuts[nearest.line]!.push({ segment: nearest.segment, t: nearest.t, at: nearest.at });
      if (distance(end, nearest.at) > SAME_POINT) ends[index]![which] = nearest.at;
    }
  });

  return lines.map((line, index) => {
    const joined = withCuts(line, cuts[index]!);
    const { start, end } = ends[index]!;
    if (start) joined.unshift(start);
    if (end) joined.push(end);
    return joined;
  });
}

/** The line with the cut points inserted in order along it; cuts on a vertex are that vertex. */
function withCuts(line: readonly XY[], cuts: Cut[]): XY[] {
  if (cuts.length === 0) return [...line];
  cuts.sort((a, b) => a.segment - b.segment || a.t - b.t);
  const out: XY[] = [];
  let next = 0;
  for (let i = 0; i < line.length; i++) {
    out.push(line[i]!);
    while (next < cuts.length && cuts[next]!.segment === i) {
      const { at } = cuts[next++]!;
      const following = line[i + 1];
      if (distance(at, out[out.length - 1]!) > SAME_POINT && (!following || distance(at, following) > SAME_POINT)) out.push(at);
    }
  }
  return out;
}

interface SegmentRef {
  line: number;
  segment: number;
}

/** Segments by grid cell, to find crossings and near ends without comparing every segment with every other. */
class SegmentGrid {
  private readonly cells = new Map<string, SegmentRef[]>();

  constructor(private readonly lines: readonly (readonly XY[])[]) {
    lines.forEach((line, lineIndex) => {
      for (let segment = 0; segment + 1 < line.length; segment++) {
        const [a, b] = [line[segment]!, line[segment + 1]!];
        for (const key of cellsOf(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]))) {
          const list = this.cells.get(key);
          if (list) list.push({ line: lineIndex, segment });
          else this.cells.set(key, [{ line: lineIndex, segment }]);
        }
      }
    });
  }

  /** Pairs of segments of different lines that share a cell, each pair once. */
  *crossingPairs(): Generator<[SegmentRef, SegmentRef]> {
    const seen = new Set<string>();
    for (const list of this.cells.values()) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const [a, b] = [list[i]!, list[j]!];
          if (a.line === b.line) continue;
          const key = `${a.line}:${a.segment}:${b.line}:${b.segment}`;
          if (seen.has(key)) continue;
          seen.add(key);
          yield [a, b];
        }
      }
    }
  }

  /** The nearest point within `reach` on a segment of any line but one. */
  nearest(p: XY, reach: number, exceptLine: number): (SegmentRef & { t: number; at: XY }) | null {
    let best: (SegmentRef & { t: number; at: XY }) | null = null;
    let bestD = reach;
    const seen = new Set<string>();
    for (const key of cellsOf(p[0] - reach, p[1] - reach, p[0] + reach, p[1] + reach)) {
      for (const ref of this.cells.get(key) ?? []) {
        const id = `${ref.line}:${ref.segment}`;
        if (ref.line === exceptLine || seen.has(id)) continue;
        seen.add(id);
        const line = this.lines[ref.line]!;
        const { t, at } = project(p, line[ref.segment]!, line[ref.segment + 1]!);
        const d = distance(p, at);
        if (d <= bestD) {
          bestD = d;
          best = { ...ref, t, at };
        }
      }
    }
    return best;
  }
}

function* cellsOf(west: number, south: number, east: number, north: number): Generator<string> {
  for (let x = Math.floor(west / CELL); x <= Math.floor(east / CELL); x++) {
    for (let y = Math.floor(south / CELL); y <= Math.floor(north / CELL); y++) yield `${x}:${y}`;
  }
}

/** Where segments ab and cd cross, with how far along each (0–1); null if they do not. */
function intersect(a: XY, b: XY, c: XY, d: XY): { t: number; u: number; at: XY } | null {
  const r: XY = [b[0] - a[0], b[1] - a[1]];
  const s: XY = [d[0] - c[0], d[1] - c[1]];
  const denominator = r[0] * s[1] - r[1] * s[0];
  if (Math.abs(denominator) < 1e-9) return null; // parallel: streets alongside each other never cross
  const q: XY = [c[0] - a[0], c[1] - a[1]];
  const t = (q[0] * s[1] - q[1] * s[0]) / denominator;
  const u = (q[0] * r[1] - q[1] * r[0]) / denominator;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return { t, u, at: [a[0] + t * r[0], a[1] + t * r[1]] };
}

function project(p: XY, a: XY, b: XY): { t: number; at: XY } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return { t, at: [a[0] + t * dx, a[1] + t * dy] };
}

function distance(a: XY, b: XY): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}
