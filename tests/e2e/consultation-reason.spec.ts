import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEntry } from '../../server/audit/audit-chain';
import { openEntries } from '../../server/audit/audit-seal';
import { expect, test } from './fixtures';
import { startStandaloneConsole } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn } from './helpers';

// DPA 2018 s.62: a closed incident is shown only with a reason (the demonstration force asks for one), offered as
// the incident being worked on; the reason reaches the server's audit log with the consultation.
test('opening a closed incident asks why first, offering the incident being worked on: Esc shows nothing, Enter accepts it and shows the incident', async ({ newContext }) => {
  const dir = makeTempDir();
  const ws = await startStandaloneConsole({ workstation: 'WS-REASON', operator: 'dan', dataDir: join(dir.path, 'ws') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(ws.windowUrl);
    await signIn(page, 'dan');
    const command = async (line: string) => {
      await page.keyboard.press('F6');
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
    };
    const detail = page.getByRole('region', { name: /^Incident (DMO|WS-REASON)-/ });
    // Its force reference, once the server has given it: taken while still provisional, the desks name it otherwise later.
    const referenceShown = async () => {
      await expect(detail.getByRole('heading').first()).toContainText(/DMO-\d{8}-\d{4}/, { timeout: 15_000 });
      return (await detail.getByRole('heading').first().textContent())!.match(/DMO-\d{8}-\d{4}/)![0];
    };

    // A job closed earlier, and the one dan is working on now.
    await createIncidentByKeyboard(page, { type: 'Theft', location: '12 Market Street', grade: '3', firstLog: 'Bicycle taken from the yard' });
    await command('CLOSE ADVICE');
    await expect(page.getByRole('status', { name: 'Command result' })).toHaveText(/ closed \(ADVICE\)$/);
    const closedReference = await referenceShown();
    await createIncidentByKeyboard(page, { type: 'Assault', location: '3 Bargate', grade: '2', firstLog: 'Two men fighting' });
    await expect(detail).toContainText('Bargate');
    const workingReference = await referenceShown();

    // Looking the closed one up asks why, with the incident being worked on offered; Esc shows nothing of it.
    await command(`FIND ${closedReference}`);
    const prompt = page.getByRole('dialog', { name: 'Reason for looking' });
    await expect(prompt).toContainText('this incident is closed');
    await expect(prompt.getByLabel('Reason')).toBeFocused();
    await expect(prompt.getByLabel('Reason')).toHaveValue(`Working on ${workingReference}`);
    await page.keyboard.press('Escape');
    await expect(prompt).toBeHidden();
    await expect(page.getByRole('region', { name: 'Closed incident' })).toBeHidden();
    await expect(detail).toContainText('Bargate');

    // Asked again, Enter accepts the reason offered and the closed incident shows.
    await command(`FIND ${closedReference}`);
    await expect(prompt.getByLabel('Reason')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(prompt).toBeHidden();
    await expect(page.getByRole('region', { name: 'Closed incident' })).toContainText('Advice given (ADVICE)');
    await expect(detail).toContainText('Market Street');

    // The embedded server's audit log has the look, with dan's reason.
    const db = new Database(join(dir.path, 'ws', 'central-server.sqlite'), { readonly: true });
    try {
      await expect
        .poll(() => consultationReasons(db), { timeout: 15_000 })
        .toEqual([{ operator: 'dan', reason: `Working on ${workingReference}` }]);
    } finally {
      db.close();
    }
  } finally {
    await ws.stop();
    dir.remove();
  }
});

/**
 * The consultations in a server's SQLite file that give a reason, read directly from the file: each entry's values are
 * sealed under its record's key (server/audit/audit-seal.ts), opened here with the key beside it, as an auditor's
 * answer is.
 */
function consultationReasons(db: Database.Database): { operator: string; reason: string }[] {
  const entries = db
    .prepare(
      `SELECT seq, recorded_at AS recordedAt, issued_at AS issuedAt, operator, workstation, client_id AS clientId, force, command_id AS commandId,
         command, kind, record_kind AS recordKind, record_id AS recordId, field, before, after, prev_hash AS prevHash, hash
       FROM audit_log WHERE kind = 'consultation' ORDER BY seq`,
    )
    .all() as AuditEntry[];
  const keys = new Map((db.prepare('SELECT record_kind, record_id, key FROM audit_keys').all() as { record_kind: string; record_id: string; key: Buffer }[]).map((row) => [`${row.record_kind}:${row.record_id}`, row.key]));
  return openEntries(entries, keys).flatMap((entry) => {
    const reason = (JSON.parse(entry.after ?? 'null') as { reason?: string } | null)?.reason;
    return reason ? [{ operator: entry.operator, reason }] : [];
  });
}
