import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures';
import { atRole, startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';
import { twoLinesRefusedForDan } from './refused-for-dan';

test("the supervisor's list of the room's refused commands: at her own desk she chooses, dismisses one with a reason and redoes the other by keyboard (F3), and the issuer's alert clears", async ({ newContext }) => {
  const dir = makeTempDir();
  let server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const issuerDesk = await startConsoleProcess({ server: server.url, workstation: 'WS-B', operator: 'dan', dataDir: join(dir.path, 'b') });
  const supervisorDesk = await startConsoleProcess({ server: server.url, workstation: 'SUPER-1', operator: 'carol', dataDir: join(dir.path, 's') });
  try {
    const issuer = await (await newContext()).newPage();
    await issuer.goto(issuerDesk.windowUrl);
    // Dan's two lines in a log, written while the server was away, refused when it comes back with him in training.
    const refused = await twoLinesRefusedForDan(issuer, server, dir.path);
    server = refused.server;
    const { refusedAlert } = refused;

    // Carol, at the supervisor's desk, has both waiting, the oldest first.
    const supervisor = await (await newContext()).newPage();
    await supervisor.goto(atRole(supervisorDesk.deskUrl, 'supervisor'));
    await signIn(supervisor, 'carol', 'demo', 'Refused commands waiting across the room');
    const waiting = supervisor.getByRole('listbox', { name: 'Refused commands waiting across the room' });
    await expect(waiting.getByRole('option')).toHaveCount(2, { timeout: 15_000 });
    await supervisor.keyboard.press('F3');
    await expect(waiting).toBeFocused();
    await expect(waiting.getByRole('option', { selected: true })).toContainText('Security have CCTV of the theft');
    await expect(waiting.getByRole('option', { selected: true })).toContainText('dan at WS-B');

    // Down to the second and back; D asks why, Esc cancels only that, and the list keeps the keyboard.
    await supervisor.keyboard.press('ArrowDown');
    await expect(waiting.getByRole('option', { selected: true })).toContainText('Suspect gave a false name');
    await supervisor.keyboard.press('ArrowUp');
    await expect(waiting.getByRole('option', { selected: true })).toContainText('Security have CCTV of the theft');
    await supervisor.keyboard.press('d');
    const reason = supervisor.getByLabel(/Why dismiss/);
    await expect(reason).toBeFocused();
    await supervisor.keyboard.press('Escape');
    await expect(reason).toBeHidden();
    await expect(waiting).toBeFocused();

    // She dismisses the first, saying why, and redoes the other in her name.
    await supervisor.keyboard.press('d');
    await expect(reason).toBeFocused();
    await supervisor.keyboard.type('Passed to the crew by radio instead');
    await supervisor.keyboard.press('Enter');
    await expect(waiting.getByRole('option')).toHaveCount(1);
    await expect(waiting).toBeFocused();
    await expect(waiting.getByRole('option', { selected: true })).toContainText('Suspect gave a false name');
    await supervisor.keyboard.press('r');
    await expect(waiting.getByRole('option')).toHaveCount(0);
    await expect(supervisor.getByText('No refused commands waiting at any workstation.')).toBeVisible();

    // The issuer's workstation follows: nothing of his is left refused.
    await expect(refusedAlert).toHaveCount(0, { timeout: 15_000 });
    // His refused list says who handled each, and why; the redone line is in the log as carol's, the other is not.
    await issuer.keyboard.press('Shift+F8');
    const dialog = issuer.getByRole('dialog', { name: 'Refused commands' });
    await expect(dialog).toContainText('Nothing waiting');
    const handled = dialog.getByRole('list', { name: 'Refused commands handled' });
    await expect(handled).toContainText(/Security have CCTV of the theft” — dan: Dismissed by carol at [\d:]+: Passed to the crew by radio instead/);
    await expect(handled).toContainText(/Suspect gave a false name” — dan: Redone by carol/);
    await issuer.keyboard.press('Escape');
    // The redone line is in the incident's log as carol's, the dismissed one is not. Read on the server: dan, a trainer
    // now, may no longer read the room's incidents at a live workstation (shared/contract/channel-access.ts).
    const db = new Database(join(dir.path, 'central.sqlite'), { readonly: true });
    try {
      const lines = (text: string) => (db.prepare(`SELECT doc FROM records WHERE kind = 'logEntry' AND doc LIKE ?`).all(`%${text}%`) as { doc: string }[]).map((row) => JSON.parse(row.doc) as { author?: { operator?: string }; operator?: string; by?: string });
      await expect.poll(() => lines('Suspect gave a false name').length, { timeout: 15_000 }).toBe(1);
      expect(JSON.stringify(lines('Suspect gave a false name'))).toContain('carol');
      expect(lines('Security have CCTV of the theft')).toEqual([]);
    } finally {
      db.close();
    }
  } finally {
    await issuerDesk.stop();
    await supervisorDesk.stop();
    await server.stop();
    dir.remove();
  }
});
