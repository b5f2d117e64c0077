import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { atRole, startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

// The room's measures at the supervisor's desk (issue 14): computed on the server from what the telephony simulator
// and the call handler did at another workstation, live, amber and red at the force's thresholds, by keyboard.

test('a 999 call answered late and one abandoned in the simulator show in the supervisor’s measures, red against the force’s thresholds, with the answer-time chart and its table', async ({ newContext }) => {
  // Two calls rung through in real time, then two of the measures' refreshes.
  test.setTimeout(120_000);
  const dir = makeTempDir();
  const script = join(dir.path, 'calls.json');
  writeFileSync(
    script,
    JSON.stringify({
      calls: [
        // The caller gives up after twelve seconds, unanswered.
        { id: 'gave-up', at: 1, source: '999', callerNumber: '07700 900111', abandonAfter: 12 },
        // Rings on until alice answers it, after the first has gone: later than ten seconds.
        { id: 'late', at: 2, source: '999', callerNumber: '07700 900222' },
      ],
    }),
  );
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const handlerDesk = await startConsoleProcess({ server: server.url, workstation: 'CALLS-1', operator: 'alice', dataDir: join(dir.path, 'c'), calls: script });
  const supervisorDesk = await startConsoleProcess({ server: server.url, workstation: 'SUPER-1', operator: 'carol', dataDir: join(dir.path, 's') });
  try {
    const supervisor = await (await newContext()).newPage();
    await supervisor.goto(atRole(supervisorDesk.deskUrl, 'supervisor'));
    await supervisor.getByLabel('Operator').fill('carol');
    await supervisor.getByLabel('Password').fill('demo');
    await supervisor.keyboard.press('Enter');
    const measures = supervisor.getByRole('region', { name: 'Room measures' });
    const cell = (measure: string, window: 'last-hour' | 'shift') => measures.locator(`tr[data-measure="${measure}"] td[data-window="${window}"]`);
    await expect(cell('answered999Within10s', 'last-hour')).toHaveText('no calls', { timeout: 15_000 });
    await expect(cell('handoffsWaiting', 'last-hour')).toHaveText('none');

    const handler = await (await newContext()).newPage();
    await handler.goto(atRole(handlerDesk.deskUrl, 'calltaking'));
    await signIn(handler, 'alice', 'demo', 'Calls');
    const queue = handler.getByRole('listbox', { name: 'Calls' });
    await expect(queue.getByRole('option', { name: /07700 900222\s*ringing/ })).toBeVisible({ timeout: 15_000 });
    // The first caller hangs up: gone from the queue. Then alice answers the one still ringing, by then 12 s on.
    await expect(queue.getByRole('option', { name: /07700 900111/ })).toBeHidden({ timeout: 20_000 });
    await handler.keyboard.press('F2');
    await expect(handler.getByRole('form', { name: 'Call' })).toBeVisible();

    // Both calls were answerable and neither was answered within 10 s: 0% (red, below 80%); one of two abandoned
    // (red, above 10%). Both spans show it, computed by the server.
    for (const window of ['last-hour', 'shift'] as const) {
      await expect(cell('answered999Within10s', window)).toHaveText('0% (0 of 2) (red: below 80%)', { timeout: 20_000 });
      await expect(cell('answered999Within10s', window)).toHaveAttribute('data-level', 'red');
      await expect(cell('abandoned999', window)).toHaveText('50% (1 of 2) (red: above 10%)');
    }
    // The crossing into red sounded at this workstation, and does not sound again while the figures stay red: two
    // refreshes later (the server's time moved on twice), still the same count.
    await expect(measures).not.toHaveAttribute('data-red-sounds', '0');
    const sounds = await measures.getAttribute('data-red-sounds');
    const asOf = measures.getByText(/^Computed by the server, as of/);
    for (let i = 0; i < 2; i++) {
      const before = await asOf.textContent();
      await expect(asOf).not.toHaveText(before!, { timeout: 20_000 });
    }
    await expect(measures).toHaveAttribute('data-red-sounds', sounds!);
    await expect(cell('answerTime999', 'last-hour')).toHaveText(/^(1\d|[2-9]\d)(\.\d)? s, (1\d|[2-9]\d)(\.\d)? s$/);

    // The chart is drawn by the charting library; its text alternative is the table of the same counts.
    const chart = measures.getByRole('figure', { name: 'Answer times this shift (1 call answered)' });
    await expect(chart.locator('svg.recharts-surface[width="440"]')).toBeVisible();
    await expect(chart.locator('.recharts-bar-rectangle path').first()).toBeVisible();
    const table = chart.getByRole('table', { name: 'Calls answered this shift, by answer time' });
    // The one 999 call answered took more than ten seconds: none in the first two buckets.
    await expect(table.getByRole('row', { name: /^0–5 s/ })).toHaveText(/0–5 s\s*0\s*0/);
    await expect(table.getByRole('row', { name: /^5–10 s/ })).toHaveText(/5–10 s\s*0\s*0/);
    await expect(measures.getByRole('figure', { name: 'Incidents waiting for a unit through the shift, by grade' }).locator('svg.recharts-surface[width="440"]')).toBeVisible();

    // By keyboard: Tab from the picture reaches the measures, which scroll on a short screen.
    await supervisor.getByRole('region', { name: 'The picture now' }).focus();
    for (let i = 0; i < 10 && !(await measures.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)); i++) await supervisor.keyboard.press('Tab');
    await expect(measures).toBeFocused();
  } finally {
    await handlerDesk.stop();
    await supervisorDesk.stop();
    await server.stop();
    dir.remove();
  }
});
