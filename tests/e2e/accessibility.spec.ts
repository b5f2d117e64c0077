import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { TcpProxy } from '../faults/chaos/tcp-proxy';
import { axeFindings } from './axe';
import { meanwhileElsewhere, seedBusyRoom } from './busy-room';
import { focusUnits, signIn, selectByKeyboard } from './helpers';
import { HttpWorkstation } from '../fakes/http-workstation';
import { unverifiedLocation } from '../../shared/domain/location';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';

// Every window of the console, and every overlay the keyboard brings up on them, checked with axe-core against
// WCAG 2.0, 2.1 and 2.2 A and AA, in the day and the night theme, on a fresh force and on a busy shift. A failure
// lists each element at fault, one line each: where (window, state, theme), impact, rule, the element, and what
// axe found. To check a new part of a window, add a view to the window's list below (or a state to busy-room.ts).

type WindowRole = 'incidents' | 'calltaking' | 'resources' | 'map' | 'supervisor' | 'administration';

/**
 * What an operator sees at one moment. `open` brings it up by keyboard from what the views before it left (the
 * window freshly loaded, for the first) and returns once it shows; `close` takes an overlay away again. `scope`
 * limits the scan to an overlay: the window under it is checked on its own.
 */
interface View {
  name: string;
  open?(page: Page): Promise<void>;
  close?(page: Page): Promise<void>;
  scope?: string;
}

/** A window and what is checked in it, in order. */
interface DeskWindow {
  role: WindowRole;
  views: View[];
}

// Each takes twice the scans of a usual test and loads every window: a fraction of this, on a machine to itself.
test.describe.configure({ timeout: 150_000 });

const escape = async (page: Page) => page.keyboard.press('Escape');

/** The command line (F6, in every window) with what it proposes for `typed` listed under it. */
function commandLine(typed: string): View {
  return {
    name: `command line with completions for “${typed}” (F6)`,
    scope: '.command-line',
    open: async (page) => {
      await page.keyboard.press('F6');
      await page.keyboard.type(typed);
      // Found from its landmark, as a screen reader's list of landmarks finds it.
      const commandLine = page.getByRole('region', { name: 'Command line' });
      await expect(commandLine.getByRole('listbox', { name: 'Completions' }).getByRole('option').first()).toBeVisible();
    },
    close: async (page) => {
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      await expect(page.getByRole('listbox', { name: 'Completions' })).toBeHidden();
      await escape(page);
    },
  };
}

const locationSearch: View = {
  name: 'location search results (F8)',
  scope: '.location-search',
  open: async (page) => {
    await page.keyboard.press('F8');
    await page.keyboard.type('market');
    await expect(page.getByRole('listbox', { name: 'Find a location: results' }).getByRole('option').first()).toBeVisible();
  },
  close: async (page) => {
    await escape(page);
    await expect(page.getByRole('listbox', { name: 'Find a location: results' })).toBeHidden();
  },
};

function dialog(name: string, key: string): View {
  return {
    name: `${name.toLowerCase()} (${key})`,
    scope: 'dialog[open]',
    open: async (page) => {
      await page.keyboard.press(key);
      await expect(page.getByRole('dialog', { name })).toBeVisible();
    },
    close: async (page) => {
      await escape(page);
      await expect(page.getByRole('dialog', { name })).toBeHidden();
    },
  };
}

const newIncident: View = {
  name: 'new incident dialog (F2)',
  scope: 'dialog[open]',
  open: async (page) => {
    await page.keyboard.press('F2');
    await expect(page.getByRole('dialog', { name: 'New incident' })).toBeVisible();
  },
  close: async (page) => {
    await escape(page);
    await expect(page.getByRole('dialog', { name: 'New incident' })).toBeHidden();
  },
};

/** The overlays the keyboard brings up over the incidents window; all but the new incident dialog are in every window. */
const overlays = (completing: string): View[] => [newIncident, commandLine(completing), locationSearch, dialog('Conflicts', 'Shift+F9'), dialog('Refused commands', 'Shift+F8'), dialog('Audit log', 'Shift+F6')];

/**
 * The map canvas is drawn by MapLibre, which axe cannot read into: it must say what it shows in words instead, and
 * the figures under it what they are.
 */
async function expectMapDescribed(page: Page) {
  const canvas = page.locator('.map-canvas canvas');
  await expect(canvas).toHaveAccessibleName(/^Map of /);
  await expect(canvas).toHaveAccessibleDescription(/^(In view: .+|Nothing labelled in view)\./, { timeout: 15_000 });
  // The centre's readout: where software draws the graphics, a second readout under it says so.
  await expect(page.locator('.map-readout').first()).toHaveText(/^Map centre: \d+\.\d+° N, \d+\.\d+° E · zoom \d/);
}

