import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { ServerStorage } from '../../server/storage/storage';
import type { AuditEntry } from '../../server/audit/audit-chain';
import { verifyStorage } from '../../launch/audit-main';
import { describeVerdict } from '../../server/audit/verify-chain';
import { registerTestOperators } from '../fakes/access';
import { silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { createIncidentCommand, fixedRules, postgresFactory, pushTo, sqliteFactory, type OpenedStorage } from '../fakes/storages';
import { makeTempDir } from '../fakes/temp-dir';

// The server's audit log on both storages: what a command leaves in it, that the database keeps it as written, and
// that `npm run audit -- verify` finds an entry changed behind the server's back.
const cluster = postgresForThisFile();

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** `npm run audit -- verify …` as its own process (the built bundle): its exit code and what it printed. */
async function auditVerify(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'dist/node/audit.mjs'), 'verify', ...args], { cwd: root, env: { ...process.env, CORDON_DATABASE_URL: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function allEntries(storage: ServerStorage): Promise<AuditEntry[]> {
  return storage.auditEntries(0, 100_000);
}

/** An incident made by alice, then corrected: the commands whose audit entries the tests look at. */
/** A search whose answer showed the incident: the storage indexes it in audit_reveals beside the entry. */
async function searchThatShowed(storage: ServerStorage, incidentId: string): Promise<AuditEntry> {
  const revealed = [{ kind: 'incident', id: incidentId }];
  const [entry] = await storage.appendAuditEntries([
    {
      recordedAt: '2026-12-01T10:00:00.000Z',
      issuedAt: '2026-12-01T10:00:00.000Z',
      operator: 'dan',
      workstation: 'WS-B',
      clientId: randomUUID(),
      force: 'DMO',
      commandId: randomUUID(),
      command: 'record.consulted',
      kind: 'consultation',
      recordKind: 'search',
      recordId: 'Portswood',
      field: null,
      before: null,
      after: JSON.stringify({ channel: 'incidents.search', query: { text: 'Portswood' }, reason: null, revealed }),
      reveals: revealed,
    },
  ]);
  return entry!;
}

async function createThenCorrect(storage: ServerStorage, clientId: string) {
  const create = createIncidentCommand(clientId, 1);
  const incidentId = (create.args as { incidentId: string }).incidentId;
  const update = {
    ...createIncidentCommand(clientId, 2),
    name: 'incident.update',
    args: { incidentId, changeId: randomUUID(), fields: { description: 'Two men fighting outside the bank', callerName: 'J Smith' } },
    issuedAt: '2026-11-29T09:59:30.000Z',
  };
  await registerTestOperators(storage, fixedRules, ['alice']);
  const pushed = await pushTo(storage, clientId, [create]);
  const before = (await storage.record({ kind: 'incident', id: incidentId })) as Record<string, unknown>;
  const corrected = await pushTo(storage, clientId, [update]);
  expect([...pushed.outcomes, ...corrected.outcomes].map((o) => o.status)).toEqual(['applied', 'applied']);
  return { create, update, incidentId, before };
}

describe.each([sqliteFactory, postgresFactory(() => cluster)])('the audit log on $name', (factory) => {
  const clientId = randomUUID();
  let opened: OpenedStorage;
  let storage: ServerStorage;
  beforeEach(async () => {
    opened = await factory.open();
    storage = opened.storage;
  });
  afterEach(() => opened.close());

  it('records a creation as collections and a correction as alterations, each field with its value before and after', async () => {
    const { create, update, incidentId, before } = await createThenCorrect(storage, clientId);
    const entries = await allEntries(storage);
    const who = { operator: 'alice', workstation: 'WS-A', clientId, force: 'DMO', recordedAt: '2026-11-29T10:00:00.000Z' };

    const created = entries.filter((e) => e.commandId === create.commandId);
    // The incident and the first line of its log.
    expect(created.map((e) => [e.kind, e.recordKind])).toEqual([['collection', 'incident'], ['collection', 'logEntry']]);
    expect(created[0]).toMatchObject({ ...who, issuedAt: create.issuedAt, command: 'incident.create', recordId: incidentId, field: null, before: null, after: null });

    const altered = entries.filter((e) => e.commandId === update.commandId && e.kind === 'alteration');
    expect(altered.every((e) => e.recordKind === 'incident' && e.recordId === incidentId && e.command === 'incident.update')).toBe(true);
    expect(altered[0]).toMatchObject({ ...who, issuedAt: '2026-11-29T09:59:30.000Z' });
    const change = (field: string) => altered.find((e) => e.field === field);
    expect(change('description')).toMatchObject({ before: JSON.stringify(before.description), after: '"Two men fighting outside the bank"' });
    expect(change('callerName')).toMatchObject({ before: JSON.stringify(before.callerName), after: '"J Smith"' });
    expect(change('version')).toMatchObject({ before: String(before.version), after: String(Number(before.version) + 1) });
    // Fields the correction left alone are not in the log.
    expect(change('type')).toBeUndefined();
    expect(change('grade')).toBeUndefined();
    // The log lines saying what each correction overwrote are records created by it.
    expect(entries.filter((e) => e.commandId === update.commandId && e.kind === 'collection').map((e) => e.recordKind)).toEqual(['logEntry', 'logEntry']);

    // The server's own commands (bringing alice into service) are in the log too, and the chain is whole.
    expect(entries[0]).toMatchObject({ operator: 'system', workstation: 'central server', kind: 'collection', recordKind: 'operator', recordId: 'alice' });
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(await verifyStorage(storage)).toMatchObject({ intact: true, entries: entries.length });
  });

  it('records a sign-in, with the time the workstation checked it, though it changes no record', async () => {
    await registerTestOperators(storage, fixedRules, ['alice']);
    const signedIn = { ...createIncidentCommand(clientId, 1), name: 'operator.signedIn', args: { mode: 'offline' }, issuedAt: '2026-11-29T06:12:00.000Z' };
    expect((await pushTo(storage, clientId, [signedIn])).outcomes[0]).toMatchObject({ status: 'applied' });
    expect((await allEntries(storage)).filter((e) => e.commandId === signedIn.commandId)).toEqual([
      expect.objectContaining({ kind: 'sign-in', operator: 'alice', workstation: 'WS-A', recordKind: 'operator', recordId: 'alice', issuedAt: '2026-11-29T06:12:00.000Z', after: '{"mode":"offline"}' }),
    ]);
  });

  it('records no change for a refused command, though its refusal is written for the room; one refused for its ticket is an access refused', async () => {
    await registerTestOperators(storage, fixedRules, ['alice']);
    const logged = await opened.count('audit_log');
    const recordsBefore = await opened.count('records');
    const missingIncident = {
      ...createIncidentCommand(clientId, 1),
      name: 'incident.update',
      args: { incidentId: randomUUID(), changeId: randomUUID(), fields: { description: 'never applied' } },
    };
    const badTicket = { ...createIncidentCommand(clientId, 2), ticket: 'forged' };
    const response = await pushTo(storage, clientId, [missingIncident, badTicket]);
    expect(response.outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(await opened.count('records')).toBeGreaterThan(recordsBefore);
    // The refused update changed nothing and has no entry; the forged ticket is an access refused to alice, no more.
    expect((await storage.auditEntries(logged, 100)).map((e) => [e.kind, e.operator, e.command])).toEqual([['access-refused', 'alice', 'incident.create']]);
  });

  it('applies nothing whose audit entries cannot be written: the command, its records and its entries go together', async () => {
    await registerTestOperators(storage, fixedRules, ['alice']);
    const counts = async () => Promise.all([opened.count('records'), opened.count('command_log'), opened.count('audit_log')]);
    const before = await counts();
    // A database that takes no more audit entries (as a full tablespace or a bug would leave it).
    if (factory.name === 'SQLite') {
      await opened.execute(`CREATE TRIGGER audit_log_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log full'); END`);
    } else {
      await opened.execute(`CREATE FUNCTION audit_log_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log full'; END $$`);
      await opened.execute(`CREATE TRIGGER audit_log_full BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_full()`);
    }
    await expect(pushTo(storage, clientId, [createIncidentCommand(clientId, 1)])).rejects.toThrow('audit log full');
    expect(await counts()).toEqual(before);
    expect(await storage.lastClientSeq(clientId)).toBe(0);
  });

  it('has the database refuse to change or remove an audit entry, whoever asks', async () => {
    await createThenCorrect(storage, clientId);
    const logged = await opened.count('audit_log');
    const kept = await allEntries(storage);
    await expect(opened.execute(`UPDATE audit_log SET operator = 'mallory' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(opened.execute(`DELETE FROM audit_log WHERE seq = ${logged}`)).rejects.toThrow(/append-only/);
    await expect(opened.execute(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    if (factory.name === 'PostgreSQL') await expect(opened.execute(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect(await allEntries(storage)).toEqual(kept);
  });

  it('has the database refuse to change or delete an audit key outside an erasure, which would make its values unreadable unannounced', async () => {
    const { incidentId } = await createThenCorrect(storage, clientId);
    const kept = await allEntries(storage);
    const other = factory.name === 'PostgreSQL' ? `decode(md5('a') || md5('b'), 'hex')` : 'randomblob(32)';
    await expect(opened.execute(`UPDATE audit_keys SET key = ${other} WHERE record_id = '${incidentId}'`)).rejects.toThrow(/never changed/);
    await expect(opened.execute(`DELETE FROM audit_keys WHERE record_id = '${incidentId}'`)).rejects.toThrow(/only by an erasure/);
    if (factory.name === 'PostgreSQL') await expect(opened.execute(`TRUNCATE audit_keys`)).rejects.toThrow(/one record at a time/);
    expect(await allEntries(storage)).toEqual(kept);
    expect(await verifyStorage(storage)).toMatchObject({ intact: true });
  });

  it('has verify name a key deleted or replaced behind the server’s back, with the first entry it made unreadable', async () => {
    const { incidentId } = await createThenCorrect(storage, clientId);
    const firstSealed = (await allEntries(storage)).find((e) => e.recordId === incidentId && (e.before !== null || e.after !== null))!;
    const disable = factory.name === 'PostgreSQL' ? ['ALTER TABLE audit_keys DISABLE TRIGGER audit_keys_guard'] : ['DROP TRIGGER audit_keys_no_update', 'DROP TRIGGER audit_keys_only_erased'];
    for (const sql of disable) await opened.execute(sql);

    const other = factory.name === 'PostgreSQL' ? `decode(md5('a') || md5('b'), 'hex')` : 'randomblob(32)';
    await opened.execute(`UPDATE audit_keys SET key = ${other} WHERE record_kind = 'incident' AND record_id = '${incidentId}'`);
    const replaced = await verifyStorage(storage);
    expect(replaced).toMatchObject({ intact: false, chainWhole: true, broken: { seq: firstSealed.seq } });
    expect(describeVerdict(replaced)).toBe(
      `audit log broken at entry ${firstSealed.seq}: entry ${firstSealed.seq}'s values do not open with the key of incident:${incidentId} (the key was replaced, or the values were moved from another record's entry); the hash chain itself is whole (${(await storage.auditChain(0, 100_000)).length} entries)`,
    );

    await opened.execute(`DELETE FROM audit_keys WHERE record_kind = 'incident' AND record_id = '${incidentId}'`);
    const deleted = await verifyStorage(storage);
    expect(deleted).toMatchObject({ intact: false, chainWhole: true, broken: { seq: firstSealed.seq } });
    expect(describeVerdict(deleted)).toContain(
      `entry ${firstSealed.seq}'s values are sealed under the key of incident:${incidentId}, which is gone from audit_keys, yet the log holds no erasure of incident:${incidentId} (the key was deleted outside an erasure)`,
    );
  });
});

describe('npm run audit -- verify', () => {
  const clientId = randomUUID();

  it('says an SQLite file’s log is intact, then names the entry changed directly in the file', async () => {
    const dir = makeTempDir();
    try {
      const file = join(dir.path, 'server.sqlite');
      const storage = SqliteStorage.open(file);
      await createThenCorrect(storage, clientId);
      const entries = await allEntries(storage);
      await storage.close();

      const intact = await auditVerify(['--data', file]);
      expect(intact).toMatchObject({ code: 0, stdout: `audit log intact: ${entries.length} entries, 1 to ${entries.length}, newest anchor ${entries.length}:${entries.at(-1)!.hash}\n` });

      // One with the file in hand and a database tool: the trigger is in the way, so out it goes.
      const target = entries.find((e) => e.field === 'description')!;
      const db = new Database(file);
      db.exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = '"Nothing happened"' WHERE seq = ${target.seq}`);
      db.close();
      const broken = await auditVerify(['--data', file]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`audit log broken at entry ${target.seq}: entry ${target.seq}'s contents do not match its hash (changed after it was written)`);
    } finally {
      dir.remove();
    }
  });

  it('finds entries cut from the end of an SQLite file’s log only with the anchor a verify printed before', async () => {
    const dir = makeTempDir();
    try {
      const file = join(dir.path, 'server.sqlite');
      const storage = SqliteStorage.open(file);
      await createThenCorrect(storage, clientId);
      const entries = await allEntries(storage);
      await storage.close();
      const anchor = (await auditVerify(['--data', file])).stdout.trim().split('newest anchor ')[1]!;
      expect(anchor).toBe(`${entries.length}:${entries.at(-1)!.hash}`);

      const db = new Database(file);
      db.exec(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = ${entries.length}`);
      db.close();
      // Cut from the end, the chain still fits together: only the anchor kept elsewhere shows the loss.
      expect(await auditVerify(['--data', file])).toMatchObject({ code: 0 });
      const cut = await auditVerify(['--data', file, '--anchor', anchor]);
      expect(cut.code).toBe(1);
      expect(cut.stderr).toContain(`audit log broken at entry ${entries.length}: entry ${entries.length} is missing from the end`);
      const bad = await auditVerify(['--data', file, '--anchor', 'latest']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('an anchor is SEQ:HASH');
    } finally {
      dir.remove();
    }
  });

  it('names a row removed from, or planted in, the index of what consultations showed, which the hashes do not cover', async () => {
    const dir = makeTempDir();
    try {
      const file = join(dir.path, 'server.sqlite');
      const storage = SqliteStorage.open(file);
      const { incidentId } = await createThenCorrect(storage, clientId);
      const search = await searchThatShowed(storage, incidentId);
      await storage.close();
      expect(await auditVerify(['--data', file])).toMatchObject({ code: 0 });

      // Deleting the row hides dan's search from "who looked at this incident"; the chain alone still fits.
      let db = new Database(file);
      db.exec(`DROP TRIGGER audit_reveals_no_delete; DELETE FROM audit_reveals WHERE seq = ${search.seq}`);
      db.close();
      const removed = await auditVerify(['--data', file]);
      expect(removed.code).toBe(1);
      expect(removed.stderr).toContain(`audit log broken at entry ${search.seq}: entry ${search.seq} showed incident:${incidentId}, but the index of what consultations showed (audit_reveals) has no row for it`);

      // Put back, and another planted on an entry that showed nothing: someone named as having seen it.
      db = new Database(file);
      db.prepare(`INSERT INTO audit_reveals (record_kind, record_id, seq) VALUES ('incident', ?, ?), ('incident', ?, 1)`).run(incidentId, search.seq, incidentId);
      db.close();
      const planted = await auditVerify(['--data', file]);
      expect(planted.code).toBe(1);
      expect(planted.stderr).toContain(`says entry 1 showed incident:${incidentId}, which the entry does not say (added`);
    } finally {
      dir.remove();
    }
  });

  it('names a row planted in a PostgreSQL database’s index of what consultations showed', async () => {
    const url = await cluster.createDatabase();
    const storage = await PostgresStorage.open(url, { log: silentLog });
    const { incidentId } = await createThenCorrect(storage, clientId);
    const search = await searchThatShowed(storage, incidentId);
    await storage.close();
    expect(await auditVerify(['--database-url', url])).toMatchObject({ code: 0 });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`INSERT INTO audit_reveals (record_kind, record_id, seq) VALUES ('incident', 'someone-else', $1)`, [search.seq]);
    await client.end();
    const planted = await auditVerify(['--database-url', url]);
    expect(planted.code).toBe(1);
    expect(planted.stderr).toContain(`says entry ${search.seq} showed incident:someone-else, which the entry does not say`);
  });

  it('names the first entry missing from a PostgreSQL database’s log', async () => {
    const url = await cluster.createDatabase();
    const storage = await PostgresStorage.open(url, { log: silentLog });
    await createThenCorrect(storage, clientId);
    const entries = await allEntries(storage);
    await storage.close();

    expect(await auditVerify(['--database-url', url])).toMatchObject({ code: 0, stdout: expect.stringContaining(`audit log intact: ${entries.length} entries`) });

    const target = entries.find((e) => e.field === 'callerName')!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change');
    await client.query('DELETE FROM audit_log WHERE seq = $1', [target.seq]);
    await client.end();
    const broken = await auditVerify(['--database-url', url]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`audit log broken at entry ${target.seq}: entry ${target.seq} is missing`);
  });

  it('refuses a data file that is not there rather than calling an empty log intact, and two databases at once', async () => {
    const result = await auditVerify(['--data', '/nonexistent/cordon-server.sqlite']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`no server database at /nonexistent/cordon-server.sqlite: give the server's --data FILE or --database-url URL`);
    const both = await auditVerify(['--data', 'a.sqlite', '--database-url', 'postgres://x@127.0.0.1/y']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--data and --database-url name two databases: choose one');
  });
});
