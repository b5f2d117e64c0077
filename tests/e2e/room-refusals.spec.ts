import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
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

test("a supervisor at another workstation dismisses a refused command with a reason and redoes the other, by keyboard from her desk; the issuer's alert clears", async ({ newContext }) => {
  const dir = makeTempDir();
  const file = join(dir.path, 'central.sqlite');
  let server = await startServerProcess(file);
  const issuerDesk = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'dan', dataDir: join(dir.path, 'a') });
  const supervisorDesk = await startConsoleProcess({ server: server.url, workstation: 'WS-B', operator: 'carol', dataDir: join(dir.path, 'b') });
  try {
    const issuer = await (await newContext()).newPage();
    await issuer.goto(issuerDesk.windowUrl);
    await signIn(issuer, 'dan');
    await createIncidentByKeyboard(issuer, { type: 'Theft', location: 'Above Bar Street', grade: '2', firstLog: 'Shoplifter detained by security' });
    const connection = issuer.getByRole('status', { name: 'Connection' });
    await expect(connection).toHaveText('Online', { timeout: 10_000 });

    // The server goes away; dan writes two lines meanwhile; it comes back with dan moved to training.
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
    await expect(refusedAlert).toHaveText('2 commands refused by the server — Shift+F8', { timeout: 40_000 });

    // Carol, at her own desk's supervisor window, goes to the room's refused commands (F3).
    const supervisor = await (await newContext()).newPage();
    await supervisor.goto(supervisorDesk.windowUrl.replace('role=incidents', 'role=supervisor'));
    await signIn(supervisor, 'carol', 'demo', 'Refused commands waiting across the room');
    const waiting = supervisor.getByRole('listbox', { name: 'Refused commands waiting across the room' });
    await expect(waiting.getByRole('option')).toHaveCount(2, { timeout: 40_000 });
    await supervisor.keyboard.press('F3');
    await expect(waiting).toBeFocused();
    const chosen = waiting.getByRole('option', { selected: true });
    await expect(chosen).toContainText('Security have CCTV of the theft');
    await expect(chosen).toContainText(/dan at WS-A, refused at \d\d:\d\d, waiting (under a minute|\d+ min): dan may not incident\.addLog/);

    // D, the reason, Enter: dismissed in her name.
    await supervisor.keyboard.press('d');
    const reason = supervisor.getByLabel(/Why dismiss/);
    await expect(reason).toBeFocused();
    await supervisor.keyboard.type('Passed to the crew by radio instead');
    await supervisor.keyboard.press('Enter');
    await expect(waiting.getByRole('option')).toHaveCount(1);
    await expect(waiting).toBeFocused();
    await expect(refusedAlert).toHaveText('1 command refused by the server — Shift+F8', { timeout: 15_000 });

    // R: the other done again, now, in her name.
    await expect(chosen).toContainText('Suspect gave a false name');
    await supervisor.keyboard.press('r');
    await expect(waiting.getByRole('option')).toHaveCount(0);
    await expect(supervisor.getByText('No refused commands waiting at any workstation.')).toBeVisible();

    // At dan's desk the alert is gone; his refused list says who handled each, and why.
    await expect(refusedAlert).toHaveCount(0, { timeout: 15_000 });
    await issuer.keyboard.press('Shift+F8');
    const dialog = issuer.getByRole('dialog', { name: 'Refused commands' });
    await expect(dialog).toContainText('Nothing waiting');
    const handled = dialog.getByRole('list', { name: 'Refused commands handled' });
    await expect(handled).toContainText(/Security have CCTV of the theft” — dan: Dismissed by carol at [\d:]+: Passed to the crew by radio instead/);
    await expect(handled).toContainText(/Suspect gave a false name” — dan: Redone by carol/);
    await issuer.keyboard.press('Escape');
    await expect(issuer.getByRole('log', { name: /Log of / })).toContainText(/carol \(WS-B\) Suspect gave a false name/, { timeout: 15_000 });
    await expect(issuer.getByRole('log', { name: /Log of / })).not.toContainText('Security have CCTV of the theft');
  } catch (error) {
    console.log(issuerDesk.output().slice(-4000));
    throw error;
  } finally {
    await issuerDesk.stop();
    await supervisorDesk.stop();
    await server.stop();
    dir.remove();
  }
});
