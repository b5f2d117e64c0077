import { join } from 'node:path';
import { expect, test } from './fixtures';
import { atRole, joinExerciseConsole, startExerciseConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard } from './helpers';
import { deployByCommandLine, trainingBanner, signInToDesk as signIn, tabTo } from './exercise-desks';

const banner = trainingBanner;

test('a trainee dispatcher’s deployments are answered by the exercise’s vehicles on the trainer’s workstation, and a vehicle inject makes a crew reject its next one', async ({ newContext }) => {
  test.setTimeout(180_000);
  const dir = makeTempDir();
  const trainer = await startExerciseConsole({ scenario: join(process.cwd(), 'assets', 'exercises', 'friday-night.json'), workstation: 'trainer', dataDir: join(dir.path, 'desk'), operator: 'tina' });
  const trainee = await joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'trainee-2', operator: 'bob', dataDir: join(dir.path, 't2') });
  try {
    const desk = await (await newContext()).newPage();
    const bob = await (await newContext()).newPage();
    await desk.goto(atRole(trainer.deskUrl, 'incidents'));
    await bob.goto(atRole(trainee.deskUrl, 'incidents'));
    await signIn(desk, 'tina', 'Open incidents');
    await signIn(bob, 'bob', 'Open incidents');
    await tabTo(desk, 'button', 'Start exercise');
    await desk.keyboard.press('Enter');
    await expect(banner(bob).getByRole('status')).toHaveText('Exercise running');

    // The trainee opens an incident and deploys DM-14, on duty from the scenario's start: its crew accepts, through
    // its terminal on the trainer's workstation.
    await bob.keyboard.press('F4');
    await createIncidentByKeyboard(bob, { type: 'ASSAULT', location: 'Gull Terrace', grade: '2', firstLog: 'Fight outside the pub' });
    await deployByCommandLine(bob, /Gull Terrace/, 'DM-14');
    const log = bob.getByRole('log', { name: /^Log of TRN-/ });
    await expect(log).toContainText('DM-14 (terminal, via trainer) DM-14 accepted the deployment', { timeout: 30_000 });

    // The trainer plays inject 5 now (DM-13 rejects its next deployment): the crew rejects the trainee's, with its reason.
    await desk.getByText('Timeline and notes (trainer only)').focus();
    await desk.keyboard.press('Enter');
    await tabTo(desk, 'button', 'Inject 5 now');
    await desk.keyboard.press('Enter');
    await expect(desk.getByRole('button', { name: 'Inject 5 now' })).toHaveCount(0);
    await deployByCommandLine(bob, /Gull Terrace/, 'DM-13');
    await expect(log).toContainText(/DM-13 \(terminal, via trainer\) DM-13 rejected the deployment/, { timeout: 30_000 });
  } finally {
    await trainee.stop();
    await trainer.stop();
  }
  dir.remove();
});
