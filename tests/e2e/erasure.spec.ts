import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { HttpWorkstation } from '../fakes/http-workstation';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { unverifiedLocation } from '../../shared/domain/location';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';

const CALLER = 'Winifred Abernethy-Coles';

/** A SQLite file's bytes with its write-ahead log's, as anyone with the disk could read them. */
const bytesOf = (file: string): string => [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('');

test('the force administrator erases a closed incident by keyboard, after confirming; it leaves the desk’s file and the server’s, and the auditor still finds who changed it and the erasure in words', async ({ newContext }) => {
  const dir = makeTempDir();
  const serverFile = join(dir.path, 'central.sqlite');
  const server = await startServerProcess(serverFile);
  const wsA = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'admin', dataDir: join(dir.path, 'a') });
  let auditDesk: Awaited<ReturnType<typeof startConsoleProcess>> | null = null;
  try {
    // Dan's incident, with its caller, closed: made at a workstation reduced to its HTTP conversation.
    const dan = await (await HttpWorkstation.enrol(server.url, randomUUID())).signIn('dan');
    const incidentId = randomUUID();
    const command = (clientSeq: number, name: string, args: unknown): CommandEnvelope => ({ commandId: randomUUID(), clientId: dan.clientId, clientSeq, name, args, issuedAt: new Date().toISOString(), operator: 'dan', ticket: '', workstation: 'WS-HTTP', schemaVersion: SCHEMA_VERSION });
    const pushed = await dan.pushed([
      command(1, 'incident.create', { incidentId, provisionalReference: 'WS-HTTP-1', type: 'BURGLARY', location: unverifiedLocation('9 Harbour Row, Saltmere'), grade: '3', callerName: CALLER, firstLog: { entryId: randomUUID(), text: `${CALLER} found the back door forced` } }),
      command(2, 'incident.close', { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: 1 }),
    ]);
    expect(pushed.outcomes.map((o) => ('reason' in o ? o.reason : o.status))).toEqual(['applied', 'applied']);
    const reference = ((await dan.pulled()).changes.find((c) => c.id === incidentId)!.doc as { reference: string }).reference;

    const a = await (await newContext()).newPage();
    await a.goto(wsA.deskUrl);
    await a.getByLabel('Password').fill('demo');
    await a.keyboard.press('Enter');
    await expect(a.getByRole('grid', { name: 'Accounts' })).toBeVisible();
    await expect(a.getByRole('status', { name: 'Connection' })).toHaveText('Online');
    await expect.poll(() => bytesOf(join(dir.path, 'a', 'workstation.sqlite')).includes(CALLER), { message: 'the desk holds the incident' }).toBe(true);

    await a.keyboard.press('F3');
    await expect(a.getByLabel('Kind of record')).toBeFocused();
    await a.keyboard.press('Tab');
    await expect(a.getByLabel('Incident reference (or id)')).toBeFocused();
    await a.keyboard.type(reference);
    await a.keyboard.press('Tab');
    await expect(a.getByLabel('Reason for the erasure')).toBeFocused();
    await a.keyboard.type('Erasure request ER-2026-031 granted');
    await a.keyboard.press('Enter');
    // Nothing is erased until confirmed; the choice that does nothing has the focus.
    const confirm = a.getByRole('group', { name: new RegExp(`Erase the incident ${reference}, for “Erasure request ER-2026-031 granted”\\? This cannot be undone`) });
    await expect(confirm).toBeVisible();
    // It says what goes with the incident, counted: its log entries (the first line and the closing).
    await expect(confirm.getByRole('list', { name: 'What goes with it' }).getByRole('listitem')).toContainText([/^\d+ log entr(y|ies)$/]);
    await expect(confirm.getByRole('button', { name: 'Keep it' })).toBeFocused();
    await a.keyboard.press('Shift+Tab');
    await expect(confirm.getByRole('button', { name: 'Erase for good' })).toBeFocused();
    await a.keyboard.press('Enter');
    await expect(a.getByRole('status', { name: 'Announcements' })).toHaveText(/Done: erased the incident and \d+ records with it/);

    await expect.poll(() => bytesOf(join(dir.path, 'a', 'workstation.sqlite')).includes(CALLER), { message: 'the desk’s file still holds the caller' }).toBe(false);
    expect(bytesOf(serverFile)).not.toContain(CALLER);

    // The auditor asks, by keyboard, who looked at or changed the erased incident by its reference: the entries are
    // still found, and the erasure says in words who erased it and why.
    auditDesk = await startConsoleProcess({ server: server.url, workstation: 'AUDIT-1', operator: 'eve', dataDir: join(dir.path, 'e') });
    const e = await (await newContext()).newPage();
    await e.goto(auditDesk.deskUrl);
    await e.getByLabel('Operator').fill('eve');
    await e.getByLabel('Password').fill('demo');
    await e.keyboard.press('Enter');
    const panel = e.getByRole('region', { name: 'Audit log' });
    await expect(panel.getByRole('button', { name: 'Ask' })).toBeEnabled({ timeout: 20_000 });
    await panel.getByLabel('Incident reference (or id)').focus();
    await e.keyboard.type(reference);
    // No reason, no question: said at once, nothing asked.
    await e.keyboard.press('Enter');
    await expect(panel.getByRole('alert')).toHaveText('Say why you are looking at the audit log: the reason is kept with the question.');
    await e.keyboard.press('Tab');
    await expect(panel.getByLabel('Why you are looking (kept in the audit log)')).toBeFocused();
    await e.keyboard.type('Complaint 2026/140 about the erasure');
    await e.keyboard.press('Enter');
    const entries = panel.getByRole('table', { name: 'Audit entries' });
    await expect(panel.getByRole('heading', { name: `Who looked at or changed ${reference}` })).toBeVisible();
    const erased = entries.getByRole('row').filter({ hasText: 'erased by admin;' });
    await expect(erased).toHaveCount(1);
    await expect(erased).toContainText('admin at WS-A');
    await expect(erased).toContainText(`incident ${reference}`);
    await expect(erased).toContainText(/erased by admin; reason: Erasure request ER-2026-031 granted; \d+ other records? .*erased with it/);
    await expect(erased).not.toContainText('{');
    // The log entry that went with it, and dan's entries from before, their values gone.
    await expect(entries.getByRole('row').filter({ hasText: `erased by admin with the incident ${reference}` })).not.toHaveCount(0);
    await expect(entries.getByRole('row').filter({ hasText: 'created' }).filter({ hasText: 'dan at WS-HTTP' })).not.toHaveCount(0);
    await expect(entries.getByRole('row').filter({ hasText: 'changed' }).filter({ hasText: 'dan at WS-HTTP' }).first()).toContainText('values erased with the record');
    await expect(entries).not.toContainText(CALLER);
  } finally {
    await auditDesk?.stop();
    await wsA.stop();
    await server.stop();
    dir.remove();
  }
});
