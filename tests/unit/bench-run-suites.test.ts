import { describe, expect, it } from 'vitest';
import { measuredUntilStopped, runSuites, stoppedFigure } from '../../bench/run-suites';
import { asBaseline } from '../../bench/suites/server-load';
import type { BenchSuite } from '../../bench/bench-types';

// `npm run bench` takes most of an hour: one suite's error must not lose the figures of the others.

const figure = (suite: string) => ({ suite, name: `${suite} figure`, value: 1, unit: 'ms' });

describe('running the benchmark suites', () => {
  it('reports a suite that throws as a failing figure with its error, and runs the suites after it', async () => {
    const ran: string[] = [];
    const suites: BenchSuite[] = [
      { name: 'first', description: 'fine', run: async () => (ran.push('first'), [figure('first')]) },
      {
        name: 'long-shift',
        description: 'refused',
        run: async () => {
          ran.push('long-shift');
          throw new Error('session.signIn: unauthenticated: enrol: name this workstation\'s force');
        },
      },
      { name: 'last', description: 'fine', run: async () => (ran.push('last'), [figure('last')]) },
    ];
    const said: string[] = [];
    const run = await runSuites(suites, { quick: false }, (line) => said.push(line));

    expect(ran).toEqual(['first', 'long-shift', 'last']);
    expect(run.failed).toEqual(['long-shift']);
    expect(run.timings.map((t) => t.suite)).toEqual(['first', 'long-shift', 'last']);
    expect(run.figures.map((f) => f.name)).toEqual(['first figure', 'long-shift ran to its end', 'last figure']);
    const stopped = run.figures[1]!;
    expect(stopped.meets).toBe(false);
    expect(String(stopped.detail?.error)).toContain("name this workstation's force");
    expect(said.some((line) => line.startsWith('bench: long-shift stopped: Error: session.signIn'))).toBe(true);
  });

  it('fails nothing when every suite ends', async () => {
    const run = await runSuites([{ name: 'only', description: 'fine', run: async () => [figure('only')] }], { quick: true }, () => {});
    expect(run.failed).toEqual([]);
    expect(run.figures).toEqual([figure('only')]);
  });

  it('keeps what a part of a suite measured before it stopped, with a failing figure saying why, and the cause beneath', async () => {
    // As server-load's SQLite baseline stopped 9.5 minutes in: the figures before it were lost, and "fetch failed" said nothing.
    const said: string[] = [];
    const figures = await measuredUntilStopped('server-load', 'server-load (SQLite, pokes and pulls, as schema 4)', async (into) => {
      into.push(figure('server-load'));
      throw new Error('load clients: TypeError: fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:40123') });
    }, (line) => said.push(line));
    expect(figures.map((f) => f.name)).toEqual(['server-load figure', 'server-load (SQLite, pokes and pulls, as schema 4) ran to its end']);
    expect(figures[1]!.meets).toBe(false);
    expect(String(figures[1]!.detail?.error)).toContain('caused by: Error: connect ECONNREFUSED 127.0.0.1:40123');
    expect(said).toHaveLength(1);
    expect(await measuredUntilStopped('s', 'part', async (into) => void into.push(figure('s')), () => {})).toEqual([figure('s')]);
  });

  it('fails the run (the command exits 1) for a part of a suite that stopped, though the suite itself went on to its end', async () => {
    // A try-out's server-load reported a storage that stopped, and `npm run bench` still exited 0.
    const loadSuite: BenchSuite = {
      name: 'server-load',
      description: 'two storages',
      run: async () => [
        ...(await measuredUntilStopped('server-load', 'server-load (SQLite, live)', async () => {
          throw new Error('health check: fetch failed');
        }, () => {})),
        ...(await measuredUntilStopped('server-load', 'server-load (PostgreSQL, live)', async (into) => void into.push(figure('server-load')), () => {})),
      ],
    };
    const run = await runSuites([loadSuite, { name: 'last', description: 'fine', run: async () => [figure('last')] }], { quick: false }, () => {});
    expect(run.failed).toEqual(['server-load (SQLite, live)']);
    expect(run.figures.map((f) => f.name)).toEqual(['server-load (SQLite, live) ran to its end', 'server-load figure', 'last figure']);
    // A figure measured whose name happens to end so is not taken for one.
    const named = { ...figure('other'), name: 'other ran to its end' };
    expect((await runSuites([{ name: 'other', description: 'fine', run: async () => [named] }], { quick: false }, () => {})).failed).toEqual([]);
  });

  it("gives the server-load baseline's figures this build's limit beside them, unjudged; its not ending is still judged", () => {
    const limit = { value: 10_000, unit: 'ms', better: 'lower' as const };
    const drain = { suite: 'server-load', name: 'back and drained (SQLite, 200 workstations, pokes and pulls, as schema 4)', value: 14_230, unit: 'ms', limit, meets: false, detail: { pulls: 900 } };
    expect(asBaseline(drain)).toEqual({ suite: 'server-load', name: drain.name, value: 14_230, unit: 'ms', detail: { pulls: 900, limitOfThisBuild: limit } });
    const stopped = stoppedFigure('server-load', 'server-load (SQLite, pokes and pulls, as schema 4)', new Error('fetch failed'));
    expect(asBaseline(stopped)).toBe(stopped);
    expect(stopped.meets).toBe(false);
  });
});

