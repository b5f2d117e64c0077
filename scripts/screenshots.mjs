#!/usr/bin/env node
// `npm run docs:screenshots`: the pictures in docs/screenshots/, taken from the running console in Chromium:
// the generated exercise area, and a real area imported from the open data beside the project (../shared/data),
// each in the day and the night style; and the desk at work (desk-*.png): a 999 call being taken, the queue with
// the units proposed for an incident, the resources board and the map window once a unit is sent; an exercise's
// trainer's desk and after-action review (exercise-trainer.png, exercise-review.png); and the two demonstration
// forces' dispatcher desks with an incident shared across the border (forces-dmo.png, forces-nbr.png). The data is
// read, never copied into the project; the pictures carry its attribution on the map.
//
// `npm run docs:screenshots -- desk training forces` takes only those sets (areas, desk, training, forces); only
// `areas` needs the open data.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = (...parts) => join(root, '..', 'shared', 'data', ...parts);
const out = join(root, 'docs', 'screenshots');
const SETS = ['areas', 'desk', 'training', 'forces'];
const asked = process.argv.slice(2);
const unknown = asked.filter((set) => !SETS.includes(set));
if (unknown.length) {
  console.error(`no such set of screenshots: ${unknown.join(', ')} (there are ${SETS.join(', ')})`);
  process.exit(1);
}
const wanted = (set) => asked.length === 0 || asked.includes(set);
if (wanted('areas') && !existsSync(data('README.md'))) {
  console.error(`the real open data is not at ${data()}; see the README (or take only the other sets: npm run docs:screenshots -- desk training forces)`);
  process.exit(1);
}

execNode(['scripts/build.mjs', '--if-stale']);
const work = mkdtempSync(join(tmpdir(), 'cordon-screenshots-'));
mkdirSync(out, { recursive: true });
const real = join(work, 'hampshire');
if (wanted('areas')) execNode([
  'dist/node/area-import.mjs',
  ...['--out', real, '--name', 'Hampshire and Thames Valley'],
  ...['--attribution', 'Contains OS data © Crown copyright and database right 2020'],
  ...['--attribution', 'Contains Royal Mail data © Royal Mail copyright and database right 2014'],
  ...['--attribution', 'Contains National Statistics data © Crown copyright and database right 2014'],
  ...['--attribution', 'Places © GeoNames (CC BY 4.0)'],
  ...['--roads', data('os-tutorial-southampton', 'roads.geojson')],
  ...['--postcodes', data('codepoint-open-2014', 'Data', 'CSV', 'so.csv')],
  ...['--places', data('derived', 'places_geonames.geojson')],
  ...['--boundaries', `force=${data('derived', 'pfa_hampshire_thamesvalley.geojson')}`],
  ...['--boundaries', `district=${data('derived', 'lad_hampshire_thamesvalley.geojson')}`],
  ...['--boundaries', `ward=${data('ons-boundaries-martinjc', 'wards_by_lad', 'E06000045.json')}`],
  ...['--land', data('derived', 'england_land.geojson')],
]);

