import { describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import type { IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import type { AuditQueryResponse, AuditQuestion } from '../../shared/sync/audit-protocol';
import { verifyStorage } from '../../launch/audit-main';
import { describeQuestion } from '../../shared/domain/audit-answer-words';
import { wallClock } from '../../shared/domain/wall-clock';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { demoConfig } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

// The audit log's answers once an incident is erased (issue 13, DPA 2018 s.62), on both storages, through the
// workstations' own channels: "who looked at or changed this incident", asked by its reference or its id, still
// finds every entry about it and the records erased with it (their values shown as erased), and the erasure entry
// saying who erased it, when and why; a question without a reason is refused; an operator's answer names incidents
// by their references while they stand.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-11-30T09:00:00.000Z');
const CALLER_NAME = 'Rosalind Quenby-Marsh';
const LOG_TEXT = 'Neighbour saw the ladder at the back window';
const ERASURE_REASON = 'Subject access and erasure request 2026/114';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('the audit log’s answers about an erased incident on $name', (factory) => {
  const room = inProcessRoom({
    open: () => factory.open(),
    startsAt: T0,
    operators: { admin: ['admin'], dan: ['call_handler', 'dispatcher'], carol: ['supervisor'] },
    desks: ['WS-ADMIN', 'WS-B', 'WS-SUP'],
  });
  const adminDesk = () => room.desk('WS-ADMIN');
  const danDesk = () => room.desk('WS-B');
  const supervisorDesk = () => room.desk('WS-SUP');

  async function call<T>(core: ConsoleCore, channel: string, request: unknown): Promise<T> {
    const reply = await core.dispatch(channel, request);
    if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
    return reply.value as T;
  }
  /** Carol's question at the supervisor's desk, the whole answer on one page. */
  const ask = (question: AuditQuestion): Promise<AuditQueryResponse> => call(supervisorDesk(), 'audit.query', { question, reason: 'Complaint 2026/31 about the attendance', limit: 500 });
  const seqs = (answer: AuditQueryResponse) => answer.entries.map((e) => e.seq);

  /** Dan's incident with a caller, two log lines and a correction, looked at by carol with a reason. */
  async function consultedIncident(): Promise<IncidentView & { reference: string; provisionalReference: string }> {
    await call(danDesk(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    const { incident } = await call<{ incident: IncidentView }>(danDesk(), 'incidents.create', {
      type: 'BURGLARY',
      location: unverifiedLocation('14 Quay Street, Saltmere'),
      grade: '2',
      firstLog: LOG_TEXT,
      callerName: CALLER_NAME,
      callerNumber: '07700 900861',
    });
    await room.sync(danDesk());
    await call(danDesk(), 'incidents.update', { incidentId: incident.id, fields: { callerName: `${CALLER_NAME} (mother)` } });
    await call(danDesk(), 'incidents.addLog', { incidentId: incident.id, text: 'Caller rang back: the ladder has gone' });
    await room.sync(danDesk());
    await call(supervisorDesk(), 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await room.sync(supervisorDesk());
    await call(supervisorDesk(), 'incidents.get', { id: incident.id, reason: 'Checking the grade given' });
    await room.sync(supervisorDesk());
    const stored = (await room.storage.record({ kind: 'incident', id: incident.id })) as { reference: string; provisionalReference: string };
    expect(stored.reference).toMatch(/^DMO-/);
    return { ...incident, reference: stored.reference, provisionalReference: stored.provisionalReference };
  }

  async function closeAndErase(incidentId: string): Promise<void> {
    await room.sync(danDesk());
    const version = danDesk().store.view.incident(incidentId)!.version;
    await call(danDesk(), 'incidents.close', { incidentId, closingCode: demoConfig.closingCodes[0]!.code, incidentVersion: version });
    await room.sync(danDesk());
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await room.sync(adminDesk());
    await call(adminDesk(), 'admin.erase', { kind: 'incident', record: incidentId, reason: ERASURE_REASON });
    expect(await room.storage.record({ kind: 'incident', id: incidentId })).toBeNull();
  }

  it('asked by reference or by id after the erasure, finds every entry the question found before, the values erased, and the erasure saying who, when and why', async () => {
    const incident = await consultedIncident();
    const before = await ask({ about: 'reference', reference: incident.reference });
    // Asked by its id, the answer is headed by the incident as people know it, its reference.
    expect((await ask({ about: 'record', recordKind: 'incident', recordId: incident.id })).subject).toEqual({ name: `incident ${incident.reference}`, erased: null });
    // The incident and its records: dan's log lines (one entry each, on the log entry) and carol's look, with her reason.
    const logEntries = before.entries.filter((e) => e.recordKind === 'logEntry');
    const logIds = [...new Set(logEntries.map((e) => e.recordId))];
    expect(logIds.length).toBeGreaterThanOrEqual(2);
    expect(before.entries.find((e) => e.kind === 'consultation' && e.operator === 'carol')).toMatchObject({ recordKind: 'incident', recordId: incident.id });
    expect(before.entries.find((e) => e.kind === 'consultation' && e.operator === 'carol')!.after).toContain('Checking the grade given');
    expect(before.labels[`incident:${incident.id}`]).toBe(`incident ${incident.reference}`);
    expect(before.labels[`logEntry:${logIds[0]}`]).toBe(`log entry on ${incident.reference}`);

    await closeAndErase(incident.id);

    const byReference = await ask({ about: 'reference', reference: incident.reference });
    expect(byReference.records).toEqual([{ recordKind: 'incident', recordId: incident.id }]);
    // Every entry found before is found after, and the erasure's entries besides (newest first).
    expect(seqs(byReference)).toEqual(expect.arrayContaining(seqs(before)));
    const erasures = byReference.entries.filter((e) => e.kind === 'erasure');
    expect(erasures.map((e) => `${e.recordKind}:${e.recordId}`)).toEqual(expect.arrayContaining([`incident:${incident.id}`, ...logIds.map((id) => `logEntry:${id}`)]));
    const erasure = erasures.find((e) => e.recordKind === 'incident')!;
    expect(erasure).toMatchObject({ operator: 'admin', command: 'records.erase', force: 'DMO', recordId: incident.id, recordedAt: new Date(T0).toISOString() });
    const said = JSON.parse(erasure.after!) as { reason: string; records: number; references: string[]; erased: { kind: string; id: string }[] };
    expect(said).toMatchObject({ reason: ERASURE_REASON, references: expect.arrayContaining([incident.reference, incident.provisionalReference]) });
    expect(said.erased).toEqual(expect.arrayContaining(logIds.map((id) => ({ kind: 'logEntry', id }))));
    expect(said.records).toBe(said.erased.length);
    const withIt = JSON.parse(erasures.find((e) => e.recordKind === 'logEntry')!.after!) as { with: unknown };
    expect(withIt.with).toEqual({ kind: 'incident', id: incident.id, references: said.references });
    // The values are gone (the caller's name, the log's words, carol's reason); who, when and what kind stay.
    expect(JSON.stringify(byReference)).not.toContain(CALLER_NAME);
    expect(JSON.stringify(byReference)).not.toContain(LOG_TEXT);
    expect(byReference.entries.find((e) => e.kind === 'alteration' && e.field === 'callerName')).toMatchObject({ operator: 'dan', before: null, after: null, valuesErased: true });
    expect(byReference.entries.find((e) => e.kind === 'consultation' && e.operator === 'carol')).toMatchObject({ recordId: incident.id, valuesErased: true });
    // Erased, and named by the reference the erasure kept (not personal data), said to be erased; so are its records.
    expect(byReference.labels[`incident:${incident.id}`]).toBe(`incident ${incident.reference} (erased)`);
    for (const id of logIds) expect(byReference.labels[`logEntry:${id}`]).toBe(`log entry on ${incident.reference} (erased)`);
    // Asked by its id, the same names: the answer never falls back to the id of what the force erased.
    const byId = await ask({ about: 'record', recordKind: 'incident', recordId: incident.id });
    expect(byId.labels[`incident:${incident.id}`]).toBe(`incident ${incident.reference} (erased)`);
    // And its heading names it so, saying it was erased, by whom and when (the server's time), by the id or a
    // reference alike (shared/domain/audit-answer-words.ts, describeQuestion).
    const erasedSubject = { name: `incident ${incident.reference}`, erased: { by: 'admin', at: new Date(T0).toISOString() } };
    expect(byId.subject).toEqual(erasedSubject);
    expect(byReference.subject).toEqual(erasedSubject);
    expect(describeQuestion({ about: 'record', recordKind: 'incident', recordId: incident.id }, wallClock(demoConfig.force.timeZone), byId.subject)).toBe(`Who looked at or changed incident ${incident.reference} (erased by admin on 2026-11-30 09:00 GMT)`);
    // The file of the answer is named by the reference too, never by the id.
    const file = await call<{ fileName: string }>(supervisorDesk(), 'audit.export', { question: { about: 'record', recordKind: 'incident', recordId: incident.id }, purpose: 'Complaint 2026/31' });
    expect(file.fileName).toMatch(new RegExp(`^audit-incident-${incident.reference}-erased-`));

    // By the provisional reference and by the id: the same answer.
    expect(seqs(await ask({ about: 'reference', reference: incident.provisionalReference }))).toEqual(seqs(byReference));
    expect(seqs(await ask({ about: 'record', recordKind: 'incident', recordId: incident.id }))).toEqual(seqs(byReference));
    // Every question was written to the chain, which still verifies.
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('a look made offline before the erasure and arriving after it is in the answer, its values as unreadable as the others’', async () => {
    const incident = await consultedIncident();
    room.link(supervisorDesk()).up = false;
    await call(supervisorDesk(), 'incidents.get', { id: incident.id, reason: 'Looked again while the link was down' });
    await closeAndErase(incident.id);
    room.link(supervisorDesk()).up = true;
    await room.sync(supervisorDesk());

    const answer = await ask({ about: 'reference', reference: incident.reference });
    const looks = answer.entries.filter((e) => e.kind === 'consultation' && e.operator === 'carol' && e.recordId === incident.id);
    expect(looks).toHaveLength(2);
    for (const look of looks) expect(look).toMatchObject({ before: null, after: null, valuesErased: true });
    expect(JSON.stringify(answer)).not.toContain('Looked again while the link was down');
    // The late entry came after the erasure's, and the chain still verifies.
    expect(looks[0]!.seq).toBeGreaterThan(answer.entries.find((e) => e.kind === 'erasure' && e.recordKind === 'incident')!.seq);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('what an operator did between two times names the force’s incidents by their references, standing or erased', async () => {
    const incident = await consultedIncident();
    const span: AuditQuestion = { about: 'operator', operator: 'dan', from: new Date(T0 - 3_600_000).toISOString(), to: new Date(T0 + 3_600_000).toISOString() };
    const standing = await ask(span);
    const logEntry = standing.entries.find((e) => e.recordKind === 'logEntry')!;
    expect(standing.labels).toMatchObject({ [`incident:${incident.id}`]: `incident ${incident.reference}`, [`logEntry:${logEntry.recordId}`]: `log entry on ${incident.reference}` });

    await closeAndErase(incident.id);
    const erased = await ask(span);
    expect(erased.entries.some((e) => e.recordId === incident.id)).toBe(true);
    expect(erased.labels[`incident:${incident.id}`]).toBe(`incident ${incident.reference} (erased)`);
    expect(erased.labels[`logEntry:${logEntry.recordId}`]).toBe(`log entry on ${incident.reference} (erased)`);
  });

  it('refuses a question to the audit log without a reason, at the workstation and at the server, and writes nothing', async () => {
    await call(supervisorDesk(), 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await room.sync(supervisorDesk());
    const count = async () => (await room.storage.auditEntries(0, 1_000_000)).length;
    const entries = await count();
    for (const reason of ['', '   ']) {
      const reply = await supervisorDesk().dispatch('audit.query', { question: { about: 'disclosures' }, reason });
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error.message).toContain('say why you are looking at the audit log');
    }
    const noPurpose = await supervisorDesk().dispatch('audit.export', { question: { about: 'disclosures' }, purpose: '  ' });
    expect(noPurpose.ok).toBe(false);
    if (!noPurpose.ok) expect(noPurpose.error.message).toContain('say what the file is for');
    expect(await count()).toBe(entries);
  });
});
