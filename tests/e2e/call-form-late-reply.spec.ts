import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebSocketRoute } from '@playwright/test';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

const calls = { calls: [{ id: 'break-in', at: 1, source: '999', callerNumber: '07700 900555' }] };

/**
 * A loaded desk answers slowly: the call's answered state reaches the window (and the form opens on it) while the
 * core's reply to the answer itself is still on its way. When that reply lands, the handler has typed on; the form
 * must stay as they left it: their grade, their place, their keyboard where it was. Found in use: a handler's grade
 * 1 saved as the type's grade 2, the focus thrown back to the location box mid-word.
 */
test('a slow reply to answering a call never takes back what the handler has typed since, nor where their keyboard is', async ({ newContext }) => {
  const dir = makeTempDir();
  const script = join(dir.path, 'calls.json');
  writeFileSync(script, JSON.stringify(calls));
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'CALLS-1', operator: 'alice', dataDir: join(dir.path, 'c'), calls: script });
  try {
    const context = await newContext();
    const handler = await context.newPage();
    // Between the window and its core: the reply to contacts.answer is held until the test lets it go.
    let answerId: number | null = null;
    let heldReply: { deliver(): void } | null = null;
    await handler.routeWebSocket(/\/api\?/, (ws: WebSocketRoute) => {
      const core = ws.connectToServer();
      ws.onMessage((message) => {
        const parsed = JSON.parse(String(message)) as { id: number; channel: string };
        if (parsed.channel === 'contacts.answer') answerId = parsed.id;
        core.send(message);
      });
      core.onMessage((message) => {
        const parsed = JSON.parse(String(message)) as { type: string; id?: number };
        if (parsed.type === 'reply' && parsed.id === answerId) heldReply = { deliver: () => ws.send(message) };
        else ws.send(message);
      });
    });
    await handler.goto(desk.windowUrl.replace('role=incidents', 'role=calltaking'));
    await signIn(handler, 'alice', 'demo', 'Calls');
    await expect(handler.getByRole('listbox', { name: 'Calls' }).getByRole('option', { name: /07700 900555\s*ringing/ })).toBeVisible({ timeout: 25_000 });

    await handler.keyboard.press('F2');
    const form = handler.getByRole('form', { name: 'Call' });
    const location = form.getByRole('combobox', { name: 'Location' });
    await expect(location).toBeFocused();
    await handler.keyboard.type('market st');
    await expect(form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first()).toContainText('Market Street');
    await handler.keyboard.press('Enter');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('Burglary');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('1');
    const grade = form.getByLabel('Grade', { exact: true });
    await expect(grade).toHaveValue('1');
    await expect(grade).toBeFocused();

    // The answer's reply arrives now, before the grade has been kept on disk.
    await expect.poll(() => heldReply !== null).toBe(true);
    heldReply!.deliver();
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText('Answered the 999 call from 07700 900555');
    // Whatever the reply set going has had its time to land.
    await handler.waitForTimeout(1_000);
    await expect(grade).toBeFocused();
    await expect(grade).toHaveValue('1');
    await expect(location).toHaveValue('Market Street, Saltmere');
    await expect(form.getByLabel('Incident type')).toHaveValue('BURGLARY');

    await handler.keyboard.press('Control+Enter');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText(/^Incident .+ created$/);
    const board = await context.newPage();
    await board.goto(desk.windowUrl);
    const row = board.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /Burglary\s*Market Street, Saltmere/ });
    await expect(row).toContainText('Grade 1');
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
