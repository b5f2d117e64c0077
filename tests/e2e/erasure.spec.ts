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

test('the force administrator erases a closed incident by keyboard, after confirming; it leaves the desk’s file and the server’s', async ({ newContext }) => {
  const dir = makeTempDir();
  const serverFile = join(dir.path, 'central.sqlite');
  const server = await startServerProcess(serverFile);
  const wsA = await startConsoleProcess({ server: server.url, workstation: 'WS-A', operator: 'admin', dataDir: join(dir.path, 'a') });
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
    await expect(a.getByRole('table', { name: 'Accounts' })).toBeVisible();
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
    const confirm = a.getByRole('group', { name: new RegExp(`Erase the incident ${reference} and everything that goes with it.*This cannot be undone`) });
    await expect(confirm).toBeVisible();
    await expect(confirm.getByRole('button', { name: 'Keep it' })).toBeFocused();
    await a.keyboard.press('Shift+Tab');
    await expect(confirm.getByRole('button', { name: 'Erase for good' })).toBeFocused();
    await a.keyboard.press('Enter');
    await expect(a.getByRole('status', { name: 'Announcements' })).toHaveText(/Done: erased the incident and \d+ records with it/);

    await expect.poll(() => bytesOf(join(dir.path, 'a', 'workstation.sqlite')).includes(CALLER), { message: 'the desk’s file still holds the caller' }).toBe(false);
    expect(bytesOf(serverFile)).not.toContain(CALLER);
  } finally {
    await wsA.stop();
    await server.stop();
    dir.remove();
  }
});
