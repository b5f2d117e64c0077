import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { auditTime, describeQuestion, entryDetail, incidentQuestion, recordWords, whatWords } from '../../renderer/features/audit/audit-words';
import { stateWords } from '../../renderer/features/administration/account-words';
import { AUDIT_KINDS, AUDIT_KIND_WORDS, AUDITED_RECORD_KINDS, RECORD_KIND_WORDS, auditCommandWords, isBookkeeping, type AuditKind } from '../../shared/domain/audit-words';
import { commandNames } from '../../shared/commands/registry';
import { recordKinds } from '../../shared/domain/records';
import { ConsultedKind } from '../../shared/domain/consultation';
import { erasureDrafts } from '../../server/audit/erasure-audit';
import { wallClock } from '../../shared/domain/wall-clock';
import type { AuditEntryView } from '../../shared/sync/audit-protocol';
import { randomUUID } from 'node:crypto';
import { RecordSet } from '../fakes/rules-harness';
import { demoConfig } from '../fakes/fixtures';
import { unverifiedLocation } from '../../shared/domain/location';
import { auditDrafts } from '../../server/audit/command-audit';
import { recordLabels } from '../../server/audit/audit-labels';
import { consultationHow } from '../../server/audit/audit-how';
import type { ServerStorage } from '../../server/storage/storage';
import { SCHEMA_VERSION } from '../../shared/sync/protocol';
import { byHandShareId } from '../../shared/domain/share';

// How the audit window words an answer (renderer/features/audit/audit-words.ts): an erasure in words, not JSON;
// a record by its name where the answer gives one; an incident asked about by its id or its reference.
const wall = wallClock('Europe/London');
const INCIDENT = '7d3c1e2a-0b4f-4c6d-8e9f-1a2b3c4d5e6f';
const LOG = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const act = { by: 'admin', workstation: 'WS-ADMIN', clientId: 'c-1', force: 'DMO', at: '2026-11-30T09:00:00.000Z', reason: 'Retention period of 7 years ended' };

function asView(draft: ReturnType<typeof erasureDrafts>[number], seq: number): AuditEntryView {
  const { recordedAt, issuedAt, operator, workstation, force, command, kind, recordKind, recordId, field, before, after } = draft;
  return { seq, recordedAt, issuedAt, operator, workstation, force, command, kind, recordKind, recordId, field, before, after };
}

