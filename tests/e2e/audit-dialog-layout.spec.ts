import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

/** A box as the page gives it. */
type Box = { left: number; right: number; top: number; bottom: number };
/** As much of the page's DOM as the measure uses (the tests are built without the DOM's types). */
type Element = { id: string; closest(selector: string): Element | null; querySelectorAll(selector: string): ArrayLike<Element>; getBoundingClientRect(): Box };
type Page = { document: { querySelector(selector: string): Element | null; createRange(): { selectNodeContents(node: Element): void; getClientRects(): ArrayLike<Box> } } };

/**
 * Run in the page on a field: whether its label's text runs under (or within a few pixels of) any field of its form,
 * and whether it runs out of the form. A label's text run right up to a field is one glyph wider away from being under it.
 */
function measure(input: Element): { overlaps: boolean; outside: boolean } {
  const { document } = globalThis as unknown as Page;
  const range = document.createRange();
  range.selectNodeContents(document.querySelector(`label[for="${input.id}"]`)!);
  const text = Array.from(range.getClientRects());
  const form = input.closest('form')!;
  const fields = Array.from(form.querySelectorAll('input:not([type=radio]), select, button')).map((f) => f.getBoundingClientRect());
  const GAP = 4;
  const overlaps = text.some((t) => fields.some((f) => t.left < f.right + GAP && f.left - GAP < t.right && t.top < f.bottom && f.top < t.bottom));
  const outside = text.some((t) => t.right > form.getBoundingClientRect().right + 0.5);
  return { overlaps, outside };
}

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
        // The label as drawn: its text inside the form, and no field drawn over (or right against) any part of it.
        const clash = await reason.evaluate(measure);
        expect(clash, `${about} at ${width} px`).toMatchObject({ overlaps: false, outside: false });
      }
    }
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
