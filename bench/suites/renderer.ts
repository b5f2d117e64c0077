import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { appRoot } from '../../node-common/app-paths';
import { defaultAreaDir, readAreaManifest } from '../../main/area/open-area';
import { demoOperatorsFile } from '../../server/access/operators-file';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { judged, percentile, type BenchFigure, type BenchSuite } from '../bench-types';
import { BENCH_ENROLMENT_KEY } from '../support/bench-access';
import { makeBenchDir } from '../support/bench-dir';
import { writeBenchForce } from '../support/bench-force';
import { startBuiltScript, startCentralServerProcess, type RunningChild } from '../support/child-process';
import { cpuShare, machineBusy, round } from '../support/cpu-time';
import { seedOpenIncidents } from '../support/open-incidents';
import { descendantsByType, groupCpuShare } from '../support/process-tree';
import { profiled } from '../support/page-profile';
import { armDeployProbe, deployTiming, recordFrames, webGlRenderer, type DeployTiming } from '../support/page-probes';

const SUITE = 'renderer';
const UNITS = 2_000;
const INCIDENTS = 5_000;
const FRAMES_MS = 10_000;
/** Enough for a p95 that is not simply the slowest (by nearest rank, p95 of 15 is the 15th). */
const DEPLOYS = 40;
/**
 * How long the dispatcher looks at the incident and its proposals before pressing Enter: a second, quicker than
 * anyone reads a unit's call sign, distance and reasons. The same deploys are also made typed ahead (Enter the moment
 * the proposals are there), reported beside it.
 */
const READING_MS = 1000;
const TYPED_AHEAD_DEPLOYS = 20;
/**
 * One frame at 60 Hz (16.67 ms) as the page's clock reads it: Chromium coarsens performance.now() and frame time
 * stamps to 0.1 ms, so a frame on time reads 16.6, 16.7 or 16.8 ms (the idle window's own frames read so too).
 * A frame missed reads 33.3 ms or more.
 */
