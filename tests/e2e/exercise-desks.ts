import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

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
  // From the top of the queue (the selection may be anywhere in it), down to the incident.
  if ((await option.getAttribute('aria-selected')) !== 'true') await page.keyboard.press('Home');
  for (let i = 0; i < 10 && (await option.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('F6');
  await page.keyboard.type(`AS ${unit}`);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Command result' })).toHaveText(new RegExp(`^${unit} deployed to `));
}
