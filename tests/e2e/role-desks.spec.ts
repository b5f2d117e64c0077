import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

/**
 * Each role's window offers only what the role may use (shared/contract/channel-access.ts, windowsFor): no window
 * to open whose records the role may not read, no list it would be refused, and no refusal shown for a read its desk
 * never makes.
 */

/** What a window said went wrong: uncaught errors, and console errors (a refused request nobody caught). */
function faultsOf(page: Page): string[] {
  const faults: string[] = [];
  page.on('pageerror', (error) => faults.push(error.message));
  page.on('console', (message) => message.type() === 'error' && faults.push(message.text()));
  return faults;
}

test('an auditor’s window, even one opened at the incidents window’s address, offers no other window, no conflicts or refused list, and shows no refusal', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'AUDIT-2', operator: 'eve', dataDir: join(dir.path, 'd') });
  try {
    const page = await (await newContext()).newPage();
    const faults = faultsOf(page);
    await page.goto(desk.windowUrl);
    await signIn(page, 'eve', 'demo', page.getByRole('region', { name: 'Audit log' }));
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online', { timeout: 20_000 });

    // Nothing to open: no window of the room, from the header or the desk's menu.
    await expect(page.getByRole('navigation', { name: 'Window role' }).getByRole('link')).toHaveCount(0);
    await expect(page.getByRole('group', { name: 'Desk windows' }).getByRole('button', { name: /^Open / })).toHaveCount(0);
    // The conflict inbox and the refused commands are not hers to open.
    await page.keyboard.press('Shift+F9');
    await page.keyboard.press('Shift+F8');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByText(/is for them alone|may not/)).toHaveCount(0);
    expect(faults).toEqual([]);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});

test('a force administrator lands on Administration with no window of the room to open, and no refusal for the room’s records', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'ADMIN-2', operator: 'admin', dataDir: join(dir.path, 'd') });
  try {
    const page = await (await newContext()).newPage();
    const faults = faultsOf(page);
    await page.goto(desk.deskUrl);
    await signIn(page, 'admin', 'demo', page.getByRole('grid', { name: 'Accounts' }));
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online', { timeout: 20_000 });

    await expect(page.getByRole('navigation', { name: 'Window role' })).toHaveText('Administration');
    await expect(page.getByRole('group', { name: 'Desk windows' }).getByRole('button', { name: /^Open / })).toHaveCount(0);
    await expect(page.getByText(/is for them alone|may not/)).toHaveCount(0);
    expect(faults).toEqual([]);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