const browser = await chromium.launch({
  executablePath: process.env.CORDON_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
try {
  if (wanted('areas')) {
    await shoot('southampton', ['--area', real], 'Shirly Road', 'Map of Hampshire and Thames Valley');
    await shoot('exercise', [], 'High St Saltmere', 'Map of Saltmere and Northbridge (exercise area)');
  }
  if (wanted('desk')) await shootDesk();
  if (wanted('training')) await shootReview();
  if (wanted('forces')) await shootForces();
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}

/** The incidents window's address: the one printed is the desk's first window, which lands on the operator's own. */
function atIncidents(printed) {
  const url = new URL(printed);
  url.searchParams.set('role', 'incidents');
  return url.toString();
}

/** Starts a console on the area, searches by keyboard, and photographs it in both themes. */
async function shoot(name, args, query, mapLabel) {
  const child = spawn(process.execPath, ['dist/node/console.mjs', '--no-open', '--shell', 'browser', '--data-dir', join(work, `data-${name}`), '--workstation', 'DESK-1', '--operator', 'carol', ...args], { cwd: root });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    for (let i = 0; i < 300 && !/Cordon console: (\S+)/.test(output); i++) await new Promise((r) => setTimeout(r, 100));
    const printed = /Cordon console: (\S+)/.exec(output)?.[1];
    if (!printed) throw new Error(`the console did not start:\n${output}`);
    const url = atIncidents(printed);
    for (const scheme of ['light', 'dark']) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, colorScheme: scheme });
      await page.goto(url);
      // Nothing shows before sign-in: the demonstration supervisor, who sees every part of the desk. The second
      // window of the same workstation finds her signed in already.
      const map = page.getByLabel(mapLabel);
      const operator = page.getByLabel('Operator');
      await operator.or(map).first().waitFor();
      if (await operator.isVisible()) {
        await operator.fill('carol');
        await page.getByLabel('Password').fill('demo');
        await page.keyboard.press('Enter');
      }
      await map.waitFor();
      await page.keyboard.press('F8');
      await page.keyboard.type(query);
      await page.getByRole('listbox', { name: 'Find a location: results' }).getByRole('option').first().waitFor();
      await page.keyboard.press('Enter');
      await waitForLabels(page);
      await page.screenshot({ path: join(out, `${name}-${scheme}.png`) });
      console.log(`docs/screenshots/${name}-${scheme}.png`);
      await page.close();
    }
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * The desk at work on the exercise area, one workstation with its simulated vehicles: a 999 call rings and is taken
 * (photographed mid-call, the caller's handset on the map), saved as a grade 1 assault; the dispatcher's queue with
 * the units proposed for it; the first deployed; the resources board and the map window as the unit drives there.
 */
async function shootDesk() {
  const calls = join(work, 'desk-calls.json');
  const caller = '07700 900101';
  writeFileSync(calls, JSON.stringify({ calls: [{ id: 'fight', at: 1, source: '999', callerNumber: caller, handset: { point: { lat: 53.92618, lon: 1.75155 }, accuracyM: 14, source: 'AML', after: 1 } }] }));
  const child = spawn(process.execPath, ['dist/node/console.mjs', '--no-open', '--shell', 'browser', '--data-dir', join(work, 'data-desk'), '--workstation', 'DESK-1', '--operator', 'carol', '--calls', calls], { cwd: root });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, colorScheme: 'light' });
  try {
    for (let i = 0; i < 300 && !/Cordon console: (\S+)/.test(output); i++) await new Promise((r) => setTimeout(r, 100));
    const printed = /Cordon console: (\S+)/.exec(output)?.[1];
    if (!printed) throw new Error(`the console did not start:\n${output}`);
    const url = atIncidents(printed);
    const windowOf = (role) => url.replace('role=incidents', `role=${role}`);
    const snap = async (page, name) => {
      await page.waitForTimeout(1500); // the last tiles and labels
      await page.screenshot({ path: join(out, `desk-${name}.png`) });
      console.log(`docs/screenshots/desk-${name}.png`);
    };

    // Call taking: answered, located, typed and graded; the handset's position beside the form's location.
    const handler = await context.newPage();
    await handler.goto(windowOf('calltaking'));
    await handler.getByLabel('Operator').fill('carol');
    await handler.getByLabel('Password').fill('demo');
    await handler.keyboard.press('Enter');
    await handler.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: new RegExp(`${caller}\\s*ringing`) }).waitFor({ timeout: 30_000 });
    await handler.keyboard.press('F2');
    const form = handler.getByRole('form', { name: 'Call' });
    await form.getByRole('combobox', { name: 'Location' }).waitFor();
    await handler.keyboard.type('market st');
    await form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first().waitFor();
    await handler.keyboard.press('Enter');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('Assault');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('1');
    await form.getByLabel('What is happening').fill('Two men fighting outside the Anchor, one has a bottle; caller across the road.');
    await snap(handler, 'calltaking');
    await handler.keyboard.press('Control+Enter');
    await handler.getByRole('status', { name: 'Announcements' }).filter({ hasText: /created/ }).waitFor();

    // The queue: the incident chosen, the units proposed for it, nearest suitable first.
    const dispatcher = await context.newPage();
    await dispatcher.goto(windowOf('incidents'));
    await dispatcher.getByRole('listbox', { name: 'Open incidents' }).getByRole('option').first().waitFor();
    await dispatcher.keyboard.press('F4');
    await dispatcher.keyboard.press('Home');
    await dispatcher.getByRole('listbox', { name: 'Recommended units' }).getByRole('option').first().waitFor();
    await dispatcher.keyboard.press('Shift+F4');
    await waitForLabels(dispatcher);
    await snap(dispatcher, 'incidents');
    await dispatcher.keyboard.press('Enter');
    await dispatcher.getByRole('status', { name: 'Announcements' }).filter({ hasText: /deployed to/ }).waitFor();

    // The resources board and the map window while the unit drives there.
    const resources = await context.newPage();
    await resources.goto(windowOf('resources'));
    await resources.getByRole('listbox', { name: 'Units' }).getByRole('option').filter({ hasText: /terminal: accepted/ }).first().waitFor({ timeout: 20_000 });
    await resources.keyboard.press('F4');
    await resources.keyboard.press('Home');
    await snap(resources, 'resources');
    const map = await context.newPage();
    await map.goto(windowOf('map'));
    await map.getByLabel(/^Map of /).waitFor();
    // Found by keyboard and drawn back a step or two, so the incident and the unit on its way are both in view.
    await map.keyboard.press('F8');
    await map.keyboard.type('market st');
    await map.getByRole('listbox', { name: 'Find a location: results' }).getByRole('option').first().waitFor();
    await map.keyboard.press('Enter');
    await map.keyboard.press('F9');
    await map.keyboard.press('-');
    await map.keyboard.press('-');
    await waitForLabels(map);
    await snap(map, 'map');
  } finally {
    await context.close();
    child.kill('SIGTERM');
  }
}

