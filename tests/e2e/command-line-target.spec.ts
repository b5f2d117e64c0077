import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { atRole, startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';

async function command(page: Page, line: string) {
  await page.keyboard.press('F6');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

// FIND selects an incident in every window, and the command line then acts on it there: not only on the incidents
// desk. (It said "select an incident first" on the call-taking, resources, map and supervisor desks.)
test('an incident found with FIND is what the command line acts on, on the call-taking and resources desks too', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const dispatchDesk = await startConsoleProcess({ server: server.url, workstation: 'DISP-1', operator: 'bob', dataDir: join(dir.path, 'd') });
  const handlerDesk = await startConsoleProcess({ server: server.url, workstation: 'CALLS-1', operator: 'alice', dataDir: join(dir.path, 'c') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(dispatchDesk.windowUrl);
    await signIn(page, 'bob');
    await createIncidentByKeyboard(page, { type: 'Theft', location: '12 Market Street', grade: '3', firstLog: 'Bicycle taken from the yard' });
    const detail = page.getByRole('region', { name: /^Incident (DMO|DISP)-/ });
    // Its force reference, once the server has given it: taken while still provisional, the desks name it otherwise later.
    await expect(detail.getByRole('heading').first()).toContainText(/DMO-\d{8}-\d{4}/, { timeout: 15_000 });
    const reference = (await detail.getByRole('heading').first().textContent())!.match(/DMO-\d{8}-\d{4}/)![0];
    const log = page.getByRole('log', { name: /^Log of / });

    const resources = await (await newContext()).newPage();
    await resources.goto(atRole(dispatchDesk.deskUrl, 'resources'));
    await expect(resources.getByRole('listbox', { name: 'Units' })).toBeVisible();
    await expect(resources.getByText('Command (no incident selected)')).toBeVisible();
    await command(resources, `FIND ${reference}`);
    await expect(resources.getByRole('status', { name: 'Command result' })).toHaveText(`${reference} selected`);
    await expect(resources.getByText(`Command for ${reference}`)).toBeVisible();
    await command(resources, 'LOG crew asked to look for the bicycle on the way');
    await expect(resources.getByRole('status', { name: 'Command result' })).toHaveText(`Logged on ${reference}`);
    await expect(log).toContainText('crew asked to look for the bicycle on the way');

    const handler = await (await newContext()).newPage();
    await handler.goto(atRole(handlerDesk.deskUrl, 'calltaking'));
    await signIn(handler, 'alice', 'demo', 'Calls');
    await command(handler, `FIND ${reference}`);
    await expect(handler.getByText(`Command for ${reference}`)).toBeVisible();
    await command(handler, 'LOG caller rang back: the bicycle is red');
    await expect(handler.getByRole('status', { name: 'Command result' })).toHaveText(`Logged on ${reference}`);
    await expect(log).toContainText('caller rang back: the bicycle is red', { timeout: 10_000 });
  } finally {
    await dispatchDesk.stop();
    await handlerDesk.stop();
    await server.stop();
    dir.remove();
  }
});
