import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard } from './helpers';

/**
 * The force administrator's desk as a fresh user meets it: only what administration uses, in the order it is used,
 * a confirmation before deactivating anyone, and nothing of one operator's session left for the next.
 */

// Each test starts a server and workstations and signs several operators in: more than the default minute.
test.describe.configure({ timeout: 240_000 });

async function signInAs(page: Page, operator: string): Promise<void> {
  await page.getByLabel('Operator').fill(operator);
  await page.getByLabel('Password').fill('demo');
  await page.keyboard.press('Enter');
}

test('the administrator’s desk shows what administration uses, asks before deactivating, and leaves nothing of the session for the next operator', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'WS-A', dataDir: join(dir.path, 'a') });
  try {
    const context = await newContext();
    const page = await context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(desk.deskUrl);
    // The sign-in screen lists alice before she is deactivated.
    const accountsOffered = page.getByRole('list', { name: 'Demonstration accounts' });
    await expect(accountsOffered).toContainText('alice');
    await signInAs(page, 'admin');
    const accounts = page.getByRole('grid', { name: 'Accounts' });
    await expect(accounts).toBeVisible();
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online', { timeout: 20_000 });

    // Only what administration uses: no command line, no Find a location, no conflicts or refused list.
    await expect(page.getByRole('region', { name: 'Command line' })).toHaveCount(0);
    const legend = page.getByRole('navigation', { name: 'Keyboard shortcuts' });
    await expect(legend).toContainText('Add an operator');
    await expect(legend).not.toContainText(/Command line|Find a location|Conflicts|refused/);
    await page.keyboard.press('Shift+F9');
    await page.keyboard.press('Shift+F8');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // Adding an operator is in view at 1400×900 without scrolling, and comes before erasing a record.
    await expect(page.getByRole('button', { name: 'Add operator' })).toBeInViewport();
    const order = await page.evaluate(`document.getElementById('add-heading').compareDocumentPosition(document.getElementById('erase-heading')) & Node.DOCUMENT_POSITION_FOLLOWING ? 'add first' : 'erase first'`);
    expect(order).toBe('add first');

    // Deactivating asks first, naming the operator, with the keyboard on the choice that does nothing.
    await page.getByRole('button', { name: 'Manage alice' }).click();
    await page.getByRole('button', { name: 'Deactivate account' }).click();
    const confirm = page.getByRole('group', { name: /Deactivate the account of Alice .*\(alice\)\?/ });
    await expect(confirm).toBeVisible();
    await expect(confirm.getByRole('button', { name: /^Keep .* active$/ })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    await expect(accounts.getByRole('row', { name: /^alice / })).not.toContainText('deactivated');
    await page.getByRole('button', { name: 'Deactivate account' }).click();
    await expect(confirm.getByRole('button', { name: /^Keep .* active$/ })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(confirm.getByRole('button', { name: /^Deactivate Alice/ })).toBeFocused();
    await page.keyboard.press('Enter');
    const announcements = page.getByRole('status', { name: 'Announcements' });
    await expect(announcements).toHaveText(/Done: deactivated alice's account/);
    await expect(accounts.getByRole('row', { name: /^alice .* deactivated/ })).toBeVisible();
    await expect(accounts.getByRole('row', { name: /^alice/ })).not.toContainText('not yet on the server');

    // A window asked for by its address at a role the administrator does not hold draws nothing of it.
    await page.goto(desk.deskUrl.replace(/(\?[^#]*)?(#|$)/, '?role=calltaking$2'));
    await expect(page.getByRole('alert').filter({ hasText: 'The Call taking window is for a call handler, dispatcher or supervisor, and you hold none of those roles' })).toBeVisible();
    await expect(page.getByRole('listbox', { name: 'Calls' })).toHaveCount(0);
    await page.getByRole('navigation', { name: 'Your windows' }).getByRole('link', { name: 'Open Administration' }).click();
    await expect(accounts).toBeVisible();

    // Signing out leaves nothing of the administrator's session: the next operator starts with no message of theirs,
    // and the sign-in list no longer offers the deactivated account.
    await page.getByRole('button', { name: 'Manage bob' }).click();
    await page.getByRole('button', { name: 'Unlock account' }).or(page.getByRole('button', { name: 'Save roles' })).first().click();
    await expect(announcements).toHaveText(/Done: /);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(accountsOffered).toBeVisible();
    await expect(accountsOffered).not.toContainText('alice');
    await expect(announcements).toHaveText('');
    // alice is told why she cannot sign in.
    await signInAs(page, 'alice');
    await expect(page.getByRole('alert')).toHaveText(/^Alice's account has been deactivated by a force administrator/);
    await signInAs(page, 'bob');
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(announcements).toHaveText('');
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});

test('the Administration window’s parts never overlap, at 1280 px and at 1920 px, and it offers no command line nor any of the room’s controls', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'WS-A', dataDir: join(dir.path, 'a') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(desk.deskUrl);
    await signInAs(page, 'admin');
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online', { timeout: 20_000 });
    await page.getByRole('button', { name: 'Manage bob' }).click();
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      // Each part of the window (the accounts, the account chosen, adding an operator, the arrangements, erasing) and
      // the header, status bar and legend: no two boxes cross.
      const boxes = (await page.evaluate(`(() => {
        const parts = [...document.querySelectorAll('main > section, main > div > section, header, footer, nav[aria-label="Keyboard shortcuts"]')];
        // What shows of a part: its box clipped to the scrolling area it is in (main scrolls; its parts go under nothing).
        const clip = (el, r) => { const main = el.closest('main'); if (!main || el === main) return r; const m = main.getBoundingClientRect(); return { left: Math.max(r.left, m.left), top: Math.max(r.top, m.top), right: Math.min(r.right, m.right), bottom: Math.min(r.bottom, m.bottom) }; };
        return parts.map((el) => { const r = clip(el, el.getBoundingClientRect()); return { name: (el.getAttribute('aria-labelledby') && document.getElementById(el.getAttribute('aria-labelledby'))?.textContent) || el.getAttribute('aria-label') || el.tagName, left: r.left, top: r.top, right: r.right, bottom: r.bottom }; })
          .filter((b) => b.right > b.left && b.bottom > b.top);
      })()`)) as { name: string; left: number; top: number; right: number; bottom: number }[];
      expect(boxes.length, `parts at ${width} px`).toBeGreaterThanOrEqual(5);
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const inside = (x: typeof a, y: typeof a) => x.left >= y.left && x.right <= y.right && x.top >= y.top && x.bottom <= y.bottom;
          if (inside(a, b) || inside(b, a)) continue;
          const crosses = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
          expect(crosses, `${a.name} and ${b.name} overlap at ${width} px`).toBe(false);
        }
      }
      expect(await page.evaluate(`document.documentElement.scrollWidth`), `sideways scrolling at ${width} px`).toBeLessThanOrEqual(width);
    }
    // Nothing of the room: no command line, no Find a location, no queue, no conflicts or refused commands to open.
    await expect(page.getByRole('region', { name: 'Command line' })).toHaveCount(0);
    await expect(page.getByRole('textbox', { name: /command/i })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Find a location|Conflicts|Refused|Catch up|Take|Dispatch/i })).toHaveCount(0);
    await expect(page.getByRole('listbox')).toHaveCount(0);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});

test('an operator whose roles change while their window is open sees the window redrawn for the roles now held', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const wsA = await startConsoleProcess({ server: server.url, workstation: 'WS-A', dataDir: join(dir.path, 'a') });
  const wsB = await startConsoleProcess({ server: server.url, workstation: 'WS-B', dataDir: join(dir.path, 'b') });
  try {
    const dan = await (await newContext()).newPage();
    await dan.goto(wsB.deskUrl.replace(/(\?[^#]*)?(#|$)/, '?role=calltaking$2'));
    await signInAs(dan, 'dan');
    await expect(dan.getByRole('listbox', { name: 'Calls' })).toBeVisible();
    await expect(dan.getByRole('status', { name: 'Connection' })).toHaveText('Online', { timeout: 20_000 });

    const admin = await (await newContext()).newPage();
    await admin.goto(wsA.deskUrl);
    await signInAs(admin, 'admin');
    await admin.getByRole('button', { name: 'Manage dan' }).click();
    const roles = admin.getByRole('group', { name: 'Roles of dan' });
    await roles.getByRole('checkbox', { name: 'Call handler' }).uncheck();
    await roles.getByRole('checkbox', { name: 'Dispatcher' }).uncheck();
    await roles.getByRole('checkbox', { name: 'Trainer' }).check();
    await admin.getByRole('button', { name: 'Save roles' }).click();
    await expect(admin.getByRole('status', { name: 'Announcements' })).toHaveText(/Done: set dan's roles/);

    // Dan's Call taking window, open all along, no longer draws the call queue.
    await expect(dan.getByRole('alert').filter({ hasText: 'The Call taking window is for a call handler, dispatcher or supervisor' })).toBeVisible({ timeout: 20_000 });
    await expect(dan.getByRole('listbox', { name: 'Calls' })).toHaveCount(0);
  } finally {
    await wsA.stop();
    await wsB.stop();
    await server.stop();
    dir.remove();
  }
});

test('a dispatcher’s desk fits a 1280×800 window with no sideways scrolling, and its rows’ names read with spaces', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'WS-A', dataDir: join(dir.path, 'a') });
  try {
    const page = await (await newContext()).newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const [operator, role] of [
      ['bob', 'incidents'],
      ['carol', 'supervisor'],
      ['carol', 'calltaking'],
      ['bob', 'resources'],
    ] as const) {
      await page.goto(desk.deskUrl.replace(/(\?[^#]*)?(#|$)/, `?role=${role}$2`));
      await signInAs(page, operator);
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
      await expect(page.getByRole('navigation', { name: 'Keyboard shortcuts' })).toBeVisible();
      await page.waitForTimeout(500);
      // The width, and what sticks out past the window's edge (the innermost first), to say what to fix.
      const { width, beyond } = (await page.evaluate(`(() => {
        const past = (e) => e.getBoundingClientRect().right > window.innerWidth + 1;
        const out = [...document.querySelectorAll('body *')].filter((e) => past(e) && ![...e.children].some(past));
        return { width: document.documentElement.scrollWidth, beyond: out.slice(0, 5).map((e) => e.tagName.toLowerCase() + '.' + e.className) };
      })()`)) as { width: number; beyond: string[] };
      expect(width, `the ${role} window's width at 1280 px (past the edge: ${beyond.join(', ')})`).toBeLessThanOrEqual(1280);
      if (role === 'incidents') {
        // A row's name reads its parts apart ("DMO-… Grade 1 Emergency Assault …"), never run together.
        await createIncidentByKeyboard(page, { type: 'Assault', location: 'Market Street, Saltmere', grade: '1', firstLog: 'Two men fighting' });
        const row = page.getByRole('listbox', { name: 'Open incidents' }).getByRole('option').first();
        await expect(row).toHaveAccessibleName(/^\S+ Grade 1 Emergency Assault Market Street, Saltmere \d\d:\d\d Attendance: /);
      }
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.getByLabel('Operator')).toBeVisible();
    }
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
