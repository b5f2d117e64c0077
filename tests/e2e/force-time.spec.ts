import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startStandaloneConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { answerAndLocate, createIncidentByKeyboard, signIn, selectByKeyboard } from './helpers';

// Times are the force's (London's), whatever the zone of the machine the console core runs on (New York, by TZ) or
// of the browser (India: the `force-time` project in playwright.config.ts), and by the core's clock, which starts
// where each test says (--clock-start) while the browser's machine keeps today's date.
const MACHINE_ZONE = 'America/New_York';

async function command(page: Page, line: string) {
  await page.keyboard.press('F6');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Selects the only incident in the queue with the keyboard. */
async function selectTheIncident(page: Page) {
  const option = page.getByRole('listbox', { name: 'Open incidents' }).getByRole('option').first();
  await page.keyboard.press('F4');
  await selectByKeyboard(page, option);
  return option;
}

async function openConsole(newContext: () => Promise<BrowserContext>, dir: string, clockStart: string, calls?: object) {
  let script: string | undefined;
  if (calls) writeFileSync((script = join(dir, 'calls.json')), JSON.stringify(calls));
  const desk = await startStandaloneConsole({ workstation: 'TZ-1', operator: 'carol', dataDir: join(dir, 'ws'), clockStart, machineTimeZone: MACHINE_ZONE, ...(script ? { calls: script } : {}) });
  const context = await newContext();
  return { desk, context };
}

test('in British Summer Time, just after midnight: the queue, the log, the attendance clock, a reservation typed as AS callsign hh:mm, the resources board and the caller history all read London time', async ({ newContext }) => {
  test.setTimeout(120_000);
  const dir = makeTempDir();
  // 00:20 BST on 16 July 2026 is 23:20 UTC on the 15th, 19:20 in New York and 04:50 in India.
  const calls = {
    calls: [
      { id: 'first', at: 1, source: '999', callerNumber: '07700 900555' },
      { id: 'again', at: 40, source: '999', callerNumber: '07700 900555' },
    ],
  };
  const { desk, context } = await openConsole(newContext, dir.path, '2026-07-15T23:20:00Z', calls);
  try {
    const handler = await context.newPage();
    await handler.goto(desk.windowUrl.replace('role=incidents', 'role=calltaking'));
    await signIn(handler, 'carol', 'demo', 'Calls');
    // Waiting times count from the core's clock, not the browser machine's (months later).
    await expect(handler.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: /07700 900555\s*ringing [0-5]:\d\d/ })).toBeVisible({ timeout: 25_000 });

    await answerAndLocate(handler, '07700 900555', 'market st', 'Market Street');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('Burglary');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('1');
    await handler.keyboard.press('Control+Enter');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText(/^Incident .+ created$/);

    const dispatcher = await context.newPage();
    await dispatcher.goto(desk.windowUrl);
    await signIn(dispatcher, 'carol');
    const incident = await selectTheIncident(dispatcher);
    // The reference's day is London's (the 16th), not UTC's; the time shown is London's.
    await expect(incident).toContainText('DMO-20260716-0001');
    await expect(incident).toContainText(/(?<!\d)00:2\d(?!:\d)/);
    await expect(incident).toContainText(/Attendance: 1[45]:\d\d left/);
    await expect(dispatcher.getByRole('region', { name: 'Incident DMO-20260716-0001' })).toContainText(/00:2\d:\d\d by carol/);
    const log = dispatcher.getByRole('log', { name: 'Log of DMO-20260716-0001' });

    // DM-11 booked on (outside its day shift, so until a time: the next 04:00 on London's clock).
    await command(dispatcher, 'BOOKON DM-11 04:00');
    await expect(dispatcher.getByRole('status', { name: 'Command result' })).toHaveText('DM-11 booked on until 04:00');
    // A reservation: the next 00:50 on London's clock, 30 minutes on by the core's clock.
    await command(dispatcher, 'AS DM-11 00:50');
    await expect(dispatcher.getByRole('status', { name: 'Command result' })).toHaveText('DM-11 reserved for DMO-20260716-0001 at 2026-07-16 00:50');
    await expect(log).toContainText(/^00:2\d:\d\d .*DM-11 reserved for 2026-07-16 00:50/);
    await expect(log).not.toContainText('BST'); // an hour that does not repeat carries no mark
    const resources = await context.newPage();
    await resources.goto(desk.windowUrl.replace('role=incidents', 'role=resources'));
    await signIn(resources, 'carol', 'demo', 'Units');
    await expect(resources.getByRole('listbox', { name: 'Units' }).getByRole('option', { name: /^DM-11/ })).toContainText('reserved for 00:50');

    // The same number again: its history shows London's date and time, and attaching it writes London's time. It rings
    // 40 s after the console started (so that only one call rings while the first is answered), which a quick run
    // may not have reached yet.
    await expect(handler.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: /07700 900555\s*ringing/ })).toBeVisible({ timeout: 60_000 });
    await answerAndLocate(handler, '07700 900555', 'market st', 'Market Street');
    const history = handler.getByRole('region', { name: 'Warnings and history' });
    await expect(history.getByRole('list', { name: 'Earlier incidents here' })).toContainText(/DMO-20260716-0001 2026-07-16 00:2\d /);
    await expect(history.getByRole('list', { name: 'Earlier calls from this number' })).toContainText(/^2026-07-16 00:2\d 999/);
    await handler.keyboard.press('F4');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText('Call attached to DMO-20260716-0001');
    await expect(log).toContainText(/Further contact attached: 999 from 07700 900555, received 00:2\d:\d\d/);
  } finally {
    await desk.stop();
    dir.remove();
  }
});

