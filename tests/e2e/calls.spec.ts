import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { atRole, startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

// Calls that leave no incident, call-backs, and the 999 call announced in every window: keyboard only.

function writeScript(dir: string, calls: unknown[]): string {
  const file = join(dir, 'calls.json');
  writeFileSync(file, JSON.stringify({ calls }));
  return file;
}

/** Counts the alert sounds a page makes (each is three two-tone pulses, six oscillators). */
async function countAlertSounds(page: Page): Promise<void> {
  await page.addInitScript(`{
    window.alertOscillators = 0;
    const original = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () {
      window.alertOscillators += 1;
      return original.call(this);
    };
  }`);
}
const alertSounds = async (page: Page) => ((await page.evaluate('window.alertOscillators')) as number) / 6;

/** Presses Tab until the element named is focused, as a handler would, at most `max` times. */
async function tabTo(page: Page, name: string | RegExp, max = 40) {
  const target = page.getByRole('button', { name });
  for (let i = 0; i < max && !(await target.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement).catch(() => false)); i++) await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
}

test('a call ended without an incident needs a disposal and a note, and the supervisor sees it unrecorded until it has one, then in the report', async ({ newContext }) => {
  const dir = makeTempDir();
  const script = writeScript(dir.path, [{ id: 'motorway', at: 1, source: '101', callerNumber: '07700 900808' }]);
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const handlerDesk = await startConsoleProcess({ server: server.url, workstation: 'CALLS-1', operator: 'alice', dataDir: join(dir.path, 'c'), calls: script });
  const supervisorDesk = await startConsoleProcess({ server: server.url, workstation: 'SUPER-1', operator: 'carol', dataDir: join(dir.path, 's') });
  try {
    const handler = await (await newContext()).newPage();
    const supervisor = await (await newContext()).newPage();
    await handler.goto(atRole(handlerDesk.deskUrl, 'calltaking'));
    await signIn(handler, 'alice', 'demo', 'Calls');
    await supervisor.goto(atRole(supervisorDesk.deskUrl, 'supervisor'));
    await supervisor.getByLabel('Operator').fill('carol');
    await supervisor.getByLabel('Password').fill('demo');
    await supervisor.keyboard.press('Enter');
    const unrecorded = supervisor.getByRole('list', { name: 'Answered calls with no incident or disposal' });
    await expect(unrecorded).toContainText('Every answered call is on an incident or has a disposal.');

    await expect(handler.getByRole('option', { name: /07700 900808\s*ringing/ })).toBeVisible({ timeout: 15_000 });
    await handler.keyboard.press('F2');
    const form = handler.getByRole('form', { name: 'Call' });
    await expect(form.getByRole('combobox', { name: 'Location' })).toBeFocused();
    // Answered and neither on an incident nor disposed of: the supervisor sees it, with its age counting.
    const row = unrecorded.getByRole('listitem').filter({ hasText: '07700 900808' });
    await expect(row).toContainText(/101 non-emergency from 07700 900808, answered by alice at \d\d:\d\d: \d+:\d\d since it was answered/, { timeout: 10_000 });

    await tabTo(handler, 'End call, no incident');
    await handler.keyboard.press('Enter');
    const ending = handler.getByRole('group', { name: 'End the call without an incident' });
    await expect(ending.getByLabel('Disposal')).toBeFocused();
    // Nothing chosen yet: the call is not ended, and the handler is told why.
    await handler.keyboard.press('Control+Enter');
    await expect(form.getByRole('alert')).toHaveText('choose a disposal: how the call was dealt with');
    await handler.keyboard.type('Transferred');
    await expect(ending.getByLabel('Disposal')).toHaveValue('TRANSFER');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('Debris on the A1 northbound: passed to National Highways');
    await handler.keyboard.press('Control+Enter');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText('Call ended without an incident: Transferred to another agency');
    await expect(form).toBeHidden();

    await expect(unrecorded).toContainText('Every answered call is on an incident or has a disposal.', { timeout: 10_000 });
    const report = supervisor.getByRole('list', { name: 'Calls ended without an incident' });
    await expect(report).toContainText('101 non-emergency from 07700 900808: Transferred to another agency (alice): Debris on the A1 northbound: passed to National Highways');
    await expect(supervisor.getByRole('region', { name: /Calls ended without an incident/ })).toContainText(/Transferred to another agency\s*1/);
  } finally {
    await handlerDesk.stop();
    await supervisorDesk.stop();
    await server.stop();
    dir.remove();
  }
});

