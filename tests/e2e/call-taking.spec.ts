import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { type Page } from '@playwright/test';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

// Two 999 calls about one fight in Market Street, Saltmere (the exercise area): the first rings as the test starts,
// its handset position (AML) arriving a few seconds in; the second, from a neighbour, rings later.
const calls = {
  calls: [
    { id: 'fight', at: 2, source: '999', callerNumber: '07700 900101', handset: { point: { lat: 53.92618, lon: 1.75155 }, accuracyM: 14, source: 'AML', after: 3 } },
    { id: 'neighbour', at: 20, source: '999', callerNumber: '07700 900404', handset: { point: { lat: 53.92631, lon: 1.75201 }, accuracyM: 22, source: 'AML', after: 1 } },
  ],
};

/** Presses keys one at a time, counting them, as the handler would. */
function keyboardOf(page: Page) {
  let count = 0;
  return {
    get count() {
      return count;
    },
    async press(key: string) {
      count += 1;
      await page.keyboard.press(key);
    },
    async type(text: string) {
      count += text.length;
      await page.keyboard.type(text);
    },
  };
}

test('a 999 call is answered, located, typed, risk-assessed and graded by keyboard alone, shows at dispatch, and a second call about it is attached', async ({ newContext }) => {
  const dir = makeTempDir();
  const script = join(dir.path, 'calls.json');
  writeFileSync(script, JSON.stringify(calls));
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const handlerDesk = await startConsoleProcess({ server: server.url, workstation: 'CALLS-1', operator: 'alice', dataDir: join(dir.path, 'c'), calls: script });
  const dispatchDesk = await startConsoleProcess({ server: server.url, workstation: 'DISPATCH-1', operator: 'bob', dataDir: join(dir.path, 'd') });
  try {
    const handler = await (await newContext()).newPage();
    const dispatcher = await (await newContext()).newPage();
    await handler.goto(handlerDesk.windowUrl.replace('role=incidents', 'role=calltaking'));
    await dispatcher.goto(dispatchDesk.windowUrl);
    await signIn(dispatcher, 'bob');
    await signIn(handler, 'alice', 'demo', 'Calls');

    const queue = handler.getByRole('listbox', { name: 'Calls' });
    await expect(queue.getByRole('option', { name: /999 emergency\s*07700 900101\s*ringing/ })).toBeVisible({ timeout: 10_000 });
    await expect(handler.getByRole('alert').filter({ hasText: '999 call ringing from 07700 900101: press F2 to answer' })).toBeVisible();

    // From here on, every key the handler presses is counted, and the time from answer to saved incident taken.
    const keys = keyboardOf(handler);
    const answeredAt = Date.now();
    await keys.press('F2');
    const form = handler.getByRole('form', { name: 'Call' });
    await expect(form.getByRole('combobox', { name: 'Location' })).toBeFocused();
    await keys.type('market st');
    await expect(form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first()).toContainText('Market Street');
    await keys.press('Enter');
    await expect(form).toContainText('Location: Market Street, Saltmere');
    // The handset's position arrives and is offered, but does not replace the location chosen.
    await expect(form.getByRole('button', { name: 'Use the caller’s position (F3)' })).toBeVisible();
    await expect(form).toContainText('Location: Market Street, Saltmere');

    await keys.press('Tab');
    await keys.type('Assault'); // type-ahead on the focused select
    await keys.press('Tab');
    await keys.type('1');
    await expect(form.getByLabel('Grade')).toHaveValue('1');
    await keys.press('Tab');
    for (const answer of ['y', 'y', 'n', 'y', 'y', 'y', 'n', 'n', 'y']) await keys.press(answer);
    await expect(form.getByLabel('What is happening')).toBeFocused();
    await keys.type('Two men fighting outside the Anchor, one has a bottle');
    await keys.press('Control+Enter');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText(/^Incident .+ created$/);
    const answerToSavedMs = Date.now() - answeredAt;
    test.info().annotations.push({ type: 'first call: keystrokes from answer to saved incident', description: String(keys.count) });
    test.info().annotations.push({ type: 'first call: answer to saved incident', description: `${answerToSavedMs} ms` });
    console.log(`call taking: ${keys.count} keystrokes, ${answerToSavedMs} ms from answer to saved incident`);

    // The dispatcher sees it, graded 1, with its risk assessment in the log.
    const atDispatch = dispatcher.getByRole('option', { name: /Grade 1 Emergency\s*Assault\s*Market Street, Saltmere/ });
    await expect(atDispatch).toBeVisible({ timeout: 5_000 });
    await atDispatch.click();
    const log = dispatcher.getByRole('log', { name: /Log of / });
    await expect(log).toContainText('Two men fighting outside the Anchor');
    await expect(log).toContainText('Threat: Is anyone in immediate danger? YES');

    // The neighbour calls: answered, located, and the call attached to the incident proposed, with one key.
    await expect(queue.getByRole('option', { name: /07700 900404\s*ringing/ })).toBeVisible({ timeout: 25_000 });
    await handler.keyboard.press('F2');
    await expect(form.getByRole('combobox', { name: 'Location' })).toBeFocused();
    await handler.keyboard.type('market st');
    await expect(form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first()).toContainText('Market Street');
    await handler.keyboard.press('Enter');
    const proposals = handler.getByRole('region', { name: 'Possible duplicates' });
    await expect(proposals).toContainText(/DMO-\d{8}-0001 Assault, Market Street, Saltmere — 0 m away/);
    await handler.keyboard.press('F4');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText(/^Call attached to DMO-\d{8}-0001$/);
    await expect(log).toContainText('Further contact attached: 999 from 07700 900404', { timeout: 5_000 });
    // Still one incident, not two.
    await expect(dispatcher.getByRole('listbox', { name: 'Open incidents' }).getByRole('option')).toHaveCount(1);
  } finally {
    await handlerDesk.stop();
    await dispatchDesk.stop();
    await server.stop();
    dir.remove();
  }
});
