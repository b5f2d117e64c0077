/**
 * One figure of a benchmark run, always beside what it is judged against: a limit we aim for, or a peer
 * measured in the same run on the same machine.
 */
export interface BenchFigure {
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** The target this figure is held to, if any ("p95 under 50 ms"). */
  limit?: { value: number; unit: string; better: 'lower' | 'higher' };
  /** A peer measured in the same run ("raw better-sqlite3 insert"). */
  peer?: { name: string; value: number; unit: string };
  /** Whether the figure meets its limit (absent when there is none). */
  meets?: boolean;
  detail?: Record<string, unknown>;
}

/** How `npm run bench` was asked to run: `--quick` for a short, coarser run of the suites that offer one. */
export interface BenchOptions {
  quick: boolean;
}

export interface BenchSuite {
  name: string;
  description: string;
  /** Left out of a plain `npm run bench` (too long to run every time); run when named. */
  onlyWhenNamed?: boolean;
  run(options?: BenchOptions): Promise<BenchFigure[]>;
}

/** The p-th percentile (0–100) of a list of numbers, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function judged(figure: Omit<BenchFigure, 'meets'>): BenchFigure {
  if (!figure.limit) return figure;
  const meets = figure.limit.better === 'lower' ? figure.value <= figure.limit.value : figure.value >= figure.limit.value;
  return { ...figure, meets };
}