const FRAME_LIMIT_MS = 16.8;
const INPUT_LIMIT_MS = 100;
const VIEWPORT = { width: 1600, height: 1000 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
/** The dispatcher of the demonstration force's accounts. */
const DISPATCHER = { operator: 'bob', password: 'demo' };

/**
 * The console window in Chromium under a big control room's load: 2,000 units reporting their positions once a
 * second and 5,000 open incidents, on the map and in the queue. Frame times while positions stream, and the
 * latency of a deploy made by keyboard, from the key press to the announcement that says it is done.
 */
export const rendererSuite: BenchSuite = {
  name: SUITE,
  description: `the console window in Chromium with ${UNITS.toLocaleString('en-GB')} units moving at 1 Hz and ${INCIDENTS.toLocaleString('en-GB')} open incidents: frame time, deploy input latency`,
  async run(): Promise<BenchFigure[]> {
    ensureRendererBuilt();
    const dir = makeBenchDir(SUITE);
    let server: (RunningChild & { url: string }) | null = null;
    let workstation: RunningChild | null = null;
    let browser: Browser | null = null;
    try {
      const force = writeBenchForce(dir.path, UNITS);
      const area = readAreaManifest(defaultAreaDir());
      const serverFile = join(dir.path, 'central.sqlite');

      // Seeding only: the file's durability is loosened while it is written and is back to FULL when the server opens it.
      const seeding = performance.now();
      const storage = SqliteStorage.open(serverFile);
      storage.database.pragma('synchronous = OFF');
      const backlog = await seedOpenIncidents(storage, force.config, INCIDENTS, area.bounds);
      await storage.close();
      const seededIn = (performance.now() - seeding) / 1000;

      server = await startCentralServerProcess(serverFile, ['--force-config', force.file, '--operators', demoOperatorsFile()]);
      workstation = await startBuiltScript(
        'dist/node/console.mjs',
        ['--server', server.url, '--workstation', 'BENCH-DESK', '--enrolment-key', BENCH_ENROLMENT_KEY, '--data-dir', join(dir.path, 'workstation'), '--force-config', force.file, '--bench-avl', '--no-open', '--shell', 'browser'],
        /Cordon console: (http:\/\/\S+)/,
      );
      const windowUrl = workstation.match[1]!;

      browser = await chromium.launch({ executablePath: process.env.CORDON_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
      const page = await browser.newPage({ viewport: VIEWPORT });
      const fixes = countFixes(page);
      await page.goto(windowUrl);

      // The same window before anyone signs in: what a frame costs here with nothing on the desk.
      await page.getByLabel('Operator').waitFor({ timeout: 60_000 });
      const idle = await page.evaluate(recordFrames, 3000);

      const loading = performance.now();
      await page.getByLabel('Operator').fill(DISPATCHER.operator);
      await page.getByLabel('Password').fill(DISPATCHER.password);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: `Open incidents (${INCIDENTS})` }).waitFor({ timeout: 180_000 });
      const listedIn = (performance.now() - loading) / 1000;
      const drawn = await untilDrawn(page, 120_000);
      const drawnIn = (performance.now() - loading) / 1000;
      await page.waitForTimeout(2000);

      const cpu = cpuShare({ server: server.pid, console: workstation.pid });
      const busy = machineBusy();
      const chromiumCpu = groupCpuShare(descendantsByType(process.pid));
      fixes.reset();
      const counting = performance.now();
      const streaming = await profiled(page, 'streaming', () => page.evaluate(recordFrames, FRAMES_MS));
      const fixesPerSecond = fixes.count() / ((performance.now() - counting) / 1000);
      const cpuWhileStreaming = { ...cpu(), chromium: chromiumCpu(), wholeMachine: busy() };

      const deploys = await profiled(page, 'deploys', () => timeDeploys(page, DEPLOYS, READING_MS));
      const typedAhead = await timeDeploys(page, TYPED_AHEAD_DEPLOYS, 0);
      // The map's description for screen readers lists the units in view when the map falls idle.
      const mapDescribesUnits = ((await page.locator('#map-summary').textContent()) ?? '').includes('Units: B-');
      const renderer = await page.evaluate(webGlRenderer);
      const queueRowsDrawn = await page.evaluate(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('#incident-list [role="option"]').length);
      const chromiumVersion = browser.version();
      const serverProblems = server.problems();

      const framesP95 = percentile(streaming.intervals, 95);
      const latencies = (timings: DeployTiming[]) => timings.map((d) => d.shownAt - d.pressedAt);
      const inputP95 = percentile(latencies(deploys), 95);
      const frameLimit = { value: FRAME_LIMIT_MS, unit: 'ms', better: 'lower' as const };
      const inputLimit = { value: INPUT_LIMIT_MS, unit: 'ms', better: 'lower' as const };
      const detail = {
        units: UNITS,
        incidents: backlog.incidents,
        incidentsByGrade: backlog.byGrade,
        backlog: `points scattered over ${area.name}; grades 3 and 4 opened over the last 12 hours, grade 2 the last 50 minutes, grade 1 the last 12 (bench/support/open-incidents.ts)`,
        fixesPerSecondSent: UNITS,
        fixesPerSecondDelivered: round(fixesPerSecond, 0),
        avl: 'dist/node/console.mjs --bench-avl (main/adapters/avl/bench-avl.ts): every unit reports once a second, in 10 batches a second; delivered counted in the units.moved events the window received',
        chromium: chromiumVersion,
        webGl: renderer,
        rendering: 'SwiftShader: software WebGL on the CPU (no GPU on this machine), sharing its cores with the server, the console core and the benchmark',
        viewport: VIEWPORT,
        framesRecorded: streaming.intervals.length + 1,
        framesOver20Ms: streaming.intervals.filter((ms) => ms > 20).length,
        ...(process.env.CORDON_BENCH_FRAMES ? { intervals: streaming.intervals.map((ms) => round(ms, 1)) } : {}),
        longestFrameMs: round(Math.max(...streaming.intervals), 1),
        longTasks: { count: streaming.longTasks.count, totalMs: round(streaming.longTasks.totalMs, 0) },
        cpuWhileStreaming: { ...cpuWhileStreaming, cores: cpus().length, note: 'server, console and each kind of Chromium process: share of one core; wholeMachine: share of all cores' },
        signInToListedSeconds: round(listedIn, 1),
        signInToUnitsDrawnSeconds: round(drawnIn, 1),
        mapPixelsWhenDrawn: drawn,
        queueRowsDrawn,
        mapDescribesUnitsAfterStreaming: mapDescribesUnits,
        seedingSeconds: round(seededIn, 1),
        serverWarningsOrErrors: serverProblems.length,
        fileSystem: dir.fileSystem,
      };
      const idleDetail = { measured: 'the same window at the sign-in screen, nothing on the desk, 3 s', p95: round(percentile(idle.intervals, 95), 1), p50: round(percentile(idle.intervals, 50), 1) };
      const deployDetail = {
        deploys: deploys.length,
        measured: 'Enter in "Recommended units" (the key event\'s time stamp) until the Announcements region says "deployed to REF" (MutationObserver), all in the page',
        dispatcher: `F4, Home (the first incident waiting), Shift+F4 (its proposals), ${READING_MS} ms reading them, Enter`,
        p50Ms: round(percentile(latencies(deploys), 50), 1),
        toNextFrameP95Ms: round(percentile(deploys.map((d) => d.frameAt - d.pressedAt), 95), 1),
        keyQueuedP95Ms: round(percentile(deploys.map((d) => d.handledAt - d.pressedAt), 95), 1),
        eachMs: latencies(deploys).map((ms) => round(ms, 1)),
        typedAhead: {
          deploys: typedAhead.length,
          dispatcher: 'the same, but Enter the moment the proposals are shown, while the map is still drawing the incident just chosen',
          p50Ms: round(percentile(latencies(typedAhead), 50), 1),
          p95Ms: round(percentile(latencies(typedAhead), 95), 1),
          eachMs: latencies(typedAhead).map((ms) => round(ms, 1)),
        },
      };
      return [
        judged({ suite: SUITE, name: 'frame time p95 while 2,000 units move (requestAnimationFrame intervals)', value: round(framesP95, 1), unit: 'ms', limit: frameLimit, detail }),
        judged({ suite: SUITE, name: 'frame time p50 while 2,000 units move', value: round(percentile(streaming.intervals, 50), 1), unit: 'ms', limit: frameLimit, detail: { idleWindow: idleDetail } }),
        judged({ suite: SUITE, name: 'deploy input latency p95 (Enter to "deployed" announced)', value: round(inputP95, 1), unit: 'ms', limit: inputLimit, detail: deployDetail }),
      ];
    } finally {
      await browser?.close();
      await workstation?.stop();
      await server?.stop();
      dir.remove();
    }
  },
};

/** The window is served from dist/renderer, which `npm run bench` (a Node-only build) does not rebuild. */
function ensureRendererBuilt(): void {
  execFileSync(process.execPath, [join(appRoot(), 'scripts', 'build.mjs'), '--if-stale'], { cwd: appRoot(), stdio: ['ignore', 2, 2] });
}

/**
 * Waits until the map shows units and incidents, as seen on screen: pixels of an available unit's green and of a
 * scheduled (grade 3) incident's blue in a picture of the map. From outside the page, because the map's own
 * description of the units in view is only made when the map falls idle, which it may not while units move.
 */
async function untilDrawn(page: Page, timeoutMs: number): Promise<{ unitGreen: number; incidentBlue: number }> {
  const canvas = page.locator('.map-canvas canvas');
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const picture = PNG.sync.read(await canvas.screenshot());
    const seen = { unitGreen: countColour(picture, [0x1f, 0xa6, 0x4a]), incidentBlue: countColour(picture, [0x1f, 0x8f, 0xd6]) };
    if (seen.unitGreen >= 100 && seen.incidentBlue >= 100) return seen;
    if (performance.now() > deadline) throw new Error(`the map did not show units and incidents in ${timeoutMs} ms: ${JSON.stringify(seen)}`);
    await page.waitForTimeout(1000);
  }
}

