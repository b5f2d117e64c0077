import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { answerAndLocate, bookOn, createIncidentByKeyboard, focusUnits, signIn } from './helpers';

// Chromium with no WebGL at all, as on a thin client, a virtual desktop or after a graphics driver fault: every
// window must still work, and the map panel list what it would have drawn.
test.use({
  launchOptions: {
    executablePath: process.env.CORDON_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--disable-3d-apis'],
  },
});

const calls = { calls: [{ id: 'fight', at: 2, source: '999', callerNumber: '07700 900777' }] };
const GRID_REFERENCE = /\b[A-HJ-Z]{2} \d{5} \d{5}\b/;
const DISTANCE = /\b(\d+ m|\d+\.\d km|\d+ km) (N|NE|E|SE|S|SW|W|NW)\b|\bhere\b/;

/** The page's own errors (uncaught, or logged as errors): none are expected when WebGL is simply missing. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  return errors;
}

/** The lines of the workstation's log that say the map is unavailable. */
function mapFaultLines(dataDir: string): { part: string; problem: string }[] {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'console.log'), 'utf8');
  } catch {
    return []; // not written yet
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { part?: string; problem?: string })
    .filter((line): line is { part: string; problem: string } => line.part === 'map');
}

test('with no WebGL an operator signs in, creates an incident, takes a call and works the queue by keyboard; the map panel lists incidents and units with distances and grid references; the map is reported unavailable once', async ({ newContext }) => {
  test.setTimeout(120_000);
  const dir = makeTempDir();
  const script = join(dir.path, 'calls.json');
  writeFileSync(script, JSON.stringify(calls));
  const dataDir = join(dir.path, 'ws');
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'THIN-1', operator: 'carol', dataDir, calls: script });
  try {
    const context = await newContext();
    const incidents = await context.newPage();
    const errors = pageErrors(incidents);
    await incidents.goto(desk.windowUrl);
    // Confirm the premise: this browser really has no WebGL.
    // (Evaluated in the page, as text: the tests are compiled without the DOM's types.)
    expect(await incidents.evaluate("document.createElement('canvas').getContext('webgl2') === null && document.createElement('canvas').getContext('webgl') === null")).toBe(true);
    await signIn(incidents, 'carol');

    // The map panel says, once, why there is no map, and lists the units instead, each with its grid reference.
    const notice = incidents.getByRole('alert').filter({ hasText: 'The map cannot be drawn in this window' });
    await expect(notice).toHaveCount(1);
    await expect(notice).toContainText('WebGL is not available');
    const unitList = incidents.getByRole('listbox', { name: /^Map list: units/ });
    await expect(unitList.getByRole('option', { name: /^DM-11/ })).toContainText(GRID_REFERENCE);
    await expect(incidents.getByText(/^No incident selected: distances are measured from/)).toBeVisible();

    // An incident made from the incident list by keyboard (its location typed, unverified: no grid reference).
    await createIncidentByKeyboard(incidents, { type: 'Concern', location: 'outside the old pier', grade: '3', firstLog: 'Caller worried about a man on the railings' });
    await expect(incidents.getByRole('status', { name: 'Announcements' })).toHaveText(/created/);

    // Call taking, in its own window of the same workstation: a 999 call answered, located, typed, graded, saved.
    const calltaking = await context.newPage();
    errors.push(...pageErrors(calltaking));
    await calltaking.goto(desk.windowUrl.replace('role=incidents', 'role=calltaking'));
    await expect(calltaking.getByRole('listbox', { name: 'Calls' })).toBeVisible();
    const form = await answerAndLocate(calltaking, '07700 900777', 'market st', 'Market Street');
    await calltaking.keyboard.press('Tab');
    await calltaking.keyboard.type('Assault');
    await calltaking.keyboard.press('Tab');
    await calltaking.keyboard.type('1');
    await expect(form.getByLabel('Grade')).toHaveValue('1');
    await calltaking.keyboard.press('Control+Enter');
    await expect(calltaking.getByRole('status', { name: 'Announcements' })).toHaveText(/^Incident \S+ created$/);

    // Back at the queue: the 999 incident is first; selected by keyboard, it is what the map list measures from.
    await incidents.bringToFront();
    const queue = incidents.getByRole('listbox', { name: 'Open incidents' });
    const assault = queue.getByRole('option', { name: /Assault\s*Market Street, Saltmere/ });
    // Once the server has given it the force's reference, which the lists below name it by.
    await expect(assault).toContainText(/DMO-\d{8}-\d{4}/);
    const reference = (await assault.locator('.ref').textContent())!;
    await incidents.keyboard.press('F4');
    await expect(queue).toBeFocused();
    await incidents.keyboard.press('Home');
    await expect(assault).toHaveAttribute('aria-selected', 'true');
    await expect(incidents.getByText(`Distances from ${reference} (the selected incident)`)).toBeVisible();
    const incidentList = incidents.getByRole('listbox', { name: /^Map list: incidents/ });
    await expect(incidentList.getByRole('option').first()).toContainText(reference);
    await expect(incidentList.getByRole('option').first()).toContainText('here');
    await expect(incidentList.getByRole('option').first()).toContainText(GRID_REFERENCE);
    // The unverified one has no position to measure.
    await expect(incidentList.getByRole('option', { name: /outside the old pier/ })).toContainText('no position');
    // Units nearest the incident first, each with how far and which way, and its grid reference.
    const nearest = unitList.getByRole('option').first();
    await expect(nearest).toContainText(DISTANCE);
    await expect(nearest).toContainText(GRID_REFERENCE);

    // F9 goes to the list standing in for the map; the arrow keys move through it.
    await incidents.keyboard.press('F9');
    await expect(incidentList).toBeFocused();
    await incidents.keyboard.press('ArrowDown');
    await expect(incidentList.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
    await incidents.keyboard.press('ArrowDown');
    await expect(incidentList.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');

    // The dispatcher's keys still deploy: a unit booked on, then the recommended units, Enter on the first.
    await bookOn(incidents, 'DM-11');
    await incidents.keyboard.press('F4');
    await incidents.keyboard.press('Shift+F4');
    const proposals = incidents.getByRole('listbox', { name: 'Recommended units' });
    await expect(proposals).toBeFocused();
    await expect(proposals.getByRole('option').first()).toContainText(/^DM-\d\d/);
    await incidents.keyboard.press('Enter');
    await expect(incidents.getByRole('status', { name: 'Announcements' })).toHaveText(new RegExp(`^DM-\\d\\d deployed to ${reference}$`));

    // F8 still finds a place, and says where it is, rather than centring a map that is not there.
    await incidents.keyboard.press('F8');
    await incidents.keyboard.type('police station');
    await expect(incidents.getByRole('listbox', { name: 'Find a location: results' }).getByRole('option').first()).toContainText('Police Station');
    await incidents.keyboard.press('Enter');
    await expect(incidents.getByRole('status', { name: 'Map position' })).toHaveText(/^Found (Saltmere|Northgate|Northbridge|Holmbury) Police Station.* at [A-HJ-Z]{2} \d{5} \d{5}$/);
    // On screen: where it is, and how far and which way from the incident selected.
    await expect(incidents.getByText(/^Found (Saltmere|Northgate|Northbridge|Holmbury) Police Station.*: [A-HJ-Z]{2} \d{5} \d{5}/)).toContainText(new RegExp(`(${DISTANCE.source}) of ${reference}$`));

    // The resources board's map panel lists too, measuring from the unit chosen on the board.
    const resources = await context.newPage();
    errors.push(...pageErrors(resources));
    await resources.goto(desk.windowUrl.replace('role=incidents', 'role=resources'));
    await expect(resources.getByRole('alert').filter({ hasText: 'The map cannot be drawn in this window' })).toHaveCount(1);
    await focusUnits(resources);
    await resources.keyboard.press('Home');
    await expect(resources.getByText('Distances from DM-11 (the unit chosen)')).toBeVisible();
    await expect(resources.getByRole('listbox', { name: /^Map list: units/ }).getByRole('option').first()).toContainText(/^DM-11.*here/);

    // A reload of a window, and the map window itself: the notice is in each, the log says it once.
    await incidents.reload();
    await expect(incidents.getByRole('alert').filter({ hasText: 'The map cannot be drawn in this window' })).toHaveCount(1);
    const map = await context.newPage();
    errors.push(...pageErrors(map));
    await map.goto(desk.windowUrl.replace('role=incidents', 'role=map'));
    await expect(map.getByRole('alert').filter({ hasText: 'The map cannot be drawn in this window' })).toHaveCount(1);
    await expect.poll(() => mapFaultLines(dataDir).length, { message: 'the workstation logs that the map is unavailable' }).toBe(1);
    expect(errors).toEqual([]);

    // After the console has stopped (its log flushed): still one line.
    await desk.stop();
    const lines = mapFaultLines(dataDir);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.problem).toContain('WebGL is not available');
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