test('abandoned 999 calls from one number are one call-back, which one handler claims by keyboard and another sees taken at once', async ({ newContext }) => {
  const dir = makeTempDir();
  const script = writeScript(dir.path, [
    ...[1, 2, 3].map((at) => ({ id: `storm-${at}`, at, source: '999', callerNumber: '07700 900606', abandonAfter: 0.5 })),
    { id: 'withheld', at: 4, source: '999', callerNumber: null, abandonAfter: 0.5 },
  ]);
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const deskA = await startConsoleProcess({ server: server.url, workstation: 'CALLS-A', operator: 'alice', dataDir: join(dir.path, 'a'), calls: script });
  const deskB = await startConsoleProcess({ server: server.url, workstation: 'CALLS-B', operator: 'dan', dataDir: join(dir.path, 'b') });
  try {
    const alice = await (await newContext()).newPage();
    const dan = await (await newContext()).newPage();
    await alice.goto(atRole(deskA.deskUrl, 'calltaking'));
    await signIn(alice, 'alice', 'demo', 'Calls');
    await dan.goto(atRole(deskB.deskUrl, 'calltaking'));
    await signIn(dan, 'dan', 'demo', 'Calls');

    for (const page of [alice, dan]) {
      const callBacks = page.getByRole('list', { name: 'Call-backs owed' });
      const storm = callBacks.getByRole('listitem', { name: 'Ring back 07700 900606' });
      await expect(storm).toContainText(/999 call abandoned before it was answered\. 3 calls: \d\d:\d\d, \d\d:\d\d, \d\d:\d\d/, { timeout: 20_000 });
      await expect(storm).toContainText('Not claimed.');
      const withheld = callBacks.getByRole('listitem', { name: 'Withheld number: cannot be rung back' });
      await expect(withheld).toContainText('The number was withheld or is unknown: it cannot be rung back.');
      await expect(callBacks.getByRole('listitem')).toHaveCount(2);
    }

    // Alice, from the queue (Esc), tabs to the call-back and claims it; the keyboard goes to what came of it.
    await alice.keyboard.press('Escape');
    await expect(alice.getByRole('listbox', { name: 'Calls' })).toBeFocused();
    await tabTo(alice, 'Claim call-back to 07700 900606');
    await alice.keyboard.press('Enter');
    const hers = alice.getByRole('listitem', { name: 'Ring back 07700 900606' });
    await expect(hers).toContainText(/Claimed by you until \d\d:\d\d\./);
    await expect(hers.getByLabel('What came of ringing 07700 900606')).toBeFocused();

    // Dan sees it taken at once, and cannot claim it.
    const his = dan.getByRole('listitem', { name: 'Ring back 07700 900606' });
    await expect(his).toContainText(/Claimed by alice until \d\d:\d\d: leave it to them\./, { timeout: 3_000 });
    await expect(his.getByRole('button', { name: 'Claim call-back to 07700 900606' })).toBeDisabled();

    // No answer the first time: kept as an attempt, the claim still hers. Then she reaches the caller.
    await alice.keyboard.type('No answer, rang out');
    await alice.keyboard.press('Tab');
    await expect(hers.getByRole('button', { name: 'Not reached' })).toBeFocused();
    await alice.keyboard.press('Enter');
    await expect(hers.getByRole('list', { name: 'Attempts to ring 07700 900606' })).toContainText(/\d\d:\d\d alice: No answer, rang out/);
    await expect(his.getByRole('list', { name: 'Attempts to ring 07700 900606' })).toContainText('alice: No answer, rang out', { timeout: 3_000 });
    await alice.keyboard.press('Shift+Tab');
    await alice.keyboard.type('Spoke to the caller: phone in a pocket, all well');
    await alice.keyboard.press('Tab');
    await alice.keyboard.press('Tab');
    await expect(hers.getByRole('button', { name: 'Done' })).toBeFocused();
    await alice.keyboard.press('Enter');
    await expect(alice.getByRole('status', { name: 'Announcements' })).toHaveText('Call-back to 07700 900606 done');
    for (const page of [alice, dan]) await expect(page.getByRole('listitem', { name: 'Ring back 07700 900606' })).toBeHidden({ timeout: 3_000 });
  } finally {
    await deskA.stop();
    await deskB.stop();
    await server.stop();
    dir.remove();
  }
});

