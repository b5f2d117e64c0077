import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { signIn } from './helpers';

// Two consoles, a server stopped and started again, retries up to 30 s apart: more than the default minute.
test.setTimeout(180_000);

test('with the server stopped, five wrong passwords at the sign-in screen lock the name there; once the server is back the auditor’s answer lists each refusal', async ({ newContext }) => {
  const dir = makeTempDir();
  const file = join(dir.path, 'central.sqlite');
  let server = await startServerProcess(file);
  const desk = await startConsoleProcess({ server: server.url, workstation: 'WS-L', operator: 'dan', dataDir: join(dir.path, 'l') });
  const auditDesk = await startConsoleProcess({ server: server.url, workstation: 'AUDIT-1', operator: 'eve', dataDir: join(dir.path, 'a') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(desk.windowUrl);
    // dan has signed in here with the server before: the workstation can check his password on its own.
    await signIn(page, 'dan');
    await page.getByRole('button', { name: 'Sign out' }).press('Enter');
    await expect(page.getByLabel('Operator')).toBeVisible();

    await server.stop();
    const password = page.getByLabel('Password');
    const refusal = page.getByRole('alert');
    const attempt = async (typed: string) => {
      await page.getByLabel('Operator').fill('dan');
      await password.fill(typed);
      await password.press('Enter');
      // The form clears the password once the answer is in.
      await expect(password).toHaveValue('', { timeout: 20_000 });
    };
    for (let i = 1; i <= 4; i++) {
      await attempt(`not-it-${i}`);
      await expect(refusal).toHaveText('Wrong name or password.');
    }
    await attempt('not-it-5');
    // The time alone on the same day; with its date when the lock ends after midnight (a run just before it).
    await expect(refusal).toHaveText(/^Dan's account is locked after 5 failed sign-ins: try again after (\d{4}-\d\d-\d\d )?\d\d:\d\d, or ask a force administrator to unlock it\.$/);
    // The right password too, until the lock lifts.
    await attempt('demo');
    await expect(refusal).toContainText("Dan's account is locked after 5 failed sign-ins");

    server = await startServerProcess(file, server.port);
    const audit = await (await newContext()).newPage();
    await audit.goto(auditDesk.deskUrl);
    await audit.getByLabel('Operator').fill('eve');
    await audit.getByLabel('Password').fill('demo');
    await audit.keyboard.press('Enter');
    const panel = audit.getByRole('region', { name: 'Audit log' });
    await expect(panel).toBeVisible({ timeout: 20_000 });
    await panel.getByRole('radio', { name: /^An operator/ }).check();
    await panel.getByLabel('Operator', { exact: true }).fill('dan');
    await panel.getByLabel('Why you are looking (kept in the audit log)').fill('Lockout at WS-L during the outage');
    const entries = panel.getByRole('table', { name: 'Audit entries' });
    const offline = entries.getByRole('row').filter({ hasText: 'failed sign-in: wrong password (at the workstation, the server out of reach)' });
    // WS-L sends its outbox at its next retry once the server is back (up to 30 s away).
    await expect(async () => {
      await panel.getByRole('button', { name: 'Ask' }).press('Enter');
      await expect(offline).toHaveCount(5, { timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    await expect(offline.first()).toContainText('dan at WS-L');
    await expect(entries.getByRole('row').filter({ hasText: 'failed sign-in: locked out until' })).toHaveCount(1);
    // One lock, one lockout entry: set at the workstation, and counted by the server when the refusals reached it.
    await expect(entries.getByRole('row').filter({ hasText: /locked out( after 5 failed sign-ins within 15 minutes)?, until .*\(at the workstation, the server out of reach/ })).toHaveCount(1);
    await expect(entries.getByRole('row').filter({ hasText: /^.*locked out after/ })).toHaveCount(1);
    // Never the password tried.
    await expect(entries).not.toContainText('not-it');
  } finally {
    await desk.stop();
    await auditDesk.stop();
    await server.stop();
    dir.remove();
  }
});
