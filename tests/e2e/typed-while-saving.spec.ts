import { join } from 'node:path';
import type { Page, WebSocketRoute } from '@playwright/test';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';

/**
 * Between a window and its core: every reply to `channel` is held until the test lets the one held go, as a loaded
 * desk's reply is late. Returns a function that waits for a held reply and delivers it.
 */
async function holdReplies(page: Page, channel: string): Promise<() => Promise<void>> {
  const asked = new Set<number>();
  const held: (() => void)[] = [];
  await page.routeWebSocket(/\/api\?/, (ws: WebSocketRoute) => {
    const core = ws.connectToServer();
    ws.onMessage((message) => {
      const parsed = JSON.parse(String(message)) as { id: number; channel: string };
      if (parsed.channel === channel) asked.add(parsed.id);
      core.send(message);
    });
    core.onMessage((message) => {
      const parsed = JSON.parse(String(message)) as { type: string; id?: number };
      if (parsed.type === 'reply' && parsed.id !== undefined && asked.has(parsed.id)) held.push(() => ws.send(message));
      else ws.send(message);
    });
  });
  return async () => {
    await expect.poll(() => held.length, { message: `a reply to ${channel} held` }).toBeGreaterThan(0);
    held.shift()!();
  };
}

/**
 * A log line's save comes back late, after the handler has begun the next: what they typed since stays in the box,
 * and only the line saved leaves it. Found in use: the first letters of the next line were wiped when the last
 * line's reply came ("pect gave a false name"). The command line's next command likewise.
 */
test('what is typed while the last log line or command is saving stays in its box, and goes in whole', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'WS-B', operator: 'dan', dataDir: join(dir.path, 'b') });
  try {
    const page = await (await newContext()).newPage();
    const deliverHeld = await holdReplies(page, 'incidents.addLog');
    await page.goto(desk.windowUrl);
    await signIn(page, 'dan');
    await createIncidentByKeyboard(page, { type: 'Theft', location: 'Above Bar Street', grade: '2', firstLog: 'Shoplifter detained by security' });
    const log = page.getByRole('log', { name: /Log of / });
    const box = page.getByLabel(/^Log entry for/);

    await page.keyboard.press('F3');
    await page.keyboard.type('Security have CCTV of the theft');
    await page.keyboard.press('Enter');
    // The line is kept at the desk (it shows in the log) while its reply is still on its way; the handler types on.
    await expect(log).toContainText('Security have CCTV of the theft');
    await page.keyboard.type('Suspect');
    await deliverHeld();
    await expect(box).toHaveValue('Suspect');
    await page.keyboard.type(' gave a false name');
    await page.keyboard.press('Enter');
    await deliverHeld();
    await expect(log).toContainText('Suspect gave a false name');
    await expect(box).toHaveValue('');

    // The command line: the next command, begun before the last one's reply, stays on the line.
    await page.keyboard.press('F6');
    const line = page.getByRole('combobox', { name: /^Command/ });
    await expect(line).toBeFocused();
    await page.keyboard.type('LOG Manager wants him charged');
    await page.keyboard.press('Enter');
    await expect(log).toContainText('Manager wants him charged');
    await page.keyboard.type('LOG Officer');
    await deliverHeld();
    await expect(page.getByRole('status', { name: 'Command result' })).toHaveText(/^Logged on /);
    await expect(line).toHaveValue('LOG Officer');
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
