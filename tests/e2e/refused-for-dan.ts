import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';
import { startServerProcess, type RunningProcess } from '../fakes/processes';
import { createIncidentByKeyboard, signIn } from './helpers';

type Server = RunningProcess & { url: string; port: number };

/** The demonstration accounts, with dan moved to training: the server will refuse his control-room commands. */
function operatorsWithDanInTraining(dir: string): string {
  const demo = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'assets', 'force', 'demo-operators.json'), 'utf8')) as { operators: { name: string; roles: string[] }[] };
  for (const operator of demo.operators) if (operator.name === 'dan') operator.roles = ['trainer'];
  const file = join(dir, 'operators.json');
  writeFileSync(file, JSON.stringify(demo));
  return file;
}

/**
 * Two commands the server refuses, as a workstation's operator meets them: dan signs in at `page` (a window of a
 * console on `server`, whose database is `dir`/central.sqlite) and opens a theft at Above Bar Street; the server
 * goes away while he writes two lines in its log ("Security have CCTV of the theft", "Suspect gave a false name");
 * it comes back on its port with dan moved to training, and refuses both. Returns the server started again, and
 * the window's alert of its refused commands (showing both).
 */
export async function twoLinesRefusedForDan(page: Page, server: Server, dir: string): Promise<{ server: Server; refusedAlert: ReturnType<Page['getByRole']> }> {
  await signIn(page, 'dan');
  await createIncidentByKeyboard(page, { type: 'Theft', location: 'Above Bar Street', grade: '2', firstLog: 'Shoplifter detained by security' });
  const connection = page.getByRole('status', { name: 'Connection' });
  await expect(connection).toHaveText('Online', { timeout: 10_000 });

  await server.stop();
  await expect(connection).toHaveText(/^Offline since/);
  for (const text of ['Security have CCTV of the theft', 'Suspect gave a false name']) {
    await page.keyboard.press('F3');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('log', { name: /Log of / })).toContainText(text);
  }

  const again = await startServerProcess(join(dir, 'central.sqlite'), server.port, { args: ['--operators', operatorsWithDanInTraining(dir)] });
  const refusedAlert = page.getByRole('alert').filter({ hasText: 'refused by the server' });
  try {
    await expect(refusedAlert).toHaveText('2 commands refused by the server — Shift+F8', { timeout: 15_000 });
  } catch (error) {
    await again.stop(); // the test still holds the server it stopped, not this one: it must not outlive the test
    throw error;
  }
  return { server: again, refusedAlert };
}
