import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';
import { startServerProcess, type RunningProcess } from '../fakes/processes';
import { createIncidentByKeyboard, signIn } from './helpers';
import { setRolesWhileRoomServerIsDown } from '../fakes/administered-offline';

type Server = RunningProcess & { url: string; port: number };

/**
 * Two commands the server refuses, as a workstation's operator meets them: dan signs in at `page` (a window of a
 * console on `server`, whose database is `dir`/central.sqlite) and opens a theft at Above Bar Street; the server
 * goes away while he writes two lines in its log ("Security have CCTV of the theft", "Suspect gave a false name");
 * an administrator moves dan to training meanwhile; it comes back on its port and refuses both. Returns the server started again, and
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

  await setRolesWhileRoomServerIsDown(join(dir, 'central.sqlite'), 'dan', ['trainer']);
  const again = await startServerProcess(join(dir, 'central.sqlite'), server.port);
  const refusedAlert = page.getByRole('alert').filter({ hasText: 'refused by the server' });
  try {
    await expect(refusedAlert).toHaveText('2 commands refused by the server — Shift+F8', { timeout: 15_000 });
  } catch (error) {
    await again.stop(); // the test still holds the server it stopped, not this one: it must not outlive the test
    throw error;
  }
  return { server: again, refusedAlert };
}
