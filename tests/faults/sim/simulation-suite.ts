import { describe, expect, it } from 'vitest';
import { percentile } from '../../../bench/bench-types';
import { SimWorld, type RunFigures } from './world';

/**
 * The deterministic fault simulation: several workstations and the server over a simulated network and clock,
 * with partitions, loss, duplication, reordering, restarts of workstations and server, and clock skew of up to
 * ten minutes; in half the runs, two forces sharing and offering incidents, each workstation sent what its force may
 * see. Besides nothing lost, duplicated or divergent at the end, every workstation is checked as it goes
 * (SimWorld.checkDelivery): no change skipped or applied twice, and no command of its own out of the outbox before
 * its effects arrive nor lingering there after. CORDON_SIM_SEEDS sets how many seeds (1,000 by default); CORDON_SIM_FIRST_SEED where they start;
 * CORDON_SIM_SEED replays one.
 *
 * The seeds are run in PARTS test files (tests/faults/simulation-N.test.ts), each its own contiguous share, so the
 * suite's two workers share them: one file of a thousand seeds took four minutes on one worker, and where vitest has
 * no timings yet (a fresh clone, as in CI) it starts small files last, so the suite waited on it at its end.
 */
const total = Number(process.env.CORDON_SIM_SEEDS ?? 1000);
const only = process.env.CORDON_SIM_SEED;
const firstSeed = Number(process.env.CORDON_SIM_FIRST_SEED ?? 1);

/** How many test files the seeds are divided between (tests/faults/simulation-1.test.ts … -4). */
export const PARTS = 4;

/**
 * The seeds of part `part` (1 … PARTS) of the run: a contiguous share of CORDON_SIM_SEEDS from CORDON_SIM_FIRST_SEED,
 * the earlier parts taking one more when they do not divide evenly; with CORDON_SIM_SEED, that seed in part 1 alone.
 */
export function seedsOfPart(part: number, parts = PARTS, env: { total: number; firstSeed: number; only?: string } = { total, firstSeed, only }): number[] {
  if (env.only) return part === 1 ? [Number(env.only)] : [];
  const base = Math.floor(env.total / parts);
  const extra = env.total % parts;
  const start = (part - 1) * base + Math.min(part - 1, extra);
  const count = base + (part <= extra ? 1 : 0);
  return Array.from({ length: count }, (_, i) => env.firstSeed + start + i);
}

async function runSeed(seed: number): Promise<RunFigures> {
  const world = new SimWorld(seed);
  try {
    return await world.run();
  } finally {
    world.close();
  }
}

function summarise(runs: RunFigures[]): string {
  const sum = (f: (r: RunFigures) => number) => runs.reduce((n, r) => n + f(r), 0);
  const faults = Object.keys(runs[0]?.faults ?? {}).map((k) => `${k} ${sum((r) => r.faults[k as keyof RunFigures['faults']])}`).join(', ');
  const crossForce = runs.flatMap((r) => (r.crossForce ? [r.crossForce] : []));
  const crossApplied: Record<string, number> = {};
  for (const c of crossForce) for (const [name, n] of Object.entries(c.applied)) crossApplied[name] = (crossApplied[name] ?? 0) + n;
  const converge = runs.map((r) => r.convergeMs).filter((ms) => Number.isFinite(ms));
  return [
    `seeds ${runs.length} (${runs[0]?.seed}–${runs.at(-1)?.seed})`,
    `simulated ${(sum((r) => r.simulatedMs) / 3_600_000).toFixed(1)} h`,
    `faults: ${faults}`,
    `commands confirmed ${sum((r) => r.confirmed)} / applied ${sum((r) => r.applied)} / rejected as conflict ${sum((r) => r.conflicts)} / dead-lettered ${sum((r) => r.deadLettered)} / refused and then handled ${sum((r) => r.refusalsHandled)}`,
    `live: batches delivered ${sum((r) => r.live.changes)}, taken without a pull ${sum((r) => r.live.taken)} (begun before the cursor ${sum((r) => r.live.overlapping)}), own commands out of the outbox with their batch ${sum((r) => r.live.commandsDone)}, pokes ${sum((r) => r.live.poke)}`,
    `two forces in ${crossForce.length} runs: ${Object.entries(crossApplied).map(([name, n]) => `${name} ${n}`).join(', ')}; the other force's records held at the end ${crossForce.reduce((n, c) => n + c.heldOfOtherForce, 0)}`,
    `pull pages short of the head ${sum((r) => r.pages.shortOfHead)} (runs with small pages ${runs.filter((r) => Number.isFinite(r.pages.limit)).length})`,
    `lost ${sum((r) => r.lost)}, duplicated ${sum((r) => r.duplicated)}, divergent ${sum((r) => r.divergent)}`,
    `converge after heal p50 ${(percentile(converge, 50) / 1000).toFixed(1)} s, p99 ${(percentile(converge, 99) / 1000).toFixed(1)} s`,
  ].join(' | ');
}

/** Part `part` of the simulation's seeds as one test (nothing to run when a replayed seed is another part's). */
export function describeSimulationPart(part: number): void {
  const seeds = seedsOfPart(part);
  describe(`sync under simulated faults (part ${part} of ${PARTS})`, () => {
    it.skipIf(seeds.length === 0)(`over ${seeds.length} seeds${seeds.length ? ` (${seeds[0]}–${seeds.at(-1)})` : ''}: nothing lost, duplicated or divergent`, async () => {
      const runs: RunFigures[] = [];
      for (const seed of seeds) {
        const figures = await runSeed(seed);
        runs.push(figures);
        if (figures.problems.length) {
          throw new Error(`seed ${seed} failed (replay with CORDON_SIM_SEED=${seed}):\n  ${figures.problems.slice(0, 10).join('\n  ')}`);
        }
      }
      console.log(`fault simulation: ${summarise(runs)}`);
      expect(runs.reduce((n, r) => n + r.lost + r.duplicated + r.divergent, 0)).toBe(0);
      // The path without a pull is taken: commands leave the outbox with the live batch that brings their effects.
      expect(runs.reduce((n, r) => n + r.live.commandsDone, 0)).toBeGreaterThan(0);
      // And catch-ups in several pages are exercised: a page short of the head lets go only the commands it brings.
      expect(runs.reduce((n, r) => n + r.pages.shortOfHead, 0)).toBeGreaterThan(0);
      // And the two forces' runs move what each may see every way: shares made, cut, revoked, incidents handed over.
      if (seeds.length >= 100) {
        const applied = (name: string) => runs.reduce((n, r) => n + (r.crossForce?.applied[name] ?? 0), 0);
        for (const name of ['share.create', 'share.revoke', 'transfer.accept', 'transfer.decline', 'transfer.withdraw']) expect(applied(name), name).toBeGreaterThan(0);
      }
      // A second a seed at most, and ten minutes at least (a part's 250 seeds take about a minute here).
    }, Math.max(600_000, seeds.length * 1_000));
  });
}
