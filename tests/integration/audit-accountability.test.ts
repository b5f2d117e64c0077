import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { handlePush } from '../../server/push';
import { issueTicket, TICKET_LIFETIME_MS } from '../../server/access/tickets';
import { runSystemCommands } from '../../server/commands/system-commands';
import { TICKET_SECRET } from '../../server/access/access-routes';
import type { ServerStorage } from '../../server/storage/storage';
import { unverifiedLocation } from '../../shared/domain/location';
import { handoffOf } from '../../shared/dispatch/handoffs';
import { byHandShareId } from '../../shared/domain/share';
import { describeAuthor } from '../../shared/domain/relay';
import type { Incident } from '../../shared/domain/incident';
import { AUDIT_PATHS, type AuditExportResponse, type AuditQueryResponse, type AuditQuestion } from '../../shared/sync/audit-protocol';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { deviceOf, ticketFor } from '../fakes/access';
import { silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { twoForcesOnOneServer, rulesOf, type DemoForce, type Step } from '../fakes/two-forces-server';
import { postgresFactory, sqliteFactory } from '../fakes/storages';
import { verifyStorage } from '../../launch/audit-main';
import { join } from 'node:path';
import { chainEntries } from '../../server/audit/audit-chain';
import { verifyChain } from '../../server/audit/verify-chain';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { serverSqliteMigrations } from '../../server/storage/sqlite/migrations';
import { openSqlite } from '../../node-common/sqlite';
import { makeTempDir } from '../fakes/temp-dir';

// Three things an auditor must be able to trust in the audit log (issue 13, DPA 2018 s.62), on both storages:
// "who looked at this incident" names the searches and the caller's histories that showed it, not only the
// openings of its detail; what a workstation did on its own (a deadline's claim) is the system's, never the signed-in
// operator's act; and no force's workstation can write a look at another force's record it never had into that
// force's log.
const cluster = postgresForThisFile();

const REASON = 'Caller says the same men came back';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('who looked, who did it and whose log on $name', (factory) => {
  const room = twoForcesOnOneServer(factory, {
    enrolmentKey: 'accountability-key',
    deskPrefix: 'SUP',
    operators: [
      { force: 'DMO', names: ['alice', 'bob'], roles: ['call_handler', 'dispatcher'] },
      { force: 'DMO', names: ['carol'], roles: ['supervisor'] },
      { force: 'NBR', names: ['nadia'], roles: ['call_handler', 'dispatcher'] },
    ],
  });
  const { happen, positions, desks } = room;
  const push = async (force: DemoForce, steps: Step[]) => (await room.push(force, steps)).outcomes;
  const post = (path: string, body: unknown) => room.post('DMO', path, body);
  let storage: ServerStorage;
  beforeEach(() => {
    storage = room.storage;
  });

  /** Demonstration's supervisor asks. */
  async function ask(question: AuditQuestion): Promise<AuditQueryResponse> {
    const ticket = await ticketFor(storage, 'carol', desks.DMO.clientId);
    const response = await post(AUDIT_PATHS.query, { operator: 'carol', ticket, issuedAt: '2026-11-29T10:00:00.000Z', question, reason: 'complaint review', limit: 500 });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as AuditQueryResponse;
  }

  async function exportOf(question: AuditQuestion): Promise<AuditExportResponse> {
    const ticket = await ticketFor(storage, 'carol', desks.DMO.clientId);
    const response = await post(AUDIT_PATHS.export, { operator: 'carol', ticket, issuedAt: '2026-11-29T10:00:00.000Z', question, purpose: 'complaint review' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as AuditExportResponse;
  }

  /** A Demonstration incident at Portswood, opened by alice from a call from 07700 900444 (attached to it). */
  async function portswoodIncident(grade = '3') {
    const incidentId = randomUUID();
    const contactId = randomUUID();
    await happen('DMO', [
      { name: 'contact.receive', args: { contactId, source: '999', callerNumber: '07700 900444', receivedAt: '2026-11-29T09:00:00.000Z', handsetLocation: null }, by: 'telephony', at: '2026-11-29T09:00:00.000Z' },
      { name: 'incident.create', args: { incidentId, provisionalReference: `P-${incidentId.slice(0, 8)}`, type: 'ASB', location: unverifiedLocation('Portswood'), grade, firstLog: null }, by: 'alice', at: '2026-11-29T09:01:00.000Z' },
      { name: 'contact.attach', args: { contactId, incidentId }, by: 'alice', at: '2026-11-29T09:02:00.000Z' },
    ]);
    const reference = ((await storage.record({ kind: 'incident', id: incidentId })) as { reference: string }).reference;
    return { incidentId, contactId, reference };
  }

  it('answers who looked at an incident with the searches and caller histories that showed it, how and why, and nothing that did not', async () => {
    const { incidentId, contactId, reference } = await portswoodIncident();
    const other = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId: other, provisionalReference: 'P-OTHER', type: 'ASB', location: unverifiedLocation('Crossways'), grade: '3', firstLog: null }, by: 'alice' },
      // bob searches for Portswood: the answer shows the incident.
      { name: 'record.consulted', args: { recordKind: 'search', recordId: 'Portswood', channel: 'incidents.find', query: { reference: 'Portswood' }, revealed: [{ kind: 'incident', id: incidentId }], reason: REASON }, by: 'bob' },
      // bob looks up the caller's history: the answer shows the call, which is the incident's.
      { name: 'record.consulted', args: { recordKind: 'caller', recordId: '07700 900444', channel: 'history.lookup', query: { number: '07700 900444' }, revealed: [{ kind: 'contact', id: contactId }], reason: null }, by: 'bob' },
      // A search that showed another incident only is no look at this one.
      { name: 'record.consulted', args: { recordKind: 'search', recordId: 'Crossways', channel: 'incidents.find', query: { reference: 'Crossways' }, revealed: [{ kind: 'incident', id: other }], reason: null }, by: 'bob' },
    ]);

    for (const question of [{ about: 'reference', reference }, { about: 'record', recordKind: 'incident', recordId: incidentId }] as AuditQuestion[]) {
      const looks = (await ask(question)).entries.filter((e) => e.kind === 'consultation' && e.operator === 'bob');
      expect(looks.map((e) => [e.recordKind, e.recordId, e.how])).toEqual([
        ['caller', '07700 900444', 'caller history of 07700 900444'],
        ['search', 'Portswood', "search for 'Portswood'"],
      ]);
      expect(JSON.parse(looks[1]!.after!)).toMatchObject({ reason: REASON, channel: 'incidents.find' });
    }
    // Asked about the call itself, the history that showed it answers too.
    expect((await ask({ about: 'record', recordKind: 'contact', recordId: contactId })).entries.filter((e) => e.operator === 'bob').map((e) => e.how)).toEqual(['caller history of 07700 900444']);
    // The file has them too: the search, what was typed, and why.
    const rows = (await exportOf({ about: 'reference', reference })).csv.split('\r\n').filter((row) => row.includes(',bob,'));
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.includes(',search,Portswood,'))).toContain(REASON);

    // What a look showed is kept as the log is: never changed, never removed; the chain still verifies.
    await expect(room.opened.execute(`UPDATE audit_reveals SET record_id = 'elsewhere'`)).rejects.toThrow(/never changed/);
    await expect(room.opened.execute(`DELETE FROM audit_reveals`)).rejects.toThrow(/never (changed or removed|deleted)/);
    expect(await verifyStorage(storage)).toMatchObject({ intact: true });
  });

  it("names the system, and who was signed in where, for a deadline's claim the workstation made on its own, never the operator", async () => {
    const { incidentId, reference } = await portswoodIncident('1');
    const incident = (await storage.record({ kind: 'incident', id: incidentId })) as Incident;
    await happen('DMO', [{ name: 'incident.handoffOverdue', args: { incidentId, waitingSince: handoffOf(incident).waitingSince, stage: 'dispatchers' }, by: 'alice', at: '2026-11-29T09:58:00.000Z' }]);

    const claimed = (await ask({ about: 'reference', reference })).entries.filter((e) => e.command === 'incident.handoffOverdue');
    expect(claimed.length).toBeGreaterThan(0);
    for (const entry of claimed) expect(entry).toMatchObject({ operator: 'system (automatically, while alice was signed in)', workstation: 'WS-DMO' });
    // The incident's own log line (on screen, in the record, to any force it goes to) is the system's too.
    const line = claimed.find((e) => e.recordKind === 'logEntry');
    expect(await storage.record({ kind: 'logEntry', id: line!.recordId! })).toMatchObject({ author: 'system', signedIn: 'alice', workstation: 'WS-DMO', text: expect.stringMatching(/^Not taken by a dispatcher/) });
    expect(describeAuthor('system', 'WS-DMO', undefined, 'alice')).toBe('system (automatically at WS-DMO, while alice was signed in)');
    const csv = (await exportOf({ about: 'reference', reference })).csv;
    expect(csv).toContain('system (automatically, while alice was signed in)');
    // What alice did herself is hers; the claim is not among it.
    const hers = (await ask({ about: 'operator', operator: 'alice', from: '2026-11-29T00:00:00.000Z', to: '2026-11-29T23:00:00.000Z' })).entries;
    expect(hers.map((e) => e.command)).toContain('incident.create');
    expect(hers.map((e) => e.command)).not.toContain('incident.handoffOverdue');
    // Asked about the system by its name, the claim is found, under each name the system acts under, and nothing of alice's own.
    const systems = (await ask({ about: 'operator', operator: 'system', from: '2026-11-29T00:00:00.000Z', to: '2026-11-29T23:00:00.000Z' })).entries;
    expect(systems.filter((e) => e.command === 'incident.handoffOverdue').map((e) => e.operator)).toEqual(claimed.map(() => 'system (automatically, while alice was signed in)'));
    expect(systems.every((e) => e.operator === 'system' || e.operator.startsWith('system ('))).toBe(true);
    expect(systems.map((e) => e.command)).not.toContain('incident.create');
  });

  it("applies a deadline's claim made at a workstation whose operator was deactivated since: an alarm is nobody's act, never held for an account", async () => {
    const { incidentId } = await portswoodIncident('1');
    const incident = (await storage.record({ kind: 'incident', id: incidentId })) as Incident;
    const clientId = positions.DMO;
    // alice signed in at WS-DMO at 09:00; the claim falls due there at 09:58; at 10:30 an administrator deactivates
    // her account (which revokes her tickets) before the workstation could send it.
    const ticket = issueTicket(await storage.secret(TICKET_SECRET), { operator: 'alice', clientId, expiresAt: Date.parse('2026-11-29T09:00:00.000Z') + TICKET_LIFETIME_MS });
    await runSystemCommands(storage, rulesOf('DMO'), [{ name: 'operator.register', args: { name: 'alice', displayName: 'alice', roles: ['call_handler', 'dispatcher'], active: false } }]);
    await storage.revoke({ kind: 'tickets', subject: 'alice', revokedAt: '2026-11-29T10:30:00.000Z', reason: 'deactivated' });
    const envelope = (name: string, args: unknown): CommandEnvelope => ({ commandId: randomUUID(), clientId, clientSeq: room.nextSeq('DMO'), name, args, issuedAt: '2026-11-29T09:58:00.000Z', operator: 'alice', ticket, workstation: 'WS-DMO', schemaVersion: SCHEMA_VERSION });
    const device = { ...deviceOf(clientId, 'WS-DMO'), force: 'DMO' };
    const commands = [
      envelope('incident.handoffOverdue', { incidentId, waitingSince: handoffOf(incident).waitingSince, stage: 'dispatchers' }),
      // What alice did herself at the same time is still held for her account, as before.
      envelope('incident.addLog', { incidentId, entryId: randomUUID(), text: 'Caller rang back' }),
    ];
    const { outcomes } = await handlePush({ clientId, schemaVersion: SCHEMA_VERSION, commands }, { storage, rules: rulesOf('DMO'), log: silentLog, device, ticketSecret: await storage.secret(TICKET_SECRET), onApplied: () => {} });
    expect(outcomes.map((o) => [o.status, 'code' in o ? o.code : null])).toEqual([
      ['applied', null],
      ['rejected', 'unauthenticated'],
    ]);
    const alarm = (await storage.auditEntries(0, 100_000)).find((e) => e.command === 'incident.handoffOverdue' && e.recordKind === 'logEntry');
    expect(await storage.record({ kind: 'logEntry', id: alarm!.recordId! })).toMatchObject({ author: 'system', signedIn: 'alice', text: expect.stringMatching(/^Not taken by a dispatcher/) });
  });

  it("refuses an operator's own act sent as made automatically, and writes nothing for it", async () => {
    const { incidentId } = await portswoodIncident();
    const before = await room.opened.count('audit_log');
    const [outcome] = await push('DMO', [{ name: 'incident.update', args: { incidentId, changeId: randomUUID(), fields: { description: 'Two men with a bat' } }, by: 'alice', automatic: true }]);
    expect(outcome).toMatchObject({ status: 'rejected', code: 'invalid', reason: expect.stringContaining("incident.update is an operator's act, never made automatically") });
    expect((await storage.record({ kind: 'incident', id: incidentId })) as { description?: string }).not.toMatchObject({ description: 'Two men with a bat' });
    expect(await room.opened.count('audit_log')).toBe(before);
  });

  it("takes a look from another force's workstation at a record never shared with it as a look at an unknown record: nothing in the owner's log, and no word that the id is one", async () => {
    const { incidentId, contactId, reference } = await portswoodIncident();
    const unknown = randomUUID();
    const none = await push('NBR', [{ name: 'record.consulted', args: { recordKind: 'incident', recordId: unknown, channel: 'incidents.get', query: { id: unknown }, revealed: [], reason: 'made up' }, by: 'nadia' }]);
    const before = await room.opened.count('audit_log');
    const forged = await push('NBR', [
      { name: 'record.consulted', args: { recordKind: 'incident', recordId: incidentId, channel: 'incidents.get', query: { id: incidentId }, revealed: [], reason: 'made up' }, by: 'nadia' },
      { name: 'record.consulted', args: { recordKind: 'search', recordId: 'Portswood', channel: 'incidents.find', query: { reference: 'Portswood' }, revealed: [{ kind: 'incident', id: incidentId }], reason: null }, by: 'nadia' },
      { name: 'record.consulted', args: { recordKind: 'caller', recordId: '07700 900444', channel: 'history.lookup', query: { number: '07700 900444' }, revealed: [{ kind: 'contact', id: contactId }], reason: null }, by: 'nadia' },
    ]);
    // Each answered as the look at an id the server never had: applied, one entry in NBR's own log, none in DMO's.
    expect(none.map((o) => o.status)).toEqual(['applied']);
    expect(forged.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await room.opened.count('audit_log')).toBe(before + 3);
    expect((await ask({ about: 'reference', reference })).entries.filter((e) => e.operator === 'nadia')).toEqual([]);
    expect((await ask({ about: 'record', recordKind: 'contact', recordId: contactId })).entries.filter((e) => e.operator === 'nadia')).toEqual([]);

    // Shared once, then revoked: a look made meanwhile (offline, arriving late) is still the owner's business.
    const shareId = byHandShareId(incidentId, 'NBR');
    await happen('DMO', [{ name: 'share.create', args: { shareId, incidentId, sharedWith: 'NBR', tier: 'view', reason: 'Suspects heading north' }, by: 'alice' }]);
    await happen('DMO', [{ name: 'share.revoke', args: { shareId, reason: 'No longer needed' }, by: 'alice' }]);
    await happen('NBR', [{ name: 'record.consulted', args: { recordKind: 'incident', recordId: incidentId, channel: 'incidents.get', query: { id: incidentId }, revealed: [], reason: 'Suspects heading north' }, by: 'nadia' }]);
    expect((await ask({ about: 'reference', reference })).entries.filter((e) => e.operator === 'nadia').map((e) => [e.force, e.how])).toEqual([['DMO', 'opened by force NBR']]);
    expect(await verifyStorage(storage)).toMatchObject({ intact: true });
  });
});

