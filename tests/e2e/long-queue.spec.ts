import { join } from 'node:path';
import { expect, test } from './fixtures';
import { defaultAreaDir, readAreaManifest } from '../../main/area/open-area';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { seedOpenIncidents } from '../../bench/support/open-incidents';
import { demoConfig } from '../fakes/fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

const BACKLOG = 600;

test('a long queue: the keyboard reaches its last incident and back, the chosen row is always on screen, and screen readers hear where they are in the whole queue', async ({ newContext }) => {
  const dir = makeTempDir();
  const serverFile = join(dir.path, 'central.sqlite');
  const storage = SqliteStorage.open(serverFile);
  await seedOpenIncidents(storage, demoConfig, BACKLOG, readAreaManifest(defaultAreaDir()).bounds);
  await storage.close();
  const server = await startServerProcess(serverFile);
  const desk = await startConsoleProcess({ server: server.url, workstation: 'DISPATCH-1', operator: 'bob', dataDir: join(dir.path, 'd') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(desk.windowUrl);
    await signIn(page, 'bob');
    await expect(page.getByRole('heading', { name: `Open incidents (${BACKLOG})` })).toBeVisible({ timeout: 30_000 });
    const queue = page.getByRole('listbox', { name: 'Open incidents' });
    const chosen = queue.locator('[role="option"][aria-selected="true"]');

    // Only what can be seen is drawn; each row says where it stands in the whole queue.
    const drawn = await queue.getByRole('option').count();
    expect(drawn).toBeLessThan(80);
    await expect(queue.getByRole('option').first()).toHaveAttribute('aria-setsize', String(BACKLOG));

    await page.keyboard.press('F4');
    await page.keyboard.press('End');
    await expect(chosen).toHaveAttribute('aria-posinset', String(BACKLOG));
    await expect(chosen).toBeInViewport({ ratio: 1 });
    expect(await queue.getAttribute('aria-activedescendant')).toBe(await chosen.getAttribute('id'));

    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect(chosen).toHaveAttribute('aria-posinset', String(BACKLOG - 2));
    await expect(chosen).toBeInViewport({ ratio: 1 });

    await page.keyboard.press('Home');
    await expect(chosen).toHaveAttribute('aria-posinset', '1');
    await expect(chosen).toBeInViewport({ ratio: 1 });

    // Scrolling with the wheel brings rows far down the queue into view, drawn as they come, never blank space.
    await queue.hover();
    await page.mouse.wheel(0, 20_000);
    const box = (await queue.boundingBox())!;
    // The page's own hit test (what a click there would land on), run in the page: the tests compile without the DOM.
    type HitTest = { document: { elementFromPoint(x: number, y: number): { closest(s: string): { getAttribute(n: string): string | null } | null } | null } };
    const under = () =>
      page.evaluate(
        ([x, y]) => Number((globalThis as unknown as HitTest).document.elementFromPoint(x!, y!)?.closest('[role="option"]')?.getAttribute('aria-posinset') ?? 0),
        [box.x + box.width / 2, box.y + box.height / 2],
      );
    await expect.poll(under).toBeGreaterThan(200);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