describe('an erasure entry in the audit window', () => {
  const [target, withIt] = erasureDrafts(
    act,
    [
      { kind: 'incident', id: INCIDENT },
      { kind: 'logEntry', id: LOG },
      { kind: 'assignment', id: 'a-1' },
    ],
    ['DMO-2026-000123', 'WS-1-0007'],
  ).map(asView);

  it('on the record erased says who erased it, why, and how many records went with it, with no JSON', () => {
    const words = entryDetail(target!, wall);
    expect(words).toBe('erased by admin; reason: Retention period of 7 years ended; 2 other records (log entries, deployments, calls…) erased with it');
    expect(words).not.toMatch(/[{}"]/);
  });

  it('on a record that went with it names the incident by its reference', () => {
    expect(entryDetail(withIt!, wall)).toBe('erased by admin with the incident DMO-2026-000123; reason: Retention period of 7 years ended');
  });

  it('a record erased alone says nothing else went with it; one written before references were kept falls back to the id', () => {
    const [alone] = erasureDrafts(act, [{ kind: 'contact', id: 'c-9' }]).map(asView);
    expect(entryDetail(alone!, wall)).toBe('erased by admin; reason: Retention period of 7 years ended; nothing else erased with it');
    const older = { ...withIt!, after: JSON.stringify({ reason: 'old', with: { kind: 'incident', id: INCIDENT } }) };
    expect(entryDetail(older, wall)).toBe(`erased by admin with the incident ${INCIDENT}; reason: old`);
  });
});

describe('the record an entry is about', () => {
  const entry = { recordKind: 'incident', recordId: INCIDENT };

  it('is named by the answer’s label where it has one', () => {
    expect(recordWords(entry, { [`incident:${INCIDENT}`]: 'incident DMO-2026-000123' }, { about: 'disclosures' }, [])).toBe('incident DMO-2026-000123');
  });

  it('is the reference asked about for the incident that reference found, erased or not, and kind and id otherwise', () => {
    const found = [{ recordKind: 'incident', recordId: INCIDENT }];
    expect(recordWords(entry, {}, { about: 'reference', reference: 'DMO-2026-000123' }, found)).toBe('incident DMO-2026-000123');
    expect(recordWords({ recordKind: 'logEntry', recordId: LOG }, {}, { about: 'reference', reference: 'DMO-2026-000123' }, found)).toBe(`log entry ${LOG}`);
    expect(recordWords(entry, {}, { about: 'disclosures' }, [])).toBe(`incident ${INCIDENT}`);
  });
});

describe('the incident field', () => {
  it('asks by id when given an incident id, and by reference otherwise', () => {
    expect(incidentQuestion(` ${INCIDENT.toUpperCase()} `)).toEqual({ about: 'record', recordKind: 'incident', recordId: INCIDENT });
    expect(incidentQuestion(' DMO-2026-000123 ')).toEqual({ about: 'reference', reference: 'DMO-2026-000123' });
    expect(incidentQuestion('   ')).toBeNull();
  });
});

/** An entry as the log would hold it, for the words' tests. */
const view = (kind: string, command: string, after: unknown, overrides: Partial<AuditEntryView> = {}): AuditEntryView => ({
  seq: 1,
  recordedAt: '2026-12-01T10:00:00.000Z',
  issuedAt: '2026-12-01T10:00:00.000Z',
  operator: 'bob',
  workstation: 'DESK-1',
  force: 'DMO',
  command,
  kind,
  recordKind: 'incident',
  recordId: INCIDENT,
  field: null,
  before: null,
  after: after === null ? null : JSON.stringify(after),
  ...overrides,
});

/**
 * One entry of each kind the log can hold, as the server drafts it (server/audit/*.ts, server/access/*.ts), and the
 * words its detail must have. Typed by every kind: a kind added to AUDIT_KINDS without a line here fails the
 * typecheck, and the walk below fails at run time.
 */
const OTHER = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
const CALL = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';
const SAMPLES: Record<AuditKind, { entry: AuditEntryView; words: string }[]> = {
  collection: [
    { entry: view('collection', 'incident.create', null), words: 'new incident' },
    { entry: view('collection', 'incident.addLog', { line: 'note' }, { recordKind: 'logEntry', recordId: LOG }), words: 'new log entry: a note typed by the operator' },
    { entry: view('collection', 'incident.addLog', { line: 'note', relay: 'terminal' }, { recordKind: 'logEntry', recordId: LOG }), words: 'new log entry: a note typed by the operator, from a unit’s terminal' },
    { entry: view('collection', 'incident.addLog', { afterClosure: true, line: 'note' }, { recordKind: 'logEntry', recordId: LOG }), words: 'new log entry: a note typed by the operator, after the incident was closed' },
    { entry: view('collection', 'unit.assign', { line: 'system' }, { recordKind: 'logEntry', recordId: LOG }), words: 'new log entry: a line the console wrote of what was done' },
    // Erased since: what kind of record was made, never what it held.
    { entry: view('collection', 'incident.addLog', null, { recordKind: 'logEntry', recordId: LOG, after: 'sealed', valuesErased: true }), words: 'new log entry (what it held was erased with it)' },
  ],
  alteration: [
    { entry: view('alteration', 'incident.regrade', null, { field: 'grade', before: '"2"', after: '"1"' }), words: 'grade: 2 → 1' },
    // Fields and codes in words, and another record named by its id by its name.
    { entry: view('alteration', 'incident.update', null, { field: 'callerName', before: '"J Smith"', after: '"J Smyth"' }), words: 'caller’s name: J Smith → J Smyth' },
    { entry: view('alteration', 'share.create', null, { recordKind: 'share', field: 'how', before: '"automatic"', after: '"by_hand"' }), words: 'how: automatic → by hand' },
    { entry: view('alteration', 'contact.attach', null, { recordKind: 'contact', recordId: CALL, field: 'incidentId', before: 'null', after: JSON.stringify(INCIDENT) }), words: 'incident: (none) → incident DMO-2026-000123' },
  ],
  // The workstation's own entry reads as the workstation's half of a sign-in; the server's is `ticket-issued`.
  'sign-in': [
    { entry: view('sign-in', 'operator.signedIn', { mode: 'online' }), words: 'signed in at the workstation (password checked by the server)' },
    { entry: view('sign-in', 'operator.signedIn', { mode: 'offline' }), words: 'signed in at the workstation while the server was out of reach (password checked against its own copy)' },
  ],
  'sign-out': [
    { entry: view('sign-out', 'operator.signedOut', {}), words: 'signed out at the workstation' },
    // Signed out by the workstation itself, saying why: the account deactivated, and by whom.
    { entry: view('sign-out', 'operator.signedOut', { forced: { cause: 'account deactivated', by: 'admin' } }), words: 'signed out by the workstation: account deactivated by admin' },
    { entry: view('sign-out', 'operator.signedOut', { forced: { cause: 'account deactivated', by: null } }), words: 'signed out by the workstation: account deactivated by a force administrator' },
    { entry: view('sign-out', 'operator.signedOut', { forced: { cause: 'another sign-in', by: 'alice' } }), words: 'signed out by the workstation: alice signed in there' },
    { entry: view('sign-out', 'operator.signedOut', { forced: { cause: 'console closed', by: null } }), words: 'signed out by the workstation: the console was closed' },
  ],
  'ticket-issued': [
    { entry: view('ticket-issued', 'access.signIn', { checkedBy: 'server', ticketUntil: '2026-12-31T09:00:00.000Z' }, { recordKind: 'operator', recordId: 'bob' }), words: 'password checked by the server, ticket issued until 2026-12-31 09:00 GMT' },
  ],
  enrolment: [
    { entry: view('enrolment', 'access.enrol', { clientId: 'c-9', force: 'DMO', referenceGeneration: 1 }, { recordKind: 'workstation', recordId: 'WS-B', operator: 'workstation WS-B' }), words: 'enrolled for force DMO; client id c-9' },
  ],
  'enrolment-refused': [
    {
      entry: view('enrolment-refused', 'access.enrol', { reason: 'wrong key', source: '10.0.0.7', claimed: 'workstation WS-X, client id c-7, force DMO', count: 1 }, { recordKind: 'workstation', recordId: 'unknown' }),
      words: 'enrolment refused: wrong enrolment key; claimed workstation WS-X, client id c-7, force DMO; from 10.0.0.7',
    },
  ],
  'access-refused': [
    {
      entry: view('access-refused', 'access.device', { reason: 'revoked', request: 'sign-in', source: '10.0.0.8', revokedAt: '2026-12-01T08:00:00.000Z', count: 1 }, { recordKind: 'workstation', recordId: 'WS-B' }),
      words: 'sign-in refused: the workstation’s access was withdrawn; from 10.0.0.8',
    },
    {
      entry: view('access-refused', 'access.device', { reason: 'unknown token', request: 'sending commands', source: '10.0.0.9', count: 41, from: '2026-12-01T09:00:05.000Z', to: '2026-12-01T09:00:58.000Z' }, { recordKind: 'workstation', recordId: 'unknown' }),
      words: 'sending commands refused: a device token this server does not know; from 10.0.0.9; 41 more attempts between 2026-12-01 09:00:05 GMT and 09:00:58 GMT',
    },
    {
      entry: view('access-refused', 'incident.update', { reason: 'sign-in not good', request: 'the command', said: 'bob’s sign-in tickets were revoked by an administrator; sign in again' }, { recordKind: 'workstation', recordId: 'DESK-1' }),
      words: 'the command refused: the operator’s sign-in was not good (expired, revoked or not this server’s); bob’s sign-in tickets were revoked by an administrator; sign in again',
    },
  ],
  consultation: [
    { entry: view('consultation', 'record.consulted', { channel: 'incidents.get', query: { id: INCIDENT }, reason: 'Working on DMO-1', revealed: [] }), words: 'reason: Working on DMO-1 (opened its detail)' },
    { entry: view('consultation', 'record.consulted', { byForce: 'NBR', channel: 'history.lookup', reason: null, how: 'in the answer to a search or a history' }), words: 'looked at by force NBR (in the answer to a search or a history), in a caller’s or a place’s history; no reason asked' },
  ],
  moment: [
    { entry: view('moment', 'moment.recorded', { what: 'proposed', incidentId: INCIDENT, units: ['DM-11', 'DM-12'] }), words: 'units proposed, best first: DM-11, DM-12' },
    { entry: view('moment', 'moment.recorded', { what: 'located', contactId: CALL, location: { text: 'Bargate, Southampton', point: null, source: 'gazetteer', district: null, accuracyM: null } }, { recordKind: 'contact', recordId: CALL }), words: 'call located at Bargate, Southampton (gazetteer)' },
    { entry: view('moment', 'moment.recorded', { what: 'graded', contactId: CALL, grade: '1' }, { recordKind: 'contact', recordId: CALL }), words: 'grade chosen on the form: 1' },
  ],
  combination: [
    { entry: view('combination', 'contact.attach', { action: 'attach', other: { id: INCIDENT, kind: 'incident' } }, { recordKind: 'contact', recordId: CALL }), words: 'attached to incident DMO-2026-000123' },
    { entry: view('combination', 'contact.attach', { action: 'attach', other: { id: CALL, kind: 'contact' } }), words: '999 call on DMO-2026-000123 attached to it' },
    { entry: view('combination', 'incident.link', { action: 'link', other: { id: OTHER, kind: 'incident' } }), words: 'linked with incident DMO-2026-000124' },
    { entry: view('combination', 'incident.unlink', { action: 'unlink', other: { id: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', kind: 'incident' } }), words: 'unlinked from incident 3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f' },
  ],
  disclosure: [
    { entry: view('disclosure', 'share.create', { action: 'share', recipient: 'NBR', tier: 'view', how: 'by hand', share: OTHER, reason: 'Suspect crossed the border' }), words: 'shared with force NBR (view, by hand); reason: Suspect crossed the border' },
    { entry: view('disclosure', 'share.revoke', { action: 'revoke', recipient: 'NBR', tier: 'view', how: 'by hand', share: OTHER, reason: 'Done' }), words: 'share with force NBR revoked; reason: Done' },
    { entry: view('disclosure', 'loan.request', { recipient: 'NBR', what: 'the incident summary, asking for a unit', loan: OTHER, summary: {}, reason: 'No unit free' }), words: 'to force NBR: the incident summary, asking for a unit; reason: No unit free' },
    { entry: view('disclosure', 'audit.export', { question: { about: 'disclosures' }, recipient: 'carol', purpose: 'Complaint 2026/114', rows: 12, fileName: 'audit-disclosures.csv', sha256: 'ab' }, { recordKind: 'audit-log', recordId: 'disclosures' }), words: '12 entries exported to audit-disclosures.csv, taken by carol; purpose: Complaint 2026/114' },
  ],
  erasure: [{ entry: view('erasure', 'records.erase', { reason: 'Retention ended', records: 1, erased: [], references: [] }), words: 'erased by bob; reason: Retention ended; nothing else erased with it' }],
  'sign-in-failure': [
    { entry: view('sign-in-failure', 'access.signIn', { reason: 'wrong password' }, { recordKind: 'operator', recordId: 'bob' }), words: 'failed sign-in: wrong password' },
    { entry: view('sign-in-failure', 'access.signIn', { reason: 'locked out', until: '2026-12-01T10:15:00.000Z' }, { recordKind: 'operator', recordId: 'bob' }), words: 'failed sign-in: locked out until 2026-12-01 10:15 GMT' },
    {
      entry: view('sign-in-failure', 'operator.signInRefused', { reason: 'wrong password', where: 'at the workstation, the server out of reach' }, { recordKind: 'operator', recordId: 'bob' }),
      words: 'failed sign-in: wrong password (at the workstation, the server out of reach)',
    },
  ],
  lockout: [
    { entry: view('lockout', 'access.signIn', { failures: 5, withinMinutes: 15, until: '2026-12-01T10:15:00.000Z' }, { recordKind: 'operator', recordId: 'bob' }), words: 'locked out after 5 failed sign-ins within 15 minutes, until 2026-12-01 10:15 GMT' },
    {
      entry: view('lockout', 'operator.signInRefused', { until: '2026-12-01T10:15:00.000Z', where: 'at the workstation, the server out of reach' }, { recordKind: 'operator', recordId: 'bob' }),
      words: 'locked out, until 2026-12-01 10:15 GMT (at the workstation, the server out of reach)',
    },
    // One lock set at the workstation and counted at the server too: one entry, with the workstation's end where it differs.
    {
      entry: view('lockout', 'operator.signInRefused', { failures: 5, withinMinutes: 15, until: '2026-12-01T10:15:00.000Z', untilAtWorkstation: '2026-12-01T10:17:00.000Z', where: 'at the workstation, the server out of reach' }, { recordKind: 'operator', recordId: 'bob' }),
      words: "locked out after 5 failed sign-ins within 15 minutes, until 2026-12-01 10:15 GMT (at the workstation, the server out of reach; the workstation's lock until 2026-12-01 10:17 GMT)",
    },
  ],
  unlock: [{ entry: view('unlock', 'access.admin', { wasLocked: true }, { recordKind: 'operator', recordId: 'bob' }), words: 'unlocked' }],
  'password-set': [{ entry: view('password-set', 'access.admin', { first: false }, { recordKind: 'operator', recordId: 'bob' }), words: 'password reset by an administrator' }],
  revocation: [
    { entry: view('revocation', 'access.deactivate', { revoked: 'tickets', reason: 'account deactivated by admin' }, { recordKind: 'operator', recordId: 'bob' }), words: 'sign-in tickets revoked; reason: account deactivated by admin' },
    { entry: view('revocation', 'access.revoke', { revoked: 'device', clientId: 'c-1', reason: 'Stolen' }, { recordKind: 'workstation', recordId: 'DESK-9' }), words: 'workstation revoked; reason: Stolen' },
  ],
};

const LABELS = {
  [`incident:${INCIDENT}`]: 'incident DMO-2026-000123',
  [`incident:${OTHER}`]: 'incident DMO-2026-000124',
  [`contact:${CALL}`]: '999 call on DMO-2026-000123',
};

describe('every kind of entry the audit log can hold, in words', () => {
  it('each kind has words of its own, and a detail in words, never JSON or a code', () => {
    for (const kind of AUDIT_KINDS) {
      expect(AUDIT_KIND_WORDS[kind], kind).toMatch(/^[a-z][a-z -]+$/);
      const samples = SAMPLES[kind];
      expect(samples?.length, `a sample entry of kind ${kind}`).toBeGreaterThan(0);
      for (const { entry, words } of samples) {
        expect(entryDetail(entry, wall, LABELS), `${kind} ${entry.command}`).toBe(words);
        expect(whatWords(entry)).not.toContain(entry.command);
      }
    }
  });

  it('each kind of record an entry can be about has a name in words (a log entry, not logEntry)', () => {
    expect(AUDITED_RECORD_KINDS).toEqual(expect.arrayContaining([...recordKinds, ...ConsultedKind.options]));
    for (const kind of AUDITED_RECORD_KINDS) expect(RECORD_KIND_WORDS[kind], kind).toMatch(/^[a-z’ -]+$/);
    expect(recordWords({ recordKind: 'assignment', recordId: 'a-1' }, {}, { about: 'disclosures' }, [])).toBe('deployment a-1');
  });

  it('each command an entry can be written under has words: every workstation command, and every one the server writes itself', () => {
    // The server's own: the names its audit drafts take (audit.query, records.erase, access.revoke…), found in its source.
    const serverNames = new Set<string>();
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) for (const match of readFileSync(path, 'utf8').matchAll(/'((?:audit|access|records)\.[a-zA-Z]+)'/g)) serverNames.add(match[1]!);
      }
    };
    for (const dir of ['server', 'launch']) walk(join(import.meta.dirname, '..', '..', dir));
    expect([...serverNames]).toEqual(expect.arrayContaining(['audit.query', 'audit.export', 'records.erase', 'access.revoke', 'access.deactivate']));
    for (const name of [...commandNames, ...serverNames]) expect(auditCommandWords(name), name).not.toBe(name);
    expect(whatWords(view('alteration', 'incident.regrade', null))).toBe('changed: change an incident’s grade');
    expect(whatWords(view('consultation', 'record.consulted', null))).toBe('looked at');
    expect(whatWords(view('sign-in-failure', 'operator.signInRefused', null))).toBe('failed to sign in');
  });
});

describe('the system’s bookkeeping in an answer', () => {
  it('is a change of a record’s version or time of last change, and of nothing a person changed', () => {
    expect(isBookkeeping(view('alteration', 'incident.close', null, { field: 'version', before: '3', after: '4' }))).toBe(true);
    expect(isBookkeeping(view('alteration', 'incident.close', null, { field: 'updatedAt' }))).toBe(true);
    expect(isBookkeeping(view('alteration', 'incident.close', null, { field: 'closedAt' }))).toBe(false);
    expect(isBookkeeping(view('consultation', 'record.consulted', null))).toBe(false);
  });
});

describe('times in an answer and on the Administration desk', () => {
  it('always say GMT or BST, on the force’s clock whatever the machine’s zone', () => {
    expect(auditTime(wall, '2026-12-01T10:00:00.000Z')).toBe('2026-12-01 10:00 GMT');
    expect(auditTime(wall, '2026-07-01T10:00:00.000Z')).toBe('2026-07-01 11:00 BST');
    // The hour that comes twice is told apart as ever.
    expect(auditTime(wall, '2026-10-25T00:30:00.000Z')).toBe('2026-10-25 01:30 BST');
    expect(auditTime(wall, '2026-10-25T01:30:00.000Z')).toBe('2026-10-25 01:30 GMT');
    expect(describeQuestion({ about: 'operator', operator: 'alice', from: '2026-07-01T08:00:00.000Z', to: '2026-12-01T10:00:00.000Z' }, wall)).toBe('What alice looked at or did from 2026-07-01 09:00 BST to 2026-12-01 10:00 GMT');
    const changed = view('alteration', 'incident.close', null, { field: 'closedAt', before: 'null', after: '"2026-07-01T10:00:00.000Z"' });
    expect(entryDetail(changed, wall)).toBe('closed at: (none) → 2026-07-01 11:00 BST');
    expect(stateWords({ active: true, locked: true, lockedUntil: '2026-12-01T09:19:00.000Z', pending: false }, wall)).toBe('active, locked until 2026-12-01 09:19 GMT');
  });
});

/**
 * Every field of every record a command alters, in words (issue 13, a try-out's finding: an incident's related
 * incidents shown as their ids, an empty map as `{}`). A day's work at a desk, run through the rules
 * (tests/fakes/rules-harness.ts); each applied command's alteration entries drafted as the server drafts them
 * (server/audit/command-audit.ts), named with the answer's labels as the server reads them (audit-labels.ts), and
 * put into words as the audit window puts them: never a record's id, never JSON.
 */
describe('every alteration a command makes, in words', () => {
  it('names other records by their names and says nothing as (none): no id, no {} or [], no JSON', async () => {
    const state = new RecordSet();
    state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
    const entries: AuditEntryView[] = [];
    let seq = 0;
    const step = (name: string, args: unknown, operator = 'carol') => {
      const was = new Map(state.records);
      const result = state.run(name, args, operator, `2026-12-01T10:${String(seq % 60).padStart(2, '0')}:00.000Z`);
      if (!result.ok) throw new Error(`${name} refused: ${result.reason}`);
      const envelope = { commandId: randomUUID(), clientId: 'c-1', clientSeq: ++seq, name, args, issuedAt: '2026-12-01T10:00:00.000Z', operator, ticket: '', workstation: 'WS-1', schemaVersion: SCHEMA_VERSION };
      const drafts = auditDrafts(envelope, envelope.issuedAt, result.changes, (record) => was.get(`${record.kind}:${record.id}`)?.doc, 'DMO');
      entries.push(...drafts.filter((draft) => draft.kind === 'alteration').map((draft) => ({ ...draft, seq, before: draft.before ?? null, after: draft.after ?? null }) as AuditEntryView));
    };
    const [first, second, contactId, assignmentId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const [incidentId, reference] of [[first, 'WS-P0001'], [second, 'WS-P0002']] as const) {
      step('incident.create', { incidentId, provisionalReference: reference, type: 'ASSAULT', location: unverifiedLocation('Portswood Road'), grade: '2', firstLog: null });
    }
    step('incident.update', { incidentId: first, changeId: randomUUID(), fields: { description: 'Two men fighting', callerName: 'J Smith' } });
    step('incident.regrade', { incidentId: first, changeId: randomUUID(), grade: '1', reason: 'A knife seen' });
    step('incident.changeType', { incidentId: first, changeId: randomUUID(), type: demoConfig.incidentTypes.find((t) => t.code !== 'ASSAULT')!.code, reason: '' });
    step('incident.assessRisk', { incidentId: first, assessmentId: randomUUID(), answers: [{ questionId: 'danger-now', answer: 'yes', note: 'Knife' }, { questionId: 'injured', answer: 'no' }] });
    step('incident.link', { incidentId: first, otherId: second, linkId: randomUUID() });
    step('contact.receive', { contactId, source: '999', callerNumber: '07700 900123', receivedAt: '2026-12-01T09:58:00.000Z', handsetLocation: null });
    step('contact.answer', { contactId });
    step('contact.attach', { contactId, incidentId: first });
    step('unit.assign', { assignmentId, unitId: 'DM-11', incidentId: first, unitVersion: state.get('unit', 'DM-11')!.version });
    for (const status of ['en_route', 'at_scene', 'cleared'] as const) {
      step('assignment.setStatus', { assignmentId, unitId: 'DM-11', incidentId: first, status, assignmentVersion: state.get('assignment', assignmentId)!.version });
    }
    step('incident.regrade', { incidentId: first, changeId: randomUUID(), grade: '2', reason: 'Knife was a phone' });
    step('incident.close', { incidentId: first, closeId: randomUUID(), closingCode: demoConfig.closingCodes[0]!.code, incidentVersion: state.get('incident', first)!.version, reservationIds: [] });
    // A share of the other incident made and revoked; a warning marker put on a place and taken off.
    const shareId = byHandShareId(second, 'NBR');
    step('share.create', { shareId, incidentId: second, sharedWith: 'NBR', tier: 'view', reason: 'Suspects heading north' });
    step('share.revoke', { shareId, reason: 'No longer needed' });
    const markerId = randomUUID();
    step('marker.add', { markerId, point: { lat: 50.93, lon: -1.39 }, radiusM: 50, address: '12 Portswood Road', warnings: ['dog'], note: '' }, 'sam');
    step('marker.remove', { markerId }, 'sam');
    // The answer's names, read as the server reads them for a page (server/audit/audit-labels.ts).
    const storage = { record: async (key: { kind: string; id: string }) => state.get(key.kind as 'incident', key.id) ?? null, erasureOf: async () => null } as unknown as ServerStorage;
    state.put([first, second].map((id, at) => ({ kind: 'incident', id, doc: { ...state.get('incident', id)!, reference: `DMO-20261201-000${at + 1}` } })));
    // The views hold the drafts' kinds, as the log's entries do.
    const labels = await recordLabels(entries as Parameters<typeof recordLabels>[0], storage, 'DMO');
    const fields = new Set(entries.map((entry) => `${entry.recordKind}.${entry.field}`));
    // The walk covers what the finding named, and more than a few fields of each kind of record a desk changes.
    expect([...fields]).toEqual(expect.arrayContaining(['incident.related', 'incident.thrive', 'incident.grade', 'contact.incidentId', 'assignment.status', 'unit.commitment', 'share.revoked', 'marker.active']));
    expect(fields.size).toBeGreaterThan(20);
    for (const entry of entries) {
      const words = entryDetail(entry, wall, labels);
      expect(words, `${entry.command} ${entry.recordKind}.${entry.field}`).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
      expect(words, `${entry.command} ${entry.recordKind}.${entry.field}`).not.toMatch(/\{|\}|\[|\]|"/);
      // Nor a field's inner names, nor a note on how it is kept: words a supervisor would say.
      expect(words, `${entry.command} ${entry.recordKind}.${entry.field}`).not.toMatch(/question id|unchanged in meaning|\(none\) \(/);
    }
    const related = entries.find((entry) => entry.field === 'related' && entry.recordId === first)!;
    expect(entryDetail(related, wall, labels)).toBe('related: (none) → incident DMO-20261201-0002');
  });

  it('says an empty map, an empty list and an id the answer cannot name in words', () => {
    const entry = (field: string, before: unknown, after: unknown) => view('alteration', 'incident.update', null, { field, before: JSON.stringify(before), after: JSON.stringify(after) });
    expect(entryDetail(entry('fields', {}, { a: 1 }), wall)).toBe('fields: (none) → a: 1');
    expect(entryDetail(entry('related', [], [OTHER]), wall)).toBe('related: (none) → an incident not named here');
    expect(entryDetail(entry('target', null, { kind: 'incident', id: OTHER }), wall, LABELS)).toBe('target: (none) → incident DMO-2026-000124');
  });
});

describe('a risk assessment changed, in the answer (issue 13 try-out: a grade change showed the whole assessment twice)', () => {
  const assessment = { answers: [{ questionId: 'danger-now', answer: 'yes', note: 'Knife' }, { questionId: 'injured', answer: 'no', note: '' }], assessedAt: '2026-12-01T10:05:00.000Z', assessedBy: 'carol', stale: false, staleBecause: null };
  const change = (command: string, before: unknown, after: unknown) => view('alteration', command, null, { field: 'thrive', before: JSON.stringify(before), after: JSON.stringify(after) });

  it('says an assessment only marked out of date once, as what happened, and a new one by who, when and its answers', () => {
    const regraded = change('incident.regrade', assessment, { ...assessment, stale: true, staleBecause: 'grade changed to 1' });
    expect(entryDetail(regraded, wall, LABELS)).toBe('risk assessment (THRIVE): marked out of date (grade changed to 1)');
    const first = change('incident.assessRisk', null, assessment);
    expect(entryDetail(first, wall, LABELS)).toBe('risk assessment (THRIVE): (none) → assessed by carol at 2026-12-01 10:05 GMT: danger-now yes (Knife), injured no');
    const again = change('incident.assessRisk', { ...assessment, stale: true, staleBecause: 'grade changed to 1' }, { ...assessment, answers: [{ questionId: 'danger-now', answer: 'no', note: '' }], assessedAt: '2026-12-01T10:20:00.000Z' });
    expect(entryDetail(again, wall, LABELS)).toBe(
      'risk assessment (THRIVE): assessed by carol at 2026-12-01 10:05 GMT: danger-now yes (Knife), injured no; out of date: grade changed to 1 → assessed by carol at 2026-12-01 10:20 GMT: danger-now no',
    );
  });
});

describe('a look at an incident in the answer', () => {
  // Issue 13, a try-out's finding: one opening showed "opened the incident's detail; reason: … (opened its detail)",
  // the server's `how` and the channel's words side by side. One consultation, said once.
  it('says how it was looked at once, then why', () => {
    const look = view('consultation', 'record.consulted', { channel: 'incidents.get', query: { id: INCIDENT }, reason: 'Working on DMO-1', revealed: [] }, { how: "opened the incident's detail" });
    const words = entryDetail(look, wall, LABELS);
    expect(words).toBe("opened the incident's detail; reason: Working on DMO-1");
    expect(words.match(/opened/g)).toHaveLength(1);
    const byForce = view('consultation', 'record.consulted', { byForce: 'NBR', channel: 'incidents.get', reason: null, how: 'opened' }, { how: 'opened by force NBR' });
    expect(entryDetail(byForce, wall, LABELS)).toBe('opened by force NBR; no reason asked');
  });
});

describe('a history looked up, in the answer', () => {
  // Issue 13, a try-out's finding: the answer quoted the number and the place as the workstation normalised them
  // (spaces stripped, lower case), not as the operator typed them; the auditor needs what was typed.
  const look = (recordKind: 'caller' | 'location', recordId: string, query: Record<string, unknown>) =>
    ({ kind: 'consultation', recordKind, recordId, after: JSON.stringify({ channel: 'history.lookup', query, reason: null, revealed: [] }) }) as const;

  it('quotes the caller’s number and the place as typed, and the form looked up by beside them', () => {
    // As main/core/handlers/call-handlers.ts records them: the record id normalised, the query as typed.
    expect(consultationHow(look('caller', '07700900444', { point: null, locationText: null, callerNumber: '+44 7700 900 444' }))).toBe('caller history of ‘+44 7700 900 444’ as typed (looked up as 07700900444)');
    expect(consultationHow(look('location', 'portswood road', { point: null, locationText: 'Portswood Road ', callerNumber: null }))).toBe('location history of ‘Portswood Road ’ as typed (looked up as portswood road)');
    // Typed as it was looked up: said once.
    expect(consultationHow(look('caller', '07700900444', { callerNumber: '07700900444' }))).toBe('caller history of 07700900444');
    // Its values erased with the record: the record id is all there is.
    expect(consultationHow({ kind: 'consultation', recordKind: 'caller', recordId: '07700900444', after: 'sealed', valuesErased: true })).toBe('caller history of 07700900444');
  });
});

describe('words a fresh user found codes or nothing in (issue 13 try-out)', () => {
  it('says a field by its words after an erasure, a share’s tier and how in words, a grade by the force’s name, and what changed where both sides read the same', () => {
    const erased = view('alteration', 'incident.close', null, { field: 'closingCode', before: null, after: null, valuesErased: true });
    expect(entryDetail(erased, wall, LABELS)).toBe('closing code: values erased with the record');
    const reserved = view('alteration', 'incident.update', null, { field: 'reservedUnits', before: null, after: '{}' });
    expect(entryDetail(reserved, wall, LABELS)).toBe('reserved units: none before or after');
    const shared = view('disclosure', 'share.create', { action: 'share', recipient: 'NBR', tier: 'view', how: 'by_hand', share: OTHER, reason: null });
    expect(entryDetail(shared, wall, LABELS)).toBe('shared with force NBR (view, by hand)');
    const graded = view('moment', 'moment.recorded', { what: 'graded', contactId: CALL, grade: '3' }, { recordKind: 'contact', recordId: CALL });
    expect(entryDetail(graded, wall, LABELS, { grade: { '3': 'Scheduled (3)' } })).toBe('grade chosen on the form: Scheduled (3)');
  });
});
