import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';

// What a newcomer runs: `npm start` with no server given starts an embedded one, so one command is a console.
test('npm start alone gives a working console on the embedded server', async ({ page }) => {
  const dir = makeTempDir();
  const child = spawn('npm', ['start', '--', '--no-open', '--data-dir', dir.path, '--workstation', 'DESK-1'], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await expect.poll(() => /Cordon console: (\S+)/.exec(output)?.[1], { timeout: 60_000, message: 'the console prints its address' }).toBeTruthy();
    expect(output).toMatch(/central server: http:\/\/127\.0\.0\.1:\d+ \(embedded\)/);
    await page.goto(/Cordon console: (\S+)/.exec(output)![1]!);
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online');
    // The window npm start opens names no role: bob, a dispatcher with no saved desk, lands on Incidents.
    await signIn(page, 'bob');
    await expect(page).toHaveURL(/\?role=incidents/);
    await expect(page.getByText('bob at DESK-1')).toBeVisible();
    await createIncidentByKeyboard(page, { type: 'Concern', location: 'Town Quay', grade: '1', firstLog: 'Person seen in the water' });
    await expect(page.getByRole('option', { name: /Concern for safety.*Town Quay/ })).toContainText(/DMO-\d{8}-0001/);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    dir.remove();
  }
});
