import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultForceConfigFile } from '../../node-common/force-config-file';
import { CLAIM_SPREAD_MS } from '../../shared/dispatch/deadlines';
import { expect, test } from './fixtures';
import { atRole, startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';

/** The demonstration force, alerting a grade 1 incident's dispatchers 6 s untaken instead of 60, and its supervisor 6 s later. */
function quickHandoffForce(dir: string): string {
  const force = JSON.parse(readFileSync(defaultForceConfigFile(), 'utf8')) as { untaken: Record<string, { dispatchersAfterSeconds: number; supervisorAfterSeconds: number }> };
  force.untaken['1'] = { dispatchersAfterSeconds: 6, supervisorAfterSeconds: 6 };
  const file = join(dir, 'force.json');
  writeFileSync(file, JSON.stringify(force));
  return file;
}

test('an incident left untaken alerts the dispatcher’s desk, then the supervisor’s, each heard once; taking it by keyboard ends both', async ({ newContext }) => {
  test.setTimeout(120_000);
  const dir = makeTempDir();
  const forceConfig = quickHandoffForce(dir.path);
  const server = await startServerProcess(join(dir.path, 'central.sqlite'), 0, { forceConfig });
  const dispatchDesk = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'bob', dataDir: join(dir.path, 'a'), forceConfig });
  const supervisorDesk = await startConsoleProcess({ server: server.url, workstation: 'SUPER-1', operator: 'carol', dataDir: join(dir.path, 's'), forceConfig });
  try {
    const bob = await (await newContext()).newPage();
    await bob.goto(dispatchDesk.windowUrl);
    await signIn(bob, 'bob');
    const carol = await (await newContext()).newPage();
    await carol.goto(atRole(supervisorDesk.deskUrl, 'supervisor'));
    await signIn(carol, 'carol', 'demo', 'Refused commands waiting across the room');

    // A grade 1 incident at a place the gazetteer does not know: no point, so the force control room's queue has it.
    await createIncidentByKeyboard(bob, { type: 'Assault', location: 'Bargate', grade: '1', firstLog: 'Fight outside the bar' });
    await bob.keyboard.press('Escape');
    await bob.keyboard.press('Home');
    const row = bob.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /Bargate/ });
    await expect(row).toHaveAttribute('aria-selected', 'true');
    await expect(row).toContainText('Force control room');
    const standing = bob.getByRole('region', { name: /^Incident DMO-/ }).getByText(/^Force control room: /);
    await expect(standing).toHaveText(/^Force control room: not taken, waiting \d+ s \(since \d\d:\d\d\)$/);

    // The supervisor's list has it at once, with its queue and its age, before any alert.
    const handoffs = carol.getByRole('list', { name: 'Handoffs not taken' });
    const listed = handoffs.getByRole('listitem').filter({ hasText: /^DMO-\d{8}-0001 / });
    await expect(listed).toContainText(/Force control room, untaken \d+ s \(since \d\d:\d\d\)/);
    await expect(listed).not.toContainText('alerted');

    // Six seconds on: the dispatcher's desk is alerted, with the key that takes it; the sound once.
    const alarm = bob.getByRole('region', { name: 'Incidents not taken' }).getByRole('listitem').filter({ hasText: /DMO-\d{8}-0001/ });
    await expect(alarm.getByRole('alert')).toHaveText(/^Not taken: DMO-\d{8}-0001 \(Grade 1.*\) in Force control room, waiting since \d\d:\d\d\. Take it, or deploy a unit\.$/, { timeout: 20_000 });
    await expect(alarm).toHaveAttribute('data-sounded-here', 'true');
    await expect(listed).toContainText(/its dispatchers alerted at \d\d:\d\d/);
    await expect(carol.getByRole('alert').filter({ hasText: 'escalated to you' })).toHaveCount(0);

    // Six more: still untaken, the supervisor is alerted too, heard once at her desk.
    const escalated = carol.getByRole('alert').filter({ hasText: /^Not taken by any dispatcher, escalated to you: DMO-\d{8}-0001 in Force control room$/ });
    await expect(escalated).toBeVisible({ timeout: 20_000 });
    await expect(escalated).toHaveAttribute('data-sounded-here', 'true');
    await expect(listed).toContainText(/escalated to the supervisor at \d\d:\d\d/);
    await expect(alarm.getByRole('alert')).toContainText('Escalated to the supervisor.');
    // The log says each, once for the room, whichever desk's claim reached the server first: online, each desk claims
    // at a moment of its own up to CLAIM_SPREAD_MS after the time (the alerts above do not wait for it), so the
    // supervisor's line may come that long after her alert, and then through the server.
    const log = bob.getByRole('log', { name: /^Log of DMO-/ });
    const claimed = { timeout: CLAIM_SPREAD_MS + 10_000 };
    await expect(log).toContainText("Not taken by a dispatcher 6 s after it was made: the Force control room queue's dispatchers are alerted", claimed);
    await expect(log).toContainText('Not taken by a dispatcher 12 s after it was made: the supervisor is alerted', claimed);
    await expect(log.getByText(/^Not taken by a dispatcher/)).toHaveCount(2);

    // Bob goes to the alarm (Shift+F3) and takes the incident with Enter: every desk sees it taken.
    await bob.keyboard.press('Shift+F3');
    await expect(alarm.getByRole('button', { name: /^Take DMO-\d{8}-0001$/ })).toBeFocused();
    await bob.keyboard.press('Enter');
    await expect(bob.getByRole('region', { name: 'Incidents not taken' })).toHaveCount(0);
    await expect(escalated).toHaveCount(0, { timeout: 15_000 });
    await expect(handoffs).toHaveText('Every open incident has been taken.');
    await expect(standing).toHaveText(/^Force control room: taken by bob at \d\d:\d\d$/);
  } finally {
    await dispatchDesk.stop();
    await supervisorDesk.stop();
    await server.stop();
    dir.remove();
  }
});

