import { join } from 'node:path';
import { expect, test } from './fixtures';
import { atRole, joinExerciseConsole, startExerciseConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard } from './helpers';
import { deployByCommandLine, exerciseBanner, signInToDesk as signIn, tabTo } from './exercise-desks';

const banner = exerciseBanner;

test('a CAD-down drill: the scenario’s units come on duty as the trainer starts it, the system goes down on the trainee’s desk, which says so and prints the paper form, and comes back, when a paper log line is back-entered with its time on paper', async ({ newContext }) => {
  test.setTimeout(180_000);
  const dir = makeTempDir();
  const trainer = await startExerciseConsole({ scenario: join(process.cwd(), 'assets', 'exercises', 'cad-down-night.json'), workstation: 'trainer', dataDir: join(dir.path, 'desk'), operator: 'tina' });
  const trainee = await joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'trainee-1', operator: 'bob', dataDir: join(dir.path, 't1') });
  try {
    const desk = await (await newContext()).newPage();
    const bob = await (await newContext()).newPage();
    await desk.goto(atRole(trainer.deskUrl, 'incidents'));
    await bob.goto(atRole(trainee.deskUrl, 'resources'));
    await signIn(desk, 'tina', 'Open incidents');
    await signIn(bob, 'bob', 'Units');
    const unit = (callSign: string) => bob.getByRole('listbox', { name: 'Units' }).getByRole('option', { name: new RegExp(`^${callSign}`) });
    // Bob's incidents window, where the paper records are entered once the system is back.
    const bobIncidents = await bob.context().newPage();
    await bobIncidents.goto(atRole(trainee.deskUrl, 'incidents'));
    await expect(bobIncidents.getByRole('listbox', { name: 'Open incidents' })).toBeVisible({ timeout: 30_000 });

    // The trainer's desk lists the trainee who joined, who is signed in there and as what.
    await expect(desk.getByRole('list', { name: 'Trainees' })).toContainText('trainee-1: bob (Dispatcher)', { timeout: 15_000 });

    // Before the start nobody is on duty; as the trainer starts it, the scenario's two night crews book on.
    await expect(unit('DM-14')).toContainText('Off duty');
    await tabTo(desk, 'button', 'Start exercise');
    await desk.keyboard.press('Enter');
    for (const callSign of ['DM-14', 'DM-22']) await expect(unit(callSign)).toContainText('Available', { timeout: 30_000 });
    await expect(unit('DM-11')).toContainText('Off duty');

    // The trainer takes the system down from the timeline (inject 3, cad_down), keyboard only.
    const timeline = desk.getByText('Timeline and notes (trainer only)');
    await timeline.focus();
    await desk.keyboard.press('Enter');
    await expect(desk.getByText(/Starting state put in place at \d\d:\d\d/)).toBeVisible();
    await expect(desk.getByRole('list', { name: 'Starting state for the trainer to put in place' })).toContainText('MISSING grade 2 at Northgate Care Home, Saltmere');
    await tabTo(desk, 'button', 'Inject 3 now');
    await desk.keyboard.press('Enter');

    // The trainee's desk says the system is down and offers the paper form, which is all that prints.
    const alert = banner(bob).getByRole('alert');
    await expect(alert).toContainText('CAD DOWN: the system is down', { timeout: 30_000 });
    await expect(bob.getByRole('status', { name: 'Connection' })).not.toHaveText(/^Online/);
    await expect(bob.getByRole('region', { name: 'Paper incident and log form' })).toBeHidden();
    await tabTo(bob, 'button', 'Print paper forms');
    await bob.emulateMedia({ media: 'print' });
    const form = bob.getByRole('region', { name: 'Paper incident and log form' });
    await expect(form).toBeVisible();
    await expect(form.getByRole('table', { name: 'Log' })).toBeVisible();
    await expect(form).toContainText('Time call received');
    await expect(bob.getByRole('listbox', { name: 'Units' })).toBeHidden();
    await bob.emulateMedia({ media: 'screen' });

    // The trainer plays on: each Next inject jumps the clock to the next inject still to come (the outage, twenty
    // exercise minutes from when it began, ends just after the last), then runs at 8×: the system is back.
    await tabTo(desk, 'button', 'Next inject');
    for (const inject of [1, 2, 4, 5]) {
      await desk.keyboard.press('Enter');
      await expect(desk.getByRole('button', { name: `Inject ${inject} now` })).toHaveCount(0);
    }
    await tabTo(desk, 'combobox', /^Speed/);
    for (const speed of [2, 4, 8]) {
      await desk.keyboard.press('ArrowDown');
      await expect(banner(desk).getByRole('status')).toHaveText(`Exercise running at ${speed}× speed`);
    }
    await expect(alert).toBeHidden({ timeout: 60_000 });
    await expect(bob.getByRole('status', { name: 'Connection' })).toHaveText(/^Online/, { timeout: 30_000 });

    // Back: the incidents window offers catch-up; bob opens the incident he kept on paper and enters its log line with
    // the time written on the form (the minute the system went down), which the log shows as back-entered.
    const back = bobIncidents.getByRole('status').filter({ hasText: 'The system is back' });
    await expect(back).toBeVisible({ timeout: 30_000 });
    const since = /since (\d\d:\d\d)/.exec((await back.textContent()) ?? '')![1]!;
    await bobIncidents.keyboard.press('F4');
    await createIncidentByKeyboard(bobIncidents, { type: 'ASSAULT', location: 'Gull Terrace', grade: '2', firstLog: 'Entered after CAD down' });
    await tabTo(bobIncidents, 'button', 'Enter paper records');
    await bobIncidents.keyboard.press('Enter');
    await expect(bobIncidents.getByRole('region', { name: 'Catch-up' })).toBeVisible();
    await tabTo(bobIncidents, 'textbox', 'Time on paper');
    await bobIncidents.keyboard.type('23:59');
    await bobIncidents.keyboard.press('Shift+Tab');
    await bobIncidents.keyboard.type('Caller says the fight has moved on');
    await bobIncidents.keyboard.press('Enter');
    await expect(bobIncidents.getByRole('log', { name: /^Log of / }).getByRole('listitem').filter({ hasText: 'Caller says the fight has moved on' })).toHaveCount(0);
    await expect(bobIncidents.getByRole('alert').filter({ hasText: /in the future|before the system went down/ })).toBeVisible();
    await tabTo(bobIncidents, 'textbox', 'Time on paper');
    await bobIncidents.keyboard.press('Control+a');
    await bobIncidents.keyboard.type(since);
    await bobIncidents.keyboard.press('Enter');
    const line = bobIncidents.getByRole('log', { name: /^Log of / }).getByRole('listitem').filter({ hasText: 'Caller says the fight has moved on' });
    await expect(line).toContainText(`${since}:00`);
    await expect(line).toContainText(/back-entered \d\d:\d\d by bob/);
  } finally {
    await trainee.stop();
    await trainer.stop();
  }
  dir.remove();
});

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