/** Starts a console and waits for the line that says it is up; returns the child and the match. */
async function startConsole(args, pattern) {
  const child = spawn(process.execPath, ['dist/node/console.mjs', '--no-open', '--shell', 'browser', ...args], { cwd: root });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  for (let i = 0; i < 300 && !pattern.test(output); i++) await new Promise((r) => setTimeout(r, 100));
  const match = pattern.exec(output);
  if (!match) {
    child.kill('SIGTERM');
    throw new Error(`the console did not start:\n${output}`);
  }
  return { child, match };
}

/**
 * The trainer's desk and the after-action review (exercise-trainer.png, exercise-review.png): the Friday night
 * exercise on the trainer's laptop, a trainee who answers its first call (the trainer's desk photographed as she
 * grades it) and saves the incident, and the trainer's review of it.
 */
async function shootReview() {
  const trainer = await startConsole(
    ['--exercise', join(root, 'assets', 'exercises', 'friday-night.json'), '--data-dir', join(work, 'data-trainer'), '--workstation', 'trainer', '--operator', 'tina'],
    /--server (http:\/\/\S+) --exercise-code (\S+)\nCordon console: (http:\/\/\S+)/,
  );
  const [, serverUrl, code, trainerUrl] = trainer.match;
  const trainee = await startConsole(['--server', serverUrl, '--exercise-code', code, '--data-dir', join(work, 'data-trainee'), '--workstation', 'trainee-1', '--operator', 'alice'], /Cordon console: (http:\/\/\S+)/);
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, colorScheme: 'light' });
  try {
    const signIn = async (page, url, operator, workspace) => {
      await page.goto(url);
      await page.getByLabel('Operator').fill(operator);
      await page.getByLabel('Password').fill('demo');
      await page.keyboard.press('Enter');
      await page.getByRole('listbox', { name: workspace }).waitFor({ timeout: 30_000 });
    };
    const desk = await context.newPage();
    const alice = await context.newPage();
    await signIn(desk, atIncidents(trainerUrl), 'tina', 'Open incidents');
    await signIn(alice, atIncidents(trainee.match[1]).replace('role=incidents', 'role=calltaking'), 'alice', 'Calls');
    await desk.getByRole('button', { name: 'Start exercise' }).click();
    await desk.getByRole('button', { name: 'Next inject' }).click();
    await alice.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: /07700 900111\s*ringing/ }).waitFor({ timeout: 30_000 });
    await alice.keyboard.press('F2');
    const form = alice.getByRole('form', { name: 'Call' });
    await form.getByRole('combobox', { name: 'Location' }).waitFor();
    await alice.keyboard.type('high st');
    await form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first().waitFor();
    await alice.keyboard.press('Enter');
    await alice.keyboard.press('Tab');
    await alice.keyboard.type('Assault');
    await alice.keyboard.press('Tab');
    await alice.keyboard.type('1');
    await form.getByLabel('What is happening').fill('Fight outside the Anchor, one man glassed and on the floor; offender in a white shirt still there.');
    // The trainer's desk while alice takes the call: the controls, the trainees and what each is doing, the timeline.
    await desk.getByRole('list', { name: 'Trainees' }).getByText(/grading call 07700 900111/).waitFor({ timeout: 30_000 });
    await desk.getByText('Timeline and notes (trainer only)').click();
    await desk.waitForTimeout(1500); // the last tiles and labels
    await desk.screenshot({ path: join(out, 'exercise-trainer.png') });
    console.log('docs/screenshots/exercise-trainer.png');
    await alice.keyboard.press('Control+Enter');
    await alice.getByRole('status', { name: 'Announcements' }).filter({ hasText: /created/ }).waitFor();
    await desk.getByRole('button', { name: 'Pause exercise' }).click();
    await desk.getByRole('button', { name: 'After-action review' }).click();
    const review = desk.getByRole('dialog', { name: /After-action review/ });
    const row = review.getByRole('table', { name: 'Each call against the scenario' }).getByRole('row', { name: /fri-fight/ });
    for (let i = 0; i < 30 && !/TRN-/.test((await row.textContent().catch(() => '')) ?? ''); i++) {
      await review.getByRole('button', { name: 'Refresh review' }).click();
      await desk.waitForTimeout(1000);
    }
    await desk.waitForTimeout(500);
    await desk.screenshot({ path: join(out, 'exercise-review.png') });
    console.log('docs/screenshots/exercise-review.png');
  } finally {
    await context.close();
    trainee.child.kill('SIGTERM');
    trainer.child.kill('SIGTERM');
  }
}

