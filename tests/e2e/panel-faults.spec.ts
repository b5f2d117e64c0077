import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess, type RunningProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';

// One part of a window failing, for a reason found on real desks, must leave the rest of the window working.

let dir: ReturnType<typeof makeTempDir>;
let server: RunningProcess & { url: string };
let desk: RunningProcess & { windowUrl: string };
let dataDir: string;

test.beforeEach(async () => {
  dir = makeTempDir();
  dataDir = join(dir.path, 'ws');
  server = await startServerProcess(join(dir.path, 'central.sqlite'));
  desk = await startConsoleProcess({ server: server.url, workstation: 'FAULTS-1', operator: 'carol', dataDir });
});

test.afterEach(async () => {
  await desk.stop();
  await server.stop();
  dir.remove();
});

/** The workstation's log lines about parts of windows that failed: which part, and the problem. */
function faultLines(): { part: string; problem: string }[] {
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
    .flatMap(({ part, problem }) => (part && problem ? [{ part, problem }] : []));
}

test('a map library that fails as it loads takes only the map panel: it lists instead, says why, and the incident list and new incidents work', async ({ page }) => {
  // A damaged install or a filtering proxy: the map's code arrives, and throws as it is run.
  await page.route('**/assets/MapView-*.js', (route) => route.fulfill({ contentType: 'text/javascript', body: "throw new Error('the map library is damaged');" }));
  await page.goto(desk.windowUrl);
  await signIn(page, 'carol');

  const notice = page.getByRole('alert').filter({ hasText: 'The map cannot be drawn in this window' });
  await expect(notice).toContainText('the map library is damaged');
  await expect(page.getByRole('listbox', { name: /^Map list: units/ }).getByRole('option', { name: /^DM-11/ })).toContainText(/[A-HJ-Z]{2} \d{5} \d{5}/);

  await createIncidentByKeyboard(page, { type: 'Concern', location: 'the old pier', grade: '3', firstLog: 'Man on the railings' });
  await expect(page.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /the old pier/ })).toBeVisible();
  await expect(page.getByRole('listbox', { name: /^Map list: incidents/ }).getByRole('option', { name: /the old pier/ })).toBeVisible();
  // One line in the workstation's log, for the map.
  await expect.poll(faultLines).toEqual([{ part: 'map', problem: 'the map library is damaged' }]);
});

test('a map whose drawing surface the graphics driver takes away gives way to the list, and the map comes back when tried again', async ({ page }) => {
  await page.goto(desk.windowUrl);
  await signIn(page, 'carol');
  const map = page.getByLabel(/^Map of /);
  await expect(map).toHaveAccessibleDescription(/Saltmere/, { timeout: 20_000 });

  // What a GPU reset does to a page, short of the restore the browser may or may not manage.
  await page.evaluate("document.querySelector('.map-canvas canvas').getContext('webgl2').getExtension('WEBGL_lose_context').loseContext()");
  const notice = page.getByRole('alert').filter({ hasText: 'The map cannot be drawn in this window' });
  await expect(notice).toContainText('the graphics driver lost the map’s drawing surface', { timeout: 15_000 });
  await expect(page.getByRole('listbox', { name: /^Map list: units/ }).getByRole('option')).not.toHaveCount(0);
  await expect(page.getByRole('listbox', { name: 'Open incidents' })).toBeVisible();

  await notice.getByRole('button', { name: 'Try the map again' }).click();
  await expect(page.getByLabel(/^Map of /)).toHaveAccessibleDescription(/Saltmere/, { timeout: 20_000 });
  await expect(notice).toHaveCount(0);
});

test('where the browser keeps no data for the console (site data blocked), call taking works and the alert sound setting says it is for this window only', async ({ page }) => {
  // As a locked-down profile's policy does it: reading either storage throws.
  await page.addInitScript(() => {
    for (const name of ['localStorage', 'sessionStorage']) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          throw new DOMException(`Failed to read the '${name}' property from 'Window': Access is denied for this document.`, 'SecurityError');
        },
      });
    }
  });
  await page.goto(desk.windowUrl.replace('role=incidents', 'role=calltaking'));
  await signIn(page, 'carol', 'demo', 'Calls');
  await expect(page.getByText('No calls waiting.')).toBeVisible();

  const sound = page.getByRole('checkbox', { name: /Sound for new 999 calls/ });
  await expect(sound).toBeChecked();
  await sound.uncheck();
  await expect(sound).not.toBeChecked();
  await expect(page.getByText('for this window only: the browser keeps no settings for the console')).toBeVisible();

  // A contact taken by keyboard from the command line, to an incident.
  await page.keyboard.press('F6');
  await page.keyboard.type('REC ONLINE');
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'Call' });
  await expect(form.getByRole('combobox', { name: 'Location' })).toBeFocused();
  await page.keyboard.type('market st');
  await expect(form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first()).toContainText('Market Street');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Concern');
  await page.keyboard.press('Tab');
  await page.keyboard.type('3');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('status', { name: 'Announcements' })).toHaveText(/^Incident \S+ created$/);

  // A reload keeps the window signed in: the launch key stayed in the address, as nothing else would keep it.
  await page.reload();
  await expect(page.getByRole('listbox', { name: 'Calls' })).toBeVisible();
});

test('a browser feature failing under the incident list takes only the list: it says so, the rest of the window works, and it comes back when tried again', async ({ page }) => {
  // The long lists watch their own size (ResizeObserver). Here the browser refuses, as an old or locked-down browser,
  // or an extension, can; the map watches its size too, and fails in its own panel.
  // (A script, as text: the tests are compiled without the DOM's types.)
  await page.addInitScript(`{
    const Real = window.ResizeObserver;
    window.refuseResizeObserver = true;
    window.ResizeObserver = function (callback) {
      if (window.refuseResizeObserver) throw new TypeError('ResizeObserver is not available here');
      return new Real(callback);
    };
  }`);
  await page.goto(desk.windowUrl);
  await page.getByLabel('Operator').fill('carol');
  await page.getByLabel('Password').fill('demo');
  await page.keyboard.press('Enter');

  const fault = page.getByRole('alert', { name: 'The incident list: failed' });
  await expect(fault).toContainText('The incident list failed: ResizeObserver is not available here.');
  await expect(fault).toContainText('The rest of this window still works.');

  // The rest works: a new incident by keyboard, shown in the detail panel, and written to from the command line.
  await createIncidentByKeyboard(page, { type: 'Concern', location: 'the old pier', grade: '3', firstLog: 'Man on the railings' });
  const detail = page.getByRole('region', { name: /^Incident [A-Z]+-/ });
  await expect(detail).toContainText('the old pier');
  await page.keyboard.press('F6');
  await page.keyboard.type('LOG Officer on the way');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('log', { name: /Log of / })).toContainText('Officer on the way');

  // The browser's feature is back: the list comes back at the operator's word, with the new incident in it.
  await page.evaluate('window.refuseResizeObserver = false');
  await fault.getByRole('button', { name: 'Try the incident list again' }).click();
  await expect(page.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /the old pier/ })).toBeVisible();
  await expect(fault).toHaveCount(0);
  expect(faultLines()).toContainEqual({ part: 'the incident list', problem: 'ResizeObserver is not available here' });
});
