import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';

test('an incident confirmed while the server is down survives kill -9 of the workstation, twice, and reaches the server exactly once', async ({ newContext }) => {
  const dir = makeTempDir();
  const serverFile = join(dir.path, 'central.sqlite');
  let server = await startServerProcess(serverFile);
  const port = server.port;
  let workstation = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'alice', dataDir: join(dir.path, 'a') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(workstation.windowUrl);
    await signIn(page, 'alice');
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online');

    await server.kill9();
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText(/^Offline since \d\d:\d\d — 0 commands waiting to send$/);

    await createIncidentByKeyboard(page, { type: 'Missing', location: 'Southampton Common, Hawthorns cafe', grade: '1', firstLog: 'Boy aged 7 missing for 20 minutes' });
    const confirmed = page.getByRole('option', { name: /Missing person.*Hawthorns cafe/ });
    await expect(confirmed).toContainText('WS-A-P0001');
    await expect(confirmed).toContainText('not yet on the server');
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText(/1 command waiting to send/);

    await workstation.kill9();
    // Back up while the server is still down: the operator signs in against what this workstation kept, and the
    // incident is still there, still waiting.
    workstation = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'alice', dataDir: join(dir.path, 'a') });
    await page.goto(workstation.windowUrl);
    // The same address as before the restart: the window finds the workstation again, which has nobody signed in.
    await expect(page.getByLabel('Operator')).toBeVisible();
    await signIn(page, 'alice');
    await expect(page.getByText('signed in offline')).toBeVisible();
    await expect(page.getByRole('option', { name: /Missing person.*Hawthorns cafe/ })).toContainText('not yet on the server');

    await workstation.kill9();
    server = await startServerProcess(serverFile, port);
    workstation = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'alice', dataDir: join(dir.path, 'a') });
    await page.goto(workstation.windowUrl);
    // The same address as before the restart: the window finds the workstation again, which has nobody signed in.
    await expect(page.getByLabel('Operator')).toBeVisible();
    await signIn(page, 'alice');
    const synced = page.getByRole('option', { name: /Missing person.*Hawthorns cafe/ });
    await expect(synced).toContainText(/DMO-\d{8}-0001/);
    await expect(synced).not.toContainText('not yet on the server');
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online');
  } finally {
    await workstation.stop();
    await server.stop();
  }

  const db = new Database(serverFile, { readonly: true });
  const incidents = db.prepare(`SELECT json_extract(doc, '$.location.text') AS location FROM records WHERE kind = 'incident'`).all();
  const commands = db.prepare(`SELECT name, status FROM command_log WHERE name = 'incident.create'`).all();
  db.close();
  expect(incidents).toEqual([{ location: 'Southampton Common, Hawthorns cafe' }]);
  expect(commands).toEqual([{ name: 'incident.create', status: 'applied' }]);
  dir.remove();
});

test('a window left open while its workstation restarts reconnects by itself: same address, same key, nothing to reopen', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  let workstation = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'alice', dataDir: join(dir.path, 'a') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(workstation.windowUrl);
    await signIn(page, 'alice');
    await createIncidentByKeyboard(page, { type: 'Theft', location: '12 Market Street', grade: '3', firstLog: 'Bicycle taken from the yard' });
    const before = workstation.deskUrl;

    await workstation.kill9();
    workstation = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'alice', dataDir: join(dir.path, 'a') });
    expect(workstation.deskUrl).toBe(before);
    // Not reloaded: the window finds the workstation again on its own and asks the operator to sign in again.
    await expect(page.getByLabel('Operator')).toBeVisible();
    await signIn(page, 'alice');
    await expect(page.getByRole('option', { name: /Theft.*Market Street/ })).toBeVisible();
  } finally {
    await workstation.stop();
    await server.stop();
    dir.remove();
  }
});
