import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';

test('the force administrator adds an operator by keyboard, and that operator signs in at another workstation', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const wsA = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'admin', dataDir: join(dir.path, 'a') });
  const wsB = await startConsoleProcess({ server: server.url, workstation: 'WS-B', dataDir: join(dir.path, 'b') });
  try {
    const a = await (await newContext()).newPage();
    // The workstation's first window, naming no role: it becomes the operator's own at sign-in.
    await a.goto(wsA.deskUrl);
    await a.getByLabel('Password').fill('demo');
    await a.keyboard.press('Enter');
    // The force administrator lands on the Administration window.
    const accounts = a.getByRole('grid', { name: 'Accounts' });
    await expect(accounts).toBeVisible();
    await expect(a.getByRole('status', { name: 'Connection' })).toHaveText('Online');

    await a.keyboard.press('F2');
    await expect(a.getByLabel('Sign-in name')).toBeFocused();
    await a.keyboard.type('erin');
    await a.keyboard.press('Tab');
    await a.keyboard.type('Erin Shaw');
    await a.keyboard.press('Tab');
    await expect(a.getByRole('checkbox', { name: 'Call handler' }).last()).toBeFocused();
    await a.keyboard.press('Space');
    const password = a.getByLabel('Initial password');
    // Past the other roles (Dispatcher, Supervisor, Trainer, Force administrator, Auditor) to the password.
    for (let i = 0; i < 6; i++) await a.keyboard.press('Tab');
    await expect(password).toBeFocused();
    // The rule is said before typing, and what is wrong as it is typed.
    await expect(password).toHaveAccessibleDescription(/At least 12 characters, not a common password/);
    await expect(password).not.toHaveAttribute('aria-invalid');
    await a.keyboard.type('password1');
    await expect(password).toHaveAccessibleDescription(/This password is too short: at least 12 characters/);
    // A password that breaks the rule is marked invalid, so a screen reader says so with the rule.
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await a.keyboard.type('23456');
    await expect(password).toHaveAccessibleDescription(/This password is too easily guessed/);
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await a.keyboard.press('Control+A');
    await a.keyboard.type('lantern harbour pebble');
    await expect(password).not.toHaveAttribute('aria-invalid');
    await a.keyboard.press('Enter');
    await expect(a.getByRole('status', { name: 'Announcements' })).toHaveText(/Done: added Erin Shaw \(erin\)/);
    const erin = accounts.getByRole('row', { name: /^erin Erin Shaw Call handler active/ });
    await expect(erin).toBeVisible();
    await expect(erin).not.toContainText('not yet on the server');

    // Erin signs in at another workstation with the password she was given.
    const b = await (await newContext()).newPage();
    await b.goto(wsB.windowUrl);
    await b.getByLabel('Operator').fill('erin');
    await b.getByLabel('Password').fill('lantern harbour pebble');
    await b.keyboard.press('Enter');
    await expect(b.getByText('Erin Shaw')).toBeVisible();
    await expect(b.getByRole('button', { name: 'Sign out' })).toBeVisible();
  } finally {
    await wsA.stop();
    await wsB.stop();
    await server.stop();
    dir.remove();
  }
});