test('a desk set by keyboard to serve other queues is not alerted for an incident in this one, and is once it serves it again', async ({ newContext }) => {
  test.setTimeout(120_000);
  const dir = makeTempDir();
  const forceConfig = quickHandoffForce(dir.path);
  const server = await startServerProcess(join(dir.path, 'central.sqlite'), 0, { forceConfig });
  const desk = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'bob', dataDir: join(dir.path, 'a'), forceConfig });
  try {
    const bob = await (await newContext()).newPage();
    await bob.goto(desk.windowUrl);
    await signIn(bob, 'bob');
    /** Shift+Tab from where the keyboard is until `target` has it, as an operator would. */
    const backTo = async (target: ReturnType<typeof bob.getByRole>) => {
      for (let i = 0; i < 12 && !(await target.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)); i++) await bob.keyboard.press('Shift+Tab');
      await expect(target).toBeFocused();
    };

    // Bob's desk serves Saltmere North alone: he unticks the other queues.
    await bob.keyboard.press('Escape');
    const summary = bob.getByText(/^Queues this desk serves: /);
    await backTo(summary);
    await expect(summary).toHaveText('Queues this desk serves: all');
    await bob.keyboard.press('Enter');
    const served = bob.getByRole('group', { name: 'Queues this desk serves' });
    await bob.keyboard.press('Tab');
    await expect(served.getByRole('checkbox', { name: 'Saltmere North' })).toBeFocused();
    for (const queue of ['Saltmere South', 'Marston Vale', 'Force control room']) {
      await bob.keyboard.press('Tab');
      await expect(served.getByRole('checkbox', { name: queue })).toBeFocused();
      await bob.keyboard.press('Space');
      await expect(served.getByRole('checkbox', { name: queue })).not.toBeChecked();
    }
    await expect(summary).toHaveText('Queues this desk serves: Saltmere North');

    // An incident in the force control room's queue, left untaken past its time: the log says its dispatchers are
    // alerted, and this desk, which does not serve that queue, shows no alert.
    await bob.keyboard.press('Escape');
    await createIncidentByKeyboard(bob, { type: 'Assault', location: 'Bargate', grade: '1', firstLog: 'Fight outside the bar' });
    await bob.keyboard.press('Escape');
    await bob.keyboard.press('Home');
    await expect(bob.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /Bargate/ })).toHaveAttribute('aria-selected', 'true');
    await expect(bob.getByRole('log', { name: /^Log of DMO-/ })).toContainText("the Force control room queue's dispatchers are alerted", { timeout: 6_000 + CLAIM_SPREAD_MS + 10_000 });
    await expect(bob.getByRole('region', { name: 'Incidents not taken' })).toHaveCount(0);

    // He serves it again: the alert is there at once.
    const controlRoom = served.getByRole('checkbox', { name: 'Force control room' });
    await backTo(controlRoom);
    await bob.keyboard.press('Space');
    await expect(controlRoom).toBeChecked();
    await expect(bob.getByRole('region', { name: 'Incidents not taken' }).getByRole('alert')).toContainText(/^Not taken: DMO-\d{8}-0001 .* in Force control room, waiting since \d\d:\d\d\./);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
