import { join } from 'node:path';
import { neighbourForceConfigFile } from '../../node-common/force-config-file';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { bookOn, createIncidentByKeyboard, signIn } from './helpers';

test('DMO’s dispatcher shares an incident with NBR at the assist tier by keyboard; NBR’s dispatcher writes in its log and deploys an NBR unit; DMO’s desk shows both; once NBR clears its unit DMO closes the incident, cuts the share to view from its share list (NBR’s desk loses the log) and revokes it, and NBR’s desk loses it', async ({ newContext }) => {
  // Two consoles, a server and two windows on a loaded machine: more than the default minute.
  test.setTimeout(240_000);
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'), 0, { forces: 'demonstration' });
  const dmoDesk = await startConsoleProcess({ server: server.url, workstation: 'DMO-DESK-1', operator: 'bob', dataDir: join(dir.path, 'dmo') });
  const nbrDesk = await startConsoleProcess({ server: server.url, workstation: 'NB-DESK-1', operator: 'omar', dataDir: join(dir.path, 'nbr'), forceConfig: neighbourForceConfigFile() });
  try {
    const nbr = await (await newContext()).newPage();
    await nbr.goto(nbrDesk.windowUrl);
    await signIn(nbr, 'omar');
    await bookOn(nbr, 'NB-101');
    await nbr.keyboard.press('Escape');

    const dmo = await (await newContext()).newPage();
    await dmo.goto(dmoDesk.windowUrl);
    await signIn(dmo, 'bob');
    await createIncidentByKeyboard(dmo, { type: 'Assault', location: 'Crossways Road', grade: '1', firstLog: 'Fight outside the Crossways Arms' });
    const detail = dmo.getByRole('region', { name: /^Incident DMO-/ });
    await expect(detail).toContainText('Crossways Road');
    const dmoLog = dmo.getByRole('log', { name: /^Log of DMO-/ });
    await expect(dmoLog).toContainText('Fight outside the Crossways Arms');
    // Its force reference, once the server has given it (the provisional one is the detail's name until then).
    await expect(detail).toHaveAttribute('aria-label', /^Incident DMO-\d{8}-\d{4}$/, { timeout: 15_000 });
    const reference = ((await detail.getAttribute('aria-label')) ?? '').replace('Incident ', '');
    await expect(dmo.getByRole('navigation', { name: 'Keyboard shortcuts' })).toContainText('Shift+F7');

    // Shift+F7: the share form, by keyboard. A reason is required.
    await dmo.keyboard.press('Shift+F7');
    const form = dmo.getByRole('form', { name: `Share ${reference} with another force` });
    await expect(form.getByLabel('Force to share with')).toBeFocused();
    await dmo.keyboard.type('NBR');
    await dmo.keyboard.press('Tab');
    await expect(form.getByLabel('Tier')).toBeFocused();
    await dmo.keyboard.press('ArrowDown');
    await expect(form.getByLabel('Tier')).toHaveValue('assist');
    await dmo.keyboard.press('Tab');
    await expect(form.getByLabel('Reason for sharing')).toBeFocused();
    await dmo.keyboard.press('Enter');
    await expect(form.getByRole('alert')).toHaveText('a reason is needed to share an incident');
    await dmo.keyboard.type('NBR units are nearer to Crossways');
    await dmo.keyboard.press('Enter');
    await expect(dmo.getByRole('status', { name: 'Announcements' })).toHaveText(`${reference} shared with NBR (assist)`);
    const shares = detail.getByRole('list', { name: 'Shared with other forces' });
    await expect(shares).toContainText(/Shared with NBR \(assist\), by bob at \d\d:\d\d: NBR units are nearer to Crossways/);
    await expect(dmoLog).toContainText('Shared with NBR (assist): NBR units are nearer to Crossways');

    // At Northbridge: the incident in its queue at the assist tier; its log, a line written, NB-101 deployed.
    const row = nbr.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: new RegExp(reference) });
    await expect(row).toContainText("DMO's incident, shared (assist)", { timeout: 20_000 });
    await nbr.keyboard.press('F4');
    await nbr.keyboard.press('ArrowDown');
    // Another force's record is shown only with a reason (issue 13's justification).
    await expect(nbr.getByRole('dialog').getByLabel('Reason')).toBeFocused();
    await nbr.keyboard.type('Assisting DMO at Crossways');
    await nbr.keyboard.press('Enter');
    const nbrDetail = nbr.getByRole('region', { name: `Incident ${reference}` });
    await expect(nbrDetail.getByRole('region', { name: 'Sharing' })).toContainText('DMO has shared this incident with this force to assist');
    await expect(nbr.getByRole('log', { name: `Log of ${reference}` })).toContainText('Fight outside the Crossways Arms');
    await expect(nbrDetail.getByRole('button', { name: 'Share with another force' })).toHaveCount(0);
    await nbr.keyboard.press('F3');
    await expect(nbr.getByLabel(`Log entry for ${reference}`)).toBeFocused();
    await nbr.keyboard.type('NB-101 can be there in 4 minutes');
    await nbr.keyboard.press('Enter');
    await expect(nbr.getByRole('log', { name: `Log of ${reference}` })).toContainText('NB-101 can be there in 4 minutes');
    await nbr.keyboard.press('F6');
    await nbr.keyboard.type('AS NB-101');
    await nbr.keyboard.press('Enter');
    await expect(nbr.getByRole('status', { name: 'Command result' })).toHaveText(`NB-101 deployed to ${reference}`);
    await expect(nbrDetail.getByRole('region', { name: 'Sharing' })).toContainText("This force's units here: NB-101 (assigned)");

    // DMO's desk: NBR's line, named as NBR's, and NB-101 on its incident.
    await expect(dmoLog).toContainText(/omar.*\(NBR\)\s*NB-101 can be there in 4 minutes/, { timeout: 20_000 });
    await expect(dmoLog).toContainText('NB-101 assigned; deployment sent to its terminal');
    await expect(shares).toContainText('NBR units here: NB-101 (assigned)');

    // NB-101's deployment is NBR's to run (issue 12's try-out: DMO was offered it): DMO's desk shows its terminal's
    // state read-only, with no confirmation by radio and no status of its own; NBR's desk confirms it, by keyboard.
    const dmoUnits = detail.getByRole('list', { name: 'Units on this incident' });
    await expect(dmoUnits).toContainText("NB-101 Assigned · terminal: sent · NBR's unit, moved by NBR");
    await expect(dmoUnits.getByRole('button')).toHaveCount(0);
    const own = nbrDetail.getByRole('list', { name: "This force's units on this incident" });
    await expect(own).toContainText('NB-101: Assigned · terminal: sent');
    await own.getByRole('button', { name: 'NB-101 confirmed by radio' }).focus();
    await nbr.keyboard.press('Enter');
    await expect(own).toContainText('confirmed by radio (omar)');
    await expect(own.getByRole('button', { name: 'NB-101 confirmed by radio' })).toHaveCount(0);
    await expect(dmoUnits).toContainText(/NB-101 Assigned · terminal: sent · confirmed by radio at \d\d:\d\d \(omar\)/, { timeout: 20_000 });

    // Revoking while NB-101 is there is refused with the reason; NBR books it off (clearing it first), then DMO revokes.
    await shares.getByRole('button', { name: 'Revoke share with NBR' }).focus();
    await dmo.keyboard.press('Enter');
    const revoke = dmo.getByRole('form', { name: 'Revoke share with NBR' });
    await expect(revoke.getByLabel('Reason for revoking')).toBeFocused();
    await expect(revoke).toContainText('NB-101 of NBR still deployed here: NBR clears its units before the share is revoked.');
    await dmo.keyboard.type('Suspect arrested by DMO officers');
    await dmo.keyboard.press('Enter');
    await expect(revoke.getByRole('alert')).toContainText('NB-101 of NBR still deployed on the incident');

    // NBR moves its own unit on DMO's incident, by keyboard: at scene (DMO's attendance clock stops), then cleared.
    await own.getByRole('button', { name: 'NB-101 at scene' }).focus();
    await nbr.keyboard.press('Enter');
    await expect(own).toContainText('NB-101: At scene');
    await expect(dmoLog).toContainText('NB-101 at scene', { timeout: 20_000 });
    await own.getByRole('button', { name: 'NB-101 cleared' }).focus();
    await nbr.keyboard.press('Enter');
    await expect(own).toBeHidden();
    await expect(dmoLog).toContainText('NB-101 cleared', { timeout: 20_000 });
    await expect(revoke).not.toContainText('still deployed here');
    await revoke.getByRole('button', { name: 'Keep share' }).focus();
    await dmo.keyboard.press('Enter');
    await expect(revoke).toHaveCount(0);

    // DMO closes the incident; the share form is not offered on a closed incident, but its assist share may still be
    // cut to view from the share list (tryout15b: the server refused it), with a reason, as revoking asks for one.
    await dmo.keyboard.press('F6');
    await dmo.keyboard.type('CLOSE ADVICE');
    await dmo.keyboard.press('Enter');
    await expect(dmo.getByRole('status', { name: 'Command result' })).toHaveText(/ closed \(ADVICE\)$/);
    await expect(detail.getByRole('button', { name: 'Share with another force' })).toHaveCount(0);
    const nbrLog = nbr.getByRole('log', { name: `Log of ${reference}` });
    await expect(nbrLog).toContainText('NB-101 can be there in 4 minutes');
    const cut = shares.getByRole('button', { name: 'Cut share with NBR to view' });
    await shares.getByRole('button', { name: 'Revoke share with NBR' }).focus();
    await dmo.keyboard.press('Shift+Tab');
    await expect(cut).toBeFocused();
    await dmo.keyboard.press('Enter');
    const cutForm = dmo.getByRole('form', { name: 'Cut share with NBR to view' });
    await expect(cutForm.getByLabel('Reason for cutting to view')).toBeFocused();
    await dmo.keyboard.press('Enter');
    await expect(cutForm.getByRole('alert')).toHaveText('a reason is needed to cut a share to view');
    await dmo.keyboard.type('Closed: NBR keeps a view');
    await dmo.keyboard.press('Enter');
    await expect(dmo.getByRole('status', { name: 'Announcements' })).toHaveText('Share with NBR cut to view');
    // A closed incident offers no share button to go back to: the keyboard stays in its sharing section.
    await expect(detail.getByRole('region', { name: 'Sharing' })).toBeFocused();
    await expect(shares).toContainText(/Shared with NBR \(view\), by bob at \d\d:\d\d: Closed: NBR keeps a view/);
    await expect(cut).toHaveCount(0);
    await expect(dmoLog).toContainText('Share with NBR changed from assist to view: Closed: NBR keeps a view');
    // Northbridge's desk keeps the incident at the view tier, without its log.
    await expect(nbrDetail.getByRole('region', { name: 'Sharing' })).toContainText('DMO has shared this incident with this force to view only', { timeout: 20_000 });
    await expect(nbr.locator('body')).not.toContainText('NB-101 can be there in 4 minutes');
    await expect(nbr.locator('body')).not.toContainText('Fight outside the Crossways Arms');

    // Revoking a closed incident's share: the same list, the same reason asked.
    await shares.getByRole('button', { name: 'Revoke share with NBR' }).focus();
    await dmo.keyboard.press('Enter');
    await expect(revoke.getByLabel('Reason for revoking')).toBeFocused();
    await dmo.keyboard.type('Suspect arrested by DMO officers');
    await dmo.keyboard.press('Enter');
    await expect(dmo.getByRole('status', { name: 'Announcements' })).toHaveText('Share with NBR revoked');
    await expect(detail.getByRole('region', { name: 'Sharing' })).toContainText('Not shared with another force.');
    await expect(dmoLog).toContainText('Share with NBR revoked: Suspect arrested by DMO officers');
    // What NBR wrote stays in DMO's record.
    await expect(dmoLog).toContainText('NB-101 can be there in 4 minutes');

    // Northbridge's desk loses the incident (closed, it had left the queue already; its detail goes now).
    await expect(row).toHaveCount(0, { timeout: 20_000 });
    await expect(nbrDetail).toHaveCount(0, { timeout: 20_000 });
    await expect(nbr.locator('body')).not.toContainText('NB-101 can be there in 4 minutes');
  } finally {
    await dmoDesk.stop();
    await nbrDesk.stop();
    await server.stop();
    dir.remove();
  }
});
