import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import type { ServerStorage } from '../../server/storage/storage';
import { chainEntries, type AuditEntry } from '../../server/audit/audit-chain';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { serverSqliteMigrations } from '../../server/storage/sqlite/migrations';
import { openSqlite } from '../../node-common/sqlite';
import { makeTempDir } from '../fakes/temp-dir';
import { verifyStorage } from '../../launch/audit-main';
import { commandDefinitions } from '../../shared/commands/registry';
import { mayIssue } from '../../shared/domain/operator';
import { AUDIT_PATHS, type AuditQueryResponse, type AuditQuestion } from '../../shared/sync/audit-protocol';
import { deviceOf, registerTestOperators, ticketFor } from '../fakes/access';
import { handleAuditExport } from '../../server/audit/audit-routes';
import { runSystemCommands } from '../../server/commands/system-commands';
import { TICKET_SECRET } from '../../server/access/access-routes';
import { TRAINING_MARK } from '../../shared/training/training-mark';
import { silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { createIncidentCommand, fixedRules, postgresFactory, pushTo, sqliteFactory, type OpenedStorage } from '../fakes/storages';

// The auditor's questions to the server's audit log (issue 13), over the server's own HTTP routes, on both storages:
// who looked at or changed a record, what an operator did between two times, every disclosure; paging; who may ask;
// and that every question leaves its own entry in a chain that still verifies.
const cluster = postgresForThisFile();

const ENROLMENT_KEY = 'audit-test-key';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('questions to the audit log on $name', (factory) => {
  let opened: OpenedStorage;
  let storage: ServerStorage;
  let server: CentralServer;
  /** The workstation the commands come from (pushed straight to the storage, as the push route would). */
  const deskClient = randomUUID();
  /** The workstation the questions come from, enrolled over HTTP. */
  const auditClient = randomUUID();
  let deviceToken: string;
  let nextSeq = 1;

  beforeEach(async () => {
    opened = await factory.open();
    storage = opened.storage;
    nextSeq = 1;
    await registerTestOperators(storage, fixedRules, ['alice'], ['call_handler']);
    await registerTestOperators(storage, fixedRules, ['carol'], ['supervisor']);
    await registerTestOperators(storage, fixedRules, ['eve'], ['auditor']);
    server = await startCentralServer({ storage, rules: fixedRules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: ENROLMENT_KEY });
    const enrolled = await post('/v1/enrol', { clientId: auditClient, workstation: 'WS-AUDIT', enrolmentKey: ENROLMENT_KEY }, null);
    expect(enrolled.status).toBe(200);
    deviceToken = (enrolled.body as { deviceToken: string }).deviceToken;
  });
  afterEach(async () => {
    await server.close();
    await opened.close();
  });

  async function post(path: string, body: unknown, token: string | null = deviceToken): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL(path, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** A question as the audit window's workstation sends it for `operator`. */
  async function ask(operator: string, question: AuditQuestion, extra: Record<string, unknown> = {}) {
    const ticket = await ticketFor(storage, operator, auditClient);
    return post(AUDIT_PATHS.query, { operator, ticket, issuedAt: '2026-11-29T10:00:00.000Z', question, reason: 'Complaint review 2026/77', ...extra });
  }

  async function answer(operator: string, question: AuditQuestion, extra: Record<string, unknown> = {}): Promise<AuditQueryResponse> {
    const response = await ask(operator, question, extra);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as unknown as AuditQueryResponse;
  }

  /** Commands by alice at her desk, each at its own workstation time. */
  async function byAlice(commands: { name: string; args: unknown; issuedAt: string }[]) {
    const envelopes = commands.map((c) => ({ ...createIncidentCommand(deskClient, nextSeq++), ...c }));
    const pushed = await pushTo(storage, deskClient, envelopes);
    return pushed.outcomes;
  }

  async function aliceMakesAnIncident(issuedAt = '2026-11-29T09:00:00.000Z') {
    const create = createIncidentCommand(deskClient, 0);
    const incidentId = (create.args as { incidentId: string }).incidentId;
    const outcomes = await byAlice([
      { name: 'incident.create', args: create.args, issuedAt },
      { name: 'incident.update', args: { incidentId, changeId: randomUUID(), fields: { description: 'Window smashed, "two" men, one with a bat' } }, issuedAt: '2026-11-29T09:05:00.000Z' },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    const incident = (await storage.record({ kind: 'incident', id: incidentId })) as { reference: string; provisionalReference: string };
    return { incidentId, ...incident };
  }

  const all = (): Promise<AuditEntry[]> => storage.auditEntries(0, 1_000_000);

  it('answers who created, changed and looked at an incident and its records, newest first, by its reference or its id', async () => {
    const { incidentId, reference, provisionalReference } = await aliceMakesAnIncident();
    // A consultation, as the workstations' consultation commands will write them: who opened it, and why.
    await storage.appendAuditEntries([
      { recordedAt: '2026-11-29T09:30:00.000Z', issuedAt: '2026-11-29T09:29:00.000Z', operator: 'alice', workstation: 'WS-A', clientId: deskClient, force: null, commandId: randomUUID(), command: 'record.consulted', kind: 'consultation', recordKind: 'incident', recordId: incidentId, field: null, before: null, after: '{"reason":"caller rang back"}' },
    ]);
    // The incident's entries and its records' (the log's system lines on creating and changing it), newest first.
    const ofIncident = new Set((await storage.recordsOfIncident(incidentId)).map((record) => `${record.kind}:${record.id}`));
    expect([...ofIncident].filter((key) => key.startsWith('logEntry:'))).toHaveLength(2);
    const expected = (await all()).filter((e) => ofIncident.has(`${e.recordKind}:${e.recordId}`)).reverse();
    expect(new Set(expected.map((e) => e.kind))).toEqual(new Set(['collection', 'alteration', 'consultation']));

    const byReference = await answer('carol', { about: 'reference', reference }, { limit: 500 });
    expect(byReference.records).toEqual([{ recordKind: 'incident', recordId: incidentId }]);
    expect(byReference.entries.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
    expect(byReference.entries[0]).toMatchObject({ kind: 'consultation', operator: 'alice', after: '{"reason":"caller rang back"}' });
    expect(byReference.entries.find((e) => e.field === 'description')).toMatchObject({ kind: 'alteration', operator: 'alice', workstation: 'WS-A', issuedAt: '2026-11-29T09:05:00.000Z' });
    expect(byReference.nextCursor).toBeNull();

    expect((await answer('carol', { about: 'reference', reference: provisionalReference }, { limit: 500 })).entries.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
    expect((await answer('carol', { about: 'record', recordKind: 'incident', recordId: incidentId }, { limit: 500 })).entries.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
    expect(await answer('carol', { about: 'reference', reference: 'NO-SUCH-REF' })).toEqual({ entries: [], nextCursor: null, records: [], labels: {} });
  });

  it('pages an answer without a gap or a repeat, while the log grows between pages', async () => {
    const { incidentId } = await aliceMakesAnIncident();
    const question: AuditQuestion = { about: 'record', recordKind: 'incident', recordId: incidentId };
    const whole = (await answer('eve', question, { limit: 500 })).entries.map((e) => e.seq);
    expect(whole.length).toBeGreaterThan(3);

    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditQueryResponse = await answer('eve', question, { limit: 2, cursor });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      paged.push(...page.entries.map((e) => e.seq));
      cursor = page.nextCursor;
      // Newer entries about the same incident arrive meanwhile: later pages still go on from where the last ended.
      if (cursor && paged.length === 2) {
        await byAlice([{ name: 'incident.update', args: { incidentId, changeId: randomUUID(), fields: { description: 'changed meanwhile' } }, issuedAt: '2026-11-29T09:50:00.000Z' }]);
      }
    } while (cursor);
    expect(paged).toEqual(whole);
  });

  it('answers what an operator did between two times, by the time at their workstation, the end excluded', async () => {
    const early = await aliceMakesAnIncident('2026-11-29T08:00:00.000Z');
    const late = await aliceMakesAnIncident('2026-11-29T11:00:00.000Z');
    const span = { about: 'operator', operator: 'alice', from: '2026-11-29T08:00:00.000Z', to: '2026-11-29T09:05:00.000Z' } as const;
    const { entries } = await answer('eve', span, { limit: 500 });
    const expected = (await all())
      .filter((e) => e.operator === 'alice' && e.issuedAt >= span.from && e.issuedAt < span.to)
      .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt) || b.seq - a.seq);
    expect(entries.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
    expect(entries.some((e) => e.recordId === early.incidentId && e.kind === 'collection')).toBe(true);
    // 09:05 is the end, excluded: both corrections were issued then; the later incident is outside the span.
    expect(entries.some((e) => e.kind === 'alteration')).toBe(false);
    expect(entries.some((e) => e.recordId === late.incidentId)).toBe(false);
    // Paged one at a time, the same entries in the same order.
    expect(await pagedOneByOne(span)).toEqual(expected.map((e) => e.seq));
  });

  /** The seqs eve's answer to `question` gives, asked a page of one entry at a time, following each page's cursor. */
  const pagedOneByOne = async (question: Parameters<typeof answer>[1]): Promise<number[]> => {
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditQueryResponse = await answer('eve', question, { limit: 1, cursor });
      paged.push(...page.entries.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    return paged;
  };

  /** An entry as it reaches the log, at the workstation's time and the server's: what a clock puts in it, nothing else. */
  const entryAt = (operator: string, issuedAt: string, recordedAt: string, extra: Partial<AuditEntry> = {}) => ({
    recordedAt, issuedAt, operator, workstation: 'WS-A', clientId: deskClient, force: null, commandId: randomUUID(), command: 'record.consulted',
    kind: 'consultation' as const, recordKind: 'caller', recordId: `07700 900${issuedAt.slice(11, 13)}${issuedAt.slice(14, 16)}`, field: null, before: null, after: '{"reason":"caller rang back"}', ...extra,
  });

  it('answers what an operator did in a real period by the server’s time too, when their workstation’s clock was hours wrong, and marks each time not to be believed', async () => {
    // alice was first given a ticket at WS-A at 08:00 by the server's clock (the server's own entry).
    await storage.appendAuditEntries([entryAt('alice', '2026-11-29T08:00:00.000Z', '2026-11-29T08:00:00.000Z', { command: 'access.signIn', kind: 'ticket-issued', recordKind: 'operator', recordId: 'alice', after: '{"checkedBy":"server"}' })]);
    const [fast, slow, offline, ordinary, otherOperator, afterSpan, offlineBefore] = await storage.appendAuditEntries([
      // The workstation's clock five hours fast: looked at during the period, stamped in the evening.
      entryAt('alice', '2026-11-29T15:00:00.000Z', '2026-11-29T10:00:00.000Z'),
      // Four hours slow: stamped before alice was ever given a ticket there, which every look of hers carries.
      entryAt('alice', '2026-11-29T06:05:00.000Z', '2026-11-29T10:05:00.000Z'),
      // Looked at offline in the period, reaching the server after it: late, as expected, and believed.
      entryAt('alice', '2026-11-29T09:45:00.000Z', '2026-11-29T11:30:00.000Z'),
      entryAt('alice', '2026-11-29T10:10:00.000Z', '2026-11-29T10:10:30.000Z'),
      entryAt('bob', '2026-11-29T10:20:00.000Z', '2026-11-29T10:20:00.000Z'),
      entryAt('alice', '2026-11-29T12:00:00.000Z', '2026-11-29T12:00:00.000Z'),
      // Looked at offline before the period, arriving in it: found by the server's time, marked late, not doubted.
      entryAt('alice', '2026-11-29T09:00:00.000Z', '2026-11-29T10:30:00.000Z'),
    ]);
    const span = { about: 'operator', operator: 'alice', from: '2026-11-29T09:30:00.000Z', to: '2026-11-29T11:00:00.000Z' } as const;
    const { entries } = await answer('eve', span, { limit: 500 });
    // Newest first by the workstation's time, whichever time put it in the period.
    expect(entries.map((e) => e.seq)).toEqual([fast!.seq, ordinary!.seq, offline!.seq, offlineBefore!.seq, slow!.seq]);
    expect(entries.map((e) => e.seq)).not.toContain(otherOperator!.seq);
    expect(entries.map((e) => e.seq)).not.toContain(afterSpan!.seq);
    const clockOf = (seq: number) => entries.find((e) => e.seq === seq)?.clock;
    expect(clockOf(fast!.seq)).toEqual({ says: 'ahead', byMs: 5 * 3_600_000 });
    expect(clockOf(slow!.seq)).toEqual({ says: 'before-ticket', ticketAt: '2026-11-29T08:00:00.000Z' });
    expect(clockOf(offline!.seq)).toEqual({ says: 'late', byMs: 105 * 60_000 });
    expect(clockOf(offlineBefore!.seq)).toEqual({ says: 'late', byMs: 90 * 60_000 });
    // Within the allowed skew: nothing to say.
    expect(clockOf(ordinary!.seq)).toBeUndefined();

    // Paged one at a time, the same entries in the same order, none twice.
    expect(await pagedOneByOne(span)).toEqual(entries.map((e) => e.seq));

    // The file says the same, in words, in its last column.
    const ticket = await ticketFor(storage, 'eve', auditClient);
    const exported = await post(AUDIT_PATHS.export, { operator: 'eve', ticket, issuedAt: '2026-11-29T10:00:00.000Z', question: span, purpose: 'Clock check' });
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    const lines = (exported.body as { csv: string }).csv.split('\r\n');
    const line = (seq: number) => lines.find((l) => l.startsWith(`${seq},`)) ?? '';
    expect(line(fast!.seq)).toMatch(/,doubtful clock: the workstation's time is 5 h after the server recorded it$/);
    expect(line(slow!.seq)).toMatch(/,doubtful clock: the workstation's time is before the operator's first sign-in there \(2026-11-29 08:00 GMT\)$/);
    expect(line(offline!.seq)).toMatch(/,reached the server 1 h 45 min after it was done at the workstation \(done offline or waiting to be sent\)$/);
    expect(line(ordinary!.seq)).toMatch(/,$/);
  });

  it('answers about the system’s entries by the server’s time too', async () => {
    const [automatic] = await storage.appendAuditEntries([entryAt('system (automatically, while alice was signed in)', '2026-11-29T18:00:00.000Z', '2026-11-29T10:40:00.000Z', { command: 'incident.handoffOverdue', kind: 'alteration', recordKind: 'incident', recordId: randomUUID(), field: 'status', before: '"open"', after: '"open"' })]);
    const { entries } = await answer('eve', { about: 'operator', operator: 'system', from: '2026-11-29T10:30:00.000Z', to: '2026-11-29T11:00:00.000Z' }, { limit: 500 });
    expect(entries.map((e) => [e.seq, e.clock?.says])).toEqual([[automatic!.seq, 'ahead']]);
  });

  it('heads an answer asked by an incident’s id with its reference, names the file by it, and an operator by their display name', async () => {
    const { incidentId, reference } = await aliceMakesAnIncident();
    const byId = await answer('carol', { about: 'record', recordKind: 'incident', recordId: incidentId });
    expect(byId.subject).toEqual({ name: `incident ${reference}`, erased: null });
    const ticket = await ticketFor(storage, 'carol', auditClient);
    const exported = await post(AUDIT_PATHS.export, { operator: 'carol', ticket, issuedAt: '2026-11-29T10:00:00.000Z', question: { about: 'record', recordKind: 'incident', recordId: incidentId }, purpose: 'Complaint 2026/114' });
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    const fileName = (exported.body as { fileName: string }).fileName;
    expect(fileName).toMatch(new RegExp(`^audit-incident-${reference}-2026-`));
    expect(fileName).not.toContain(incidentId);
    await runSystemCommands(storage, fixedRules, [{ name: 'operator.register', args: { name: 'fodu', displayName: 'Frances Oduya', roles: ['call_handler'], active: true } }]);
    const aboutFrances = await answer('eve', { about: 'operator', operator: 'fodu', from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
    expect(aboutFrances.subject).toEqual({ name: 'Frances Oduya', erased: null });
    // A name no account of the force has: nothing to add to the question's own words.
    expect((await answer('eve', { about: 'operator', operator: 'nobody', from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' })).subject).toBeUndefined();
  });

  it('exports an answer as CSV, recorded as a disclosure to the operator who took the file, which the disclosures question finds', async () => {
    const { reference, incidentId } = await aliceMakesAnIncident();
    const ticket = await ticketFor(storage, 'carol', auditClient);
    const exported = await post(AUDIT_PATHS.export, { operator: 'carol', ticket, issuedAt: '2026-11-29T10:00:00.000Z', question: { about: 'reference', reference }, purpose: 'Complaint 2026/114 from the caller' });
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    const { csv, rows } = exported.body as { csv: string; rows: number };
    expect(csv.split('\r\n')[0]).toBe('\uFEFFseq,recorded_at_utc,recorded_at_local,issued_at_utc,issued_at_local,operator,workstation,force,kind,command,record_kind,record_id,record,field,before,after,field_code,before_code,after_code,clock');
    // Each record by its name, as the window shows it: the incident by its reference, its log entries by the incident's.
    expect(csv).toContain(`,incident,${incidentId},incident ${reference},`);
    expect(csv).toMatch(new RegExp(`,logEntry,[0-9a-f-]+,log entry on ${reference},`));
    expect(rows).toBeGreaterThan(2);
    // The description holds a comma and quotes: one field, quoted, its quotes doubled.
    expect(csv).toContain('"""Window smashed, \\""two\\"" men, one with a bat"""');

    const { entries } = await answer('eve', { about: 'disclosures' });
    expect(entries).toHaveLength(1);
    // Asked for disclosures to other forces, the audit log's own export is left out (it is a disclosure to carol).
    expect((await answer('eve', { about: 'disclosures', to: 'other-forces' })).entries).toEqual([]);
    expect((await answer('eve', { about: 'disclosures', to: 'all' })).entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'disclosure', operator: 'carol', workstation: 'WS-AUDIT', command: 'audit.export', recordKind: 'audit-log' });
    expect(JSON.parse(entries[0]!.after!)).toMatchObject({ recipient: 'carol', purpose: 'Complaint 2026/114 from the caller', rows });
  });

  it('marks a training server’s export TRAINING on every line and in its file name, as the exercise’s other outputs are', async () => {
    const { reference } = await aliceMakesAnIncident();
    const exportOn = async (training: boolean) =>
      handleAuditExport(
        { operator: 'carol', ticket: await ticketFor(storage, 'carol', auditClient), issuedAt: '2026-11-29T10:00:00.000Z', question: { about: 'reference', reference }, purpose: 'Exercise debrief' },
        { storage, rules: { ...fixedRules, training }, log: silentLog, device: deviceOf(auditClient, 'WS-AUDIT'), ticketSecret: await storage.secret(TICKET_SECRET) },
      );
    const exercise = await exportOn(true);
    expect(exercise.fileName).toMatch(/^TRAINING-audit-/);
    // The exercise clock paused (this server's clock stands still): a second export of the same answer is named apart,
    // so it does not overwrite the first where both are saved.
    const again = await exportOn(true);
    expect(again.fileName).not.toBe(exercise.fileName);
    expect(again.fileName).toBe(exercise.fileName.replace(/\.csv$/, '-2.csv'));
    const lines = exercise.csv.split('\r\n').slice(0, -1);
    expect(lines[0]).toMatch(/^\uFEFFTRAINING,seq,/);
    expect(lines.length).toBe(exercise.rows + 1);
    for (const line of lines.slice(1)) expect(line.startsWith(`${TRAINING_MARK},`), line).toBe(true);
    // A live server's file carries no mark.
    const live = await exportOn(false);
    expect(live.fileName).toMatch(/^audit-/);
    expect(live.csv).not.toContain('TRAINING');
  });

  it('writes every question to the log as a consultation of the audit log, with the question and the reason, and the chain still verifies', async () => {
    await aliceMakesAnIncident();
    const before = await opened.count('audit_log');
    await answer('eve', { about: 'operator', operator: 'alice', from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }, { reason: 'Quarterly check of call handlers' });
    await answer('carol', { about: 'disclosures' });
    const entries = await all();
    expect(entries).toHaveLength(before + 2);
    const [first, second] = entries.slice(-2);
    expect(first).toMatchObject({ kind: 'consultation', operator: 'eve', workstation: 'WS-AUDIT', clientId: auditClient, command: 'audit.query', recordKind: 'audit-log', recordId: 'operator:alice', issuedAt: '2026-11-29T10:00:00.000Z', recordedAt: '2026-11-29T10:00:00.000Z' });
    expect(JSON.parse(first!.after!)).toMatchObject({ reason: 'Quarterly check of call handlers', question: { about: 'operator', operator: 'alice' } });
    expect(second).toMatchObject({ kind: 'consultation', operator: 'carol', recordId: 'disclosures' });
    // The question's own entry is in the answer to the next question about the asker.
    const eveLooked = await answer('carol', { about: 'operator', operator: 'eve', from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
    expect(eveLooked.entries.map((e) => e.seq)).toEqual([first!.seq]);
    expect(await verifyStorage(storage)).toMatchObject({ intact: true, entries: before + 3 });
  });

  it('lets an auditor ask, but refuses every command an auditor issues', async () => {
    const { incidentId } = await aliceMakesAnIncident();
    expect((await ask('eve', { about: 'disclosures' })).status).toBe(200);
    // The allowlist grants an auditor nothing but the record of their own sign-in.
    expect(Object.keys(commandDefinitions).filter((name) => mayIssue({ roles: ['auditor'], active: true }, name))).toEqual(['operator.signedIn', 'operator.signedOut']);
    const eve = (name: string, args: unknown, seq: number) => ({ ...createIncidentCommand(deskClient, seq), name, args, operator: 'eve' });
    const first = nextSeq;
    const refused = await pushTo(storage, deskClient, [
      eve('incident.create', createIncidentCommand(deskClient, 0).args, nextSeq++),
      eve('incident.addLog', { incidentId, entryId: randomUUID(), text: 'auditor was here' }, nextSeq++),
      eve('incident.update', { incidentId, changeId: randomUUID(), fields: { description: 'rewritten' } }, nextSeq++),
      eve('marker.add', { markerId: randomUUID(), point: { lat: 50.9, lon: -1.4 }, radiusM: 50, address: 'Bargate', warnings: ['firearms'], note: 'auditor was here' }, nextSeq++),
    ]);
    expect(refused.outcomes.map((o) => [o.clientSeq - first, o.status, o.status === 'rejected' ? o.code : null])).toEqual([
      [0, 'rejected', 'forbidden'],
      [1, 'rejected', 'forbidden'],
      [2, 'rejected', 'forbidden'],
      [3, 'rejected', 'forbidden'],
    ]);
    expect((await all()).filter((e) => e.operator === 'eve' && e.kind !== 'consultation')).toEqual([]);
    // Her sign-in is recorded, as everyone's is.
    const signedIn = await pushTo(storage, deskClient, [eve('operator.signedIn', { mode: 'online' }, nextSeq++)]);
    expect(signedIn.outcomes.map((o) => o.status)).toEqual(['applied']);
    expect((await all()).filter((e) => e.operator === 'eve' && e.kind === 'sign-in')).toHaveLength(1);
  });

  it('refuses a call handler’s question with the reason, and writes nothing but the refusal’s own entry', async () => {
    await aliceMakesAnIncident();
    const before = await opened.count('audit_log');
    const refused = await ask('alice', { about: 'disclosures' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('alice (call handler) may not look at the audit log: only a supervisor or an auditor may');
    // Someone else's ticket, and a forged one.
    const carolAsAlice = await post(AUDIT_PATHS.query, { operator: 'carol', ticket: await ticketFor(storage, 'alice', auditClient), issuedAt: '2026-11-29T10:00:00.000Z', question: { about: 'disclosures' }, reason: 'review' });
    expect(carolAsAlice).toMatchObject({ status: 403, body: { error: "the sign-in ticket is alice's, not carol's" } });
    expect((await ask('carol', { about: 'disclosures' }, { ticket: 'forged.ticket' })).status).toBe(403);
    // Nothing of the log was looked at: the only entries are the server's own of each refusal, naming who was refused
    // and why (the two refusals of carol's name within the minute as one entry and a tally to come).
    const written = await storage.auditEntries(before, 100_000);
    expect(written.map((e) => [e.kind, e.operator, JSON.parse(e.after!).reason])).toEqual([
      ['access-refused', 'alice', 'role'],
      ['access-refused', 'carol', 'sign-in not good'],
    ]);
  });

  it('refuses a malformed question with a 400 that says what is wrong, and writes nothing', async () => {
    const before = await opened.count('audit_log');
    const cases: [unknown, string][] = [
      [{ about: 'operator', operator: 'alice', from: '2026-11-29T10:00:00.000Z', to: '2026-11-29T09:00:00.000Z' }, 'must be after the start'],
      [{ about: 'operator', operator: 'alice', from: '2025-01-01T00:00:00.000Z', to: '2026-11-29T09:00:00.000Z' }, 'a year at a time'],
      [{ about: 'reference', reference: '' }, 'enter an incident reference'],
      [{ about: 'everything' }, 'question'],
    ];
    for (const [question, reason] of cases) {
      const refused = await ask('carol', question as AuditQuestion);
      expect(refused.status, JSON.stringify(question)).toBe(400);
      expect(String(refused.body.error)).toContain(reason);
    }
    // A question to the log must say why, as every other reason must: none, or only spaces, is refused.
    for (const reason of ['', '   ']) {
      const refused = await ask('carol', { about: 'disclosures' }, { reason });
      expect(refused.status, JSON.stringify(reason)).toBe(400);
      expect(String(refused.body.error)).toContain('reason: say why you are looking at the audit log');
    }
    expect((await ask('carol', { about: 'disclosures' }, { reason: undefined })).status).toBe(400);
    expect((await ask('carol', { about: 'disclosures' }, { cursor: 'not-a-cursor' })).body.error).toContain('cursor: not one this server gave');
    expect((await ask('carol', { about: 'disclosures' }, { limit: 0 })).status).toBe(400);
    expect((await post(AUDIT_PATHS.query, { about: 'disclosures' })).status).toBe(400);
    expect(await opened.count('audit_log')).toBe(before);
    // One with no device token is refused at the door, before any question is read: that refusal is the server's
    // entry (server/access/refusal-tally.ts), and the only one.
    expect((await post(AUDIT_PATHS.query, { operator: 'carol' }, null)).status).toBe(401);
    const door = (await storage.auditEntries(0, 100_000)).slice(before);
    expect(door.map((e) => [e.kind, JSON.parse(e.after!).reason, JSON.parse(e.after!).request])).toEqual([['access-refused', 'no token', 'a question to the audit log']]);
  });
});

describe('migration 6 on a server file written before it', () => {
  it('adds the questions’ indexes to a log that already has entries, which it leaves as they were', async () => {
    const dir = makeTempDir();
    const file = join(dir.path, 'central.sqlite');
    try {
      // The file as the server before migration 6 left it, with a year's first entries about one incident.
      const old = openSqlite(file, serverSqliteMigrations.slice(0, 5));
      const entries = chainEntries(null, [1, 2, 3].map((n) => ({ recordedAt: `2026-01-0${n}T10:00:00.000Z`, issuedAt: `2026-01-0${n}T09:59:00.000Z`, operator: 'alice', workstation: 'WS-A', clientId: randomUUID(), force: null, commandId: randomUUID(), command: 'incident.update', kind: 'alteration' as const, recordKind: 'incident', recordId: 'i-1', field: 'description', before: `"v${n - 1}"`, after: `"v${n}"` })));
      const insert = old.prepare(`INSERT INTO audit_log (seq, recorded_at, issued_at, operator, workstation, client_id, force, command_id, command, kind, record_kind, record_id, field, before, after, prev_hash, hash)
        VALUES (@seq, @recordedAt, @issuedAt, @operator, @workstation, @clientId, @force, @commandId, @command, @kind, @recordKind, @recordId, @field, @before, @after, @prevHash, @hash)`);
      for (const entry of entries) insert.run(entry);
      old.close();

      const storage = SqliteStorage.open(file);
      try {
        const indexes = (storage.database.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('audit_log', 'records') AND sql IS NOT NULL ORDER BY name`).all() as { name: string }[]).map((row) => row.name);
        expect(indexes).toEqual(['audit_log_kind_seq', 'audit_log_operator_issued', 'audit_log_operator_recorded', 'audit_log_record_seq', 'records_contact_incident', 'records_incident_id', 'records_incident_provisional', 'records_incident_reference']);
        expect((await storage.findAudit({ about: 'record', recordKind: 'incident', recordId: 'i-1', force: 'DMO' }, null, 10)).map((e) => e.seq)).toEqual([3, 2, 1]);
        expect(await verifyStorage(storage)).toMatchObject({ intact: true, entries: 3 });
      } finally {
        await storage.close();
      }
    } finally {
      dir.remove();
    }
  });
});
