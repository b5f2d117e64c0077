import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn, selectByKeyboard } from './helpers';
import { twoLinesRefusedForDan } from './refused-for-dan';

test('commands the server refused: their operator dismisses one with a reason, a supervisor redoes the other, by keyboard from Shift+F8', async ({ newContext }) => {
  const dir = makeTempDir();
  let server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const ws = await startConsoleProcess({ server: server.url, workstation: 'WS-B', operator: 'dan', dataDir: join(dir.path, 'b') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(ws.windowUrl);
    // Dan's two lines in a log, written while the server was away, refused when it comes back with him in training.
    const refused = await twoLinesRefusedForDan(page, server, dir.path);
    server = refused.server;
    const { refusedAlert } = refused;

    // Dan dismisses the first, saying why.
    await page.keyboard.press('Shift+F8');
    const dialog = page.getByRole('dialog', { name: 'Refused commands' });
    const waiting = dialog.getByRole('listbox', { name: 'Refused commands waiting' });
    await expect(waiting).toBeFocused();
    await expect(waiting.getByRole('option')).toHaveCount(2);
    await expect(waiting.getByRole('option', { selected: true })).toContainText('Security have CCTV of the theft');
    await expect(waiting.getByRole('option', { selected: true })).toContainText('dan may not write in an incident’s log');
    await page.keyboard.press('d');
    const reason = dialog.getByLabel(/Why dismiss/);
    await expect(reason).toBeFocused();
    // No reason: asked for, in words, and nothing dismissed.
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('alert')).toHaveText('Say why it is dismissed: the reason is kept with it.');
    await expect(waiting.getByRole('option')).toHaveCount(2);
    await page.keyboard.type('Passed to the crew by radio instead');
    await page.keyboard.press('Enter');
    await expect(waiting.getByRole('option')).toHaveCount(1);
    await expect(waiting).toBeFocused();
    await expect(dialog.getByRole('list', { name: 'Refused commands handled' })).toContainText(/Security have CCTV of the theft” — dan: Dismissed by dan at [\d:]+: Passed to the crew by radio instead/);

    // He may not redo the other himself any more (the server moved him to training): a supervisor may.
    await page.keyboard.press('r');
    await expect(dialog.getByRole('alert')).toHaveText('dan may not write in an incident’s log');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(refusedAlert).toHaveText('1 command refused by the server — Shift+F8');
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('Operator')).toBeVisible();
    await signIn(page, 'carol');

    await page.keyboard.press('Shift+F8');
    await expect(waiting.getByRole('option', { selected: true })).toContainText('Suspect gave a false name” — dan');
    await page.keyboard.press('r');
    await expect(waiting.getByRole('option')).toHaveCount(0);
    await expect(dialog).toContainText('Nothing waiting');
    await expect(dialog.getByRole('list', { name: 'Refused commands handled' })).toContainText(/Suspect gave a false name” — dan: Redone by carol/);
    await page.keyboard.press('Escape');
    // The alert is gone with nothing left unhandled, and the line is on the incident as carol's.
    await expect(refusedAlert).toHaveCount(0);
    await page.keyboard.press('F4');
    const incident = page.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /Above Bar Street/ });
    await selectByKeyboard(page, incident);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('log', { name: /Log of / })).toContainText(/carol \(WS-B\) Suspect gave a false name/);
    await expect(page.getByRole('log', { name: /Log of / })).not.toContainText('Security have CCTV of the theft');
  } finally {
    await ws.stop();
    await server.stop();
    dir.remove();
  }
});

test('a sign-in the server no longer accepts: the work is held on screen, and goes as hers once she signs in again from the status bar', async ({ newContext }) => {
  const dir = makeTempDir();
  const file = join(dir.path, 'central.sqlite');
  let server = await startServerProcess(file);
  const ws = await startConsoleProcess({ server: server.url, workstation: 'WS-C', operator: 'alice', dataDir: join(dir.path, 'c') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(ws.windowUrl);
    await signIn(page, 'alice');
    const connection = page.getByRole('status', { name: 'Connection' });
    await expect(connection).toHaveText('Online', { timeout: 10_000 });

    // During an outage the server's ticket-signing key is changed: alice's ticket is no longer one it issued.
    await server.stop();
    await expect(connection).toHaveText(/^Offline since/);
    await createIncidentByKeyboard(page, { type: 'Burglary', location: 'Bargate', grade: '2', firstLog: 'Alarm sounding at the jeweller' });
    const db = new Database(file);
    db.prepare(`UPDATE secrets SET value = 'a-new-signing-key' WHERE name = 'ticket-signing-key'`).run();
    db.close();
    server = await startServerProcess(file, server.port);

    const held = page.getByRole('alert').filter({ hasText: 'held until you sign in again' });
    await expect(held).toContainText('1 command held until you sign in again', { timeout: 40_000 }); // at the next retry, up to 30 s away
    const incident = page.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /Bargate/ });
    await expect(incident).toContainText('WS-C-P0001'); // still on screen, not yet on the server

    await held.getByRole('button', { name: 'Sign in again' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Sign in again' });
    await expect(dialog.getByLabel('Password')).toBeFocused();
    await page.keyboard.type('demo');
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(held).toHaveCount(0, { timeout: 10_000 });
    await expect(incident).toContainText(/DMO-\d{8}-0001/, { timeout: 10_000 });
    await expect(page.getByRole('alert').filter({ hasText: 'refused' })).toHaveCount(0);
  } finally {
    await ws.stop();
    await server.stop();
    dir.remove();
  }
});
