#!/usr/bin/env node
// `npm run docs:screenshots`: the pictures in docs/screenshots/, taken from the running console in Chromium:
// the generated exercise area, and a real area imported from the open data beside the project (../shared/data),
// each in the day and the night style. The data is read, never copied into the project; the pictures carry its
// attribution on the map.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = (...parts) => join(root, '..', 'shared', 'data', ...parts);
const out = join(root, 'docs', 'screenshots');
if (!existsSync(data('README.md'))) {
  console.error(`the real open data is not at ${data()}; see the README`);
  process.exit(1);
}

execNode(['scripts/build.mjs', '--if-stale']);
const work = mkdtempSync(join(tmpdir(), 'cordon-screenshots-'));
mkdirSync(out, { recursive: true });
const real = join(work, 'hampshire');
execNode([
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
  await shoot('southampton', ['--area', real], 'Shirly Road', 'Map of Hampshire and Thames Valley');
  await shoot('exercise', [], 'High St Saltmere', 'Map of Saltmere (exercise area)');
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}

/** Starts a console on the area, searches by keyboard, and photographs it in both themes. */
async function shoot(name, args, query, mapLabel) {
  const child = spawn(process.execPath, ['dist/node/console.mjs', '--no-open', '--shell', 'browser', '--data-dir', join(work, `data-${name}`), '--workstation', 'DESK-1', '--operator', 'carol', ...args], { cwd: root });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    for (let i = 0; i < 300 && !/Cordon console: (\S+)/.test(output); i++) await new Promise((r) => setTimeout(r, 100));
    const url = /Cordon console: (\S+)/.exec(output)?.[1];
    if (!url) throw new Error(`the console did not start:\n${output}`);
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
