import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { atRole, joinExerciseConsole, startExerciseConsole } from '../fakes/processes';
import { expect } from './fixtures';
import { selectByKeyboard } from './helpers';

/**
 * What the exercise specs do at a desk, keyboard only: reach a control by Tab, sign in (the desks of several consoles
 * on this shared machine may take a while to come), find the exercise's banner, deploy from the command line.
 */

/** Presses Tab until `target` is focused, as a trainer would, at most `max` times. */
export async function tabToControl(page: Page, target: Locator, max = 80): Promise<void> {
  const focused = () => target.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement).catch(() => false);
  for (let i = 0; i < max && !(await focused()); i++) await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
}

/**
 * Presses Tab until the control of that role and name is focused. A string name is matched exactly; a select inside
 * its label is named with its value too ("Speed 1×"): give a RegExp.
 */
export function tabTo(page: Page, role: 'button' | 'combobox' | 'slider' | 'textbox' | 'group', name: string | RegExp, max = 80): Promise<void> {
  return tabToControl(page, page.getByRole(role, { name, exact: true }), max);
}

/** Signs in at the sign-in screen by keyboard (password "demo") and waits for the window's listbox `workspace`. */
export async function signInToDesk(page: Page, operator: string, workspace: string): Promise<void> {
  await page.getByLabel('Operator').fill(operator);
  await page.getByLabel('Password').fill('demo');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox', { name: workspace })).toBeVisible({ timeout: 30_000 });
}

/** The mark of a training workstation at the top of every window; its status says whether the clock runs. */
export const trainingBanner = (page: Page): Locator => page.getByRole('region', { name: 'Training exercise — not live' });

/** `hh:mm` moved on by `minutes` (within the day). */
export function addMinutes(hhmm: string, minutes: number): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const total = (h * 60 + m + minutes + 24 * 60) % (24 * 60);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** In the incidents window: selects the incident at `location` in the queue by keyboard and deploys `unit` to it from the command line. */
export async function deployByCommandLine(page: Page, location: RegExp, unit: string): Promise<void> {
  await page.keyboard.press('F4');
  const option = page.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: location });
  await selectByKeyboard(page, option);
  await page.keyboard.press('F6');
  await page.keyboard.type(`AS ${unit}`);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Command result' })).toHaveText(new RegExp(`^${unit} deployed to `));
}

/** A training exercise on this machine with its two desks open and signed in (see startTrainingExercise). */
export interface TrainingExercise {
  /** The trainer's console (tina), running the scenario with its embedded training server. */
  trainer: Awaited<ReturnType<typeof startExerciseConsole>>;
  /** The trainee's console, joined with the exercise code. */
  trainee: Awaited<ReturnType<typeof joinExerciseConsole>>;
  /** The trainer's incidents window, signed in as tina, in its own browser context. */
  desk: Page;
  /** The trainee's window at the role asked for, signed in, in its own browser context. */
  traineeDesk: Page;
  /** Stops the trainee's console, then the trainer's (the test removes its folder). */
  stop(): Promise<void>;
}

/**
 * Starts a training exercise as a trainer and one trainee would: the trainer's console on `scenario` (a file) with
 * its data in dir/desk, tina signed in at its incidents window; the trainee's console joined with the exercise's
 * code, its data in dir/`trainee.folder`, `trainee.operator` signed in at its `trainee.role` window, which lands on
 * the listbox `trainee.workspace`. Nothing is started in the exercise itself. If any step fails, whatever was
 * started is stopped before the error is thrown.
 */
export async function startTrainingExercise(
  newContext: () => Promise<BrowserContext>,
  options: { scenario: string; dir: string; trainee: { workstation: string; operator: string; folder: string; role: string; workspace: string } },
): Promise<TrainingExercise> {
  const { trainee: who } = options;
  const trainer = await startExerciseConsole({ scenario: options.scenario, workstation: 'trainer', dataDir: join(options.dir, 'desk'), operator: 'tina' });
  let trainee: TrainingExercise['trainee'] | undefined;
  const stop = async () => {
    await trainee?.stop();
    await trainer.stop();
  };
  try {
    trainee = await joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: who.workstation, operator: who.operator, dataDir: join(options.dir, who.folder) });
    const desk = await (await newContext()).newPage();
    const traineeDesk = await (await newContext()).newPage();
    await desk.goto(atRole(trainer.deskUrl, 'incidents'));
    await traineeDesk.goto(atRole(trainee.deskUrl, who.role));
    await signInToDesk(desk, 'tina', 'Open incidents');
    await signInToDesk(traineeDesk, who.operator, who.workspace);
    return { trainer, trainee, desk, traineeDesk, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
