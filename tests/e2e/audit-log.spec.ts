import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Locator, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';
import { wallClock } from '../../shared/domain/wall-clock';

async function command(page: Page, line: string) {
  await page.keyboard.press('F6');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/**
 * Opens the audit log over the desk (Shift+F6) and asks who looked at or changed an incident, by its reference,
 * until the answer has a row matching `row` (the workstation sends its commands to the server on its own time).
 * Returns the dialog and the answer's table, for the rows a later test expects beside these.
 */
async function askAboutIncident(page: Page, reference: string, reason: string, row: RegExp): Promise<{ audit: Locator; entries: Locator }> {
  await page.keyboard.press('Shift+F6');
  const audit = page.getByRole('dialog', { name: 'Audit log' });
  await expect(audit).toBeVisible();
  await expect(audit.getByLabel('Incident reference')).toBeFocused();
  await page.keyboard.type(reference);
  await audit.getByLabel('Why you are looking (kept in the audit log)').fill(reason);
  const entries = audit.getByRole('table', { name: 'Audit entries' });
  await expect(async () => {
    await audit.getByLabel('Incident reference').press('Enter');
    await expect(entries.getByRole('row').filter({ hasText: row })).not.toHaveCount(0, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  return { audit, entries };
}

test('a supervisor asks by keyboard who looked at, created and changed an incident, sees who, when in force time and the reason given, and exports the answer as CSV', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'DESK-1', operator: 'bob', dataDir: join(dir.path, 'd') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(desk.windowUrl);
    await signIn(page, 'bob');
    // Shift+F6 is not offered to a dispatcher, and does nothing for one.
    await expect(page.getByRole('navigation', { name: 'Keyboard shortcuts' })).not.toContainText('Audit log');
    await createIncidentByKeyboard(page, { type: 'Theft', location: '12 Market Street', grade: '3', firstLog: 'Bicycle taken from the yard' });
    // Once the server has applied it, the incident carries the force's reference.
    const detail = page.getByRole('region', { name: /^Incident DMO-/ });
    await expect(detail).toBeVisible({ timeout: 20_000 });
    const reference = ((await detail.getAttribute('aria-label')) ?? '').replace(/^Incident /, '');
    // Closed, then another job: looking the closed one up again asks bob why, offering the job he is working on.
    await command(page, 'CLOSE ADVICE');
    await expect(page.getByRole('status', { name: 'Command result' })).toHaveText(/ closed \(ADVICE\)$/);
    await createIncidentByKeyboard(page, { type: 'Assault', location: '3 Bargate', grade: '2', firstLog: 'Two men fighting' });
    await expect(page.getByRole('region', { name: /^Incident (DMO|DESK-1)-/ })).toContainText('Bargate');
    await command(page, `FIND ${reference}`);
    const prompt = page.getByRole('dialog', { name: 'Reason for looking' });
    await expect(prompt.getByLabel('Reason')).toHaveValue(/^Working on /);
    const reasonGiven = await prompt.getByLabel('Reason').inputValue();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('region', { name: 'Closed incident' })).toBeVisible();
    await page.keyboard.press('Shift+F6');
    await expect(page.getByRole('dialog', { name: 'Audit log' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Sign out' }).press('Enter');

    await signIn(page, 'carol');
    await expect(page.getByRole('navigation', { name: 'Keyboard shortcuts' })).toContainText('Shift+F6');
    const { audit, entries } = await askAboutIncident(page, reference, 'Complaint from the caller', /bob at DESK-1/);
    // Who looked at it, and why: bob, with the reason he gave.
    await expect(async () => {
      await audit.getByLabel('Incident reference').press('Enter');
      await expect(entries.getByRole('row').filter({ hasText: /looked at\s*incident / }).filter({ hasText: 'bob at DESK-1' })).toContainText(`reason: ${reasonGiven}`, { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    // And the search by reference that showed it him first, though the search's record is what he typed.
    await expect(entries.getByRole('row').filter({ hasText: new RegExp(`looked at\\s*search ${reference}`) }).filter({ hasText: 'bob at DESK-1' })).toHaveCount(1);
    // The incident's records are in the answer too: its first log line, named by the incident's reference.
    await expect(entries.getByRole('row').filter({ hasText: 'created' }).filter({ hasText: `log entry on ${reference}` })).not.toHaveCount(0);
    const created = entries.getByRole('row').filter({ hasText: 'created' }).filter({ hasText: 'bob at DESK-1' }).filter({ hasText: `incident ${reference}` });
    await expect(created).toHaveCount(1);
    // Times as the force's clocks showed them (yyyy-mm-dd hh:mm), at the workstation and as the server recorded them.
    // Always with the zone's mark: the reader may look from another season, or a machine on another zone.
    await expect(created.getByRole('cell').nth(0)).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d (BST|GMT)$/);
    await expect(created.getByRole('cell').nth(1)).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d (BST|GMT)$/);
    // At 1280 px every column's header and the times each stay on one line.
    await page.setViewportSize({ width: 1280, height: 800 });
    // How many lines a cell's text takes: the distinct tops of its text's boxes.
    type InPage = { document: { createRange(): { selectNodeContents(node: unknown): void; getClientRects(): Iterable<{ top: number }> } } };
    const lines = (cell: Locator) =>
      cell.evaluate((element) => {
        const range = (globalThis as unknown as InPage).document.createRange();
        range.selectNodeContents(element);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      });
    for (const header of await entries.getByRole('columnheader').all()) expect(await lines(header), await header.innerText()).toBe(1);
    expect(await lines(created.getByRole('cell').nth(0))).toBe(1);
    expect(await lines(created.getByRole('cell').nth(1))).toBe(1);
    await expect(created).toContainText('incident');
    // In words: what was done and by which command, never a code; the system's bookkeeping (a record's version and
    // time of last change, altered by every command, closing it too) is left out, and said to be.
    await expect(created).toContainText('created: create an incident');
    await expect(entries.getByRole('cell').filter({ hasText: /^(version|updatedAt):/ })).toHaveCount(0);
    await expect(entries.getByRole('row').filter({ hasText: 'changed: close an incident' })).not.toHaveCount(0);
    await expect(audit.getByText(/\d+ bookkeeping changes? \(a record’s version and time of last change\) not shown/)).toBeVisible();
    await expect(entries).not.toContainText('logEntry');

    // The answer as a file, for a purpose the log keeps.
    await audit.getByLabel('Purpose of the file (kept in the audit log)').fill('Complaint 2026/114');
    const download = page.waitForEvent('download');
    await audit.getByLabel('Purpose of the file (kept in the audit log)').press('Enter');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^audit-incident-.*\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFseq,recorded_at_utc,recorded_at_local,issued_at_utc,issued_at_local,operator,workstation,force,kind,command,record_kind,record_id,record,field,before,after,field_code,before_code,after_code,clock');
    expect(csv).toMatch(/\r\n\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (BST|GMT),[^\r\n]*,bob,DESK-1,DMO,collection,incident\.create,incident,/);
    // Each record by its name too, as on the screen; the file, unlike the screen, keeps every entry, bookkeeping too.
    expect(csv).toContain(`,incident ${reference},`);
    expect(csv).toContain(`log entry on ${reference},`);
    expect(csv).toMatch(/,version,\d+,\d+,\r\n/);
    await expect(audit.getByRole('status')).toContainText('the export is in the audit log as a disclosure to you');

    // Every disclosure asks first for those to other forces (none here): the audit log's own exports are asked apart.
    await audit.getByRole('radio', { name: 'Every disclosure' }).check();
    await expect(audit.getByRole('radio', { name: /^To other forces only/ })).toBeChecked();
    await audit.getByRole('button', { name: 'Ask' }).press('Enter');
    await expect(audit.getByRole('heading', { name: 'Every disclosure to another force' })).toBeVisible();
    await expect(audit.getByRole('status').filter({ hasText: 'Nothing in the audit log answers that question.' })).toBeVisible();
    // The export is a disclosure, found by asking for all of them.
    await audit.getByRole('radio', { name: /^All, with the audit log’s own exports/ }).check();
    await audit.getByRole('button', { name: 'Ask' }).press('Enter');
    await expect(entries.getByRole('row').filter({ hasText: 'disclosed' })).toContainText('carol at DESK-1');
    await expect(audit.getByRole('heading', { name: 'Every disclosure, with the audit log’s own exports' })).toBeVisible();

    // A new question refused before it is sent (the same minute from and to) takes the old answer away with it.
    await audit.getByRole('radio', { name: /^An operator/ }).check();
    await audit.getByLabel('Operator', { exact: true }).fill('bob');
    await audit.getByLabel('From time').fill('10:00');
    await audit.getByLabel('To time').fill('10:00');
    await audit.getByRole('button', { name: 'Ask' }).press('Enter');
    await expect(audit.getByRole('alert')).toHaveText('To must be later than From: the end of the span is not included.');
    await expect(entries).toBeHidden();
    await expect(audit.getByRole('button', { name: 'Export as CSV' })).toBeHidden();
    await page.keyboard.press('Escape');
    await expect(audit).toBeHidden();
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});

test('an auditor asking what an operator did in the real hour finds what a desk whose clock is five hours fast did, marked as a doubtful clock on screen and in the file', async ({ newContext }) => {
  // A server and two workstations to start, each signed in: more than the default minute on a busy machine.
  test.setTimeout(180_000);
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  // bob's desk believes it is five hours later than it is; the server, and eve's desk, keep the real time.
  const fast = await startConsoleProcess({ server: server.url, workstation: 'DESK-FAST', operator: 'bob', dataDir: join(dir.path, 'fast'), clockStart: new Date(Date.now() + 5 * 3_600_000).toISOString() });
  const auditDesk = await startConsoleProcess({ server: server.url, workstation: 'AUDIT-1', operator: 'eve', dataDir: join(dir.path, 'audit') });
  try {
    const desk = await (await newContext()).newPage();
    await desk.goto(fast.windowUrl);
    await signIn(desk, 'bob');
    await createIncidentByKeyboard(desk, { type: 'Theft', location: '12 Market Street', grade: '3', firstLog: 'Bicycle taken from the yard' });
    await expect(desk.getByRole('region', { name: /^Incident DMO-/ })).toBeVisible({ timeout: 20_000 });

    const page = await (await newContext()).newPage();
    await page.goto(auditDesk.deskUrl);
    await page.getByLabel('Operator').fill('eve');
    await page.getByLabel('Password').fill('demo');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Audit log' });
    await expect(panel.getByRole('button', { name: 'Ask' })).toBeEnabled({ timeout: 20_000 });
    // The hour either side of now, on the force's clock: what bob did in it, in the real world.
    const wall = wallClock('Europe/London');
    const [from, to] = [Date.now() - 3_600_000, Date.now() + 3_600_000];
    await panel.getByRole('radio', { name: /^An operator/ }).check();
    await panel.getByLabel('Operator', { exact: true }).fill('bob');
    await panel.getByLabel('From date').fill(wall.date(from));
    await panel.getByLabel('From time').fill(wall.time(from));
    await panel.getByLabel('To date').fill(wall.date(to));
    await panel.getByLabel('To time').fill(wall.time(to));
    await panel.getByLabel('Why you are looking (kept in the audit log)').fill('Check of DESK-FAST');
    const entries = panel.getByRole('table', { name: 'Audit entries' });
    const created = entries.getByRole('row').filter({ hasText: 'created: create an incident' }).filter({ hasText: 'bob at DESK-FAST' }).filter({ hasText: 'new incident' });
    await expect(async () => {
      await panel.getByLabel('Why you are looking (kept in the audit log)').press('Enter');
      await expect(created).toHaveCount(1, { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    // Its time at the desk is five hours after the server recorded it: said under it, not to be believed.
    await expect(created.getByRole('cell').nth(0)).toContainText(/doubtful clock: the workstation's time is (4 h 59 min|5 h) after the server recorded it/);
    await expect(created.getByRole('cell').nth(1)).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d (BST|GMT)$/);
    // bob's password checked by the server is at the server's time, and says nothing of a clock.
    const ticketIssued = entries.getByRole('row').filter({ hasText: 'ticket issued until' });
    await expect(ticketIssued).toHaveCount(1);
    await expect(ticketIssued.getByRole('cell').nth(0)).not.toContainText('clock');

    await panel.getByLabel('Purpose of the file (kept in the audit log)').fill('Clock check');
    const download = page.waitForEvent('download');
    await panel.getByLabel('Purpose of the file (kept in the audit log)').press('Enter');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^audit-operator-bob-.*\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv).toMatch(/,bob,DESK-FAST,DMO,collection,incident\.create,incident,[^\r\n]*,doubtful clock: the workstation's time is (4 h 59 min|5 h) after the server recorded it\r\n/);
  } finally {
    await fast.stop();
    await auditDesk.stop();
    await server.stop();
    dir.remove();
  }
});

test('an auditor’s desk is the audit log alone: asked by keyboard, with nothing else of the room on it', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'AUDIT-1', operator: 'eve', dataDir: join(dir.path, 'd') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(desk.deskUrl);
    await page.getByLabel('Operator').fill('eve');
    await page.getByLabel('Password').fill('demo');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Audit log' });
    await expect(panel).toBeVisible();
    await expect(page.getByRole('listbox')).toHaveCount(0);
    // Nothing of the room is offered: the header names the audit log, with no other window to open.
    await expect(page.getByRole('navigation', { name: 'Window role' })).toHaveText('Audit log');
    await expect(page.getByRole('navigation', { name: 'Window role' }).getByRole('link')).toHaveCount(0);
    await panel.getByRole('radio', { name: 'Every disclosure' }).check();
    await panel.getByLabel('Why you are looking (kept in the audit log)').fill('Monthly review');
    // Asked once the workstation is online: the log is on the server.
    await expect(panel.getByRole('button', { name: 'Ask' })).toBeEnabled({ timeout: 20_000 });
    await panel.getByRole('button', { name: 'Ask' }).press('Enter');
    await expect(panel.getByRole('status').filter({ hasText: 'Nothing in the audit log answers that question.' })).toBeVisible({ timeout: 20_000 });
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
