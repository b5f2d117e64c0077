import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { answerAndLocate, signIn } from './helpers';

// Two 999 calls from Market Street, Saltmere (the exercise area), twenty seconds apart.
const calls = {
  calls: [
    { id: 'first', at: 1, source: '999', callerNumber: '07700 900111' },
    { id: 'second', at: 20, source: '999', callerNumber: '07700 900222' },
  ],
};

test('a warning marker added by a supervisor is in front of the next handler, and a call half taken comes back after kill -9', async ({ newContext }) => {
  const dir = makeTempDir();
  const script = join(dir.path, 'calls.json');
  writeFileSync(script, JSON.stringify(calls));
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const handlerOptions = { server: server.url, workstation: 'CALLS-1', operator: 'alice', dataDir: join(dir.path, 'c') };
  let handlerDesk = await startConsoleProcess({ ...handlerOptions, calls: script });
  const supervisorDesk = await startConsoleProcess({ server: server.url, workstation: 'SUP-1', operator: 'carol', dataDir: join(dir.path, 's') });
  try {
    const handler = await (await newContext()).newPage();
    const supervisor = await (await newContext()).newPage();
    await handler.goto(handlerDesk.windowUrl.replace('role=incidents', 'role=calltaking'));
    await supervisor.goto(supervisorDesk.windowUrl);
    await signIn(handler, 'alice', 'demo', 'Calls');
    await signIn(supervisor, 'carol');

    // First call: saved with location and type alone.
    const form = await answerAndLocate(handler, '07700 900111', 'market st', 'Market Street');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('Firearms');
    await handler.keyboard.press('Control+Enter');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText(/^Incident .+ created$/);

    // The supervisor marks the address: firearms kept there.
    const incident = supervisor.getByRole('option', { name: /Firearms incident\s*Market Street, Saltmere/ });
    await expect(incident).toBeVisible({ timeout: 5_000 });
    await supervisor.keyboard.press('F4');
    await supervisor.keyboard.press('ArrowDown');
    await expect(incident).toHaveAttribute('aria-selected', 'true');
    await supervisor.getByText('Warning marker for this location').press('Enter');
    await supervisor.getByRole('checkbox', { name: 'Firearms' }).press('Space');
    await supervisor.keyboard.press('Tab'); // on to the next warning
    await supervisor.getByLabel('Marker note').focus();
    await supervisor.keyboard.type('shotgun licence holder, lives alone');
    await supervisor.keyboard.press('Tab');
    await supervisor.keyboard.press('Enter');
    await expect(supervisor.getByRole('status').filter({ hasText: 'Marker added: Firearms' })).toBeVisible();

    // The second call, from the same street: the warning is in front of the handler as soon as the location is.
    await answerAndLocate(handler, '07700 900222', 'market st', 'Market Street');
    const warnings = handler.getByRole('region', { name: 'Warnings and history' }).getByRole('alert');
    await expect(warnings).toContainText('Warning: Firearms at Market Street, Saltmere (shotgun licence holder, lives alone)', { timeout: 5_000 });
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('Firearms');
    await expect(form.getByLabel('Incident type')).toHaveValue('FIREARMS');
    await form.getByLabel('What is happening').focus();
    await handler.keyboard.type('Neighbour heard two bangs from number 4');
    await expect(form.getByRole('status', { name: 'Draft' })).toHaveText(/^Draft kept on this workstation at \d\d:\d\d:\d\d$/);

    // The console dies mid-call, with no chance to save anything more.
    await handlerDesk.kill9();
    handlerDesk = await startConsoleProcess(handlerOptions);
    await handler.goto(handlerDesk.windowUrl.replace('role=incidents', 'role=calltaking'));
    // The same address as before: the window finds the restarted workstation, with nobody signed in, by itself.
    await expect(handler.getByLabel('Operator')).toBeVisible();
    await signIn(handler, 'alice', 'demo', 'Calls');
    await expect(form).toBeVisible({ timeout: 10_000 });
    await expect(form.getByRole('heading')).toHaveText('999 emergency call from 07700 900222');
    await expect(form).toContainText('Location: Market Street, Saltmere');
    await expect(form.getByLabel('Incident type')).toHaveValue('FIREARMS');
    await expect(form.getByLabel('What is happening')).toHaveValue('Neighbour heard two bangs from number 4');
    await expect(warnings).toContainText('Warning: Firearms at Market Street, Saltmere');

    // And it saves as if nothing had happened.
    await form.getByLabel('What is happening').focus();
    await handler.keyboard.press('Control+Enter');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText(/^Incident .+ created$/);
    await expect(supervisor.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /Firearms incident/ })).toHaveCount(2, { timeout: 5_000 });
  } finally {
    await handlerDesk.stop();
    await supervisorDesk.stop();
    await server.stop();
    dir.remove();
  }
});
