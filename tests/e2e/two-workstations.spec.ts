import { join } from 'node:path';
import { expect, test } from './fixtures';
import { createIncidentByKeyboard, signIn } from './helpers';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';

test('an incident made by keyboard at one workstation shows at the other within 2 seconds, and the log flows back', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const wsA = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'alice', dataDir: join(dir.path, 'a') });
  const wsB = await startConsoleProcess({ server: server.url, workstation: 'WS-B', operator: 'bob', dataDir: join(dir.path, 'b') });
  try {
    const a = await (await newContext()).newPage();
    const b = await (await newContext()).newPage();
    await a.goto(wsA.windowUrl);
    await b.goto(wsB.windowUrl);
    await signIn(a, 'alice');
    await signIn(b, 'bob');
    for (const page of [a, b]) await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online');

    await createIncidentByKeyboard(a, { type: 'Burglary', location: '12 Shirley Road', grade: '2', firstLog: 'Caller disturbed intruder, rear window smashed' });
    await expect(a.getByRole('status', { name: 'Announcements' })).toHaveText(/Incident .+ created/);
    const created = Date.now();

    const onB = b.getByRole('option', { name: /Burglary.*12 Shirley Road/ });
    await expect(onB).toBeVisible({ timeout: 2_000 });
    const seenAfterMs = Date.now() - created;
    test.info().annotations.push({ type: 'visible at B after', description: `${seenAfterMs} ms` });
    await expect(onB).toContainText(/DMO-\d{8}-0001/);

    // B selects it with the keyboard and writes in its log; the input names the incident it writes to.
    await b.keyboard.press('F4');
    await b.keyboard.press('ArrowDown');
    await expect(onB).toHaveAttribute('aria-selected', 'true');
    await b.keyboard.press('Enter');
    const logInput = b.getByLabel(/Log entry for DMO-\d{8}-0001/);
    await expect(logInput).toBeFocused();
    await b.keyboard.type('Unit 12 en route, ETA 6 minutes');
    await b.keyboard.press('Enter');
    await expect(b.getByRole('log', { name: /Log of DMO-/ })).toContainText('Unit 12 en route');

    const logAtA = a.getByRole('log', { name: /Log of DMO-\d{8}-0001/ });
    await expect(logAtA).toContainText('Caller disturbed intruder');
    await expect(logAtA).toContainText('bob (WS-B) Unit 12 en route, ETA 6 minutes', { timeout: 2_000 });
  } finally {
    await wsA.stop();
    await wsB.stop();
    await server.stop();
    dir.remove();
  }
});
