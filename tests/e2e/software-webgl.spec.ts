import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

// The end-to-end suite's Chromium draws WebGL with SwiftShader, on the processor, as a thin client or a virtual
// desktop does. On a high-density screen, too: a map drawn at two pixels per CSS pixel costs four times the work.
test.use({ deviceScaleFactor: 2 });

test('where WebGL is drawn by the processor the console notices, says so, and draws the map lighter', async ({ page }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'SOFT-1', operator: 'carol', dataDir: join(dir.path, 'ws') });
  try {
    await page.goto(desk.windowUrl);
    await signIn(page, 'carol');
    const map = page.getByLabel(/^Map of /);
    await expect(map).toHaveAccessibleDescription(/Saltmere/, { timeout: 20_000 });
    await expect(page.getByText('Graphics are drawn by the processor here: the map draws less often, so the keyboard stays quick.')).toBeVisible();
    // One pixel per CSS pixel, although the screen has two.
    const ratio = await page.evaluate("(() => { const c = document.querySelector('.map-canvas canvas'); return [window.devicePixelRatio, c.width / c.clientWidth]; })()");
    expect(ratio).toEqual([2, 1]);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
