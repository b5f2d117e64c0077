import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';

// What the incident's detail says or holds about one incident (a refusal, a closing code chosen, a marker added) is
// about that incident: selecting another must not carry it over, where it would read as the other's (or close the
// other with a code chosen for the first).
test('a closing code chosen and a message shown for one incident go when another incident is selected', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'DISPATCH-1', operator: 'carol', dataDir: join(dir.path, 'd') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(desk.windowUrl);
    await signIn(page, 'carol');
    await createIncidentByKeyboard(page, { type: 'Burglary', location: 'Market Street', grade: '3', firstLog: 'Shed broken into overnight' });
    await createIncidentByKeyboard(page, { type: 'Concern for safety', location: 'High Street', grade: '2', firstLog: 'Man sitting on the bridge parapet' });
    const list = page.getByRole('listbox', { name: 'Open incidents' });
    await expect(list.getByRole('option')).toHaveCount(2);
    await expect(list).toBeFocused();

    const detail = page.getByRole('region', { name: /^Incident / }).first();
    const first = (await detail.getAttribute('aria-label'))!;
    await detail.getByLabel('Closing code').focus();
    await page.keyboard.type('No trace');
    await expect(detail.getByLabel('Closing code')).not.toHaveValue('');
    await expect(detail.getByRole('button', { name: 'Close incident' })).toBeEnabled();

    // The other incident, by keyboard: its closing code is not chosen, and Close incident waits for one.
    await page.keyboard.press('F4');
    await page.keyboard.press((await list.getByRole('option').first().getAttribute('aria-selected')) === 'true' ? 'ArrowDown' : 'ArrowUp');
    await expect(detail).not.toHaveAttribute('aria-label', first);
    await expect(detail.getByLabel('Closing code')).toHaveValue('');
    await expect(detail.getByRole('button', { name: 'Close incident' })).toBeDisabled();
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