test('at the October change, the hour that repeats is marked BST or GMT, and a reservation in it must say which', async ({ newContext }) => {
  const dir = makeTempDir();
  // 01:20 BST on 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT, and 01:00–01:59 comes again.
  const { desk, context } = await openConsole(newContext, dir.path, '2026-10-25T00:20:00Z');
  try {
    const page = await context.newPage();
    await page.goto(desk.windowUrl);
    await signIn(page, 'carol');
    await createIncidentByKeyboard(page, { type: 'Assault', location: 'Market Street', grade: '2', firstLog: 'Fight in the street' });
    const incident = await selectTheIncident(page);
    await expect(incident).toContainText(/(?<!\d)01:2\d BST/);
    const log = page.getByRole('log', { name: 'Log of DMO-20261025-0001' });
    await expect(log).toContainText(/^01:2\d:\d\d BST /);

    await command(page, 'BOOKON DM-11 04:00');
    await expect(page.getByRole('status', { name: 'Command result' })).toHaveText('DM-11 booked on until 04:00');
    await command(page, 'AS DM-11 01:50');
    await expect(page.getByRole('alert', { name: 'Command result' })).toHaveText(
      '01:50 comes twice on 25 October 2026, when the clocks go back from 02:00 BST to 01:00 GMT: type 01:50 BST or 01:50 GMT (or the offset, +01:00 or +00:00)',
    );
    // The operator adds which one, as the desk shows it.
    await page.keyboard.type(' GMT');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status', { name: 'Command result' })).toHaveText('DM-11 reserved for DMO-20261025-0001 at 2026-10-25 01:50 GMT');
    await expect(log).toContainText('DM-11 reserved for 2026-10-25 01:50 GMT');
  } finally {
    await desk.stop();
    dir.remove();
  }
});

test('at the March change, a time the clocks skip is refused with the reason', async ({ newContext }) => {
  const dir = makeTempDir();
  // 00:10 GMT on 29 March 2026: at 01:00 GMT the clocks go forward to 02:00 BST.
  const { desk, context } = await openConsole(newContext, dir.path, '2026-03-29T00:10:00Z');
  try {
    const page = await context.newPage();
    await page.goto(desk.windowUrl);
    await signIn(page, 'carol');
    await createIncidentByKeyboard(page, { type: 'Assault', location: 'Market Street', grade: '2', firstLog: 'Fight in the street' });
    await selectTheIncident(page);
    await command(page, 'BOOKON DM-11 04:00');
    await expect(page.getByRole('status', { name: 'Command result' })).toHaveText('DM-11 booked on until 04:00');
    await command(page, 'AS DM-11 01:30');
    await expect(page.getByRole('alert', { name: 'Command result' })).toHaveText('01:30 does not exist on 29 March 2026: the clocks go forward from 01:00 GMT to 02:00 BST');
    await expect(page.getByRole('log', { name: 'Log of DMO-20260329-0001' })).not.toContainText('reserved');
    await page.keyboard.press('F6');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('AS DM-11 02:30');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status', { name: 'Command result' })).toHaveText('DM-11 reserved for DMO-20260329-0001 at 2026-03-29 02:30');
  } finally {
    await desk.stop();
    dir.remove();
  }
});
