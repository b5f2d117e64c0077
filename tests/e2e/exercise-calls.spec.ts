import { join } from 'node:path';
import { expect, test } from './fixtures';
import { atRole, joinExerciseConsole, startExerciseConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signInToDesk, tabTo, trainingBanner } from './exercise-desks';

/**
 * An exercise's calls are all played, and so offered, at the trainer's workstation; a trainee takes one where they
 * answer it, as on a live desk. Keyboard only.
 */
test('a trainee answers an exercise call with Shift+F2 from the Supervisor window and Call taking opens it, after a reload too; the trainer sees it at that workstation, not at the same trainee’s other one; a second workstation under a name already in the exercise is refused, saying how to name it', async ({ newContext }) => {
  const dir = makeTempDir();
  const trainer = await startExerciseConsole({ scenario: join(process.cwd(), 'assets', 'exercises', 'friday-night.json'), workstation: 'WS-TRAINER', dataDir: join(dir.path, 'desk'), operator: 'tina' });
  const first = await joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'WS-T1', operator: 'carol', dataDir: join(dir.path, 't1') });
  // carol's second desk, and a machine cloned from WS-T1's image (its own data folder, the same name).
  const [second, clone] = await Promise.all([
    joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'WS-T2', operator: 'carol', dataDir: join(dir.path, 't2') }),
    joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'WS-T1', dataDir: join(dir.path, 'clone') }),
  ]);
  try {
    const desk = await (await newContext()).newPage();
    const carolContext = await newContext();
    const supervisor = await carolContext.newPage();
    const other = await (await newContext()).newPage();
    const cloned = await (await newContext()).newPage();
    await desk.goto(atRole(trainer.deskUrl, 'incidents'));
    await supervisor.goto(atRole(first.deskUrl, 'supervisor'));
    await other.goto(atRole(second.deskUrl, 'incidents'));
    await cloned.goto(atRole(clone.deskUrl, 'incidents'));
    await signInToDesk(desk, 'tina', 'Open incidents');
    await signInToDesk(other, 'carol', 'Open incidents');
    await supervisor.getByLabel('Operator').fill('carol');
    await supervisor.getByLabel('Password').fill('demo');
    await supervisor.keyboard.press('Enter');
    await expect(trainingBanner(supervisor)).toContainText('TRAINING EXERCISE — NOT LIVE', { timeout: 30_000 });

    // The clone is refused in words that say what to do; the trainer's desk lists WS-T1 once, carol's.
    await expect(cloned.getByRole('status', { name: 'Connection' })).toContainText(
      "A workstation named WS-T1 has already joined this exercise (another machine, or another data folder): each trainee's workstation needs a name of its own. Start this one with --workstation NAME",
      { timeout: 30_000 },
    );
    const trainees = desk.getByRole('list', { name: 'Trainees' });
    const row = (workstation: string) => trainees.getByRole('listitem').filter({ hasText: `${workstation}:` });
    await expect(row('WS-T1')).toContainText('carol (Supervisor, Dispatcher, Call handler) — idle', { timeout: 15_000 });
    await expect(row('WS-T2')).toContainText('carol (Supervisor, Dispatcher, Call handler) — idle');
    await expect(row('WS-T1')).toHaveCount(1);

    // The trainer starts the exercise and plays the first call: a 999 call rings on carol's Supervisor window.
    await tabTo(desk, 'button', 'Start exercise');
    await desk.keyboard.press('Enter');
    await expect(trainingBanner(supervisor).getByRole('status')).toHaveText('Exercise running', { timeout: 15_000 });
    await tabTo(desk, 'button', 'Next inject');
    await desk.keyboard.press('Enter');
    const ringing = supervisor.getByRole('alert').filter({ hasText: '999 call ringing from 07700 900111: press Shift+F2 to answer (it opens in Call taking)' });
    await expect(ringing).toBeVisible({ timeout: 30_000 });

    // Shift+F2 answers it and brings up Call taking, where the call is taken up: not 'No call waiting'.
    const opened = carolContext.waitForEvent('page');
    await supervisor.keyboard.press('Shift+F2');
    const callTaking = await opened;
    const heading = callTaking.getByRole('form', { name: 'Call' }).getByRole('heading', { name: '999 emergency call from 07700 900111' });
    await expect(heading).toBeVisible({ timeout: 15_000 });
    await expect(callTaking.getByRole('form', { name: 'Call' }).getByRole('combobox', { name: 'Location' })).toBeFocused();
    // Reloaded, Call taking takes it up again.
    await callTaking.reload();
    await expect(heading).toBeVisible({ timeout: 15_000 });

    // The trainer sees carol answering at WS-T1, where she answered, and WS-T2 idle.
    await expect(row('WS-T1')).toContainText(/— answering call 07700 900111 \(999\) since \d\d:\d\d/, { timeout: 15_000 });
    await expect(row('WS-T2')).toContainText('— idle');
    // At her other desk the call is not hers to take: it is WS-T1's.
    await other.goto(atRole(second.deskUrl, 'calltaking'));
    await expect(other.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: /07700 900111\s*answered by carol/ })).toBeVisible({ timeout: 15_000 });
    await expect(other.getByRole('region', { name: 'No call being taken' })).toBeVisible();
  } finally {
    await Promise.all([clone.stop(), second.stop(), first.stop()]);
    await trainer.stop();
    dir.remove();
  }
});
