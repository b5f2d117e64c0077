import { describe, expect, it } from 'vitest';
import { chainEntries, type AuditDraft, type AuditEntry } from '../../server/audit/audit-chain';
import { keyName, newRecordKey, sealDrafts, type RecordKeyBytes } from '../../server/audit/audit-seal';
import { SealedValuesCheck } from '../../server/audit/verify-keys';

// The keys half of `npm run audit -- verify`: a key gone without an erasure, a key replaced, or an erasure that left
// its key behind is named; an erasure done as the server does it (entry, then key deleted) is not.

function draft(recordId: string, n: number, over: Partial<AuditDraft> = {}): AuditDraft {
  return {
    recordedAt: '2026-11-29T10:00:00.000Z',
    issuedAt: '2026-11-29T09:59:00.000Z',
    operator: 'alice',
    workstation: 'WS-A',
    clientId: '0b9c3f0e-5d43-4e0d-9d1a-1f6c0f7b2a11',
    force: 'DMO',
    commandId: `c${n}`,
    command: 'incident.update',
    kind: 'alteration',
    recordKind: 'incident',
    recordId,
    field: 'callerName',
    before: null,
    after: JSON.stringify(`Caller ${n}`),
    ...over,
  };
}

const erasure = (recordId: string, n: number) => draft(recordId, n, { kind: 'erasure', command: 'records.erase', field: null, after: JSON.stringify({ reason: 'retention period ended', records: 1 }) });

/** Entries as stored (sealed under each record's key) and the keys, as the server would leave them. */
function log(drafts: AuditDraft[]): { entries: AuditEntry[]; keys: Map<string, RecordKeyBytes> } {
  const keys = new Map<string, RecordKeyBytes>();
  const sealed = sealDrafts(drafts, (kind, id) => {
    const name = keyName({ recordKind: kind, recordId: id });
    if (!keys.has(name)) keys.set(name, newRecordKey());
    return keys.get(name)!;
  });
  return { entries: chainEntries(null, sealed), keys };
}

/** Runs the check over `entries` in pages of two, looking keys up in `keys` as the storage would. */
function check(entries: AuditEntry[], keys: ReadonlyMap<string, RecordKeyBytes>) {
  const sealed = new SealedValuesCheck();
  for (let i = 0; i < entries.length; i += 2) {
    const page = entries.slice(i, i + 2);
    const wanted = SealedValuesCheck.recordsToLookUp(page);
    sealed.addPage(page, new Map(wanted.filter((name) => keys.has(name)).map((name) => [name, keys.get(name)!])));
  }
  return sealed.problem();
}

describe('checking the audit values’ keys', () => {
  it('finds nothing wrong with every key in place, nor with a record erased as the server erases it', () => {
    const { entries, keys } = log([draft('i1', 1), draft('i2', 2), draft('i1', 3), erasure('i2', 4), draft('i1', 5)]);
    keys.delete('incident:i2');
    expect(check(entries, keys)).toBeNull();
  });

  it('names the first entry of a record whose key is gone with no erasure of it in the log', () => {
    const { entries, keys } = log([draft('i1', 1), draft('i2', 2), draft('i2', 3), draft('i1', 4), draft('i3', 5), erasure('i1', 6)]);
    keys.delete('incident:i1');
    keys.delete('incident:i3');
    // i1's erasure is in the log; i3's is not.
    expect(check(entries, keys)).toEqual({ seq: 5, problem: expect.stringContaining('incident:i3, which is gone from audit_keys, yet the log holds no erasure of incident:i3') });
    keys.delete('incident:i2');
    expect(check(entries, keys)?.seq).toBe(2);
  });

  it('names an entry whose values do not open with its record’s key: the key replaced', () => {
    const { entries, keys } = log([draft('i1', 1), draft('i2', 2), draft('i2', 3)]);
    keys.set('incident:i2', newRecordKey());
    expect(check(entries, keys)).toEqual({ seq: 2, problem: expect.stringContaining('do not open with the key of incident:i2') });
  });

  it('names an entry whose sealed values were moved onto another record’s entry', () => {
    const { entries, keys } = log([draft('i1', 1), draft('i2', 2)]);
    const moved = entries.map((e) => (e.seq === 2 ? { ...e, after: entries[0]!.after } : e));
    expect(check(moved, keys)?.problem).toContain('entry 2');
  });

  it('names an erasure whose record’s key is still there: its values can still be read', () => {
    const { entries, keys } = log([draft('i1', 1), erasure('i1', 2)]);
    expect(check(entries, keys)).toEqual({ seq: 2, problem: expect.stringContaining('its key is still in audit_keys') });
  });
});
