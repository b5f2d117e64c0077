import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultForceConfigFile } from '../../node-common/force-config-file';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { bookOn, createIncidentByKeyboard, signIn } from './helpers';

/**
 * The demonstration force, waiting 8 s instead of 60 for a grade 1 deployment's acceptance, and a minute instead of 15
 * for its attendance: a test waits seconds.
 */
function quickReceiptForce(dir: string): string {
  const force = JSON.parse(readFileSync(defaultForceConfigFile(), 'utf8')) as { grades: { code: string; receiptWithinSeconds?: number; attendanceTargetMinutes: number | null }[] };
  for (const grade of force.grades) {
    if (grade.code !== '1') continue;
    grade.receiptWithinSeconds = 8;
    grade.attendanceTargetMinutes = 1;
  }
  const file = join(dir, 'force.json');
  writeFileSync(file, JSON.stringify(force));
  return file;
}

test('a grade 1 deployment its terminal never answers: the dispatcher who sent it is alarmed once, the incident shows it unconfirmed, and a radio confirmation by keyboard ends it; the breach alarm too sounds once at the desk', async ({ newContext }) => {
  test.setTimeout(150_000); // it waits a minute for the attendance target to be missed
  const dir = makeTempDir();
  const forceConfig = quickReceiptForce(dir.path);
  const server = await startServerProcess(join(dir.path, 'central.sqlite'), 0, { forceConfig });
  // No vehicles answer at either workstation: the deployment stays "sent".
  const deskA = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'bob', dataDir: join(dir.path, 'a'), forceConfig });
  const deskB = await startConsoleProcess({ server: server.url, workstation: 'WS-B', operator: 'carol', dataDir: join(dir.path, 'b'), forceConfig });
  try {
    const contextA = await newContext();
    // Counts the two-tone alert's tones (square waves: the 999 and breach alert; the receipt alarm's are triangles).
    await contextA.addInitScript({
      content: `window.squareTones = 0;
        const start = OscillatorNode.prototype.start;
        OscillatorNode.prototype.start = function (...args) {
          if (this.type === 'square') window.squareTones += 1;
          return start.apply(this, args);
        };`,
    });
    const squareTones = (page: typeof a) => page.evaluate(() => (globalThis as unknown as { squareTones: number }).squareTones);
    const a = await contextA.newPage();
    const b = await (await newContext()).newPage();
    await a.goto(deskA.windowUrl);
    await b.goto(deskB.windowUrl);
    await signIn(a, 'bob');
    await signIn(b, 'carol');
    // A second window of A's desk: the alarm shows in both, and sounds in one.
    const a2 = await contextA.newPage();
    await a2.goto(deskA.windowUrl);
    await signIn(a2, 'bob');

    await bookOn(a, 'DM-11');
    await createIncidentByKeyboard(a, { type: 'Assault', location: 'Bargate', grade: '1', firstLog: 'Fight outside the bar' });
    await a.keyboard.press('Escape');
    await a.keyboard.press('Home');
    const incident = a.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /Bargate/ });
    await expect(incident).toHaveAttribute('aria-selected', 'true');
    // Its reference from the server first: the announcement names the incident as the desk knows it when the unit is
    // sent, and one sent within the push's round trip is rightly announced by its provisional WS-A-P0001.
    await expect(incident).toContainText(/DMO-\d{8}-0001/, { timeout: 10_000 });
    await a.keyboard.press('Shift+F4');
    await expect(a.getByRole('listbox', { name: 'Recommended units' }).getByRole('option').first()).toContainText(/^DM-11 /);
    await a.keyboard.press('Enter');
    await expect(a.getByRole('status', { name: 'Announcements' })).toHaveText(/^DM-11 deployed to DMO-\d{8}-0001$/);
    const units = a.getByRole('list', { name: 'Units on this incident' });
    await expect(units).toContainText('DM-11 Assigned · terminal: sent');
    await expect(units).not.toContainText('UNCONFIRMED');

    // Eight seconds on: the alarm, at the desk that sent it, in both its windows; the sound in one of them.
    const alarm = (page: typeof a) => page.getByRole('region', { name: 'Alarms and prompts' }).getByRole('listitem').filter({ hasText: /^DM-11 not confirmed on DMO-\d{8}-0001 \(grade 1\)/ });
    await expect(alarm(a).getByRole('alert')).toContainText('no receipt from its terminal. Confirm it by radio.', { timeout: 20_000 });
    await expect(alarm(a2)).toBeVisible();
    await expect.poll(async () => (await alarm(a).getAttribute('data-sounded-here')) !== null || (await alarm(a2).getAttribute('data-sounded-here')) !== null).toBe(true);
    expect([await alarm(a).getAttribute('data-sounded-here'), await alarm(a2).getAttribute('data-sounded-here')].filter((v) => v !== null)).toHaveLength(1);
    await expect(units).toContainText('UNCONFIRMED: not accepted by the crew, confirm by radio');
    const log = a.getByRole('log', { name: /^Log of DMO-/ });
    await expect(log).toContainText('DM-11 has not accepted the deployment 8 s after it was sent (no receipt from its terminal): the dispatcher at WS-A is alerted to confirm it by radio');

    // The other dispatcher's desk has the alarm's log line, and no alarm of its own.
    await b.keyboard.press('F4');
    await b.keyboard.press('Home');
    await expect(b.getByRole('log', { name: /^Log of DMO-/ })).toContainText('the dispatcher at WS-A is alerted to confirm it by radio', { timeout: 10_000 });
    await expect(b.getByRole('region', { name: 'Alarms and prompts' })).toHaveCount(0);

    // Keyboard only: Shift+F3 goes to the alarm, Enter records the confirmation by radio.
    await a.keyboard.press('Shift+F3');
    await expect(alarm(a).getByRole('button', { name: 'DM-11 confirmed by radio' })).toBeFocused();
    await a.keyboard.press('Enter');
    await expect(a.getByRole('region', { name: 'Alarms and prompts' })).toHaveCount(0);
    await expect(a2.getByRole('region', { name: 'Alarms and prompts' })).toHaveCount(0);
    await expect(log).toContainText('DM-11 confirmed the deployment by radio');
    await expect(units).toContainText(/DM-11 Assigned · terminal: sent · confirmed by radio at \d\d:\d\d \(bob\)/);
    await expect(units).not.toContainText('UNCONFIRMED');

    // A minute after grading with nobody at scene, the attendance target is missed: the banner in both of A's
    // windows, the breach alarm's tones (three pulses of two) in one of them only.
    for (const page of [a, a2]) await expect(page.getByRole('alert').filter({ hasText: /^Attendance target missed: DMO-\d{8}-0001/ })).toBeVisible({ timeout: 70_000 });
    await expect.poll(async () => (await squareTones(a)) + (await squareTones(a2))).toBe(6);
    expect([await squareTones(a), await squareTones(a2)].sort()).toEqual([0, 6]);
  } finally {
    await deskA.stop();
    await deskB.stop();
    await server.stop();
    dir.remove();
  }
});