const mapShown: View = { name: 'as it opens', open: expectMapDescribed };

/** Types a call's location, type, grade and account by keyboard, the location field focused. */
async function fillCallForm(page: Page) {
  const form = page.getByRole('form', { name: 'Call' });
  await expect(form.getByRole('combobox', { name: 'Location' })).toBeFocused();
  await page.keyboard.type('market st');
  await expect(form.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first()).toContainText('Market Street');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Assault');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1');
  await form.getByLabel('What is happening').fill('Two men fighting outside the Anchor, one has a bottle');
  await expect(page.getByRole('region', { name: 'Warnings and history' })).toBeVisible();
}

/** Moves the queue's selection down to the incident whose row matches, by keyboard. */
async function chooseIncident(page: Page, row: RegExp) {
  await page.keyboard.press('F4');
  const option = page.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: row });
  await selectByKeyboard(page, option);
}

/** A fresh force: nothing open, no call, every unit available; no call to answer, so the form is for NEW. */
const emptyDesk: DeskWindow[] = [
  {
    role: 'incidents',
    views: [
      {
        name: 'nothing open',
        open: async (page) => {
          await expect(page.getByRole('listbox', { name: 'Open incidents' })).toHaveAccessibleDescription('No open incidents. Press F2 to create one.');
          await expectMapDescribed(page);
        },
      },
      ...overlays('A'),
    ],
  },
  {
    role: 'calltaking',
    views: [
      { name: 'no call', open: async (page) => expect(page.getByRole('listbox', { name: 'Calls' })).toHaveAccessibleDescription('No calls waiting.') },
      {
        name: 'an incident without a call (NEW), its form filled',
        open: async (page) => {
          await page.keyboard.press('F6');
          await page.keyboard.type('NEW');
          await page.keyboard.press('Enter');
          await fillCallForm(page);
        },
      },
    ],
  },
  { role: 'resources', views: [mapShown] },
  { role: 'map', views: [mapShown] },
  {
    role: 'supervisor',
    views: [
      {
        name: 'as it opens, with the room’s measures and their charts',
        open: async (page) => {
          await expect(page.getByRole('heading', { name: 'The picture now' })).toBeVisible();
          await expect(page.getByRole('figure', { name: /^Answer times this shift/ })).toBeVisible({ timeout: 15_000 });
        },
      },
    ],
  },
];

