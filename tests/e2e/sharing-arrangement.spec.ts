import { join } from 'node:path';
import { neighbourForceConfigFile } from '../../node-common/force-config-file';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { axeFindings } from './axe';

test('DMO’s administrator proposes a standing arrangement by keyboard; it waits until NBR’s administrator approves it by keyboard, and both desks show it active', async ({ newContext }) => {
  // Two consoles, a server and two windows on a loaded machine: more than the default minute.
  test.setTimeout(180_000);
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'), 0, { forces: 'demonstration' });
  const dmoDesk = await startConsoleProcess({ server: server.url, workstation: 'DMO-ADMIN', operator: 'admin', dataDir: join(dir.path, 'dmo') });
  const nbrDesk = await startConsoleProcess({ server: server.url, workstation: 'NB-ADMIN', operator: 'nbadmin', dataDir: join(dir.path, 'nbr'), forceConfig: neighbourForceConfigFile() });
  try {
    const dmo = await (await newContext()).newPage();
    await dmo.goto(dmoDesk.windowUrl.replace('role=incidents', 'role=administration'));
    await dmo.getByLabel('Password').fill('demo');
    await dmo.keyboard.press('Enter');
    const dmoSection = dmo.getByRole('region', { name: 'Sharing arrangements with other forces' });
    await expect(dmoSection).toContainText('No arrangements.');

    // Propose: Anti-social behaviour incidents shared with NBR at the view tier, by keyboard.
    const form = dmoSection.getByRole('form', { name: 'Propose a sharing arrangement' });
    await form.getByLabel('Incident type').focus();
    await dmo.keyboard.type('Anti');
    await expect(form.getByLabel('Incident type')).toHaveValue('ASB');
    await dmo.keyboard.press('Tab');
    await expect(form.getByLabel('Share with force')).toBeFocused();
    await dmo.keyboard.type('NBR');
    await dmo.keyboard.press('Tab');
    await expect(form.getByLabel('Tier')).toBeFocused();
    await dmo.keyboard.press('Tab');
    await dmo.keyboard.type('Town centre disorder is policed jointly on Friday nights');
    await dmo.keyboard.press('Enter');
    await expect(dmo.getByRole('status', { name: 'Announcements' })).toHaveText("Arrangement proposed: ASB incidents shared with NBR once NBR's administrator approves");
    const dmoRow = dmoSection.getByRole('row', { name: /DMO: Anti-social behaviour \(ASB\)/ });
    await expect(dmoRow).toContainText('Proposed, waiting for the other force to approve; proposed by admin (DMO)');
    // DMO's own proposal is its approval: it has nothing to approve.
    await expect(dmoRow.getByRole('button', { name: /^Approve/ })).toHaveCount(0);

    // At Northbridge's administration window: the proposal, to approve by keyboard.
    const nbr = await (await newContext()).newPage();
    await nbr.goto(nbrDesk.windowUrl.replace('role=incidents', 'role=administration'));
    await nbr.getByLabel('Password').fill('demo');
    await nbr.keyboard.press('Enter');
    const nbrSection = nbr.getByRole('region', { name: 'Sharing arrangements with other forces' });
    const approve = nbrSection.getByRole('button', { name: 'Approve arrangement DMO Anti-social behaviour (ASB) with NBR' });
    await expect(approve).toBeVisible({ timeout: 20_000 });
    expect(await axeFindings(nbr, 'administration: an arrangement proposed to this force')).toEqual([]);
    await approve.focus();
    await nbr.keyboard.press('Enter');
    await expect(nbr.getByRole('status', { name: 'Announcements' })).toHaveText('Arrangement DMO Anti-social behaviour (ASB) with NBR approved');
    await expect(nbrSection.getByRole('row', { name: /DMO: Anti-social behaviour/ })).toContainText(/Active; proposed by admin \(DMO\) at \d{4}-\d\d-\d\d \d\d:\d\d (GMT|BST); approved by nbadmin \(NBR\)/);

    // Back at DMO: active, approved by both.
    await expect(dmoRow).toContainText(/Active; proposed by admin \(DMO\) at \d{4}-\d\d-\d\d \d\d:\d\d (GMT|BST); approved by nbadmin \(NBR\)/, { timeout: 20_000 });
  } finally {
    await dmoDesk.stop();
    await nbrDesk.stop();
    await server.stop();
    dir.remove();
  }
});
