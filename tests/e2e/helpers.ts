import { expect, type Page } from '@playwright/test';

/** Creates an incident the way a call handler would: keyboard only, from the incident list. */
export async function createIncidentByKeyboard(page: Page, fields: { type: string; location: string; grade: string; firstLog: string }) {
  await page.keyboard.press('F2');
  const dialog = page.getByRole('dialog', { name: 'New incident' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Incident type')).toBeFocused();
  await page.keyboard.type(fields.type); // type-ahead picks the option on the focused select
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Location')).toBeFocused();
  await page.keyboard.type(fields.location);
  await page.keyboard.press('Tab');
  await page.keyboard.type(fields.grade);
  await page.keyboard.press('Tab');
  await page.keyboard.type(fields.firstLog);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
}