function countColour(picture: PNG, [r, g, b]: [number, number, number]): number {
  let n = 0;
  for (let i = 0; i < picture.data.length; i += 4) {
    if (Math.abs(picture.data[i]! - r) + Math.abs(picture.data[i + 1]! - g) + Math.abs(picture.data[i + 2]! - b) < 24) n += 1;
  }
  return n;
}

/** Counts the fixes in the units.moved events the window receives over its WebSocket to the core. */
function countFixes(page: Page): { reset(): void; count(): number } {
  let fixes = 0;
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string' || !payload.includes('"units.moved"')) return;
      const message = JSON.parse(payload) as { event?: string; payload?: { fixes?: unknown[] } };
      if (message.event === 'units.moved') fixes += message.payload?.fixes?.length ?? 0;
    }),
  );
  return { reset: () => (fixes = 0), count: () => fixes };
}

/**
 * Deploys by keyboard, as a dispatcher does, `times` times: F4 to the queue, Home to the first incident waiting,
 * Shift+F4 to its recommended units, Enter to deploy the first. Each deployed incident leaves the head of the
 * queue, so each round deploys to another.
 */
async function timeDeploys(page: Page, times: number, readingMs: number): Promise<DeployTiming[]> {
  const timings: DeployTiming[] = [];
  for (let i = 0; i < times; i += 1) {
    await page.keyboard.press('F4');
    await page.keyboard.press('Home');
    const reference = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null; textContent: string | null } | null } }).document;
      const active = doc.querySelector('#incident-list')?.getAttribute('aria-activedescendant');
      return active ? (doc.querySelector(`#${active} .ref`)?.textContent ?? null) : null;
    });
    if (!reference) throw new Error('no incident selected after Home in the queue');
    // The page's own querySelector, polled: cheaper for the page than a Playwright locator's repeated queries.
    await page.waitForFunction(
      (selector) => (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(selector) !== null,
      `section[aria-label="Incident ${reference}"] #recommended-units [role="option"]`,
      { timeout: 30_000, polling: 50 },
    );
    await page.keyboard.press('Shift+F4');
    await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id === 'recommended-units');
    if (readingMs > 0) await page.waitForTimeout(readingMs);
    await page.evaluate(armDeployProbe, `deployed to ${reference}`);
    await page.keyboard.press('Enter');
    timings.push(await page.evaluate(deployTiming));
  }
  return timings;
}
