import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { atRole, startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';

/**
 * What the page cuts short: queue references and types ending in an ellipsis, placeholders wider than their field.
 * Run in the page as script text (the tests are compiled without the DOM's types).
 */
const CUT_SHORT = `(() => {
  const cut = [];
  for (const field of document.querySelectorAll('.incident-list [role="option"] .ref, .incident-list [role="option"] .type')) {
    if (field.scrollWidth > field.clientWidth + 1) cut.push(field.className + ' “' + field.textContent + '” (' + field.clientWidth + ' px of ' + field.scrollWidth + ')');
  }
  const context = document.createElement('canvas').getContext('2d');
  for (const input of document.querySelectorAll('input[placeholder]')) {
    if (input.offsetParent === null || !input.placeholder) continue;
    const style = getComputedStyle(input);
    context.font = style.fontStyle + ' ' + style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const needs = context.measureText(input.placeholder).width;
    if (needs > room + 1) cut.push('placeholder “' + input.placeholder + '” (' + Math.round(room) + ' px of ' + Math.round(needs) + ')');
  }
  return cut;
})()`;

async function cutShort(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(CUT_SHORT);
}

test('references, types and placeholders read whole, and the supervisor’s picture is not cut, at 1600×1000 and 1920×1080', async ({ newContext }) => {
  test.setTimeout(180_000);
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'bob', dataDir: join(dir.path, 'a') });
  const supervisorDesk = await startConsoleProcess({ server: server.url, workstation: 'SUPER-1', operator: 'carol', dataDir: join(dir.path, 's') });
  try {
    const bob = await (await newContext()).newPage();
    await bob.setViewportSize({ width: 1600, height: 1000 });
    await bob.goto(desk.windowUrl);
    await signIn(bob, 'bob');
    await createIncidentByKeyboard(bob, { type: 'Assault', location: 'Crossways Road', grade: '1', firstLog: 'Fight outside the Crossways Arms' });
    await createIncidentByKeyboard(bob, { type: 'Theft', location: 'High Street', grade: '2', firstLog: 'Shoplifter detained' });
    const rows = bob.getByRole('listbox', { name: 'Open incidents' }).getByRole('option');
    // Their force references, which are the longest a row shows.
    await expect(rows.filter({ hasText: /DMO-\d{8}-000[12]/ })).toHaveCount(2, { timeout: 15_000 });
    await expect(rows.first()).toContainText('Force control room');
    const carol = await (await newContext()).newPage();
    await carol.goto(atRole(supervisorDesk.deskUrl, 'supervisor'));
    await signIn(carol, 'carol', 'demo', 'Refused commands waiting across the room');
    const picture = carol.getByRole('region', { name: 'The picture now' });
    await expect(picture).toContainText('Grade 2 Priority');

    for (const size of [{ width: 1600, height: 1000 }, { width: 1920, height: 1080 }]) {
      await bob.setViewportSize(size);
      await carol.setViewportSize(size);
      await expect.poll(() => cutShort(bob), `the incidents desk at ${size.width}×${size.height}`).toEqual([]);
      // The picture whole: nothing of it scrolled out of its panel, and no panel drawn over its end.
      await expect.poll(() => picture.evaluate((e) => (e as unknown as { scrollHeight: number; clientHeight: number }).scrollHeight - (e as unknown as { clientHeight: number }).clientHeight), `the picture at ${size.width}×${size.height}`).toBeLessThanOrEqual(1);
      const pictureBox = (await picture.boundingBox())!;
      const handoffsBox = (await carol.getByRole('region', { name: /^Handoffs not taken/ }).boundingBox())!;
      expect(pictureBox.y + pictureBox.height, `the handoffs under the picture at ${size.width}×${size.height}`).toBeLessThanOrEqual(handoffsBox.y + 1);
      await expect(picture.getByText(/^Grade 4 /)).toBeInViewport({ ratio: 1 });
      // Nor is anything under it squeezed to its heading: the room's refused commands keep room for a few lines.
      expect((await carol.getByRole('region', { name: /^Refused commands waiting/ }).boundingBox())!.height, `the refused commands at ${size.width}×${size.height}`).toBeGreaterThan(100);
    }
  } finally {
    await desk.stop();
    await supervisorDesk.stop();
    await server.stop();
    dir.remove();
  }
});
