import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * What the exercise specs share: reaching a control by Tab as a trainer or trainee would, signing in by keyboard on
 * a desk that may be slow to come on this shared machine, and the training banner. (exercise-run.spec.ts and
 * exercise-review.spec.ts still have their own copies; they can move here.)
 */

/** Presses Tab until `target` is focused, at most `max` times. */
export async function tabToControl(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max && !(await target.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement).catch(() => false)); i++) await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
}

/** Presses Tab until the control of that role and (exact) name is focused. */
export function tabTo(page: Page, role: 'button' | 'combobox' | 'group' | 'textbox' | 'slider', name: string, max = 80): Promise<void> {
  return tabToControl(page, page.getByRole(role, { name, exact: true }), max);
}

/** Signs in by keyboard and waits for the desk's workspace (a listbox by name). */
export async function signInToDesk(page: Page, operator: string, workspace: string): Promise<void> {
  await page.getByLabel('Operator').fill(operator);
  await page.getByLabel('Password').fill('demo');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox', { name: workspace })).toBeVisible({ timeout: 30_000 });
}

/** The banner every window of a training workstation carries. */
export const trainingBanner = (page: Page): Locator => page.getByRole('region', { name: 'Training exercise — not live' });

/** `hh:mm` moved on by `minutes` (within the day). */
export function addMinutes(hhmm: string, minutes: number): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const total = (h * 60 + m + minutes + 24 * 60) % (24 * 60);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