/**
 * The two demonstration forces' dispatcher desks (forces-dmo.png, forces-nbr.png), on one server: a 999 call about a
 * fight in Market Place, Northbridge, taken at a Demonstration Constabulary desk, is shared with Northbridge Police
 * across the border; DMO's dispatcher has the units proposed for it, and NBR's sees it in its own queue, marked as
 * DMO's, once a reason to look is given.
 */
async function shootForces() {
  const calls = join(work, 'forces-calls.json');
  const caller = '07700 900919';
  writeFileSync(calls, JSON.stringify({ calls: [{ id: 'fight', at: 2, source: '999', callerNumber: caller }] }));
  const key = 'screenshots-key';
  const server = spawn(process.execPath, ['dist/node/server.mjs', '--port', '0', '--data', join(work, 'forces.sqlite'), '--enrolment-key', key], { cwd: root });
  let serverOutput = '';
  server.stdout.on('data', (d) => (serverOutput += d));
  server.stderr.on('data', (d) => (serverOutput += d));
  const consoles = [];
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, colorScheme: 'light' });
  try {
    for (let i = 0; i < 300 && !/"url":"(http:\/\/[^"]+)"/.test(serverOutput); i++) await new Promise((r) => setTimeout(r, 100));
    const serverUrl = /"url":"(http:\/\/[^"]+)"/.exec(serverOutput)?.[1];
    if (!serverUrl) throw new Error(`the server did not start:\n${serverOutput}`);
    const against = ['--server', serverUrl, '--enrolment-key', key];
    const dmo = await startConsole([...against, '--workstation', 'DM-DESK-1', '--operator', 'carol', '--data-dir', join(work, 'dmo'), '--calls', calls, '--vehicles', 'simulated', '--vehicle-speed', '4'], /Cordon console: (http:\/\/\S+)/);
    consoles.push(dmo.child);
    const nbr = await startConsole([...against, '--force', 'NBR', '--workstation', 'NB-DESK-1', '--operator', 'omar', '--data-dir', join(work, 'nbr')], /Cordon console: (http:\/\/\S+)/);
    consoles.push(nbr.child);
    const dmoUrl = atIncidents(dmo.match[1]);
    const signIn = async (page, url, operator, workspace) => {
      await page.goto(url);
      await page.getByLabel('Operator').fill(operator);
      await page.getByLabel('Password').fill('demo');
      await page.keyboard.press('Enter');
      await page.getByRole('listbox', { name: workspace }).waitFor({ timeout: 30_000 });
    };

    // DMO: the call taken and saved as a grade 1 assault in Market Place, Northbridge, over the border.
    const handler = await context.newPage();
    await signIn(handler, dmoUrl.replace('role=incidents', 'role=calltaking'), 'carol', 'Calls');
    await handler.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: new RegExp(`${caller}\\s*ringing`) }).waitFor({ timeout: 30_000 });
    await handler.keyboard.press('F2');
    const form = handler.getByRole('form', { name: 'Call' });
    await form.getByRole('combobox', { name: 'Location' }).waitFor();
    await handler.keyboard.type('market place');
    await form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first().waitFor();
    await handler.keyboard.press('Enter');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('Assault');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('1');
    await form.getByLabel('What is happening').fill('Two men fighting outside the bakery in Market Place, one with a bottle.');
    await handler.keyboard.press('Control+Enter');
    await handler.getByRole('status', { name: 'Announcements' }).filter({ hasText: /created/ }).waitFor();

    // DMO's dispatcher: the shared incident chosen, the units proposed for it.
    const dispatcher = await context.newPage();
    await dispatcher.goto(dmoUrl);
    await dispatcher.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /Market Place/ }).waitFor({ timeout: 30_000 });
    await dispatcher.keyboard.press('F4');
    await dispatcher.keyboard.press('Home');
    await dispatcher.getByRole('listbox', { name: 'Recommended units' }).getByRole('option').first().waitFor({ timeout: 30_000 });
    await dispatcher.keyboard.press('Shift+F4');
    await waitForLabels(dispatcher);
    await dispatcher.screenshot({ path: join(out, 'forces-dmo.png') });
    console.log('docs/screenshots/forces-dmo.png');
    await dispatcher.keyboard.press('Enter');
    await dispatcher.getByRole('status', { name: 'Announcements' }).filter({ hasText: /deployed to/ }).waitFor();

    // NBR's dispatcher: DMO's incident in Northbridge's own queue, by its common priority, opened with a reason.
    const neighbour = await context.newPage();
    await signIn(neighbour, atIncidents(nbr.match[1]), 'omar', 'Open incidents');
    const shared = neighbour.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /DMO P1 immediate/ });
    await shared.waitFor({ timeout: 30_000 });
    await neighbour.keyboard.press('F4');
    await neighbour.keyboard.press('Home');
    for (let i = 0; i < 10 && (await shared.getAttribute('aria-selected')) !== 'true'; i++) await neighbour.keyboard.press('ArrowDown');
    const reason = neighbour.getByRole('dialog').getByLabel('Reason');
    await reason.waitFor();
    await neighbour.keyboard.type('Cross-border fight in Market Place: checking whether NBR units should assist');
    await neighbour.keyboard.press('Enter');
    await neighbour.getByText("DMO's incident, shared with this force (view)").waitFor();
    await waitForLabels(neighbour);
    await neighbour.screenshot({ path: join(out, 'forces-nbr.png') });
    console.log('docs/screenshots/forces-nbr.png');
  } finally {
    await context.close();
    for (const child of consoles) child.kill('SIGTERM');
    server.kill('SIGTERM');
  }
}

async function waitForLabels(page) {
  for (let i = 0; i < 100; i++) {
    if (/In view: /.test((await page.locator('#map-summary').textContent()) ?? '')) break;
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(1500); // the last tiles and labels
}

function execNode(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
