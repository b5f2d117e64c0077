import { join } from 'node:path';
import { neighbourForceConfigFile } from '../../node-common/force-config-file';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { bookOn, createIncidentByKeyboard, signIn } from './helpers';

test('DMO’s dispatcher borrows a Northbridge unit for an incident, by keyboard; Northbridge’s dispatcher lends it; DMO deploys it and both desks follow it', async ({ newContext }) => {
  // Two consoles, a server and three windows on a loaded machine: more than the default minute.
  test.setTimeout(180_000);
  const dir = makeTempDir();
  // One server of both demonstration forces, a desk of each.
  const server = await startServerProcess(join(dir.path, 'central.sqlite'), 0, { forces: 'demonstration' });
  const dmoDesk = await startConsoleProcess({ server: server.url, workstation: 'DMO-DESK-1', operator: 'bob', dataDir: join(dir.path, 'dmo') });
  const nbrDesk = await startConsoleProcess({ server: server.url, workstation: 'NB-DESK-1', operator: 'omar', dataDir: join(dir.path, 'nbr'), forceConfig: neighbourForceConfigFile() });
  try {
    const nbr = await (await newContext()).newPage();
    await nbr.goto(nbrDesk.windowUrl);
    await signIn(nbr, 'omar');
    // NB-101 on duty whatever the hour, the only Northbridge unit free to lend.
    await bookOn(nbr, 'NB-101');
    await nbr.keyboard.press('Escape');

    const dmo = await (await newContext()).newPage();
    await dmo.goto(dmoDesk.windowUrl);
    await signIn(dmo, 'bob');
    await createIncidentByKeyboard(dmo, { type: 'Assault', location: 'Crossways Road', grade: '1', firstLog: 'Fight outside the Crossways Arms' });
    const detail = dmo.getByRole('region', { name: /^Incident DMO-/ });
    await expect(detail).toContainText('Crossways Road');

    // Ask NBR for a response car, with the reason.
    const units = detail.getByRole('region', { name: 'Units from another force' });
    await units.getByRole('button', { name: 'Ask another force for a unit' }).focus();
    await dmo.keyboard.press('Enter');
    const form = dmo.getByRole('form', { name: 'Ask another force for a unit' });
    await expect(form.getByLabel('Force to ask')).toBeFocused();
    await dmo.keyboard.type('NBR');
    await dmo.keyboard.press('Tab');
    await dmo.keyboard.press('Tab');
    await expect(form.getByLabel('Kind of unit asked for')).toBeFocused();
    await dmo.keyboard.type('response car');
    await dmo.keyboard.press('Tab');
    await dmo.keyboard.type('No Saltmere car free within 20 minutes');
    await dmo.keyboard.press('Enter');
    await expect(form).toBeHidden();
    await expect(units).toContainText('NBR, response car: Asked, waiting for an answer');
    await expect(dmo.getByRole('log', { name: /^Log of DMO-/ })).toContainText('Asked NBR for a unit (response car): No Saltmere car free within 20 minutes');
    // Its force reference, once the server has given it (the provisional one is the detail's name until then).
    await expect(detail).toHaveAttribute('aria-label', /^Incident DMO-\d{8}-\d{4}$/, { timeout: 15_000 });
    const reference = ((await detail.getAttribute('aria-label')) ?? '').replace('Incident ', '');

    // At Northbridge: the request as an alert, with what DMO told of its incident (common priority, not its grade).
    const requests = nbr.getByRole('region', { name: 'Requests for a unit from other forces' });
    const request = requests.getByRole('group', { name: `Request from DMO for ${reference}` });
    await expect(request).toContainText(`DMO asks for response car for ${reference}: Assault, P1 immediate, Crossways Road`, { timeout: 15_000 });
    await expect(request).toContainText('Reason: No Saltmere car free within 20 minutes (asked by bob at');
    await expect(request.getByLabel('Unit to lend')).toHaveValue('NB-101');
    // From the incident list, Shift+F3 (the alarms and prompts) goes straight to Lend; Shift+Tab reaches the unit.
    await nbr.keyboard.press('F4');
    await expect(nbr.getByRole('listbox', { name: 'Open incidents' })).toBeFocused();
    await nbr.keyboard.press('Shift+F3');
    await expect(request.getByRole('button', { name: 'Lend NB-101 to DMO' })).toBeFocused();
    await nbr.keyboard.press('Shift+Tab');
    await expect(request.getByLabel('Unit to lend')).toBeFocused();
    await nbr.keyboard.press('Tab');
    await nbr.keyboard.press('Enter');
    await expect(nbr.getByRole('status', { name: 'Announcements' })).toHaveText(`NB-101 lent to DMO for ${reference}`);
    await expect(requests).toBeHidden();

    // DMO is alerted to the answer (announced: an alert), and acknowledges it by keyboard.
    const answers = dmo.getByRole('region', { name: 'Answers from other forces' });
    const answer = answers.getByRole('group', { name: `Answer from NBR for ${reference}` });
    await expect(answer.getByRole('alert')).toHaveText(new RegExp(`^NBR lent NB-101 for ${reference} \\(omar, \\d\\d:\\d\\d\\)$`), { timeout: 15_000 });
    await answer.getByRole('button', { name: 'Acknowledge answer from NBR' }).focus();
    await dmo.keyboard.press('Enter');
    await expect(answers).toBeHidden();

    // DMO sees the answer, and deploys the lent unit on its incident.
    await expect(units).toContainText(/NBR lent NB-101 \(\d\d:\d\d, omar\)/, { timeout: 15_000 });
    await units.getByRole('button', { name: 'Deploy NB-101' }).focus();
    await dmo.keyboard.press('Enter');
    await expect(dmo.getByRole('status', { name: 'Announcements' })).toHaveText(`NB-101 deployed to ${reference}`);
    await expect(units).toContainText(/NBR lent NB-101 .*: deployed/);
    await expect(dmo.getByRole('log', { name: /^Log of DMO-/ })).toContainText('NB-101 assigned; deployment sent to its terminal');

    // DMO shares the incident with NBR to assist: NBR's desk shows its lent unit there, run by DMO, with nothing to move it by.
    await dmo.keyboard.press('Shift+F7');
    const shareForm = dmo.getByRole('form', { name: `Share ${reference} with another force` });
    await expect(shareForm.getByLabel('Force to share with')).toBeFocused();
    await dmo.keyboard.type('NBR');
    await dmo.keyboard.press('Tab');
    await dmo.keyboard.press('ArrowDown');
    await expect(shareForm.getByLabel('Tier')).toHaveValue('assist');
    await dmo.keyboard.press('Tab');
    await dmo.keyboard.type('NBR knows the Crossways Arms');
    await dmo.keyboard.press('Enter');
    await expect(dmo.getByRole('status', { name: 'Announcements' })).toHaveText(`${reference} shared with NBR (assist)`);
    const nbrRow = nbr.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: new RegExp(reference) });
    await expect(nbrRow).toContainText("DMO's incident, shared (assist)", { timeout: 20_000 });
    await nbrRow.click();
    await expect(nbr.getByRole('dialog').getByLabel('Reason')).toBeFocused();
    await nbr.keyboard.type('Our unit is there');
    await nbr.keyboard.press('Enter');
    const nbrSharing = nbr.getByRole('region', { name: `Incident ${reference}` }).getByRole('region', { name: 'Sharing' });
    await expect(nbrSharing).toContainText("This force's units here: NB-101 (assigned, lent to DMO, which runs it)");
    await expect(nbrSharing.getByRole('button', { name: /^NB-101 / })).toHaveCount(0);
    // DMO may end the share with the lent unit still there: it is DMO's to run under the loan, not NBR's to clear.
    const sharedWith = detail.getByRole('list', { name: 'Shared with other forces' });
    await sharedWith.getByRole('button', { name: 'Revoke share with NBR' }).focus();
    await dmo.keyboard.press('Enter');
    await expect(detail.getByText(/still deployed/)).toHaveCount(0);
    await dmo.keyboard.type('NBR no longer needed on it');
    await dmo.keyboard.press('Enter');
    await expect(sharedWith).toBeHidden({ timeout: 15_000 });
    await expect(nbrRow).toBeHidden({ timeout: 20_000 });

    // Northbridge's resources board: its unit deployed, lent to DMO, the deployment's receipt state shown.
    const board = await (await newContext()).newPage();
    await board.goto(nbrDesk.windowUrl.replace('role=incidents', 'role=resources'));
    await signIn(board, 'omar', 'demo', 'Units');
    const row = board.getByRole('listbox', { name: 'Units' }).getByRole('option', { name: /^NB-101/ });
    await expect(row).toContainText('lent to DMO', { timeout: 15_000 });
    await expect(row).toContainText('terminal: sent');
    // Northbridge's own dispatcher books its unit on and off; DMO's desk offers no duty controls for it.
    const dmoBoard = await (await newContext()).newPage();
    await dmoBoard.goto(dmoDesk.windowUrl.replace('role=incidents', 'role=resources'));
    await signIn(dmoBoard, 'bob', 'demo', 'Units');
    const dmoUnits = dmoBoard.getByRole('listbox', { name: 'Units' });
    await dmoUnits.getByRole('option', { name: /^DM-11/ }).click();
    await expect(dmoBoard.getByRole('group', { name: 'Duty of DM-11' })).toBeVisible();
    await dmoUnits.getByRole('option', { name: /^NB-101/ }).click();
    await expect(dmoBoard.getByText(/^NB-101/).first()).toBeVisible();
    await expect(dmoBoard.getByRole('group', { name: /^Duty of / })).toHaveCount(0);

    // Northbridge needs its unit back: its dispatcher takes NB-101 back from DMO by keyboard, with the reason.
    const lent = nbr.getByRole('region', { name: 'Units lent to other forces' });
    await expect(lent).toContainText(`NB-101 lent to DMO for ${reference}`);
    await expect(lent).toContainText('deployed there (assigned)');
    await lent.getByRole('button', { name: 'Take NB-101 back from DMO' }).focus();
    await nbr.keyboard.press('Enter');
    await expect(lent.getByLabel('Reason for taking NB-101 back')).toBeFocused();
    await nbr.keyboard.type('Needed for a firearms job in Northbridge');
    await nbr.keyboard.press('Enter');
    await expect(nbr.getByRole('status', { name: 'Announcements' })).toHaveText(`NB-101 taken back from DMO: its deployment on ${reference} ended`);
    await expect(lent).toBeHidden({ timeout: 15_000 });

    // DMO is alerted: the unit taken back, with the reason, and its deployment there ended; the log says so.
    const detailAgain = dmo.getByRole('region', { name: /^Incident DMO-/ });
    const takenBack = dmo.getByRole('region', { name: 'Answers from other forces' }).getByRole('group', { name: `Answer from NBR for ${reference}` });
    await expect(takenBack.getByRole('alert')).toHaveText(
      new RegExp(`^NBR took NB-101 back from ${reference}: Needed for a firearms job in Northbridge \\(omar, \\d\\d:\\d\\d\\)\\. Its deployment there has ended$`),
      { timeout: 15_000 },
    );
    await takenBack.getByRole('button', { name: 'Acknowledge answer from NBR' }).focus();
    await dmo.keyboard.press('Enter');
    await expect(takenBack).toBeHidden();
    await expect(detailAgain).toBeVisible();
    await expect(detailAgain.getByRole('region', { name: 'Units from another force' })).toContainText(/NBR took NB-101 back \(\d\d:\d\d, omar\): Needed for a firearms job in Northbridge/);
    await expect(dmo.getByRole('log', { name: /^Log of DMO-/ })).toContainText('NB-101 taken back by NBR (omar): Needed for a firearms job in Northbridge. Its deployment here is ended; it no longer attends');
  } finally {
    await dmoDesk.stop();
    await nbrDesk.stop();
    await server.stop();
    dir.remove();
  }
});
