import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { makeTempDir } from '../fakes/temp-dir';
import { axeFindings } from './axe';
import { startTrainingExercise, tabTo, trainingBanner } from './exercise-desks';

/** Two injects: a note, then the whole system down for two minutes of exercise time. */
const scenario = {
  format: 1,
  title: 'Down for two minutes',
  summary: 'A note, then CAD down for two minutes.',
  area: 'exercise',
  force: 'DMO',
  startsAt: '2026-12-03T03:00:00Z',
  durationMinutes: 30,
  start: { units: [], incidents: [], markers: [] },
  injects: [
    { kind: 'note', at: 60, text: 'The system goes down in a minute.' },
    { kind: 'system', at: 120, event: 'cad_down', forMinutes: 2 },
  ],
};

test('the trainer’s desk says how many injects are left and offers no next inject when none is, its banner says the trainees’ system is down and until when, and the paper form a trainee prints says TRAINING', async ({ newContext }) => {
  test.setTimeout(180_000);
  const dir = makeTempDir();
  const file = join(dir.path, 'down-for-two.json');
  writeFileSync(file, JSON.stringify(scenario));
  const exercise = await startTrainingExercise(newContext, { scenario: file, dir: dir.path, trainee: { workstation: 'trainee-1', operator: 'bob', folder: 't1', role: 'resources', workspace: 'Units' } });
  const { desk, traineeDesk: bob } = exercise;
  try {
    // The windows' titles say so too (the taskbar, the window switcher, a printed page's header).
    await expect(desk).toHaveTitle(/^TRAINING EXERCISE — /);
    await expect(bob).toHaveTitle(/^TRAINING EXERCISE — /);

    const next = trainingBanner(desk).getByRole('button', { name: 'Next inject', exact: true });
    await expect(next).toHaveAccessibleDescription('2 injects still to come', { timeout: 15_000 });
    await tabTo(desk, 'button', 'Start exercise');
    await desk.keyboard.press('Enter');
    await tabTo(desk, 'button', 'Pause exercise');
    await desk.keyboard.press('Enter');
    await expect(trainingBanner(desk).getByRole('status')).toHaveText('Exercise paused: the clocks have stopped');

    // The trainer jumps to the note, then to the system going down: no inject is left, and the desk says so.
    await tabTo(desk, 'button', 'Next inject');
    await desk.keyboard.press('Enter');
    await expect(next).toHaveAccessibleDescription('1 inject still to come');
    await expect(next).toBeFocused();
    await desk.keyboard.press('Enter');
    await expect(next).toBeDisabled();
    await expect(next).toHaveAccessibleDescription('No injects left: every inject has happened');
    await expect(trainingBanner(desk).getByRole('alert')).toHaveText('CAD DOWN for the trainees until 03:04 by the exercise clock: their desks say the system is down and they work on paper. This desk runs on.');
    // Still where the keyboard is, and a press there does nothing: no refusal, the clock where it was (03:02, paused).
    const shownTime = trainingBanner(desk).getByText(/exercise time/);
    await expect(shownTime).toHaveText(/exercise time 03:02$/);
    await expect(next).toBeFocused();
    await desk.keyboard.press('Enter');
    await desk.waitForTimeout(1500);
    await expect(shownTime).toHaveText(/exercise time 03:02$/);
    await expect(trainingBanner(desk).getByRole('alert')).toHaveCount(1);
    // The trainer's own desk is not down: its clock still says what the exercise does.
    await expect(trainingBanner(desk).getByRole('status')).toHaveText('Exercise paused: the clocks have stopped');
    expect(await axeFindings(desk, 'the trainer’s banner, system down, no inject left', '.exercise-banner')).toEqual([]);

    // The trainee's desk is down: the paper form it prints says, on its face, that it is an exercise's.
    await expect(trainingBanner(bob).getByRole('alert')).toContainText('CAD DOWN: the system is down', { timeout: 30_000 });
    expect(await axeFindings(bob, 'the trainee’s banner, system down', '.exercise-banner')).toEqual([]);
    await bob.emulateMedia({ media: 'print' });
    const form = bob.getByRole('region', { name: 'Paper incident and log form (training exercise)' });
    await expect(form).toBeVisible();
    await expect(form.getByRole('heading', { level: 2 })).toHaveText('TRAINING: Demonstration Constabulary: incident and log form (system down)');
    await expect(form.getByText('TRAINING EXERCISE — NOT LIVE: an exercise form, never a live record. Enter it only in the exercise.')).toBeVisible();
    // The mark across the page is printed (fixed, so on every page), behind the form's boxes.
    const watermark = form.locator('.paper-watermark');
    await expect(watermark).toBeVisible();
    await expect(watermark).toHaveText('TRAINING');
    expect(await watermark.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { position: string } }).getComputedStyle(el).position)).toBe('fixed');
    await bob.emulateMedia({ media: 'screen' });
    await expect(form).toBeHidden();

    // The exercise runs on at 8×: two minutes of exercise time later the system is back, and the trainer's banner
    // no longer says it is down.
    await tabTo(desk, 'button', 'Resume exercise');
    await desk.keyboard.press('Enter');
    await tabTo(desk, 'combobox', 'Speed');
    for (const speed of [2, 4, 8]) {
      await desk.keyboard.press('ArrowDown');
      await expect(trainingBanner(desk).getByRole('status')).toHaveText(`Exercise running at ${speed}× speed`);
    }
    await expect(trainingBanner(desk).getByRole('alert')).toHaveCount(0, { timeout: 60_000 });
    await expect(trainingBanner(bob).getByRole('alert')).toHaveCount(0, { timeout: 60_000 });

    // Back, bob enters his paper records: each unit's row of the paper incident form (its call sign and its times)
    // and each log line sits on one line inside the dialog, at a desk's usual widths.
    await tabTo(bob, 'button', 'Enter paper records');
    await bob.keyboard.press('Enter');
    await tabTo(bob, 'button', 'Enter a paper incident');
    await bob.keyboard.press('Enter');
    const paper = bob.getByRole('dialog', { name: 'Paper incident (catch-up)' });
    await paper.getByRole('button', { name: 'Add a unit' }).press('Enter');
    for (const width of [1280, 1920]) {
      await bob.setViewportSize({ width, height: width === 1280 ? 800 : 1080 });
      const dialog = (await paper.boundingBox())!;
      const rows = [
        ['Unit 1', 'Unit 1 deployed', 'Unit 1 at scene', 'Unit 1 cleared', 'Unit 1 date'],
        ['Unit 2', 'Unit 2 deployed', 'Unit 2 at scene', 'Unit 2 cleared', 'Unit 2 date'],
        ['Log line 1 time', 'Log line 1 date', 'Log line 1 text'],
      ];
      for (const row of rows) {
        const boxes = await Promise.all(row.map(async (name) => (await paper.getByLabel(name, { exact: true }).boundingBox())!));
        for (const [i, box] of boxes.entries()) {
          expect(Math.abs(box.y - boxes[0]!.y), `${row[i]} on the line of ${row[0]} at ${width} wide`).toBeLessThan(4);
          expect(box.x + box.width, `${row[i]} inside the dialog at ${width} wide`).toBeLessThanOrEqual(dialog.x + dialog.width);
        }
      }
    }
  } finally {
    await exercise.stop();
  }
  dir.remove();
});
