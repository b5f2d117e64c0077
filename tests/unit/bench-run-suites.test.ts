import { describe, expect, it } from 'vitest';
import { runSuites } from '../../bench/run-suites';
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
});
