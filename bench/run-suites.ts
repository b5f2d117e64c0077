import type { BenchFigure, BenchOptions, BenchSuite } from './bench-types';

/** What running the chosen suites gave: every figure, each suite's time, and the suites that stopped with an error. */
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
      run.figures.push(...(await suite.run(options)));
    } catch (error) {
      const said = error instanceof Error ? (error.stack ?? error.message) : String(error);
      say(`bench: ${suite.name} stopped: ${said}`);
      run.failed.push(suite.name);
      run.figures.push({ suite: suite.name, name: `${suite.name} ran to its end`, value: 0, unit: 'suites', limit: { value: 1, unit: 'suites', better: 'higher' }, meets: false, detail: { error: said } });
    }
    run.timings.push({ suite: suite.name, seconds: Math.round((performance.now() - started) / 100) / 10 });
  }
  return run;
}
