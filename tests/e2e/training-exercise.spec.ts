import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { atRole, joinExerciseConsole, startConsoleProcess, startExerciseConsole, startStandaloneConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';

/** Each SQLite file of a folder (not its subfolders) and the SHA-256 of its bytes. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.includes('.sqlite'))
      .map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]),
  );
}

/** Presses Tab until the control named is focused, as a trainer would, at most `max` times. */
async function tabTo(page: Page, role: 'button' | 'combobox', name: string, max = 60) {
  const target = page.getByRole(role, { name });
  for (let i = 0; i < max && !(await target.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement).catch(() => false)); i++) await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
}

/** Signs in by keyboard; four consoles and three browsers share this machine, so the desk may take a while to come. */
async function signIn(page: Page, operator: string, workspace = 'Open incidents') {
  await page.getByLabel('Operator').fill(operator);
  await page.getByLabel('Password').fill('demo');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox', { name: workspace })).toBeVisible({ timeout: 30_000 });
}

const banner = (page: Page) => page.getByRole('region', { name: 'Training exercise — not live' });

test('a trainer runs a shipped scenario: two trainees join with the code and take its calls, pausing and speeding it shows on both desks, a live workstation is refused, and the live files are untouched', async ({ newContext }) => {
  test.setTimeout(180_000);
  const dir = makeTempDir();
  const deskDir = join(dir.path, 'desk');
  // The trainer's laptop has been used live: its live files exist before the exercise.
  const live = await startStandaloneConsole({ workstation: 'trainer', dataDir: deskDir });
  await live.stop();
  const liveFiles = filesOf(deskDir);
  expect(Object.keys(liveFiles)).toEqual(expect.arrayContaining(['workstation.sqlite', 'central-server.sqlite']));

  const trainer = await startExerciseConsole({ scenario: join(process.cwd(), 'assets', 'exercises', 'friday-night.json'), workstation: 'trainer', dataDir: deskDir, operator: 'tina' });
  const callTaker = await joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'trainee-1', operator: 'alice', dataDir: join(dir.path, 't1') });
  const dispatcher = await joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'trainee-2', operator: 'bob', dataDir: join(dir.path, 't2') });
  const liveDesk = await startConsoleProcess({ server: trainer.serverUrl, workstation: 'LIVE-1', operator: 'bob', dataDir: join(dir.path, 'live-1') });
  try {
    const desk = await (await newContext()).newPage();
    const alice = await (await newContext()).newPage();
    const bob = await (await newContext()).newPage();
    const liveWindow = await (await newContext()).newPage();
    await desk.goto(atRole(trainer.deskUrl, 'incidents'));
    await alice.goto(atRole(callTaker.deskUrl, 'calltaking'));
    await bob.goto(atRole(dispatcher.deskUrl, 'incidents'));
    await liveWindow.goto(liveDesk.windowUrl);
    await signIn(desk, 'tina');
    await signIn(alice, 'alice', 'Calls');
    await signIn(bob, 'bob');

    // Every window of the exercise says so; the live workstation is refused in words, and is not marked.
    for (const page of [desk, alice, bob]) {
      await expect(banner(page)).toContainText('TRAINING EXERCISE — NOT LIVE');
      await expect(banner(page).getByRole('status')).toHaveText('Exercise paused: the clocks have stopped');
    }
    await expect(banner(desk)).toContainText('A busy Friday night');
    await expect(liveWindow.getByRole('status', { name: 'Connection' })).toContainText('This server runs a training exercise: a live workstation may not join it');
    await expect(banner(liveWindow)).toHaveCount(0);

    // The trainer starts it and jumps to the first call, keyboard only: it rings on the call taker's queue.
    await tabTo(desk, 'button', 'Start exercise');
    await desk.keyboard.press('Enter');
    for (const page of [desk, alice, bob]) await expect(banner(page).getByRole('status')).toHaveText('Exercise running');
    await tabTo(desk, 'button', 'Next inject');
    await desk.keyboard.press('Enter');
    const fight = alice.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: /07700 900111\s*ringing/ });
    await expect(fight).toBeVisible({ timeout: 15_000 });
    await alice.keyboard.press('F2');
    await expect(alice.getByRole('form', { name: 'Call' })).toBeVisible();

    // 8× on every desk, then paused on every desk, at one exercise time.
    await tabTo(desk, 'combobox', 'Speed');
    // Each arrow goes one speed up, once the trainer's desk shows the last.
    for (const speed of [2, 4, 8]) {
      await desk.keyboard.press('ArrowDown');
      await expect(banner(desk).getByRole('status')).toHaveText(`Exercise running at ${speed}× speed`);
    }
    for (const page of [desk, alice, bob]) await expect(banner(page).getByRole('status')).toHaveText('Exercise running at 8× speed');
    await tabTo(desk, 'button', 'Pause exercise');
    await desk.keyboard.press('Enter');
    for (const page of [desk, alice, bob]) await expect(banner(page).getByRole('status')).toHaveText('Exercise paused: the clocks have stopped');
    const stoppedAt = (await banner(desk).textContent())!.match(/exercise time (\d\d:\d\d)/)![1]!;
    for (const page of [alice, bob]) await expect(banner(page)).toContainText(`exercise time ${stoppedAt}`);
  } finally {
    await liveDesk.stop();
    await callTaker.stop();
    await dispatcher.stop();
    await trainer.stop();
  }
  // The exercise wrote only its own files: the live ones are byte for byte as they were.
  expect(filesOf(deskDir)).toEqual(liveFiles);
  const runs = readdirSync(join(deskDir, 'exercises'));
  expect(runs).toEqual([expect.stringMatching(/^friday-night-\d{8}-\d{6}$/)]);
  expect(Object.keys(filesOf(join(deskDir, 'exercises', runs[0]!)))).toEqual(expect.arrayContaining(['workstation.sqlite', 'central-server.sqlite']));
  dir.remove();
});
