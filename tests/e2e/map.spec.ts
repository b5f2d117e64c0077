import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { type Locator, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { distanceMetres, nearestPointOnLines, type LngLat } from '../../shared/area/geo';
import { atRole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

// The console showing a real area imported from the open data beside the project (../shared/data), and the
// exercise area it shows by default. The map must draw with no network: every request stays on the console.
const root = join(import.meta.dirname, '..', '..');
const data = (...parts: string[]) => join(root, '..', 'shared', 'data', ...parts);

interface Console {
  child: ChildProcess;
  url: string;
  origin: string;
}

async function startConsole(dataDir: string, extra: string[]): Promise<Console> {
  const child = spawn(process.execPath, [join(root, 'dist', 'node', 'console.mjs'), '--no-open', '--shell', 'browser', '--data-dir', dataDir, '--workstation', 'MAP-1', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await expect.poll(() => /Cordon console: (\S+)/.exec(output)?.[1], { timeout: 30_000, message: `the console prints its address\n${output}` }).toBeTruthy();
  // The incidents window: the address printed is the desk's first window, which lands on the operator's own.
  const url = atRole(/Cordon console: (\S+)/.exec(output)![1]!, 'incidents');
  return { child, url, origin: new URL(url).origin };
}

async function stopConsole(console: Console | undefined): Promise<void> {
  if (!console || console.child.exitCode !== null) return;
  const exited = new Promise((resolve) => console.child.once('exit', resolve));
  console.child.kill('SIGTERM');
  await exited;
}

/** Fails the test on any request that is not for the console itself, and on any error the page reports. */
function watchPage(page: Page, origin: string): { external: string[]; errors: string[] } {
  const seen = { external: [] as string[], errors: [] as string[] };
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) seen.external.push(url);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  return seen;
}

/** How much of the map is drawn: the share of pixels that are neither plain land nor plain sea, and colours used. */
async function drawnPixels(map: Locator): Promise<{ drawn: number; colours: number; luminance: number }> {
  const png = PNG.sync.read(await map.screenshot());
  const counts = new Map<number, number>();
  let luminance = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    const key = (r << 16) | (g << 8) | b;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    luminance += 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  const pixels = png.data.length / 4;
  const commonest = [...counts.values()].sort((a, b) => b - a);
  // The two commonest colours are the plain ground (land and sea); everything else was drawn on it.
  return { drawn: 1 - ((commonest[0] ?? 0) + (commonest[1] ?? 0)) / pixels, colours: counts.size, luminance: luminance / pixels };
}

/** Pixels of a colour (within a small tolerance for smoothed edges) in a picture of the map. */
async function pixelsOf(map: Locator, [r, g, b]: [number, number, number]): Promise<number> {
  const png = PNG.sync.read(await map.screenshot());
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (Math.abs(png.data[i]! - r) + Math.abs(png.data[i + 1]! - g) + Math.abs(png.data[i + 2]! - b) < 24) n += 1;
  return n;
}

/** Where a point falls on MapLibre's Web Mercator world of 512 × 2^zoom CSS pixels: [x, y] from the north-west corner. */
const mercatorPixels = ([lng, lat]: LngLat, zoom: number): [number, number] => {
  const world = 512 * 2 ** zoom;
  const phi = (lat * Math.PI) / 180;
  return [((lng + 180) / 360) * world, ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * world];
};

const mapCentre = async (page: Page): Promise<{ at: LngLat; zoom: number }> => {
  const canvas = page.locator('.map-canvas');
  const [lng, lat, zoom] = await Promise.all(['data-center-lng', 'data-center-lat', 'data-zoom'].map((name) => canvas.getAttribute(name)));
  return { at: [Number(lng), Number(lat)], zoom: Number(zoom) };
};

test.describe('the map of an imported real area', () => {
  test.describe.configure({ mode: 'serial' });
  // Made in beforeAll, not as the file is read: every worker reads every file (fullyParallel), and only one runs these.
  let dir: ReturnType<typeof makeTempDir> | undefined;
  let console: Console | undefined;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    dir = makeTempDir('cordon-map-');
    const imported = spawnSync(
      process.execPath,
      [
        join(root, 'dist', 'node', 'area-import.mjs'),
        '--out', join(dir.path, 'southampton'),
        '--name', 'Southampton',
        '--attribution', 'Contains OS data © Crown copyright and database right 2020',
        '--attribution', 'Contains Royal Mail data © Royal Mail copyright and database right 2014',
        '--roads', data('os-tutorial-southampton', 'roads.geojson'),
        '--postcodes', data('codepoint-open-2014', 'Data', 'CSV', 'so.csv'),
        '--places', data('derived', 'places_geonames.geojson'),
        '--boundaries', `force=${data('derived', 'pfa_hampshire_thamesvalley.geojson')}`,
        '--boundaries', `district=${data('derived', 'lad_hampshire_thamesvalley.geojson')}`,
        '--boundaries', `ward=${data('ons-boundaries-martinjc', 'wards_by_lad', 'E06000045.json')}`,
        '--land', data('derived', 'england_land.geojson'),
        '--force', 'Hampshire',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(imported.status, imported.stderr).toBe(0);
    console = await startConsole(join(dir.path, 'data'), ['--area', join(dir.path, 'southampton')]);
  });

  test.afterAll(async () => {
    await stopConsole(console);
    dir?.remove();
  });

  test('shows the area: tiles drawn with street labels and the attribution, and nothing fetched from elsewhere', async ({ page }) => {
    const seen = watchPage(page, console!.origin);
    const tiles: { status: number; bytes: number }[] = [];
    page.on('response', async (response) => {
      if (response.url().includes('/area/tiles/')) tiles.push({ status: response.status(), bytes: (await response.body()).length });
    });
    await page.goto(console!.url);
    await signIn(page, 'carol');
    await expect(page.getByRole('heading', { name: 'Map: Southampton' })).toBeVisible();
    const map = page.getByLabel('Map of Southampton');
    await expect(map).toBeVisible();
    // MapLibre reports the labels it placed (queryRenderedFeatures on the symbol layers); the map reads them out.
    // The whole area fits the panel at first, where only places are named; one step in by keyboard names streets.
    await expect(map).toHaveAccessibleDescription(/In view: .*Southampton/, { timeout: 20_000 });
    await page.keyboard.press('F9');
    await expect(map).toBeFocused();
    await page.keyboard.press('+');
    await expect(map).toHaveAccessibleDescription(/In view: .*Road/, { timeout: 20_000 });
    await expect(page.getByText('Contains OS data © Crown copyright and database right 2020')).toBeVisible();

    const pixels = await drawnPixels(page.locator('.map-canvas'));
    expect(pixels.drawn, 'share of the map drawn over the plain ground').toBeGreaterThan(0.05);
    expect(pixels.colours).toBeGreaterThan(50);
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.every((t) => t.status === 200)).toBe(true);
    expect(tiles.some((t) => t.bytes > 1000)).toBe(true);
    expect(seen.external).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  test('a search typed at the keyboard centres the map on the street, misspelt or not', async ({ page }) => {
    const seen = watchPage(page, console!.origin);
    await page.goto(console!.url);
    await signIn(page, 'carol');
    await expect(page.getByLabel('Map of Southampton')).toHaveAccessibleDescription(/In view/, { timeout: 20_000 });

    await page.keyboard.press('F8');
    const search = page.getByRole('combobox', { name: 'Find a location' });
    await expect(search).toBeFocused();
    await page.keyboard.type('Shirly Road');
    const first = page.getByRole('listbox', { name: 'Find a location: results' }).getByRole('option').first();
    await expect(first).toContainText('Shirley Road');
    await expect(first).toContainText('Freemantle, Southampton');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status', { name: 'Map position' })).toHaveText('Map centred on Shirley Road, Freemantle, Southampton');

    const shirleyRoad = (JSON.parse(readFileSync(data('os-tutorial-southampton', 'roads.geojson'), 'utf8')) as { features: { properties: { name1: string | null }; geometry: { coordinates: number[][] } }[] }).features
      .filter((f) => f.properties.name1 === 'Shirley Road')
      .map((f) => f.geometry.coordinates.map(([x, y]) => [x, y] as LngLat));
    await expect.poll(async () => {
      const { at } = await mapCentre(page);
      return distanceMetres(at, nearestPointOnLines(at, shirleyRoad)!);
    }, { message: 'metres from the map centre to Shirley Road' }).toBeLessThan(30);
    const view = await mapCentre(page);
    const box = (await page.locator('.map-canvas').boundingBox())!;
    const centre = mercatorPixels(view.at, view.zoom);
    const outside = shirleyRoad.flat().map((p) => mercatorPixels(p, view.zoom))
      .filter(([x, y]) => Math.abs(x - centre[0]) > box.width / 2 || Math.abs(y - centre[1]) > box.height / 2);
    expect(outside, 'points of Shirley Road outside the map in view').toEqual([]);
    expect(view.zoom, 'zoomed in from the whole city to the street').toBeGreaterThanOrEqual(12.5);
    await expect(page.getByLabel('Map of Southampton')).toHaveAccessibleDescription(/Shirley Road/, { timeout: 20_000 });

    // A postcode typed without its space, straight after: the box is selected again by F8.
    await page.keyboard.press('F8');
    await page.keyboard.type('so155aa');
    await expect(page.getByRole('listbox', { name: 'Find a location: results' }).getByRole('option').first()).toContainText('SO15 5AA');
    await page.keyboard.press('Enter');
    await expect.poll(async () => distanceMetres((await mapCentre(page)).at, [-1.41507481394846, 50.9103765653593])).toBeLessThan(20);

    // Zero for the letter O: no postcode is "S015 5AF", so the one meant is offered as a question; Enter takes it.
    await page.keyboard.press('F8');
    await page.keyboard.type('S015 5AF');
    const offered = page.getByRole('listbox', { name: 'Find a location: results' }).getByRole('option').first();
    await expect(offered).toContainText('SO15 5AF');
    await expect(offered).toContainText('did you mean SO15 5AF?');
    await expect(page.getByRole('status', { name: 'Find a location: status' })).toContainText('No postcode “S015 5AF”. Did you mean SO15 5AF?');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status', { name: 'Map position' })).toHaveText(/^Map centred on SO15 5AF/);
    expect(seen.external).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  test('draws the night-shift style when the console is dark', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(console!.url);
    await signIn(page, 'carol');
    const map = page.getByLabel('Map of Southampton');
    await expect(map).toHaveAccessibleDescription(/In view: .*Southampton/, { timeout: 20_000 });
    const day = await drawnPixels(page.locator('.map-canvas'));
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(async () => (await drawnPixels(page.locator('.map-canvas'))).luminance, { timeout: 15_000 }).toBeLessThan(day.luminance / 3);
    await expect(map).toHaveAccessibleDescription(/In view: .*Southampton/, { timeout: 20_000 });
    expect((await drawnPixels(page.locator('.map-canvas'))).colours).toBeGreaterThan(50);
  });
});

test('the console shows the generated exercise area by default, marked fictional, searchable and driven by keyboard', async ({ page }) => {
  const dir = makeTempDir('cordon-map-');
  const console = await startConsole(join(dir.path, 'data'), []);
  try {
    const seen = watchPage(page, console.origin);
    await page.goto(console.url);
    await signIn(page, 'carol');
    await expect(page.getByRole('heading', { name: /Map: Saltmere and Northbridge \(exercise area\)/ })).toBeVisible();
    await expect(page.getByText('Fictional exercise area', { exact: true })).toBeVisible();
    const map = page.getByLabel('Map of Saltmere and Northbridge (exercise area)');
    await expect(map).toHaveAccessibleDescription(/Saltmere/, { timeout: 20_000 });

    await page.keyboard.press('F8');
    await page.keyboard.type('police station');
    const options = page.getByRole('listbox', { name: 'Find a location: results' }).getByRole('option');
    // Both forces' stations, each town's named: the area holds the neighbouring force's town too.
    for (const station of ['Saltmere', 'Northgate', 'Northbridge', 'Holmbury']) await expect(options.filter({ hasText: `${station} Police Station` })).toHaveCount(1);
    await page.keyboard.type(' northgate');
    await expect(options.first()).toContainText('Northgate Police Station');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status', { name: 'Map position' })).toHaveText(/^Map centred on Northgate Police Station/);
    // The units at their station are drawn: a dot in an available unit’s green (the call sign’s smoothed text below it hardly counts).
    await expect(map).toHaveAccessibleDescription(/Units: .*DM-\d\d available/, { timeout: 10_000 });
    await expect.poll(() => pixelsOf(map, [0x1f, 0xa6, 0x4a]), { timeout: 10_000 }).toBeGreaterThan(60);

    // F9 puts the keyboard on the map itself: + zooms in.
    await page.keyboard.press('F9');
    await expect(map).toBeFocused();
    const before = (await mapCentre(page)).zoom;
    await page.keyboard.press('+');
    await expect.poll(async () => (await mapCentre(page)).zoom).toBeGreaterThan(before + 0.5);
    // Esc goes back to the incident list, as everywhere in the console.
    await page.keyboard.press('Escape');
    await expect(page.getByRole('listbox', { name: 'Open incidents' })).toBeFocused();
    expect(seen.external).toEqual([]);
    expect(seen.errors).toEqual([]);
  } finally {
    await stopConsole(console);
    dir.remove();
  }
});
