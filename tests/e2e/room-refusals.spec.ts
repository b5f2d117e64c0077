import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { atRole, startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';

/** The demonstration accounts, with dan moved to training: the server will refuse his control-room commands. */
function operatorsWithDanInTraining(dir: string): string {
  const demo = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'assets', 'force', 'demo-operators.json'), 'utf8')) as { operators: { name: string; roles: string[] }[] };
  for (const operator of demo.operators) if (operator.name === 'dan') operator.roles = ['trainer'];
  const file = join(dir, 'operators.json');
  writeFileSync(file, JSON.stringify(demo));
  return file;
}

test("the supervisor's list of the room's refused commands: at her own desk she chooses, dismisses one with a reason and redoes the other by keyboard (F3), and the issuer's alert clears", async ({ newContext }) => {
  const dir = makeTempDir();
  const file = join(dir.path, 'central.sqlite');
  let server = await startServerProcess(file);
  const issuerDesk = await startConsoleProcess({ server: server.url, workstation: 'WS-B', operator: 'dan', dataDir: join(dir.path, 'b') });
  const supervisorDesk = await startConsoleProcess({ server: server.url, workstation: 'SUPER-1', operator: 'carol', dataDir: join(dir.path, 's') });
  try {
    const issuer = await (await newContext()).newPage();
    await issuer.goto(issuerDesk.windowUrl);
    await signIn(issuer, 'dan');
    await createIncidentByKeyboard(issuer, { type: 'Theft', location: 'Above Bar Street', grade: '2', firstLog: 'Shoplifter detained by security' });
    const connection = issuer.getByRole('status', { name: 'Connection' });
    await expect(connection).toHaveText('Online', { timeout: 10_000 });

    // The server goes away; dan writes two lines in the log meanwhile; it comes back with dan moved to training.
    await server.stop();
    await expect(connection).toHaveText(/^Offline since/);
    for (const text of ['Security have CCTV of the theft', 'Suspect gave a false name']) {
      await issuer.keyboard.press('F3');
      await issuer.keyboard.type(text);
      await issuer.keyboard.press('Enter');
      await expect(issuer.getByRole('log', { name: /Log of / })).toContainText(text);
    }
    server = await startServerProcess(file, server.port, { args: ['--operators', operatorsWithDanInTraining(dir.path)] });
    const refusedAlert = issuer.getByRole('alert').filter({ hasText: 'refused by the server' });
    await expect(refusedAlert).toHaveText('2 commands refused by the server — Shift+F8', { timeout: 15_000 });

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
  } finally {
    await issuerDesk.stop();
    await supervisorDesk.stop();
    await server.stop();
    dir.remove();
  }
});
