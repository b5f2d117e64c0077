import { join } from 'node:path';
import { expect, test } from './fixtures';
import { type Page } from '@playwright/test';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { TcpProxy } from '../faults/chaos/tcp-proxy';
import { bookOn, createIncidentByKeyboard, signIn, selectByKeyboard } from './helpers';

/** Selects the incident at a location in the list, with the keyboard, and deploys a unit to it from the command line. */
async function deploy(page: Page, location: RegExp, unit: string) {
  await page.keyboard.press('F4');
  const list = page.getByRole('listbox', { name: 'Open incidents' });
  const option = list.getByRole('option', { name: location });
  await selectByKeyboard(page, option);
  await page.keyboard.press('F6');
  await page.keyboard.type(`AS ${unit}`);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Command result' })).toHaveText(new RegExp(`^${unit} deployed to `));
}

test('two dispatchers deploy the same unit, one offline: exactly one wins, the other resolves the conflict by keyboard', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  // B reaches the server through a proxy the test can cut.
  const proxy = await TcpProxy.start(() => server.port);
  const wsA = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'bob', dataDir: join(dir.path, 'a') });
  const wsB = await startConsoleProcess({ server: proxy.url, workstation: 'WS-B', operator: 'dan', dataDir: join(dir.path, 'b') });
  try {
    const a = await (await newContext()).newPage();
    const b = await (await newContext()).newPage();
    await a.goto(wsA.windowUrl);
    await b.goto(wsB.windowUrl);
    await signIn(a, 'bob');
    await signIn(b, 'dan');
    await createIncidentByKeyboard(a, { type: 'Assault', location: 'Bargate', grade: '1', firstLog: 'Fight outside the bar' });
    await createIncidentByKeyboard(b, { type: 'Theft', location: 'Above Bar Street', grade: '2', firstLog: 'Shoplifter detained by security' });
    await expect(b.getByRole('option', { name: /Bargate/ })).toBeVisible();
    await expect(a.getByRole('option', { name: /Above Bar Street/ })).toBeVisible();
    // DM-11 booked on at A, and seen so at B (proposed for B's incident) before B is cut off.
    await bookOn(a, 'DM-11');
    await expect(b.getByRole('listbox', { name: 'Recommended units' }).getByRole('option', { name: /^DM-11/ })).toBeVisible();

    proxy.cutAll();
    await expect(b.getByRole('status', { name: 'Connection' })).toHaveText(/^Offline since/);
    await deploy(b, /Above Bar Street/, 'DM-11');
    await expect(b.getByRole('list', { name: 'Units on this incident' })).toContainText(/DM-11 Assigned · terminal: sent\s*not yet on the server/);
    await deploy(a, /Bargate/, 'DM-11');
    await expect(a.getByRole('list', { name: 'Units on this incident' })).toContainText('DM-11 Assigned');

    proxy.heal();
    await expect(b.getByRole('status', { name: 'Conflicts' })).toHaveText('1 conflict waiting — Shift+F9', { timeout: 15_000 });
    // B's deployment was undone on screen: DM-11 is not on B's incident.
    await expect(b.getByRole('list', { name: 'Units on this incident' })).toHaveCount(0);

    await b.keyboard.press('Shift+F9');
    const inbox = b.getByRole('dialog', { name: 'Conflicts' });
    await expect(inbox.getByRole('option', { name: /Deploy DM-11 to DMO-\d{8}-0002 — dan at WS-B/ })).toBeVisible();
    const sides = inbox.getByRole('region', { name: 'Both sides' });
    await expect(sides).toContainText(/DM-11 is committed to DMO-\d{8}-0001/);
    await expect(sides).toContainText('DM-11 changed since you looked');
    await b.keyboard.press('a');
    await expect(inbox).toContainText('Nothing waiting');
    await b.keyboard.press('Escape');
    await expect(b.getByRole('status', { name: 'Conflicts' })).toHaveCount(0);

    // Exactly one deployment stands, at both workstations.
    await a.keyboard.press('F4');
    await expect(a.getByRole('list', { name: 'Units on this incident' })).toContainText('DM-11');
  } finally {
    await proxy.close();
    await wsA.stop();
    await wsB.stop();
    await server.stop();
    dir.remove();
  }
});