test('a call handler lands on Call taking; a 999 call ringing is announced in every window, with no false alarm for one already ringing, and Shift+F2 answers it from the incidents window', async ({ newContext }) => {
  const dir = makeTempDir();
  const script = writeScript(dir.path, [
    { id: 'first', at: 1, source: '999', callerNumber: '07700 900101' },
    { id: 'second', at: 2, source: '101', callerNumber: '07700 900202' },
    { id: 'third', at: 30, source: '999', callerNumber: '07700 900303' },
  ]);
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'CALLS-1', dataDir: join(dir.path, 'c'), calls: script });
  try {
    const context = await newContext();
    const first = await context.newPage();
    await countAlertSounds(first);
    // The window the workstation opens names no role. Its sign-in says which demonstration accounts there are.
    await first.goto(desk.deskUrl);
    const accounts = first.getByRole('list', { name: 'Demonstration accounts' });
    await expect(accounts).toContainText('alice call handler');
    await expect(accounts).toContainText('carol supervisor, dispatcher, call handler');
    await first.getByLabel('Operator').fill('alice');
    await first.getByLabel('Password').fill('demo');
    await first.keyboard.press('Enter');
    // Alice, a call handler with no saved desk, lands on Call taking.
    await expect(first).toHaveURL(/\?role=calltaking/);
    const queue = first.getByRole('listbox', { name: 'Calls' });
    await expect(queue.getByRole('option', { name: /07700 900202\s*ringing/ })).toBeVisible({ timeout: 15_000 });
    await expect(first.getByRole('alert').filter({ hasText: '999 call ringing from 07700 900101: press F2 to answer' })).toBeVisible();

    // The arrow keys move in the queue.
    await first.keyboard.press('Escape');
    await expect(queue).toBeFocused();
    await first.keyboard.press('ArrowDown');
    await expect(queue).toHaveAttribute('aria-activedescendant', (await queue.getByRole('option').nth(0).getAttribute('id'))!);
    await first.keyboard.press('ArrowDown');
    await expect(queue).toHaveAttribute('aria-activedescendant', (await queue.getByRole('option').nth(1).getAttribute('id'))!);
    await first.keyboard.press('Home');
    await expect(queue).toHaveAttribute('aria-activedescendant', (await queue.getByRole('option').nth(0).getAttribute('id'))!);

    // Another Call taking window, opened while the 999 call already rings: it shows the call, and raises no alarm
    // for it (it is not new), neither sound nor flash.
    const again = await context.newPage();
    await countAlertSounds(again);
    await again.goto(atRole(desk.deskUrl, 'calltaking'));
    await expect(again.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: /07700 900101\s*ringing/ })).toBeVisible({ timeout: 10_000 });
    await expect(again.getByRole('alert').filter({ hasText: '999 call ringing from 07700 900101: press F2 to answer' })).toBeVisible();
    expect(await again.locator('.contact-queue.alerting').count()).toBe(0);
    expect(await alertSounds(again)).toBe(0);
    await again.close();

    // The incidents window, opened while the 999 call already rings: announced, but no "new call" sound.
    const incidents = await context.newPage();
    await countAlertSounds(incidents);
    await incidents.goto(atRole(desk.deskUrl, 'incidents'));
    const banner = incidents.getByRole('alert').filter({ hasText: '999 call ringing from 07700 900101: press Shift+F2 to answer (it opens in Call taking)' });
    await expect(banner).toBeVisible({ timeout: 10_000 });
    await expect(incidents.getByRole('listbox', { name: 'Open incidents' })).toBeVisible();
    expect(await alertSounds(incidents)).toBe(0);
    await expect(incidents.getByRole('navigation', { name: 'Keyboard shortcuts' })).toContainText('Shift+F2 Answer a 999 call');

    // Shift+F2 there answers it and brings up Call taking, where the call is taken up.
    const opened = context.waitForEvent('page');
    await incidents.keyboard.press('Shift+F2');
    const callTaking = await opened;
    const form = callTaking.getByRole('form', { name: 'Call' });
    await expect(form.getByRole('heading', { name: '999 emergency call from 07700 900101' })).toBeVisible({ timeout: 10_000 });
    await expect(banner).toBeHidden();
    await expect(incidents.getByRole('status', { name: 'Announcements' })).toHaveText('Answered the 999 call from 07700 900101: it is in the Call taking window');

    // A 999 call that starts ringing while the window is open is sounded there.
    await expect(incidents.getByRole('alert').filter({ hasText: '999 call ringing from 07700 900303' })).toBeVisible({ timeout: 40_000 });
    await expect.poll(() => alertSounds(incidents)).toBe(1);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
