import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

/**
 * The audit log's question at a desk's widths: every label of the form whole, none of it under its field (a try-out's
 * minor: at 1500 px "Why you are looking (kept in the audit log" lost its closing bracket behind the input).
 */
test('the audit log’s reason label is whole and clear of its field at 1280, 1500 and 1920 px', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'DESK-1', operator: 'carol', dataDir: join(dir.path, 'd') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(desk.windowUrl);
    await signIn(page, 'carol');
    await page.keyboard.press('Shift+F6');
    const audit = page.getByRole('dialog', { name: 'Audit log' });
    await expect(audit).toBeVisible();
    for (const width of [1280, 1500, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      for (const about of ['An incident', 'An operator', 'Every disclosure']) {
        await audit.getByRole('radio', { name: new RegExp(`^${about}`) }).check();
        const reason = audit.getByLabel('Why you are looking (kept in the audit log)');
        // The label as drawn: its text not clipped, and no field drawn over any part of it.
        const clash = await reason.evaluate((input) => {
          const label = document.querySelector(`label[for="${input.id}"]`)!;
          const range = document.createRange();
          range.selectNodeContents(label);
          const text = [...range.getClientRects()];
          const fields = [...input.closest('form')!.querySelectorAll('input:not([type=radio]), select, button')].map((f) => f.getBoundingClientRect());
          // Clear by a few pixels: text run right up to a field is one glyph wider away from being under it.
          const GAP = 4;
          const overlaps = text.some((t) => fields.some((f) => t.left < f.right + GAP && f.left - GAP < t.right && t.top < f.bottom && f.top < t.bottom));
          const form = input.closest('form')!.getBoundingClientRect();
          const outside = text.some((t) => t.right > form.right + 0.5);
          return { overlaps, outside };
        });
        expect(clash, `${about} at ${width} px`).toMatchObject({ overlaps: false, outside: false });
      }
    }
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
