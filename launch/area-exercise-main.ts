// `npm run area:exercise -- --out DIR [--seed N]`: writes the generated exercise area. The build runs it to make
// the default area (dist/areas/exercise), so a fresh clone has a map with no data to fetch.
import { resolve } from 'node:path';
import { EXERCISE_SEED, generateExerciseArea } from '../main/area/exercise/generate-exercise-area';
import { writeArea } from '../main/area/build/write-area';
import { parseCommandLine, UsageError } from '../node-common/args';

const USAGE = `usage: npm run area:exercise -- --out DIR [--seed N]
  --out DIR   the area folder to write (replaced whole)
  --seed N    which town to generate (default ${EXERCISE_SEED}, the one the console ships with)`;

export async function main(argv: string[]): Promise<void> {
  const values = parseCommandLine(argv, { out: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.out) throw new UsageError(`--out is required\n\n${USAGE}`);
  const seed = values.seed === undefined ? EXERCISE_SEED : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, not "${values.seed}"`);
  const started = performance.now();
  const written = await writeArea(generateExerciseArea(seed), resolve(values.out));
  const c = written.manifest.counts;
  console.log(
    `cordon: exercise area (seed ${seed}) written to ${written.dir} in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${c.streets} streets, ${c.postcodes} postcodes, ${c.landmarks} landmarks, ${written.tiles.overview + written.tiles.detail} tiles`,
  );
}

if (process.argv[1] && /area-exercise\.mjs$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof UsageError ? error.message : `area:exercise: ${(error as Error).stack ?? String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
