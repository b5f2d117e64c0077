/**
 * The settings a benchmark run was given through its environment: every CORDON_BENCH_* variable (which suites'
 * parts ran, at what sizes: CORDON_BENCH_LOAD_STORAGES=sqlite measures one storage of two), and the browser the
 * renderer suite drove (CORDON_CHROMIUM), by name, in name order. Written into the report so that a run shortened or
 * changed by them is never read as a whole one. Other CORDON_* variables (a database address with its password) are
 * not the benchmark's and are left out.
 */
export function benchSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const named = Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && (entry[0].startsWith('CORDON_BENCH_') || entry[0] === 'CORDON_CHROMIUM'));
  return Object.fromEntries(named.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
