import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { atRole, joinExerciseConsole, startExerciseConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { externalReferences } from '../../renderer/features/training/review-export';
import { axeFindings } from './axe';
import { trainingBanner, signInToDesk as signIn, tabTo } from './exercise-desks';

const banner = trainingBanner;

test("the after-action review's answer time is the wait the test caused, and its exported file opens with no network", async ({ newContext }) => {
  test.setTimeout(180_000);
  const dir = makeTempDir();
  const trainer = await startExerciseConsole({ scenario: join(process.cwd(), 'assets', 'exercises', 'friday-night.json'), workstation: 'trainer', dataDir: join(dir.path, 'desk'), operator: 'tina' });
  const callTaker = await joinExerciseConsole({ server: trainer.serverUrl, code: trainer.code, workstation: 'trainee-1', operator: 'alice', dataDir: join(dir.path, 't1') });
  try {
    const desk = await (await newContext()).newPage();
    const alice = await (await newContext()).newPage();
    await desk.goto(atRole(trainer.deskUrl, 'incidents'));
    await alice.goto(atRole(callTaker.deskUrl, 'calltaking'));
    await signIn(desk, 'tina', 'Open incidents');
    await signIn(alice, 'alice', 'Calls');

    // The trainer starts the exercise and pauses it, keyboard only; then jumps to the first call (fri-fight, at
    // 22:30:20), which rings on alice's queue, and on to the next inject (22:31:15) with the clock still stopped.
    await tabTo(desk, 'button', 'Start exercise');
    await desk.keyboard.press('Enter');
    await tabTo(desk, 'button', 'Pause exercise');
    await desk.keyboard.press('Enter');
    await expect(banner(desk).getByRole('status')).toHaveText('Exercise paused: the clocks have stopped');
    await tabTo(desk, 'button', 'Next inject');
    await desk.keyboard.press('Enter');
    const fight = alice.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: /07700 900111\s*ringing/ });
    await expect(fight).toBeVisible({ timeout: 15_000 });
    await desk.keyboard.press('Enter');
    await expect(banner(alice)).toContainText('exercise time 22:31');
    await expect(alice.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: /07700 900112\s*ringing/ })).toBeVisible({ timeout: 15_000 });

    // Alice answers the first call after it has rung 55 seconds of exercise time (the 999 goes first in her queue,
    // the longest waiting first).
    await alice.keyboard.press('F2');
    const form = alice.getByRole('form', { name: 'Call' });
    await expect(form).toContainText('07700 900111');
    // She locates it, chooses its type (its default grade, 2, comes with it) and grades it 1, and has not saved it yet.
    await expect(form.getByRole('combobox', { name: 'Location' })).toBeFocused();
    await alice.keyboard.type('market st');
    await expect(form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first()).toContainText('Market Street');
    await alice.keyboard.press('Enter');
    await expect(form).toContainText('Location: Market Street');
    await alice.keyboard.press('Tab');
    await alice.keyboard.type('Assault');
    await expect(form.getByLabel('Grade')).toHaveValue('2');
    await alice.keyboard.press('Tab');
    await alice.keyboard.type('1');
    await expect(form.getByLabel('Grade')).toHaveValue('1');

    // The trainer opens the review: the server's record says alice answered fri-fight in 55 s, late for a 999.
    await tabTo(desk, 'button', 'After-action review');
    await desk.keyboard.press('Enter');
    const review = desk.getByRole('dialog', { name: /After-action review/ });
    await expect(review.getByRole('heading', { name: 'After-action review: A busy Friday night' })).toBeFocused();
    const calls = review.getByRole('table', { name: 'Each call against the scenario' });
    const row = calls.getByRole('row', { name: /fri-fight \(999\)/ });
    const timeline = review.getByRole('table', { name: 'Timeline' });
    await expect(async () => {
      await review.getByRole('button', { name: 'Refresh review' }).press('Enter');
      await expect(row.getByRole('cell').nth(0)).toHaveText('alice', { timeout: 2_000 });
      // Her grade as it stood (type-ahead passes other types and their grades on the way: not her choice).
      await expect(timeline.getByRole('row', { name: /Graded alice fri-fight/ }).last()).toContainText(/grade (\d to )?1$/, { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    // Located and graded when she did it on the form, before any incident was saved (the clock stopped at 22:31:15).
    await expect(timeline.getByRole('row', { name: /Located alice fri-fight/ })).toContainText('Market Street');
    await expect(timeline.getByRole('row', { name: /Located alice fri-fight/ })).toContainText('22:31:15');
    await expect(timeline.getByRole('row', { name: /Graded alice fri-fight/ }).filter({ hasText: 'grade 3' })).toHaveCount(0);
    await expect(row.getByRole('cell').nth(11)).toHaveText('0 s');
    await expect(row.getByRole('cell').nth(1)).toHaveText('55 s');
    const scores = review.getByRole('table', { name: 'Scores' });
    await expect(scores.getByRole('row', { name: /Answer time/ })).toContainText('0 of 1 in time; median 55 s, longest 55 s');
    await expect(review.getByRole('table', { name: 'Timeline' }).getByRole('row', { name: /Answered alice fri-fight/ })).toContainText('22:31:15');
    // The three charts, each drawn (its SVG, 560 wide, beside its table).
    await expect(review.locator('.review-chart .recharts-wrapper > svg[width="560"]')).toHaveCount(3);

    // Exported: one HTML file that holds the figures and the charts, and reaches out to nothing.
    await tabTo(desk, 'button', 'Export as HTML file');
    const [download] = await Promise.all([desk.waitForEvent('download'), desk.keyboard.press('Enter')]);
    const file = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toBe('training-review-a-busy-friday-night.html');
    expect(externalReferences(file)).toEqual([]);
    // The file says it is an exercise's, in its title and at its head, and still does printed: a printer drops the
    // purple behind the mark, so it prints black, and across the page.
    const opened = await desk.context().newPage();
    await opened.setContent(file);
    await expect(opened).toHaveTitle('TRAINING — After-action review: A busy Friday night');
    const mark = opened.getByText('TRAINING EXERCISE — NOT LIVE').first();
    await opened.emulateMedia({ media: 'print' });
    await expect(mark).toBeVisible();
    expect(await mark.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color)).toBe('rgb(0, 0, 0)');
    await expect(opened.getByText('TRAINING', { exact: true })).toBeVisible();
    await opened.close();
    expect(file).not.toMatch(/\s(src|href)\s*=\s*["']?https?:/i);
    expect(file).toContain('0 of 1 in time; median 55 s, longest 55 s');
    expect((file.match(/<svg[^>]*width="560"/g) ?? []).length).toBe(3);
    expect(file).toContain('Each call from ringing to a unit at scene');

    // The replay, by keyboard: at the exercise's start nothing had rung; at the review's end alice is taking
    // fri-fight and the neighbour's call rings.
    await tabTo(desk, 'slider', 'Replay time');
    const queueAt = review.getByRole('list', { name: 'Calls in the queue at the replay time' });
    await desk.keyboard.press('End');
    await expect(queueAt.getByRole('listitem')).toHaveText(['fri-fight: being taken since 22:31:15', 'fri-fight-neighbour: ringing since 22:31:15']);
    await desk.keyboard.press('Home');
    await expect(queueAt).toHaveCount(0);
    await tabTo(desk, 'button', 'Play replay');
    await desk.keyboard.press('Enter');
    await expect(queueAt.getByRole('listitem').first()).toHaveText('fri-fight: ringing since 22:30:20', { timeout: 15_000 });

    expect(await axeFindings(desk, 'the after-action review', '.review-dialog')).toEqual([]);
    await desk.keyboard.press('Escape');
    await expect(review).toBeHidden();
  } finally {
    await callTaker.stop();
    await trainer.stop();
  }
  dir.remove();
});
