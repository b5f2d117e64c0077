import { describe, expect, it } from 'vitest';
import { chainEntries, type AuditDraft, type AuditEntry } from '../../server/audit/audit-chain';
import { RevealsIndexCheck, type RevealRow } from '../../server/audit/verify-reveals';

// What `npm run audit -- verify` holds the index of what consultations showed (audit_reveals) to: exactly the
// records each consultation's hashed `after.revealed` names, beyond the record consulted.
function entry(n: number, over: Partial<AuditDraft>): AuditDraft {
  return {
    recordedAt: `2026-12-01T10:00:0${n}.000Z`,
    issuedAt: `2026-12-01T10:00:0${n}.000Z`,
    operator: 'dan',
    workstation: 'WS-B',
    clientId: '0b9c3f0e-5d43-4e0d-9d1a-1f6c0f7b2a11',
    force: 'DMO',
    commandId: `c${n}`,
    command: 'record.consulted',
    kind: 'consultation',
    recordKind: 'search',
    recordId: 'DMO-2026',
    field: null,
    before: null,
    after: null,
    ...over,
  };
}

const search = (n: number, revealed: { kind: string; id: string }[]) =>
  entry(n, { after: JSON.stringify({ channel: 'incidents.search', query: { text: 'DMO-2026' }, reason: null, revealed }) });

function log(): AuditEntry[] {
  return chainEntries(null, [
    search(1, [
      { kind: 'incident', id: 'i1' },
      { kind: 'incident', id: 'i2' },
      { kind: 'incident', id: 'i1' },
    ]),
    entry(2, { kind: 'alteration', command: 'incident.update', recordKind: 'incident', recordId: 'i1', field: 'grade', before: '"2"', after: '"1"' }),
    // An incident opened: the record consulted is the one revealed, so the index has nothing for it.
    entry(3, { recordKind: 'incident', recordId: 'i2', after: JSON.stringify({ channel: 'incidents.get', query: { id: 'i2' }, reason: null, revealed: [{ kind: 'incident', id: 'i2' }] }) }),
  ]);
}

const written: RevealRow[] = [
  { seq: 1, recordKind: 'incident', recordId: 'i1' },
  { seq: 1, recordKind: 'incident', recordId: 'i2' },
];

function check(rows: RevealRow[], pastEnd: RevealRow[] = []): string | null {
  const verify = new RevealsIndexCheck();
  if (verify.addPage(log(), new Map(), rows)) verify.addRowsPastEnd(pastEnd);
  return verify.problem()?.problem ?? null;
}

describe('the index of what consultations showed, checked against the entries', () => {
  it('passes the index exactly as the entries say, each record once', () => {
    expect(check(written)).toBeNull();
  });

  it('names a row removed, which would hide a look from "who looked at this incident"', () => {
    expect(check([written[0]!])).toBe('entry 1 showed incident:i2, but the index of what consultations showed (audit_reveals) has no row for it (removed: "who looked at" would leave this look out)');
  });

  it('names a row planted on a consultation, on an entry that is no consultation, and past the end of the log', () => {
    expect(check([...written, { seq: 1, recordKind: 'incident', recordId: 'i9' }])).toContain('says entry 1 showed incident:i9, which the entry does not say (added');
    expect(check([...written, { seq: 2, recordKind: 'incident', recordId: 'i1' }])).toContain('says entry 2 showed incident:i1, which the entry does not say');
    expect(check([...written, { seq: 3, recordKind: 'incident', recordId: 'i2' }])).toContain('says entry 3 showed incident:i2');
    expect(check(written, [{ seq: 7, recordKind: 'incident', recordId: 'i1' }])).toContain('names entry 7, past the end of the log');
  });
});
