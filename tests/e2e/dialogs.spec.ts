import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startStandaloneConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

// Esc always returns to a known place (design.md §5). A dialog is the keyboard's while it is open: the window's own
// shortcuts once took Esc first, so the New incident dialog could not be closed from the keyboard at all, and an F-key
// acted on the desk the dialog covers.
test('Esc closes each dialog without saving and returns to the incident list; the desk behind a dialog ignores its shortcuts', async ({ newContext }) => {
  const dir = makeTempDir();
  const ws = await startStandaloneConsole({ workstation: 'WS-DIALOGS', operator: 'dan', dataDir: join(dir.path, 'ws') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(ws.windowUrl);
    await signIn(page, 'dan');
    const list = page.getByRole('listbox', { name: 'Open incidents' });

    await page.keyboard.press('F2');
    const dialog = page.getByRole('dialog', { name: 'New incident' });
    await expect(dialog.getByLabel('Incident type')).toBeFocused();
    await page.keyboard.type('Assault');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Bargate');
    // F4 would move to the incident list behind the dialog: the dialog keeps the keyboard.
    await page.keyboard.press('F4');
    await expect(dialog.getByLabel('Location')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(list).toBeFocused();
    await expect(list.getByRole('option')).toHaveCount(0);

    // Opened again, it is empty: what was typed before Esc was not kept.
    await page.keyboard.press('F2');
    await expect(dialog.getByLabel('Location')).toHaveValue('');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    for (const [key, name] of [
      ['Shift+F9', 'Conflicts'],
      ['Shift+F8', 'Refused commands'],
    ] as const) {
      await page.keyboard.press(key);
      const other = page.getByRole('dialog', { name });
      await expect(other).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(other).toBeHidden();
      await expect(list).toBeFocused();
    }
  } finally {
    await ws.stop();
    dir.remove();
  }
});
