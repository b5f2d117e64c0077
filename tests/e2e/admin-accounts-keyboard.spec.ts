import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';

// A server and a workstation with a real force's number of accounts: more than the default minute.
test.describe.configure({ timeout: 180_000 });

/**
 * A force of 200 call handlers (op001 … op200) and its administrator (password 'demo'); the call handlers have no
 * password yet (hashing 200 would take the server longer to start than the test may wait, and none signs in).
 */
function bigForce(path: string): string {
  const operators: object[] = [{ name: 'admin', displayName: 'Ada Min', roles: ['admin'], password: 'demo' }];
  for (let n = 1; n <= 200; n++) {
    const name = `op${String(n).padStart(3, '0')}`;
    operators.push({ name, displayName: `Operator ${n}`, roles: ['call_handler'] });
  }
  writeFileSync(path, JSON.stringify({ force: 'DMO', operators }));
  return path;
}

test('at a force of 200 accounts, the administrator reaches the 150th account’s roles in a handful of keys, and Esc goes back to its row', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'), 0, { operators: bigForce(join(dir.path, 'operators.json')) });
  const desk = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'admin', dataDir: join(dir.path, 'a') });
  try {
    const page = await (await newContext()).newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(desk.deskUrl);
    await page.getByLabel('Password').fill('demo');
    await page.keyboard.press('Enter');
    const accounts = page.getByRole('grid', { name: 'Accounts' });
    await expect(accounts.getByRole('row', { name: /^op200 / })).toBeAttached({ timeout: 30_000 });
    const keys: string[] = [];
    const press = async (key: string) => {
      keys.push(key);
      await page.keyboard.press(key);
    };

    // F4, then down the list a page at a time: the row the keyboard is on is the grid's active one, in view.
    await press('F4');
    await expect(accounts).toBeFocused();
    await press('ArrowDown');
    await expect(accounts.getByRole('row', { selected: true })).toHaveAccessibleName(/^admin /);
    await press('End');
    await expect(accounts.getByRole('row', { selected: true })).toHaveAccessibleName(/^op200 /);
    for (let i = 0; i < 5; i++) await press('PageUp');
    await expect(accounts.getByRole('row', { selected: true })).toHaveAccessibleName(/^op150 /);
    await expect(accounts.getByRole('row', { selected: true })).toBeInViewport();
    await press('Enter');
    // The account's form opens with the keyboard in it, on its roles.
    await expect(page.getByRole('heading', { name: 'Operator 150 (op150)' })).toBeVisible();
    await expect(page.getByRole('group', { name: 'Roles of op150' }).getByRole('checkbox').first()).toBeFocused();
    expect(keys.length).toBeLessThanOrEqual(10);

    // Esc goes back to the account's row; typing a sign-in name goes to it, and Enter manages it.
    await page.keyboard.press('Escape');
    await expect(accounts).toBeFocused();
    await expect(accounts.getByRole('row', { selected: true })).toHaveAccessibleName(/^op150 /);
    await page.keyboard.type('op042');
    await expect(accounts.getByRole('row', { selected: true })).toHaveAccessibleName(/^op042 /);
    await page.keyboard.press('Home');
    await expect(accounts.getByRole('row', { selected: true })).toHaveAccessibleName(/^admin /);
    await page.keyboard.press('PageDown');
    await expect(accounts.getByRole('row', { selected: true })).toHaveAccessibleName(/^op010 /);

    // Tab leaves the accounts in one step (no Manage button after another), to the chosen account's roles.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('group', { name: 'Roles of op150' }).getByRole('checkbox').first()).toBeFocused();
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
