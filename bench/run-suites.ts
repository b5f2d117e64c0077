import type { BenchFigure, BenchOptions, BenchSuite } from './bench-types';
import { describedError } from './support/described-error';

/**
 * What running the chosen suites gave: every figure, each suite's time, and what stopped with an error: a whole suite
 * by its name, or a part of one that went on without it (measuredUntilStopped) by the part's, as "server-load (SQLite,
 * changes over the live channel)".
 */
export interface SuitesRun {
  figures: BenchFigure[];
  timings: { suite: string; seconds: number }[];
  failed: string[];
}

/**
 * Runs `suites` one after another. One that throws (a server that will not start, a refused sign-in) is reported as a
 * figure that fails, with its error, and the rest still run: a whole `npm run bench` takes most of an hour, and one
 * suite's fault lost every other suite's figures when the first stopped the run (long-shift's refused enrolment, found
 * running it). `say` is told each suite's start and any error (the runner's stderr).
 */
export async function runSuites(suites: readonly BenchSuite[], options: BenchOptions, say: (line: string) => void): Promise<SuitesRun> {
  const run: SuitesRun = { figures: [], timings: [], failed: [] };
  for (const suite of suites) {
    say(`bench: ${suite.name}: ${suite.description}`);
    const started = performance.now();
    try {
      const figures = await suite.run(options);
      run.figures.push(...figures);
      // A part that stopped inside a suite that went on fails the run as a stopped suite does: its figures are not
      // the run that was asked for (a try-out's server-load exited 0 with one storage's figures missing).
      run.failed.push(...figures.flatMap((figure) => stoppedPart(figure) ?? []));
    } catch (error) {
      const stopped = stoppedFigure(suite.name, suite.name, error);
      say(`bench: ${suite.name} stopped: ${String(stopped.detail!.error)}`);
      run.failed.push(suite.name);
      run.figures.push(stopped);
    }
    run.timings.push({ suite: suite.name, seconds: Math.round((performance.now() - started) / 100) / 10 });
  }
  return run;
}

/**
 * The failing figure for a part of the run (`what`: a suite, or one storage of one) that stopped with `error`: its
 * name says it did not run to its end, its detail names the part (`stopped`) and gives the error with the cause
 * beneath (describedError).
 */
export function stoppedFigure(suite: string, what: string, error: unknown): BenchFigure {
  return { suite, name: `${what} ran to its end`, value: 0, unit: 'suites', limit: { value: 1, unit: 'suites', better: 'higher' }, meets: false, detail: { stopped: what, error: describedError(error) } };
}

/** The part a figure says stopped (stoppedFigure's), or null for a figure measured. */
export function stoppedPart(figure: BenchFigure): string | null {
  const stopped = figure.detail?.stopped;
  return typeof stopped === 'string' ? stopped : null;
}

/**
 * Runs one part of a suite (`measure` adds its figures to the list it is given as it makes them) and returns what it
 * measured: if it stops with an error, the figures made before it and a failing figure for the rest (stoppedFigure),
 * so that the suite's other parts still run. Found trying it out: server-load stopped 9.5 minutes in, at its SQLite
 * baseline, and the report kept none of SQLite's figures and never measured PostgreSQL.
 */
export async function measuredUntilStopped(suite: string, what: string, measure: (figures: BenchFigure[]) => Promise<void>, say: (line: string) => void): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  try {
    await measure(figures);
  } catch (error) {
    const stopped = stoppedFigure(suite, what, error);
    say(`bench: ${what} stopped: ${String(stopped.detail!.error)}`);
    figures.push(stopped);
  }
  return figures;
}
