import { expect, type Locator, type Page } from '@playwright/test';
import { wallClock } from '../../shared/domain/wall-clock';

/** Creates an incident the way a call handler would: keyboard only, from the incident list. */
export async function createIncidentByKeyboard(page: Page, fields: { type: string; location: string; grade: string; firstLog: string }) {
  await page.keyboard.press('F2');
  const dialog = page.getByRole('dialog', { name: 'New incident' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Incident type')).toBeFocused();
  const type = dialog.getByLabel('Incident type');
  await page.keyboard.type(fields.type); // type-ahead picks the option on the focused select
  await expect(type).not.toHaveValue('');
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Location')).toBeFocused();
  await page.keyboard.type(fields.location);
  await page.keyboard.press('Tab');
  await page.keyboard.type(fields.grade);
  await page.keyboard.press('Tab');
  await page.keyboard.type(fields.firstLog);
  // The type chosen first is still chosen when the rest is typed (a late reset of the form once took it away).
  await expect(type).not.toHaveValue('');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
}

/**
 * Signs in at the sign-in screen with the keyboard (the demonstration force's accounts all use "demo"), and waits
 * for the window's `workspace`: the listbox of that name, or the given locator for a desk with none (an auditor's
 * audit log, an administrator's accounts).
 */
export async function signIn(page: Page, operator: string, password = 'demo', workspace: string | Locator = 'Open incidents') {
  const landed = typeof workspace === 'string' ? page.getByRole('listbox', { name: workspace }) : workspace;
  const operatorField = page.getByLabel('Operator');
  // The header's "alice at WS-A" (not a log line's "by alice at WS-A").
  const signedInAs = page.getByText(new RegExp(`^${operator} at `));
  // The workstation keeps its operator signed in across window reloads: nothing to do if they already are. Another
  // operator's desk still on screen (a sign-out under way) is neither: wait for the sign-in form.
  await expect(operatorField.or(signedInAs)).toBeVisible();
  if (await signedInAs.isVisible()) {
    await expect(landed).toBeVisible();
    return;
  }
  await operatorField.fill(operator);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await expect(landed).toBeVisible();
}

/**
 * At the call-taking desk: waits for the call from `callerNumber` to ring, answers it with F2 and finds the
 * location by typing part of it, choosing the first result with Enter. Returns the call form, keyboard on the
 * location field.
 */
export async function answerAndLocate(page: Page, callerNumber: string, typed: string, expected: string) {
  await expect(page.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: new RegExp(`${callerNumber}\\s*ringing`) })).toBeVisible({ timeout: 25_000 });
  await page.keyboard.press('F2');
  const form = page.getByRole('form', { name: 'Call' });
  await expect(form.getByRole('combobox', { name: 'Location' })).toBeFocused();
  await page.keyboard.type(typed);
  await expect(form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first()).toContainText(expected);
  await page.keyboard.press('Enter');
  return form;
}

/**
 * Books a unit on from the command line (F6), keyboard only, until `untilMs` on the force's (London's) clock: four
 * hours from now by default, so whatever its shift and the time of day the test runs at, it is on and its shift does
 * not end during the test's jobs. Booked off first, in case its simulated crew has booked it on for its shift.
 */
export async function bookOn(page: Page, callSign: string, untilMs = Date.now() + 4 * 3_600_000) {
  const result = page.getByRole('status', { name: 'Command result' });
  // As an operator glances at the status bar: until the workstation's first exchange with the server is done, its units
  // may not have reached it (a desk signed in on a fresh workstation refused BOOKOFF DM-31 as no such unit).
  await expect(page.getByRole('status', { name: 'Connection' })).not.toHaveText(/^Connecting/, { timeout: 20_000 });
  await page.keyboard.press('F6');
  await page.keyboard.type(`BOOKOFF ${callSign}`);
  await page.keyboard.press('Enter');
  await expect(result).toHaveText(`${callSign} booked off duty`);
  const until = wallClock('Europe/London').time(untilMs);
  await page.keyboard.type(`BOOKON ${callSign} ${until}`);
  await page.keyboard.press('Enter');
  await expect(result).toHaveText(new RegExp(`^${callSign} booked on until (\\d{4}-\\d\\d-\\d\\d )?${until}$`));
}

/**
 * F4 on the resources board, as an operator does once the units are on screen: waits for the board's first unit,
 * presses F4 and waits for the units list to have the keyboard. A key pressed as the window opens, before the board
 * is drawn, has no list to go to (no-webgl's resources window: its map notice shows before the board, and F4 then
 * Home chose no unit).
 */
export async function focusUnits(page: Page): Promise<void> {
  const units = page.getByRole('listbox', { name: 'Units', exact: true });
  await expect(units.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('F4');
  await expect(units).toBeFocused();
}

/**
 * Moves a listbox's selection to `option` with the arrow keys, as an operator would (the listbox must have the
 * keyboard: F4 for the queue). One key at a time, each waiting for the selection it made: a key pressed before the
 * last one's selection was drawn read a stale row and overshot (a run pressed Home, saw its row not yet selected and
 * went down past it). Where the row moves meanwhile (an incident arriving above it), the next key follows it. A row
 * not drawn (a long queue draws those near its view) is looked for from the top down. Rows are placed by
 * aria-posinset, which every row of the incidents queue carries; the selection follows its incident wherever the
 * queue moves it, so each step reads where it is now.
 */
export async function selectByKeyboard(page: Page, option: Locator, timeout = 15_000): Promise<void> {
  const listbox = option.locator('xpath=ancestor::*[@role="listbox"][1]');
  const selected = listbox.locator('[role="option"][aria-selected="true"]');
  const place = async (row: Locator) => Number(await row.getAttribute('aria-posinset', { timeout: 5_000 }));
  const chosen = async () => (await option.count()) > 0 && (await option.getAttribute('aria-selected', { timeout: 5_000 })) === 'true';
  /** Presses `key` and waits until the selection has moved off the row it was on. */
  const step = async (key: 'ArrowDown' | 'ArrowUp') => {
    const from = await place(selected);
    await page.keyboard.press(key);
    await expect.poll(() => place(selected).catch(() => from)).not.toBe(from);
  };
  let fromTop = false;
  const giveUpAt = Date.now() + timeout;
  while (!(await chosen()) && Date.now() < giveUpAt) {
    if ((await selected.count()) === 0 || ((await option.count()) === 0 && !fromTop)) {
      await page.keyboard.press('Home');
      // The top row is chosen; the selection follows its incident, which may move down the queue at once (another
      // desk's deployment arriving: training-exercise's Market Street, row 1 at the key, row 3 by the check).
      await expect(selected).toHaveCount(1);
      fromTop = (await place(selected)) === 1;
    } else if ((await option.count()) === 0) {
      await step('ArrowDown');
    } else {
      await step((await place(option)) > (await place(selected)) ? 'ArrowDown' : 'ArrowUp');
    }
  }
  await expect(option).toHaveAttribute('aria-selected', 'true');
}
