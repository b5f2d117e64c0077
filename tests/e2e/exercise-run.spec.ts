import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { atRole, joinExerciseConsole, startExerciseConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard } from './helpers';

/** Presses Tab until the control named is focused, as a trainer would, at most `max` times. */
async function tabTo(page: Page, role: 'button' | 'combobox' | 'group' | 'textbox', name: string, max = 80) {
  const target = page.getByRole(role, { name });
  for (let i = 0; i < max && !(await target.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement).catch(() => false)); i++) await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
}

/** Signs in by keyboard; the desk may take a while to come on this shared machine. */
async function signIn(page: Page, operator: string, workspace: string) {
  await page.getByLabel('Operator').fill(operator);
  await page.getByLabel('Password').fill('demo');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox', { name: workspace })).toBeVisible({ timeout: 30_000 });
}

const banner = (page: Page) => page.getByRole('region', { name: 'Training exercise — not live' });

/** Selects the incident at a location in the list, with the keyboard, and deploys a unit to it from the command line. */
async function deploy(page: Page, location: RegExp, unit: string) {
  await page.keyboard.press('F4');
  const option = page.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: location });
  for (let i = 0; i < 5 && (await option.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('F6');
  await page.keyboard.type(`AS ${unit}`);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Command result' })).toHaveText(new RegExp(`^${unit} deployed to `));
}

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
    await deploy(bob, /Gull Terrace/, 'DM-14');
    const log = bob.getByRole('log', { name: /^Log of TRN-/ });
    await expect(log).toContainText('DM-14 (terminal, via trainer) DM-14 accepted the deployment', { timeout: 30_000 });

    // The trainer plays inject 5 now (DM-13 rejects its next deployment): the crew rejects the trainee's, with its reason.
    await desk.getByText('Timeline and notes (trainer only)').focus();
    await desk.keyboard.press('Enter');
    await tabTo(desk, 'button', 'Inject 5 now');
    await desk.keyboard.press('Enter');
    await expect(desk.getByRole('button', { name: 'Inject 5 now' })).toHaveCount(0);
    await deploy(bob, /Gull Terrace/, 'DM-13');
    await expect(log).toContainText(/DM-13 \(terminal, via trainer\) DM-13 rejected the deployment/, { timeout: 30_000 });
  } finally {
    await trainee.stop();
    await trainer.stop();
  }
  dir.remove();
});
