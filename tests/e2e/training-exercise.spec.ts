import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { atRole, joinExerciseConsole, startConsoleProcess, startExerciseConsole, startStandaloneConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { axeFindings } from './axe';
import { deployByCommandLine, trainingBanner, signInToDesk as signIn, tabTo } from './exercise-desks';

/** Each SQLite file of a folder (not its subfolders) and the SHA-256 of its bytes. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.includes('.sqlite'))
      .map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]),
  );
}

const banner = trainingBanner;

/** An attendance clock's words in seconds left ("Attendance: 14:35 left" is 875; "0:20 over" is -20). */
function secondsLeft(words: string): number {
  const [, mm, ss, side] = /(\d+):(\d\d) (left|over)/.exec(words) ?? [];
  if (!mm) throw new Error(`no attendance clock in "${words}"`);
  return (side === 'left' ? 1 : -1) * (Number(mm) * 60 + Number(ss));
}

/**
 * At a trainee's call-taking window: waits for the call from `number` to ring, lets it ring `waitMs` more (the wait
 * the test causes), answers it with F2 and returns how long it rang on screen before the answer (s, real time).
 */
async function answerAfter(page: Page, number: string, waitMs: number): Promise<number> {
  await expect(page.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: new RegExp(`${number}\\s*ringing`) })).toBeVisible({ timeout: 30_000 });
  const rang = Date.now();
  // The call rings unanswered until `waitMs` has passed: this wait is the figure the review must give back.
  await expect.poll(() => Date.now() - rang, { timeout: waitMs + 5_000 }).toBeGreaterThanOrEqual(waitMs);
  await page.keyboard.press('F2');
  const answered = Date.now();
  await expect(page.getByRole('form', { name: 'Call' })).toContainText(number);
  return (answered - rang) / 1000;
}

/** On the call form: locates by typing `place`, types ASSAULT and grade 1, and saves the incident with Ctrl+Enter. */
async function saveAsAssault(page: Page, place: string, expected: string) {
  const form = page.getByRole('form', { name: 'Call' });
  await expect(form.getByRole('combobox', { name: 'Location' })).toBeFocused();
  await page.keyboard.type(place);
  await expect(form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first()).toContainText(expected);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Assault');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1');
  await expect(form.getByLabel('Grade')).toHaveValue('1');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('status', { name: 'Announcements' }).filter({ hasText: /Incident \S+ created/ })).toBeVisible({ timeout: 15_000 });
}

