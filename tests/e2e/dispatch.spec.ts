import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { answerAndLocate, bookOn, signIn } from './helpers';

const calls = { calls: [{ id: 'break-in', at: 1, source: '999', callerNumber: '07700 900555' }] };

test('a call handler’s incident reaches the dispatcher’s queue; the top recommendation is deployed by keyboard; the vehicle accepts, drives there and is at scene', async ({ newContext }) => {
  const dir = makeTempDir();
  const script = join(dir.path, 'calls.json');
  writeFileSync(script, JSON.stringify(calls));
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const handlerDesk = await startConsoleProcess({ server: server.url, workstation: 'CALLS-1', operator: 'alice', dataDir: join(dir.path, 'c'), calls: script });
  const dispatchDesk = await startConsoleProcess({ server: server.url, workstation: 'DISPATCH-1', operator: 'bob', dataDir: join(dir.path, 'd'), vehicles: true });
  try {
    const handler = await (await newContext()).newPage();
    const dispatchContext = await newContext();
    const dispatcher = await dispatchContext.newPage();
    await handler.goto(handlerDesk.windowUrl.replace('role=incidents', 'role=calltaking'));
    await dispatcher.goto(dispatchDesk.windowUrl);
    await signIn(handler, 'alice', 'demo', 'Calls');
    await signIn(dispatcher, 'bob');
    // A dispatcher does not answer 999 calls: the legend does not offer the key that would (it would do nothing).
    await expect(dispatcher.getByRole('navigation', { name: 'Keyboard shortcuts' })).toContainText('F2 New incident');
    await expect(dispatcher.getByRole('navigation', { name: 'Keyboard shortcuts' })).not.toContainText('Shift+F2');
    // DM-11's crew is on whatever the time of day (a unit comes on duty only by booking on).
    await bookOn(dispatcher, 'DM-11');

    // The call handler saves a grade 1 burglary in Market Street.
    await answerAndLocate(handler, '07700 900555', 'market st', 'Market Street');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('Burglary');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('1');
    await handler.keyboard.press('Control+Enter');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText(/^Incident .+ created$/);

    // At the dispatcher's desk: first in the queue, its attendance clock running.
    const queue = dispatcher.getByRole('listbox', { name: 'Open incidents' });
    const incident = queue.getByRole('option', { name: /Burglary\s*Market Street, Saltmere/ });
    await expect(incident).toBeVisible({ timeout: 5_000 });
    await expect(incident).toContainText(/Attendance: 1[45]:\d\d left/);
    await dispatcher.keyboard.press('F4');
    await dispatcher.keyboard.press('ArrowDown');
    await expect(incident).toHaveAttribute('aria-selected', 'true');

    // The recommendation: nearest suitable unit first, with its reasons; Enter deploys it.
    await dispatcher.keyboard.press('Shift+F4');
    const proposals = dispatcher.getByRole('listbox', { name: 'Recommended units' });
    await expect(proposals).toBeFocused();
    const top = proposals.getByRole('option').first();
    await expect(top).toContainText(/^DM-11 Incident response vehicle · available · 0\.\d km, about \d+ min$/);
    const started = Date.now();
    await dispatcher.keyboard.press('Enter');
    await expect(dispatcher.getByRole('status', { name: 'Announcements' })).toHaveText(/^DM-11 deployed to DMO-\d{8}-0001$/);
    test.info().annotations.push({ type: 'deploy: Enter to confirmed', description: `${Date.now() - started} ms` });

    // The resources board (a second window of the same workstation) and the map follow.
    const resources = await dispatchContext.newPage();
    await resources.goto(dispatchDesk.windowUrl.replace('role=incidents', 'role=resources'));
    const unit = resources.getByRole('listbox', { name: 'Units' }).getByRole('option', { name: /^DM-11/ });
    await expect(unit).toContainText(/(Assigned \(status 3\)|En route \(status 4\))/);
    await expect(unit).toContainText('terminal: accepted', { timeout: 10_000 });
    await expect(unit).toContainText('En route (status 4)');
    const units = dispatcher.getByRole('region', { name: 'Incident actions' }).getByRole('list', { name: 'Units on this incident' });
    await expect(units).toContainText('DM-11 En route · terminal: accepted');

    // The vehicle drives there along the roads (AVL), into the map's view of the incident, as en route; its crew
    // books at scene on arrival, and the clock stops.
    const map = dispatcher.getByLabel(/^Map of /);
    await expect(map).toHaveAccessibleDescription(/Units: .*DM-11 (en route|at scene)/, { timeout: 60_000 });
    await expect(unit).toContainText('At scene (status 5)', { timeout: 60_000 });
    await expect(map).toHaveAccessibleDescription(/Units: .*DM-11 at scene/, { timeout: 10_000 });
    await expect(incident).toContainText('Attended in time');
    // The crew's presses are the terminal's, relayed by the desk that deployed it: not bob's.
    const log = dispatcher.getByRole('log', { name: /Log of DMO-/ });
    await expect(log).toContainText('DM-11 (terminal, via DISPATCH-1) DM-11 accepted the deployment');
    await expect(log).toContainText('DM-11 (terminal, via DISPATCH-1) DM-11 at scene');
    await expect(log).not.toContainText('bob (DISPATCH-1) DM-11 at scene');
  } finally {
    await handlerDesk.stop();
    await dispatchDesk.stop();
    await server.stop();
    dir.remove();
  }
});