/** A busy shift (busy-room.ts), with a conflict and a refused command waiting. */
const busyDesk: DeskWindow[] = [
  {
    role: 'incidents',
    views: [
      {
        name: 'the breached fight chosen, its recommended units (Shift+F4)',
        open: async (page) => {
          await chooseIncident(page, /Market Street/);
          await page.keyboard.press('Shift+F4');
          const proposals = page.getByRole('listbox', { name: 'Recommended units' });
          await expect(proposals).toBeFocused();
          await expect(proposals.getByRole('option').first()).toBeVisible();
          await expect(page.getByRole('alert').filter({ hasText: 'Attendance target missed' })).toBeVisible();
          await expectMapDescribed(page);
        },
      },
      {
        name: 'a burglary with a unit committed chosen',
        open: async (page) => {
          await chooseIncident(page, /Station Road/);
          await expect(page.getByRole('list', { name: 'Units on this incident' })).toContainText('DM-13 Committed');
        },
      },
      {
        name: 'a theft with a unit reserved chosen: what closing it cancels, and changing its type',
        open: async (page) => {
          await chooseIncident(page, /North Road/);
          await expect(page.getByText(/^Closing cancels the reservation of DM-31 for /)).toBeVisible();
          await expect(page.getByRole('form', { name: 'Change type' })).toBeVisible();
        },
      },
      {
        name: 'a closed incident found by its reference (FIND): how it closed, its reopening, the reason to reopen it',
        open: async (page) => {
          await page.keyboard.press('F6');
          await page.keyboard.type('FIND WS-1-P12');
          await page.keyboard.press('Enter');
          // Shown with a reason, as the demonstration force asks for a closed incident.
          const why = page.getByRole('dialog', { name: 'Reason for looking' }).getByLabel('Reason');
          await why.fill('Caller rang back');
          await why.press('Enter');
          const closed = page.getByRole('region', { name: 'Closed incident' });
          await expect(closed).toContainText('Crime recorded (CRIME)');
          await expect(closed.getByLabel('Why reopen it')).toBeVisible();
          await expect(page.getByRole('region', { name: /^Incident DMO-/ })).toContainText('Caller rang back: the shed was broken into again');
          await escape(page);
        },
      },
      ...overlays('AS '),
    ],
  },
  {
    role: 'calltaking',
    views: [
      {
        name: 'calls ringing, the 999 call announced, call-backs owed (one for a withheld number)',
        open: async (page) => {
          await expect(page.getByRole('option', { name: /999 emergency\s*07700 900505\s*ringing/ })).toBeVisible();
          await expect(page.getByRole('alert').filter({ hasText: /^999 call ringing from / })).toBeVisible();
          await expect(page.getByRole('listitem', { name: 'Withheld number: cannot be rung back' })).toBeVisible();
        },
      },
      {
        name: 'a call-back claimed, what came of it asked',
        open: async (page) => {
          await page.keyboard.press('Escape');
          const claim = page.getByRole('button', { name: 'Claim call-back to 07700 900303' });
          for (let i = 0; i < 10 && !(await claim.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)); i++) await page.keyboard.press('Tab');
          await page.keyboard.press('Enter');
          await expect(page.getByLabel('What came of ringing 07700 900303')).toBeFocused();
        },
      },
      {
        name: 'a 999 call answered, its form filled, warnings, history and a possible duplicate beside it',
        open: async (page) => {
          await page.keyboard.press('F2');
          await fillCallForm(page);
          await expect(page.getByRole('region', { name: 'Possible duplicates' })).toContainText('Market Street');
          await expect(page.getByRole('list', { name: 'Earlier calls from this number' })).toBeVisible();
        },
      },
      {
        name: 'the call to be ended without an incident: its disposal and note asked',
        open: async (page) => {
          const end = page.getByRole('button', { name: 'End call, no incident' });
          for (let i = 0; i < 40 && !(await end.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)); i++) await page.keyboard.press('Tab');
          await page.keyboard.press('Enter');
          await expect(page.getByRole('group', { name: 'End the call without an incident' }).getByLabel('Disposal')).toBeFocused();
        },
      },
    ],
  },
  {
    role: 'resources',
    views: [
      {
        name: 'a unit chosen',
        open: async (page) => {
          await expectMapDescribed(page);
          await focusUnits(page);
          await page.keyboard.press('Home');
          await expect(page.getByRole('group', { name: 'Duty of DM-11' })).toBeVisible();
        },
      },
    ],
  },
  { role: 'map', views: [mapShown] },
  {
    role: 'supervisor',
    views: [
      {
        name: 'as it opens, with an answered call unrecorded and a call ended without an incident',
        open: async (page) => {
          await expect(page.getByRole('list', { name: 'Incidents needing attention' })).toContainText('downgrade to 4 to decide');
          await expect(page.getByRole('list', { name: 'Answered calls with no incident or disposal' })).toContainText('answered by carol');
          await expect(page.getByRole('list', { name: 'Calls ended without an incident' })).toContainText('Misdial or accidental call');
        },
      },
    ],
  },
];

/** Loads each window in turn (the operator stays signed in across loads) and checks each of its views. */
async function checkDesk(page: Page, windowUrl: string, state: string, desk: readonly DeskWindow[]): Promise<string[]> {
  const findings: string[] = [];
  for (const { role, views } of desk) {
    await loadWindow(page, windowUrl, role);
    for (const view of views) {
      await view.open?.(page);
      findings.push(...(await axeFindings(page, `${role}: ${view.name} (${state})`, view.scope)));
      await view.close?.(page);
    }
  }
  return findings;
}

