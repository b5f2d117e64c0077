// `npm run bench [-- [--quick] SUITE…]`: runs the benchmark suites and writes their figures as JSON to stdout and to
// bench/results/<time>.json (a suite marked onlyWhenNamed, as audit-queries-year, runs only when named). A suite, or
// a part of one, that stops with an error is a failing figure in the report, the rest still runs, and the command
// exits 1. Speed is
// measured here, never in timed unit tests. --quick: a short run of the suites that offer one (server-load), the
// others as always.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { appRoot } from '../node-common/app-paths';
import { suites } from './suites/index';
import { runSuites } from './run-suites';
import { benchSettings } from './support/bench-settings';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const wanted = args.filter((a) => a !== '--quick');
  const chosen = wanted.length ? suites.filter((s) => wanted.includes(s.name)) : suites.filter((s) => !s.onlyWhenNamed);
  const unknown = wanted.filter((w) => !suites.some((s) => s.name === w));
  if (unknown.length) throw new Error(`unknown suite(s) ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`);
  // Other work on the machine skews every figure: its load is recorded beside them.
  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
  const { figures, timings, failed } = await runSuites(chosen, { quick }, (line) => console.error(line));
  const report = {
    at: new Date().toISOString(),
    command: ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' '),
    settings: benchSettings(process.env),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverage1m5m15m: { atStart: loadAtStart, atEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
    },
    suites: timings,
    figures,
  };
  const text = JSON.stringify(report, null, 2);
  const dir = join(appRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${report.at.replace(/[:.]/g, '-')}.json`), text);
  console.log(text);
  // The report is written whole either way; a suite or a part that stopped fails the command.
  if (failed.length) {
    console.error(`bench: ${failed.length} suite(s) or part(s) stopped before their end: ${failed.join(', ')} (their errors are in the report)`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
