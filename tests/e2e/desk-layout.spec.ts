import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { bookOn, signIn } from './helpers';

test('a dispatcher opens the resources window beside the incidents one, saves the desk, and gets both back at the next sign-in', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'DISPATCH-2', operator: 'bob', dataDir: join(dir.path, 'd') });
  try {
    const context = await newContext();
    const incidents = await context.newPage();
    await incidents.goto(desk.windowUrl);
    await signIn(incidents, 'bob');
    await bookOn(incidents, 'DM-31');

    // A second window of the same workstation, opened from the keyboard.
    const opened = context.waitForEvent('page');
    await incidents.getByRole('button', { name: 'Open Resources window' }).press('Enter');
    const resources = await opened;
    await expect(resources.getByRole('listbox', { name: 'Units' })).toBeVisible();

    // A change made in the new window is the workstation's, kept through what follows.
    const inResources = resources.getByRole('listbox', { name: 'Units' }).getByRole('option', { name: /^DM-31/ });
    await inResources.click();
    await resources.getByRole('button', { name: 'DM-31 unavailable' }).press('Enter');
    await expect(inResources).toContainText('Unavailable (status 8)');

    await incidents.getByRole('button', { name: 'Save desk layout' }).press('Enter');
    await expect(incidents.getByRole('status', { name: 'Announcements' })).toHaveText(/^Desk saved: (Incidents, Resources|Resources, Incidents)$/);

    // Signing out closes nothing but shows nothing; signing in again brings the saved desk back.
    await incidents.getByRole('button', { name: 'Sign out' }).click();
    await resources.close();
    const reopened = context.waitForEvent('page');
    await signIn(incidents, 'bob');
    const again = await reopened;
    await expect(again).toHaveURL(/role=resources/);
    await expect(again.getByRole('listbox', { name: 'Units' }).getByRole('option', { name: /^DM-31/ })).toContainText('Unavailable (status 8)');

    // The supervisor's picture and a map of its own are windows of the desk too.
    const supervisorOpened = context.waitForEvent('page');
    await incidents.getByRole('button', { name: 'Open Supervisor window' }).press('Enter');
    const supervisor = await supervisorOpened;
    const picture = supervisor.getByRole('region', { name: 'The picture now' });
    await expect(picture).toContainText('Units unavailable1');
    await expect(picture).toContainText('Grade 1 Emergency0 open');
    await expect(supervisor.getByRole('list', { name: 'Incidents needing attention' })).toContainText('Nothing needs attention.');
    const mapOpened = context.waitForEvent('page');
    await incidents.getByRole('button', { name: 'Open Map window' }).press('Enter');
    const map = await mapOpened;
    await expect(map.getByLabel(/^Map of /)).toHaveAccessibleDescription(/Units: .*DM-31 unavailable/, { timeout: 20_000 });
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