async function loadWindow(page: Page, windowUrl: string, role: WindowRole) {
  // Without the launch key (the window keeps it for its session): a fragment alone would not load the page again.
  await page.goto(windowUrl.replace('role=incidents', `role=${role}`).replace(/#.*/, ''));
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

test('every window and keyboard overlay of a fresh force passes axe’s WCAG A and AA rules, by day and by night', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'DESK-1', operator: 'carol', dataDir: join(dir.path, 'd') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(desk.windowUrl);
    await expect(page.getByLabel('Operator')).toBeVisible();
    const findings = await axeFindings(page, 'sign-in');
    await signIn(page, 'carol');
    findings.push(...(await checkDesk(page, desk.windowUrl, 'fresh force', emptyDesk)));
    expect(findings).toEqual([]);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});

test('every window and keyboard overlay of a busy shift passes axe’s WCAG A and AA rules, by day and by night, online and offline', async ({ newContext }) => {
  const dir = makeTempDir();
  const serverFile = join(dir.path, 'central.sqlite');
  const room = await seedBusyRoom(serverFile);
  const server = await startServerProcess(serverFile);
  // The desk reaches the server through a proxy the test can cut.
  const proxy = await TcpProxy.start(() => server.port);
  const desk = await startConsoleProcess({ server: proxy.url, workstation: 'DESK-1', operator: 'carol', dataDir: join(dir.path, 'd') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(desk.windowUrl.replace('role=incidents', 'role=calltaking'));
    await signIn(page, 'carol', 'demo', 'Calls');
    const connection = page.getByRole('status', { name: 'Connection' });
    const findings: string[] = [];

    // While the desk is offline, its operator attaches the fight caller's call to the fight and deploys DM-51 to
    // it; meanwhile another workstation attaches that call elsewhere and sends DM-51 elsewhere. Back online, the
    // attachment is refused and the deployment is a conflict.
    await expect(page.getByRole('option', { name: /999 emergency\s*07700 900101\s*ringing/ })).toBeVisible();
    await page.keyboard.press('F2');
    await expect(page.getByRole('combobox', { name: 'Location' })).toBeFocused();
    await page.keyboard.type('market st');
    await expect(page.getByRole('listbox', { name: 'Location: results' }).getByRole('option').first()).toContainText('Market Street');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('region', { name: 'Possible duplicates' })).toContainText('Market Street');
    await expect(connection).toHaveText('Online');
    proxy.cutAll();
    await expect(connection).toHaveText(/^Offline/);
    await page.keyboard.press('F4');
    await expect(page.getByRole('status', { name: 'Announcements' })).toHaveText(/^Call attached to /);
    await loadWindow(page, desk.windowUrl, 'incidents');
    await chooseIncident(page, /Market Street/);
    await page.keyboard.press('F6');
    await page.keyboard.type('AS DM-51');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status', { name: 'Command result' })).toHaveText(/^DM-51 deployed to /);
    findings.push(...(await axeFindings(page, 'incidents: offline, two commands waiting (busy shift)')));

    await meanwhileElsewhere(server.url, room);
    proxy.heal();
    await expect(page.getByRole('status', { name: 'Conflicts' })).toHaveText(/^1 conflict waiting/, { timeout: 20_000 });
    await expect(page.getByRole('alert').filter({ hasText: 'refused' })).toBeVisible();

    findings.push(...(await checkDesk(page, desk.windowUrl, 'busy shift', busyDesk)));
    expect(findings).toEqual([]);
  } finally {
    await proxy.close();
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});

test('the force administrator’s window passes axe’s WCAG A and AA rules, by day and by night', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const desk = await startConsoleProcess({ server: server.url, workstation: 'DESK-1', operator: 'admin', dataDir: join(dir.path, 'd') });
  try {
    // A closed incident to erase (the confirmation counts what goes with it, as the server's erasure would take it).
    const dan = await (await HttpWorkstation.enrol(server.url, randomUUID())).signIn('dan');
    const incidentId = randomUUID();
    const command = (clientSeq: number, name: string, args: unknown): CommandEnvelope => ({ commandId: randomUUID(), clientId: dan.clientId, clientSeq, name, args, issuedAt: new Date().toISOString(), operator: 'dan', ticket: '', workstation: 'WS-HTTP', schemaVersion: SCHEMA_VERSION });
    await dan.pushed([
      command(1, 'incident.create', { incidentId, provisionalReference: 'WS-HTTP-1', type: 'BURGLARY', location: unverifiedLocation('9 Harbour Row, Saltmere'), grade: '3', firstLog: null }),
      command(2, 'incident.close', { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: 1 }),
    ]);
    const reference = ((await dan.pulled()).changes.find((c) => c.id === incidentId)!.doc as { reference: string }).reference;
    const page = await (await newContext()).newPage();
    await page.goto(desk.windowUrl.replace('role=incidents', 'role=administration'));
    await page.getByLabel('Password').fill('demo');
    await page.keyboard.press('Enter');
    const accounts = page.getByRole('grid', { name: 'Accounts' });
    await expect(accounts.getByRole('row', { name: /^alice / })).toBeVisible();
    const findings = await axeFindings(page, 'administration: as it opens');
    await accounts.getByRole('button', { name: 'Manage alice' }).press('Enter');
    await page.getByLabel('New password for alice').fill('password');
    await expect(page.getByLabel('New password for alice')).toHaveAccessibleDescription(/This password is too short/);
    findings.push(...(await axeFindings(page, 'administration: an account chosen, a password refused')));
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online');
    await expect(async () => {
      await page.getByLabel('Incident reference (or id)').fill(reference);
      await page.getByLabel('Reason for the erasure').fill('Retention period ended');
      await page.getByRole('button', { name: 'Erase…' }).press('Enter');
      await expect(page.getByRole('button', { name: 'Keep it' })).toBeFocused({ timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    findings.push(...(await axeFindings(page, 'administration: an erasure to confirm')));
    expect(findings).toEqual([]);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
