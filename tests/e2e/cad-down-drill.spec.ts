import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { atRole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { axeFindings } from './axe';
import { addMinutes, startTrainingExercise, tabTo, tabToControl, trainingBanner } from './exercise-desks';

/** The exercise time a desk's banner shows, in minutes of its day (NaN before its wall clock has loaded). */
async function exerciseMinutes(page: Page): Promise<number> {
  const shown = /exercise time (\d\d):(\d\d)/.exec((await trainingBanner(page).getByText(/exercise time/).textContent()) ?? '');
  return shown ? Number(shown[1]) * 60 + Number(shown[2]) : Number.NaN;
}

test('the CAD-down drill end to end, keyboard only: the starting incident is on the trainee’s desk, the trainer takes the system down, the desk says so and prints the paper form, it comes back, and the paper incident with its unit and the call it came from (rung during the outage, answered on paper) is entered in catch-up at its original times, shown back-entered in the log and the review, the call answered at its paper time', async ({ newContext }) => {
  test.setTimeout(420_000);
  const dir = makeTempDir();
  const exercise = await startTrainingExercise(newContext, { scenario: join(process.cwd(), 'assets', 'exercises', 'cad-down-night.json'), dir: dir.path, trainee: { workstation: 'trainee-1', operator: 'bob', folder: 't1', role: 'resources', workspace: 'Units' } });
  const { trainee, desk, traineeDesk: bob } = exercise;
  try {
    const unit = (callSign: string) => bob.getByRole('listbox', { name: 'Units' }).getByRole('option', { name: new RegExp(`^${callSign}`) });
    // Bob's incidents window, where the paper records are entered once the system is back.
    const bobIncidents = await bob.context().newPage();
    await bobIncidents.goto(atRole(trainee.deskUrl, 'incidents'));
    const openIncidents = bobIncidents.getByRole('listbox', { name: 'Open incidents' });
    await expect(openIncidents).toBeVisible({ timeout: 30_000 });
    await expect(desk.getByRole('list', { name: 'Trainees' })).toContainText('trainee-1: bob (Dispatcher)', { timeout: 15_000 });

    // As the trainer starts it, the night crews book on, and the training server opens the incident already open at
    // the start (the care home's missing resident, DM-22 at scene there), which reaches the trainee's desk.
    await expect(unit('DM-14')).toContainText('Off duty');
    await tabTo(desk, 'button', 'Start exercise');
    await desk.keyboard.press('Enter');
    await expect(unit('DM-14')).toContainText('Available', { timeout: 30_000 });
    await expect(openIncidents.getByRole('option', { name: /Northgate Care Home/ })).toContainText(/TRN-/, { timeout: 30_000 });
    await expect(unit('DM-22')).not.toContainText(/Off duty|Available/);
    const timeline = desk.getByText('Timeline and notes (trainer only)');
    await timeline.focus();
    await desk.keyboard.press('Enter');
    await expect(desk.getByText(/Starting state put in place at \d\d:\d\d/)).toBeVisible();
    await expect(desk.getByRole('list', { name: 'Starting state for the trainer to put in place' })).toHaveCount(0);

    // At 8×, which the trainee's desk hears, the trainer takes the system down (inject 3, cad_down).
    await tabTo(desk, 'combobox', 'Speed');
    for (const speed of [2, 4, 8]) {
      await desk.keyboard.press('ArrowDown');
      await expect(trainingBanner(desk).getByRole('status')).toHaveText(`Exercise running at ${speed}× speed`);
    }
    await expect(trainingBanner(bob).getByRole('status')).toHaveText('Exercise running at 8× speed');
    await tabTo(desk, 'button', 'Inject 3 now');
    await desk.keyboard.press('Enter');
    const alert = trainingBanner(bob).getByRole('alert');
    await expect(alert).toContainText('CAD DOWN: the system is down', { timeout: 30_000 });
    await expect(bob.getByRole('region', { name: 'Paper incident and log form' })).toBeHidden();
    await tabTo(bob, 'button', 'Print paper forms');
    await bob.emulateMedia({ media: 'print' });
    const form = bob.getByRole('region', { name: 'Paper incident and log form' });
    await expect(form).toBeVisible();
    await expect(form).toContainText('Time call received');
    await bob.emulateMedia({ media: 'screen' });

    // The trainer pauses while the system is down. Bob's desk cannot hear it: it runs on at 8×, and says its time is
    // not confirmed rather than that the exercise is running.
    await expect(trainingBanner(bob).getByRole('status')).toHaveText(/^Exercise time not confirmed: no word from the training server/);
    await tabTo(desk, 'button', 'Pause exercise');
    await desk.keyboard.press('Enter');
    await expect(trainingBanner(desk).getByRole('status')).toHaveText('Exercise paused: the clocks have stopped');
    const paused = await exerciseMinutes(desk);
    await expect.poll(() => exerciseMinutes(bob), { timeout: 30_000 }).toBeGreaterThanOrEqual(paused + 2);
    await tabTo(desk, 'button', 'Resume exercise');
    await desk.keyboard.press('Enter');
    // The trainer plays on at 8× to the end of the outage, its calls ringing on their own (no jump to the next inject:
    // a jump takes the exercise past a desk that ran ahead, and would hide it): the system is back.
    await expect(alert).toBeHidden({ timeout: 200_000 });
    await tabTo(desk, 'combobox', 'Speed');
    await desk.keyboard.press('Home');
    await expect(trainingBanner(desk).getByRole('status')).toHaveText('Exercise running');
    // Back, bob's desk takes the training server's time again, however far it ran ahead, and says the exercise runs.
    await expect(trainingBanner(bob).getByRole('status')).toHaveText('Exercise running', { timeout: 30_000 });
    await expect.poll(async () => (await exerciseMinutes(bob)) - (await exerciseMinutes(desk)), { timeout: 30_000 }).toBe(0);

    // Back: the desk offers catch-up from when it saw the system go down. A reload of the window keeps it (the core
    // keeps the outage).
    const back = bobIncidents.getByRole('status').filter({ hasText: 'The system is back' });
    await expect(back).toBeVisible({ timeout: 30_000 });
    await bobIncidents.reload();
    await expect(back).toBeVisible({ timeout: 30_000 });
    const since = /since \d{4}-\d\d-\d\d (\d\d:\d\d)/.exec((await back.textContent()) ?? '')![1]!;
    await tabTo(bobIncidents, 'button', 'Enter paper records');
    await bobIncidents.keyboard.press('Enter');
    await expect(bobIncidents.getByRole('region', { name: 'Catch-up' })).toBeVisible();

    // The paper incident: the RTC call that rang while the system was down (inject 4), answered on the handset and
    // taken on paper as it rang, DM-14 sent by radio a minute later, at scene four minutes after that and cleared; a
    // time still to come, and an answer before the call rang, are refused, naming the field, and nothing is entered.
    await tabTo(bobIncidents, 'button', 'Enter a paper incident');
    await bobIncidents.keyboard.press('Enter');
    const paper = bobIncidents.getByRole('dialog', { name: 'Paper incident (catch-up)' });
    await expect(paper.getByLabel('Date on paper')).toBeFocused();
    await expect(paper.getByLabel('Date on paper')).toHaveValue('2026-12-03');
    // The catch-up bar and the paper form pass the WCAG A/AA checks, in both themes.
    expect(await axeFindings(bobIncidents, 'paper incident form', 'dialog.paper-incident')).toEqual([]);
    expect(await axeFindings(bobIncidents, 'catch-up bar', '.catch-up-mode')).toEqual([]);
    // The calls that rang during the outage are offered by the time they rang (force time), source and number.
    const fromCall = paper.getByLabel('Call on paper', { exact: true });
    const rtcCall = fromCall.getByRole('option', { name: /999 emergency from 07700 900332$/ });
    await expect(rtcCall).toHaveCount(1, { timeout: 15_000 });
    await expect(fromCall.getByRole('option', { name: 'Not listed, or no call' })).toHaveCount(1);
    const called = /^(\d\d:\d\d):\d\d on \d{4}-\d\d-\d\d/.exec((await rtcCall.textContent()) ?? '')![1]!;
    const fill = async (label: string, text: string) => {
      await tabToControl(bobIncidents, paper.getByLabel(label, { exact: true }), 40);
      await bobIncidents.keyboard.type(text);
    };
    await fill('Time of call', called);
    await tabToControl(bobIncidents, fromCall, 40);
    const chosen = () => fromCall.evaluate((select) => (select as unknown as { selectedOptions: { textContent: string }[] }).selectedOptions[0]?.textContent ?? '');
    for (let i = 0; i < 6 && !(await chosen()).includes('07700 900332'); i++) await bobIncidents.keyboard.press('ArrowDown');
    expect(await chosen()).toContain('07700 900332');
    // With a call chosen, its time answered on paper and date pass the same checks.
    expect(await axeFindings(bobIncidents, 'paper incident form with its call', 'dialog.paper-incident')).toEqual([]);
    // Written on paper a minute before the call rang: refused once the rest is right.
    await fill('Time answered on paper', addMinutes(called, -1));
    await fill('Incident type', 'Road');
    await expect(paper.getByLabel('Incident type')).toHaveValue('RTC');
    await fill('Grade', '1');
    await fill('Location', 'Coast road past the caravan park');
    await fill('What is happening', 'Car in the ditch, driver not moving');
    await fill('Log line 1 time', addMinutes(called, 1));
    await fill('Log line 1 text', 'Ambulance requested by phone');
    await fill('Unit 1', 'DM-14');
    await expect(paper.getByLabel('Unit 1', { exact: true })).toHaveValue('DM-14');
    await fill('Unit 1 deployed', addMinutes(called, 1));
    await fill('Unit 1 at scene', addMinutes(called, 5));
    await fill('Unit 1 cleared', '23:59');
    await bobIncidents.keyboard.press('Enter');
    await expect(paper.getByRole('alert')).toContainText(/Unit 1 \(DM-14\), cleared: .* is in the future/);
    await expect(openIncidents.getByRole('option', { name: /Coast road/ })).toHaveCount(0);
    await tabToControl(bobIncidents, paper.getByLabel('Unit 1 cleared', { exact: true }), 40);
    await bobIncidents.keyboard.press('Control+a');
    await bobIncidents.keyboard.type(addMinutes(called, 8));
    await bobIncidents.keyboard.press('Enter');
    await expect(paper.getByRole('alert')).toContainText(/Time answered on paper: .*it rang at/);
    await expect(openIncidents.getByRole('option', { name: /Coast road/ })).toHaveCount(0);
    await tabToControl(bobIncidents, paper.getByLabel('Time answered on paper', { exact: true }), 40);
    await bobIncidents.keyboard.press('Control+a');
    await bobIncidents.keyboard.type(called);
    await bobIncidents.keyboard.press('Enter');
    await expect(paper).toBeHidden();

    // The log shows each paper line at its own time, back-entered by bob.
    const log = bobIncidents.getByRole('log', { name: /^Log of / });
    const lineOf = (text: string) => log.getByRole('listitem').filter({ hasText: text });
    await expect(lineOf('Opened as Road traffic collision')).toContainText(`${called}:00`);
    await expect(lineOf('Opened as Road traffic collision')).toContainText(/back-entered \d\d:\d\d by bob/);
    await expect(lineOf('Ambulance requested by phone')).toContainText(`${addMinutes(called, 1)}:00`);
    await expect(lineOf('DM-14 deployed by radio (paper record)')).toContainText(`${addMinutes(called, 1)}:00`);
    await expect(lineOf('DM-14 at scene')).toContainText(`${addMinutes(called, 5)}:00`);
    const answeredLine = lineOf(`answered on paper at ${called} by bob`);
    await expect(answeredLine).toContainText(`999 call from 07700 900332 (rang ${called}:`);
    await expect(answeredLine).toContainText(/back-entered \d\d:\d\d by bob/);
    await expect(lineOf('DM-14 cleared')).toContainText(/back-entered \d\d:\d\d by bob/);
    await expect(bobIncidents.getByText(/kept on paper; back-entered \d\d:\d\d by bob/)).toBeVisible();
    // A line kept on paper for the incident already there (the starting one), at its time on paper.
    await bobIncidents.keyboard.press('F4');
    const care = openIncidents.getByRole('option', { name: /Northgate Care Home/ });
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowUp', 'ArrowUp', 'ArrowUp']) {
      if ((await care.getAttribute('aria-selected')) === 'true') break;
      await bobIncidents.keyboard.press(key);
    }
    await expect(care).toHaveAttribute('aria-selected', 'true');
    await tabTo(bobIncidents, 'textbox', 'Time on paper');
    await bobIncidents.keyboard.type(addMinutes(since, 3));
    await bobIncidents.keyboard.press('Shift+Tab');
    await bobIncidents.keyboard.type('Care home rang: resident still missing');
    await bobIncidents.keyboard.press('Enter');
    await expect(lineOf('Care home rang: resident still missing')).toContainText(`${addMinutes(since, 3)}:00`);
    await expect(lineOf('Care home rang: resident still missing')).toContainText(/back-entered \d\d:\d\d by bob/);
    // The found man's 101 call (inject 5) rang while the system was down too: noted on the care home's paper, it is
    // attached to that incident, answered at its paper time.
    const furtherCall = bobIncidents.getByLabel('Further call on paper');
    const foundOption = furtherCall.getByRole('option', { name: /101 non-emergency from 07700 900333$/ });
    await expect(foundOption).toHaveCount(1, { timeout: 15_000 });
    expect(await axeFindings(bobIncidents, 'further call on paper', 'form.paper-call-attach')).toEqual([]);
    const foundRang = /^(\d\d:\d\d):\d\d on/.exec((await foundOption.textContent()) ?? '')![1]!;
    await tabToControl(bobIncidents, furtherCall, 40);
    const chosenFurther = () => furtherCall.evaluate((select) => (select as unknown as { selectedOptions: { textContent: string }[] }).selectedOptions[0]?.textContent ?? '');
    for (let i = 0; i < 6 && !(await chosenFurther()).includes('07700 900333'); i++) await bobIncidents.keyboard.press('ArrowDown');
    expect(await chosenFurther()).toContain('07700 900333');
    await tabToControl(bobIncidents, bobIncidents.getByLabel('Time further call answered'), 5);
    await bobIncidents.keyboard.type(foundRang);
    await bobIncidents.keyboard.press('Enter');
    await expect(lineOf('Further contact attached on paper: 101 call from 07700 900333')).toContainText(`answered on paper at ${foundRang} by bob`);
    await expect(foundOption).toHaveCount(0);
    await tabTo(bobIncidents, 'button', 'Finish catch-up');
    await bobIncidents.keyboard.press('Enter');
    await expect(bobIncidents.getByRole('region', { name: 'Catch-up' })).toHaveCount(0);

    // The trainer's review marks the paper incident and its unit back-entered, at their paper times.
    await tabTo(desk, 'button', 'After-action review');
    await desk.keyboard.press('Enter');
    const review = desk.getByRole('dialog', { name: /After-action review/ });
    const events = review.getByRole('table', { name: 'Timeline' });
    const saved = events.getByRole('row', { name: /Incident saved bob/ }).filter({ hasText: 'kept on paper' });
    await expect(async () => {
      await review.getByRole('button', { name: 'Refresh review' }).press('Enter');
      await expect(saved).toHaveCount(1, { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(saved).toContainText(`${called}:00`);
    await expect(saved).toContainText(/back-entered \d\d:\d\d by bob/);
    const deployed = events.getByRole('row', { name: /Unit deployed bob/ }).filter({ hasText: 'DM-14' });
    await expect(deployed).toContainText(`${addMinutes(called, 1)}:00`);
    await expect(deployed).toContainText(/kept on paper.*back-entered \d\d:\d\d by bob/);
    await expect(events.getByRole('row', { name: /Unit arrived bob/ }).filter({ hasText: 'DM-14 at scene' })).toContainText(`${addMinutes(called, 5)}:00`);
    // The call that rang during the outage is answered by bob at its paper time, not left ringing: kept on paper.
    const answered = events.getByRole('row', { name: /Answered bob night-rtc/ });
    await expect(answered).toContainText(`${called}:00`);
    await expect(answered).toContainText(/kept on paper.*back-entered \d\d:\d\d by bob/);
    const rtcVerdict = review.getByRole('table', { name: 'Each call against the scenario' }).getByRole('row', { name: /^night-rtc/ });
    await expect(rtcVerdict).toContainText('bob (answered on paper)');
    await expect(rtcVerdict).toContainText(/\d+ s \(paper time\)/);
    await expect(events.getByRole('row', { name: /Attached to incident bob night-missing-found/ })).toContainText(/attached to TRN-.* \(kept on paper\).*back-entered \d\d:\d\d by bob/);
  } finally {
    await exercise.stop();
  }
  dir.remove();
});
