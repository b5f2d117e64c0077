import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { neighbourForceConfigFile } from '../../node-common/force-config-file';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { answerAndLocate, signIn } from './helpers';

// A 999 call taken at a Demonstration Constabulary desk about an assault in Market Place, Northbridge: north of the
// border, in Northbridge Police's area. The server shares it with Northbridge at once, and it appears in their queue
// with the view tier's fields only.
const CALLER = '07700 900919';
const calls = { calls: [{ id: 'fight', at: 2, source: '999', callerNumber: CALLER }] };
const WHAT = 'Two men fighting outside the bakery, one with a bottle';

test('a cross-border call taken in DMO is shared with NBR automatically and appears in NBR’s queue with the view-tier fields only', async ({ newContext }) => {
  const dir = makeTempDir();
  const script = join(dir.path, 'calls.json');
  writeFileSync(script, JSON.stringify(calls));
  const server = await startServerProcess(join(dir.path, 'central.sqlite'), 0, { forces: 'demonstration' });
  const dmoDesk = await startConsoleProcess({ server: server.url, workstation: 'DM-DESK-1', operator: 'carol', dataDir: join(dir.path, 'dmo'), calls: script });
  const nbrDesk = await startConsoleProcess({ server: server.url, workstation: 'NB-DESK-1', operator: 'priya', dataDir: join(dir.path, 'nbr'), forceConfig: neighbourForceConfigFile() });
  try {
    const context = await newContext();
    const handler = await context.newPage();
    await handler.goto(dmoDesk.windowUrl.replace('role=incidents', 'role=calltaking'));
    await signIn(handler, 'carol', 'demo', 'Calls');
    const form = await answerAndLocate(handler, CALLER, 'market place', 'Market Place');
    await expect(form).toContainText('Location: Market Place, Northbridge');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('Assault');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('1');
    await expect(form.getByLabel('Grade')).toHaveValue('1');
    await handler.keyboard.press('Tab');
    for (const answer of ['y', 'y', 'n', 'y', 'y', 'y', 'n', 'n', 'y']) await handler.keyboard.press(answer);
    await expect(form.getByLabel('What is happening')).toBeFocused();
    await handler.keyboard.type(WHAT);
    await handler.keyboard.press('Control+Enter');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText(/^Incident .+ created$/);

    // At Northbridge's desk: the incident in its queue, marked as DMO's, with DMO's common priority, not a grade.
    const nbr = await context.newPage();
    await nbr.goto(nbrDesk.windowUrl);
    await signIn(nbr, 'priya');
    const row = nbr.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /DMO-\d{8}-0001\s*DMO P1 immediate/ });
    await expect(row).toBeVisible({ timeout: 20_000 });
    await expect(row).toContainText('Market Place, Northbridge');
    await expect(row).toContainText("DMO's incident, shared (view)");
    await expect(row).toHaveAttribute('data-priority', '1');
    await expect(row).not.toContainText('Grade');
    // DMO's type by DMO's name for it (the server carries it: NBR's configuration does not know DMO's codes), and in
    // none of NBR's queues: NBR may not take it.
    await expect(row.locator('.type')).toHaveText('Assault');
    await expect(row.locator('.queue')).toHaveText("DMO's incident, shared (view)");
    // Its detail: no caller, no log text.
    await row.click();
    // Another force's record is shown only with a reason (issue 13's justification), which goes to the audit log.
    const reason = nbr.getByRole('dialog').getByLabel('Reason');
    await expect(reason).toBeFocused();
    await reason.fill('Cross-border incident near Crossways: checking whether NBR units should assist');
    await nbr.keyboard.press('Enter');
    const detail = nbr.getByRole('region', { name: /DMO-\d{8}-0001/ }).first();
    await expect(nbr.getByText("DMO's incident, shared with this force (view)")).toBeVisible();
    await expect(detail).not.toContainText(CALLER);
    // The reference stands alone: DMO's workstation's provisional reference is not NBR's to see, nor an empty "()".
    await expect(detail.getByRole('heading').first()).not.toContainText('()');
    await expect(nbr.locator('body')).not.toContainText(WHAT);
    // No queue of NBR's, no handoff waiting at NBR: "Queue: Northbridge North: not taken" was worked out at the desk.
    await expect(detail).not.toContainText('not taken');
    await expect(detail.locator('dt', { hasText: 'Queue' })).toHaveCount(0);
    // Whose it is, and no workstation or operator of DMO's ("by DMO at DMO" said nothing true).
    await expect(detail).toContainText(/\d\d:\d\d:\d\d: DMO's incident, created at DMO/);
    await expect(detail).not.toContainText('by DMO at DMO');
    // The log is withheld at the view tier, and says so; its box is disabled, the reason its description.
    const log = nbr.getByRole('log', { name: /^Log of DMO-/ });
    await expect(log).toContainText('The log is not shared at the view tier');
    await expect(log).not.toContainText('Nothing logged yet.');
    const logBox = nbr.getByLabel(/^Log entry for DMO-/);
    await expect(logBox).toBeDisabled();
    await expect(logBox).toHaveAccessibleDescription(/shared .+ with this force to view only: this force may not write in its log/);
    // Shift+F7 shares an incident of NBR's own: not offered for DMO's, and pressed it says why.
    const legend = nbr.getByRole('navigation', { name: 'Keyboard shortcuts' });
    await expect(legend).toContainText('Shift+F4');
    await expect(legend).not.toContainText('Shift+F7');
    await nbr.getByRole('listbox', { name: 'Open incidents' }).focus();
    await nbr.keyboard.press('Shift+F7');
    await expect(nbr.getByRole('status', { name: 'Announcements' })).toHaveText(/^DMO-\d{8}-0001 is DMO's incident: only DMO shares it \(a share is never passed on\)$/);
    await expect(nbr.getByRole('form', { name: /Share/ })).toHaveCount(0);

    // Opened by its reference (F6, FIND and the reference, Enter), F3 says why NBR may not write in its log: never silence
    // with the keyboard left where it was (issue 12's try-out, m3).
    const reference = ((await detail.getByRole('heading').first().textContent()) ?? '').match(/DMO-\d{8}-\d{4}/)![0];
    await nbr.getByRole('listbox', { name: 'Open incidents' }).focus();
    await nbr.keyboard.press('F6');
    await nbr.keyboard.type(`FIND ${reference}`);
    await nbr.keyboard.press('Enter');
    const again = nbr.getByRole('dialog').getByLabel('Reason');
    if (await again.isVisible().catch(() => false)) {
      await again.fill('Looking it up by the reference DMO gave on the phone');
      await nbr.keyboard.press('Enter');
    }
    await expect(nbr.getByRole('region', { name: new RegExp(reference) }).first()).toBeVisible();
    await nbr.keyboard.press('F3');
    await expect(nbr.getByRole('status', { name: 'Announcements' })).toHaveText(`DMO has shared ${reference} with this force to view only: this force may not write in its log`);
    // The same from the Find by reference box beside the list (another announcement first, so a second is seen).
    await nbr.keyboard.press('Shift+F7');
    await expect(nbr.getByRole('status', { name: 'Announcements' })).toHaveText(/only DMO shares it/);
    await nbr.getByLabel('Find by reference').focus();
    await nbr.keyboard.type(reference);
    await nbr.keyboard.press('Enter');
    if (await again.isVisible().catch(() => false)) {
      await again.fill('Looking it up by the reference DMO gave on the phone');
      await nbr.keyboard.press('Enter');
    }
    await nbr.keyboard.press('F3');
    await expect(nbr.getByRole('status', { name: 'Announcements' })).toHaveText(`DMO has shared ${reference} with this force to view only: this force may not write in its log`);

    // NBR's supervisor: DMO's incident is no handoff of NBR's to take.
    const supervisor = await context.newPage();
    await supervisor.goto(nbrDesk.windowUrl.replace('role=incidents', 'role=supervisor'));
    await signIn(supervisor, 'priya', 'demo', 'Refused commands waiting across the room');
    const handoffs = supervisor.getByRole('list', { name: 'Handoffs not taken' });
    await expect(handoffs).toBeVisible();
    await expect(handoffs).toContainText('Every open incident has been taken.');
    await expect(handoffs).not.toContainText('DMO-');
  } finally {
    await dmoDesk.stop();
    await nbrDesk.stop();
    await server.stop();
    dir.remove();
  }
});