test('a trainer runs a shipped scenario, keyboard only: two trainees join with the code and take a call each and dispatch; pausing stops the clocks on both desks, 4× runs them four times as fast; the review gives back the answer times the test caused; a live workstation is refused, and the live files are untouched', async ({ newContext }) => {
  test.setTimeout(300_000);
  const dir = makeTempDir();
  const deskDir = join(dir.path, 'desk');
  const traineeDir = join(dir.path, 't1');
  // The trainer's laptop and a trainee's have been used live: their live files (a workstation's and its embedded
  // server's) exist before the exercise.
  for (const [workstation, dataDir] of [['trainer', deskDir], ['trainee-1', traineeDir]] as const) {
    const live = await startStandaloneConsole({ workstation, dataDir });
    await live.stop();
  }
  const liveFiles = filesOf(deskDir);
  const traineeLiveFiles = filesOf(traineeDir);
  for (const files of [liveFiles, traineeLiveFiles]) expect(Object.keys(files)).toEqual(expect.arrayContaining(['workstation.sqlite', 'central-server.sqlite']));

  const trainer = await startExerciseConsole({ scenario: join(process.cwd(), 'assets', 'exercises', 'friday-night.json'), workstation: 'trainer', dataDir: deskDir, operator: 'tina' });
  const first = await joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'trainee-1', operator: 'carol', dataDir: traineeDir });
  const second = await joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'trainee-2', operator: 'dan', dataDir: join(dir.path, 't2') });
  const liveDesk = await startConsoleProcess({ server: trainer.serverUrl, workstation: 'LIVE-1', operator: 'bob', dataDir: join(dir.path, 'live-1') });
  try {
    const desk = await (await newContext()).newPage();
    const carol = await (await newContext()).newPage();
    const dan = await (await newContext()).newPage();
    const liveWindow = await (await newContext()).newPage();
    await desk.goto(atRole(trainer.deskUrl, 'incidents'));
    await carol.goto(atRole(first.deskUrl, 'calltaking'));
    await dan.goto(atRole(second.deskUrl, 'calltaking'));
    await liveWindow.goto(liveDesk.windowUrl);
    await signIn(desk, 'tina', 'Open incidents');
    await signIn(carol, 'carol', 'Calls');
    await signIn(dan, 'dan', 'Calls');
    const trainees = desk.getByRole('list', { name: 'Trainees' });
    const traineeRow = (workstation: string) => trainees.getByRole('listitem').filter({ hasText: `${workstation}:` });

    // Every window of the exercise says so; the live workstation is refused in words, and is not marked.
    for (const page of [desk, carol, dan]) {
      await expect(banner(page)).toContainText('TRAINING EXERCISE — NOT LIVE');
      await expect(banner(page).getByRole('status')).toHaveText('Exercise paused: the clocks have stopped');
    }
    await expect(banner(desk)).toContainText('A busy Friday night');
    await expect(liveWindow.getByRole('status', { name: 'Connection' })).toContainText('This server runs a training exercise: a live workstation may not join it');
    await expect(banner(liveWindow)).toHaveCount(0);
    await expect(traineeRow('trainee-1')).toContainText('carol (Supervisor, Dispatcher, Call handler) — idle', { timeout: 15_000 });
    await expect(traineeRow('trainee-2')).toContainText('dan (Call handler, Dispatcher) — idle');

    // The trainer starts it and jumps to the first call, keyboard only: carol lets it ring 8 s and answers it.
    await tabTo(desk, 'button', 'Start exercise');
    await desk.keyboard.press('Enter');
    for (const page of [desk, carol, dan]) await expect(banner(page).getByRole('status')).toHaveText('Exercise running');
    await tabTo(desk, 'button', 'Next inject');
    await desk.keyboard.press('Enter');
    const carolWaited = await answerAfter(carol, '07700 900111', 8_000);
    await expect(traineeRow('trainee-1')).toContainText(/— answering call 07700 900111 \(999\) since 22:30/, { timeout: 15_000 });

    // On to the next call (the neighbour's, at 22:31:15): dan lets it ring 4 s and answers it.
    await desk.keyboard.press('Enter');
    const danWaited = await answerAfter(dan, '07700 900112', 4_000);
    await expect(traineeRow('trainee-2')).toContainText(/— answering call 07700 900112 \(999\) since 22:31/, { timeout: 15_000 });

    // Each saves an incident from their call and goes to the incidents window: its attendance clock runs.
    await saveAsAssault(carol, 'market st', 'Market Street');
    await saveAsAssault(dan, 'high st', 'High Street');
    await expect(traineeRow('trainee-1')).toContainText('— idle since', { timeout: 15_000 });
    await carol.goto(atRole(first.deskUrl, 'incidents'));
    await dan.goto(atRole(second.deskUrl, 'incidents'));
    const clockOf = (page: Page, place: RegExp) => page.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: place }).locator('.attendance-clock');
    const clocks = [carol, dan].flatMap((page) => [clockOf(page, /Market Street/), clockOf(page, /High Street/)]);
    for (const clock of clocks) await expect(clock).toContainText(/Attendance.*\d+:\d\d left/, { timeout: 30_000 });
    // Running: each clock moves on (so that the check below, that they stand still, could fail); a loaded machine
    // may draw a window late, never not at all.
    for (const clock of clocks) {
      const before = await clock.textContent();
      await expect(clock).not.toHaveText(before!, { timeout: 15_000 });
    }

    // Paused: both trainees' desks say so, and neither their exercise time nor any attendance clock moves on.
    await tabTo(desk, 'button', 'Pause exercise');
    await desk.keyboard.press('Enter');
    for (const page of [desk, carol, dan]) await expect(banner(page).getByRole('status')).toHaveText('Exercise paused: the clocks have stopped');
    const pausedAt = Date.now();
    const stoppedAt = /exercise time (\d\d:\d\d)/.exec((await banner(desk).textContent())!)![1]!;
    for (const page of [carol, dan]) await expect(banner(page)).toContainText(`exercise time ${stoppedAt}`);
    // Each window draws its clocks once a second: its first drawing since the pause may still be to come.
    await expect.poll(() => Date.now() - pausedAt).toBeGreaterThan(1_500);
    const stopped = await Promise.all(clocks.map((clock) => clock.textContent()));
    const readAt = Date.now();
    // Three seconds of real time later, every clock still reads as it did.
    await expect(async () => {
      expect(await Promise.all(clocks.map((clock) => clock.textContent()))).toEqual(stopped);
      expect(Date.now() - readAt).toBeGreaterThan(3_000);
    }).toPass({ timeout: 10_000 });

    // Resumed at 4×: every desk says so, and carol's attendance clock runs down four seconds a second.
    await tabTo(desk, 'button', 'Resume exercise');
    await desk.keyboard.press('Enter');
    await tabTo(desk, 'combobox', /^Speed/);
    for (const speed of [2, 4]) {
      await desk.keyboard.press('ArrowDown');
      await expect(banner(desk).getByRole('status')).toHaveText(`Exercise running at ${speed}× speed`);
    }
    for (const page of [desk, carol, dan]) await expect(banner(page).getByRole('status')).toHaveText('Exercise running at 4× speed');
    const fast = clocks[0]!;
    const from = { left: secondsLeft((await fast.textContent())!), at: Date.now() };
    // Over ten seconds, so that a window drawn a second or two late on a loaded machine moves the figure little.
    await expect.poll(() => Date.now() - from.at, { timeout: 20_000 }).toBeGreaterThanOrEqual(10_000);
    const to = { left: secondsLeft((await fast.textContent())!), at: Date.now() };
    const rate = (from.left - to.left) / ((to.at - from.at) / 1000);
    expect(rate).toBeGreaterThan(2.5);
    expect(rate).toBeLessThan(5.5);

    // Each dispatches a unit to their own incident from the command line; the trainer's desk says so.
    await deployByCommandLine(carol, /Market Street/, 'DM-14');
    await deployByCommandLine(dan, /High Street/, 'DM-22');
    await expect(traineeRow('trainee-1')).toContainText(/— dispatching incident TRN-\S+ since \d\d:\d\d: DM-14 sent/, { timeout: 15_000 });
    await expect(traineeRow('trainee-2')).toContainText(/— dispatching incident TRN-\S+ since \d\d:\d\d: DM-22 sent/, { timeout: 15_000 });

    // Paused again for the review: who answered each call, after the wait the test caused (the exercise ran at 1×
    // then), and the unit sent.
    await tabTo(desk, 'button', 'Pause exercise');
    await desk.keyboard.press('Enter');
    await tabTo(desk, 'button', 'After-action review');
    await desk.keyboard.press('Enter');
    const review = desk.getByRole('dialog', { name: /After-action review/ });
    const calls = review.getByRole('table', { name: 'Each call against the scenario' });
    const fight = calls.getByRole('row', { name: /^fri-fight \(999\)/ });
    const neighbour = calls.getByRole('row', { name: /^fri-fight-neighbour \(999\)/ });
    await expect(async () => {
      await review.getByRole('button', { name: 'Refresh review' }).press('Enter');
      await expect(fight.getByRole('cell').nth(3)).not.toHaveText('—', { timeout: 2_000 });
      await expect(neighbour.getByRole('cell').nth(3)).not.toHaveText('—', { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    const answerSeconds = async (row: typeof fight) => Number(/^(\d+) s$/.exec((await row.getByRole('cell').nth(1).textContent())!)![1]);
    await expect(fight.getByRole('cell').nth(0)).toHaveText('carol');
    await expect(neighbour.getByRole('cell').nth(0)).toHaveText('dan');
    // The call rang a moment before the desk showed it: the review's time is the test's or a little longer.
    for (const [row, waited] of [[fight, carolWaited], [neighbour, danWaited]] as const) {
      expect((await answerSeconds(row)) - waited).toBeGreaterThanOrEqual(-2);
      expect((await answerSeconds(row)) - waited).toBeLessThanOrEqual(5);
    }
    const scores = review.getByRole('table', { name: 'Scores' });
    await expect(scores.getByRole('columnheader')).toContainText(['Score (target)', 'The room', 'carol', 'dan']);

    // Replayed on the trainer's own queue and map, from the review, just after carol sent DM-14 (the timeline's
    // time): her incident has a unit on the way, dan's still waits; a second before it, both wait.
    const liveQueue = desk.getByRole('listbox', { name: 'Open incidents', exact: true });
    const liveRefs = await liveQueue.locator('.ref').allTextContents();
    expect(liveRefs.length).toBeGreaterThanOrEqual(2);
    const refOf = async (row: typeof fight) => /(TRN-[\w-]+)/.exec((await row.getByRole('rowheader').textContent())!)![1]!;
    const [carolRef, danRef] = [await refOf(fight), await refOf(neighbour)];
    const sentAt = (await review.getByRole('table', { name: 'Timeline' }).getByRole('row').filter({ hasText: `DM-14 to ${carolRef}` }).getByRole('cell').first().textContent())!;
    const [hh, mm, ss] = sentAt.split(':').map(Number);
    // The scenario starts at 22:30:00; the timeline's time is to the second, the deployment's within that second.
    const sinceStart = (hh! - 22) * 3600 + (mm! - 30) * 60 + ss! + 1;
    const oneOn = `${sentAt.slice(0, 6)}${String(ss! + 1).padStart(2, '0')}`;
    await tabTo(desk, 'button', 'Replay on the desk');
    await desk.keyboard.press('Enter');
    await expect(review).toBeHidden();
    const replayBar = desk.getByRole('region', { name: 'REPLAY — NOT THE LIVE DESK: A busy Friday night' });
    await expect(replayBar.getByRole('heading')).toBeFocused();
    await expect(desk.getByRole('status', { name: 'Replay status' })).toContainText('Replay of A busy Friday night on the desk');
    await expect(liveQueue).toHaveCount(0);
    // The live desk's incident detail is put away, not beside the replay's queue.
    const liveDetail = desk.getByRole('region', { name: 'No incident selected' });
    await expect(liveDetail).toBeHidden();
    // The map takes the detail's column too: nothing of the window is left empty to the right of it.
    const mapBox = (await desk.getByRole('region', { name: /^Map: / }).boundingBox())!;
    const workspaceBox = (await desk.getByRole('main').boundingBox())!;
    expect(workspaceBox.x + workspaceBox.width - (mapBox.x + mapBox.width)).toBeLessThan(24);
    const replayQueue = desk.getByRole('listbox', { name: 'Open incidents in the replay' });
    const replayRow = (ref: string) => replayQueue.getByRole('option', { name: new RegExp(ref) });
    await tabTo(desk, 'slider', 'Replay time');
    await desk.keyboard.press('Home');
    for (let i = 0; i < Math.floor(sinceStart / 10); i++) await desk.keyboard.press('ArrowRight');
    for (let i = 0; i < sinceStart % 10; i++) await desk.keyboard.press('Shift+ArrowRight');
    if (ss! < 59) await expect(replayBar.getByRole('status', { name: 'Replay at' })).toHaveText(oneOn);
    await expect(replayRow(carolRef)).toContainText('unit on the way');
    await expect(replayRow(carolRef)).toContainText('DM-14');
    await expect(replayRow(danRef)).toContainText('waiting for a unit');
    await desk.keyboard.press('Shift+ArrowLeft');
    await desk.keyboard.press('Shift+ArrowLeft');
    await expect(replayRow(carolRef)).toContainText('waiting for a unit');
    await desk.keyboard.press('Home');
    await expect(replayRow(carolRef)).toHaveCount(0);
    // Played at 16× from the start, it comes to the same moment on its own.
    await tabTo(desk, 'combobox', /^Replay speed/);
    await desk.keyboard.press('ArrowDown');
    await desk.keyboard.press('ArrowDown');
    await expect(replayBar.getByRole('combobox', { name: /^Replay speed/ })).toHaveValue('16');
    await tabTo(desk, 'button', 'Play the replay');
    await desk.keyboard.press('Enter');
    await expect(replayRow(carolRef)).toContainText('unit on the way', { timeout: 30_000 });
    expect(await axeFindings(desk, 'the replay on the desk', '.desk-replay')).toEqual([]);
    // Esc: the live desk, exactly as it was, and the keyboard on its queue.
    await desk.keyboard.press('Escape');
    await expect(replayBar).toHaveCount(0);
    await expect(desk.getByRole('status', { name: 'Replay status' })).toHaveText('Back to the live desk.');
    await expect(liveQueue).toBeFocused();
    await expect(liveDetail).toBeVisible();
    expect(await liveQueue.locator('.ref').allTextContents()).toEqual(liveRefs);
  } finally {
    await liveDesk.stop();
    await first.stop();
    await second.stop();
    await trainer.stop();
  }
  // The exercise wrote only its own files: the live ones, the trainer's and the trainee's, are byte for byte as they were.
  expect(filesOf(deskDir)).toEqual(liveFiles);
  expect(filesOf(traineeDir)).toEqual(traineeLiveFiles);
  const runs = readdirSync(join(deskDir, 'exercises'));
  expect(runs).toEqual([expect.stringMatching(/^friday-night-\d{8}-\d{6}$/)]);
  expect(Object.keys(filesOf(join(deskDir, 'exercises', runs[0]!)))).toEqual(expect.arrayContaining(['workstation.sqlite', 'central-server.sqlite']));
  expect(readdirSync(join(traineeDir, 'exercises'))).toEqual([expect.stringMatching(/^joined-[0-9a-f]{12}$/)]);
  dir.remove();
});
