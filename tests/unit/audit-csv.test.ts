import { describe, expect, it } from 'vitest';
import { auditCsv } from '../../server/audit/audit-csv';
import type { AuditEntryView } from '../../shared/sync/audit-protocol';
import { codeNamesOf } from '../../shared/domain/audit-words';
import { demoConfig } from '../fakes/fixtures';

const entry = (overrides: Partial<AuditEntryView>): AuditEntryView => ({
  seq: 7,
  recordedAt: '2026-07-01T13:05:09.000Z',
  issuedAt: '2026-07-01T13:05:00.000Z',
  operator: 'alice',
  workstation: 'WS-A',
  force: null,
  command: 'incident.update',
  kind: 'alteration',
  recordKind: 'incident',
  recordId: 'b8e3c1f0-0000-4000-8000-000000000001',
  field: 'description',
  before: null,
  after: null,
  ...overrides,
});

/** The data lines of a file (CRLF line ends), the header dropped. */
const lines = (csv: string) => csv.split('\r\n').slice(1, -1);

describe('an audit answer exported as CSV', () => {
  it('starts with a byte order mark and a header naming every column, and ends every line with CRLF', () => {
    const csv = auditCsv([entry({})], 'Europe/London');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFseq,recorded_at_utc,recorded_at_local,issued_at_utc,issued_at_local,operator,workstation,force,kind,command,record_kind,record_id,record,field,before,after,field_code,before_code,after_code,clock');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(3);
  });

  it('quotes a field holding a comma, a quote or a line break, doubling its quotes, and keeps the line break inside it', () => {
    const csv = auditCsv([entry({ before: '"Fight, outside ""The Swan"""', after: '"Two men\nfighting"' })], 'Europe/London');
    expect(csv).toContain(',"""Fight, outside """"The Swan""""""","""Two men\nfighting""",\r\n');
    // A reader splitting on CRLF sees one record: the line break in the field is not a record's end.
    expect(lines(csv)).toHaveLength(1);
  });

  it('says an erased record’s values are erased, rather than leaving their cells blank as for a field that was absent', () => {
    const csv = auditCsv([entry({ valuesErased: true })], 'Europe/London');
    expect(lines(csv)[0]).toMatch(/,description,\(erased\),\(erased\),$/);
  });

  it('says in its last column when an entry’s two times differ by more than the allowed skew: late, or a doubtful clock', () => {
    const csv = auditCsv(
      [
        entry({ issuedAt: '2026-07-01T18:05:00.000Z', clock: { says: 'ahead', byMs: 5 * 3_600_000 } }),
        entry({ issuedAt: '2026-07-01T05:00:00.000Z', clock: { says: 'before-ticket', ticketAt: '2026-07-01T07:00:00.000Z' } }),
        entry({ issuedAt: '2026-07-01T11:05:00.000Z', clock: { says: 'late', byMs: 2 * 3_600_000 } }),
        entry({}),
      ],
      'Europe/London',
    );
    const [ahead, beforeTicket, late, agreeing] = lines(csv);
    expect(ahead).toMatch(/,doubtful clock: the workstation's time is 5 h after the server recorded it$/);
    expect(beforeTicket).toMatch(/,doubtful clock: the workstation's time is before the operator's first sign-in there \(2026-07-01 08:00 BST\)$/);
    expect(late).toMatch(/,reached the server 2 h after it was done at the workstation \(done offline or waiting to be sent\)$/);
    expect(agreeing).toMatch(/,$/);
  });

  it('gives an erased look no before, as a look never has one: only what it carried is erased', () => {
    const csv = auditCsv([entry({ kind: 'consultation', command: 'record.consulted', field: null, valuesErased: true })], 'Europe/London');
    expect(lines(csv)[0]).toMatch(/,values erased with the record,,,\(erased\),$/);
  });

  it('writes each time in UTC as the log holds it, and in the force’s time with its zone always marked', () => {
    const [summer, winter] = lines(auditCsv([entry({}), entry({ recordedAt: '2026-12-01T09:00:00.000Z', issuedAt: '2026-12-01T08:59:30.000Z' })], 'Europe/London'));
    expect(summer).toMatch(/^7,2026-07-01T13:05:09.000Z,2026-07-01 14:05:09 BST,2026-07-01T13:05:00.000Z,2026-07-01 14:05:00 BST,alice,/);
    expect(winter).toMatch(/^7,2026-12-01T09:00:00.000Z,2026-12-01 09:00:00 GMT,2026-12-01T08:59:30.000Z,2026-12-01 08:59:30 GMT,/);
  });

  it('tells the two 01:30s of the night the clocks go back apart', () => {
    // 25 October 2026: 01:30 BST is 00:30 UTC, 01:30 GMT is 01:30 UTC.
    const [first, second] = lines(auditCsv([entry({ recordedAt: '2026-10-25T00:30:00.000Z' }), entry({ recordedAt: '2026-10-25T01:30:00.000Z' })], 'Europe/London'));
    expect(first!.split(',')[2]).toBe('2026-10-25 01:30:00 BST');
    expect(second!.split(',')[2]).toBe('2026-10-25 01:30:00 GMT');
  });

  it('names each record in a column of its own, as the audit window does, and by its kind in words and id where it has no name', () => {
    const named = auditCsv([entry({ recordKind: 'logEntry', recordId: 'l-1', field: null })], 'Europe/London', { recordName: () => 'log entry on DMO-20261201-0004' });
    expect(lines(named)[0]).toContain(',logEntry,l-1,log entry on DMO-20261201-0004,,');
    const unnamed = auditCsv([entry({ recordKind: 'logEntry', recordId: 'l-1', field: null })], 'Europe/London');
    expect(lines(unnamed)[0]).toContain(',logEntry,l-1,log entry l-1,,');
  });

  it('keeps a spreadsheet from running a field as a formula', () => {
    const [line] = lines(auditCsv([entry({ workstation: '=HYPERLINK("x")', field: null })], 'Europe/London'));
    expect(line).toContain(`,"'=HYPERLINK(""x"")",`);
  });

  // Issue 13, a try-out's finding: the file's field, before and after kept the log's codes and ids where the window
  // gives words. Now in words, with the log's exact values kept in three columns of their own at the end.
  it('gives each change in words, as the window does, and the values as the log holds them in columns of their own', () => {
    const INCIDENT = '7d3c1e2a-0b4f-4c6d-8e9f-1a2b3c4d5e6f';
    const grade = demoConfig.grades[0]!;
    const type = demoConfig.incidentTypes[0]!;
    const rows = [
      entry({ field: 'grade', before: JSON.stringify(demoConfig.grades[1]!.code), after: JSON.stringify(grade.code) }),
      entry({ field: 'type', before: null, after: JSON.stringify(type.code) }),
      entry({ kind: 'alteration', recordKind: 'assignment', field: 'status', before: '"en_route"', after: '"at_scene"' }),
      entry({ recordKind: 'contact', field: 'incidentId', before: 'null', after: JSON.stringify(INCIDENT) }),
      entry({ field: 'related', before: '[]', after: JSON.stringify([INCIDENT]) }),
      entry({ field: 'thrive', before: '{}', after: JSON.stringify({ answers: [{ questionId: 'danger-now', answer: 'yes' }] }) }),
      entry({ kind: 'consultation', command: 'record.consulted', field: null, after: JSON.stringify({ channel: 'incidents.get', query: { id: INCIDENT }, reason: 'Working on DMO-1', revealed: [] }), how: "opened the incident's detail" }),
    ];
    const csv = auditCsv(rows, 'Europe/London', { labels: { [`incident:${INCIDENT}`]: 'incident DMO-20261201-0004' }, names: codeNamesOf(demoConfig) });
    const [regraded, typed, moved, attached, linked, assessed, looked] = lines(csv);
    // Each row: …,record,field,before,after,field_code,before_code,after_code (the words, then the log's values).
    expect(regraded).toContain(`,grade,${demoConfig.grades[1]!.name} (${demoConfig.grades[1]!.code}),${grade.name} (${grade.code}),grade,`);
    expect(typed).toContain(`,type,(none),${type.name} (${type.code}),type,`);
    expect(moved).toContain(',status,en route,at scene,status,"""en_route""","""at_scene"""');
    expect(attached).toContain(`,incident,(none),incident DMO-20261201-0004,incidentId,null,"""${INCIDENT}"""`);
    expect(linked).toContain(`,related,(none),incident DMO-20261201-0004,related,[],"[""${INCIDENT}""]"`);
    expect(assessed).toContain(',risk assessment (THRIVE),(none),assessed: danger-now yes,thrive,{},');
    expect(looked).toContain(",,,opened the incident's detail; reason: Working on DMO-1,,,");
    // The words hold no id, no JSON, no code with underscores.
    for (const line of [regraded, typed, moved, attached, linked, assessed]) {
      const words = line!.split(',').slice(13, 16).join(',');
      expect(words).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\{|\}|\[|\]|"|_/);
    }
  });
});