describe('migration 13 on a server file written before it', () => {
  it('indexes what the searches and histories already in the log showed, and leaves the entries as they were', async () => {
    const dir = makeTempDir();
    const file = join(dir.path, 'central.sqlite');
    try {
      const old = openSqlite(file, serverSqliteMigrations.slice(0, 12));
      const entry = (recordKind: string, recordId: string, after: string) => ({ recordedAt: '2026-01-01T10:00:00.000Z', issuedAt: '2026-01-01T09:59:00.000Z', operator: 'bob', workstation: 'WS-B', clientId: randomUUID(), force: 'DMO', commandId: randomUUID(), command: 'record.consulted', kind: 'consultation' as const, recordKind, recordId, field: null, before: null, after });
      const entries = chainEntries(null, [
        entry('search', 'Portswood', '{"channel":"incidents.find","query":{"reference":"Portswood"},"reason":"why","revealed":[{"id":"i-1","kind":"incident"},{"id":"i-2","kind":"incident"}]}'),
        entry('incident', 'i-1', 'sealed:1:AAAA'),
        entry('audit-log', 'incident:i-1', '{"question":{"about":"disclosures"}}'),
      ]);
      const insert = old.prepare(`INSERT INTO audit_log (seq, recorded_at, issued_at, operator, workstation, client_id, force, command_id, command, kind, record_kind, record_id, field, before, after, prev_hash, hash)
        VALUES (@seq, @recordedAt, @issuedAt, @operator, @workstation, @clientId, @force, @commandId, @command, @kind, @recordKind, @recordId, @field, @before, @after, @prevHash, @hash)`);
      for (const e of entries) insert.run(e);
      old.close();

      const storage = SqliteStorage.open(file);
      try {
        expect(storage.database.prepare(`SELECT record_kind, record_id, seq FROM audit_reveals ORDER BY record_id`).all()).toEqual([
          { record_kind: 'incident', record_id: 'i-1', seq: 1 },
          { record_kind: 'incident', record_id: 'i-2', seq: 1 },
        ]);
        expect((await storage.findAudit({ about: 'record', recordKind: 'incident', recordId: 'i-2', force: 'DMO' }, null, 10)).map((e) => [e.seq, e.recordKind])).toEqual([[1, 'search']]);
        // The chain is as it was (the made-up sealed value has no key, which only the keys' check would mind).
        expect(verifyChain(await storage.auditChain(0, 100))).toMatchObject({ intact: true, entries: 3 });
      } finally {
        await storage.close();
      }
    } finally {
      dir.remove();
    }
  });
});
