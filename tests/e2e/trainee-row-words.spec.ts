import { join } from 'node:path';
import { expect, test } from './fixtures';
import { atRole, joinExerciseConsole, startExerciseConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signInToDesk } from './exercise-desks';

test('the trainer’s desk says once that nobody is signed in at a trainee’s workstation that has joined', async ({ newContext }) => {
  test.setTimeout(120_000);
  const dir = makeTempDir();
  const trainer = await startExerciseConsole({ scenario: join(process.cwd(), 'assets', 'exercises', 'cad-down-night.json'), workstation: 'trainer', dataDir: join(dir.path, 'desk'), operator: 'tina' });
  const trainee = await joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'trainee-1', operator: 'bob', dataDir: join(dir.path, 't1') });
  try {
    const desk = await (await newContext()).newPage();
    await desk.goto(atRole(trainer.deskUrl, 'incidents'));
    await signInToDesk(desk, 'tina', 'Open incidents');
    // The trainee's workstation has joined (its core syncs with no window open), and nobody has signed in there.
    const row = desk.getByRole('list', { name: 'Trainees' }).getByRole('listitem').filter({ hasText: 'trainee-1:' });
    await expect(row).toHaveText('trainee-1: nobody signed in', { timeout: 30_000 });
  } finally {
    await trainee.stop();
    await trainer.stop();
    dir.remove();
  }
});
