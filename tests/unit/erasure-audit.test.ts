import { describe, expect, it } from 'vitest';
import { erasedRecordsOf, erasureDrafts } from '../../server/audit/erasure-audit';
import { referencesOf } from '../../server/storage/erased-references';

// The erasure's audit entries (server/audit/erasure-audit.ts) carry what a question about the erased incident needs
// later, when its records name nothing any more: its references, and the records that went with it.
const act = { by: 'admin', workstation: 'WS-ADMIN', clientId: 'c-1', force: 'DMO', at: '2026-11-30T09:00:00.000Z', reason: 'Retention ended' };
const erased = [
  { kind: 'incident' as const, id: 'i-1' },
  { kind: 'logEntry' as const, id: 'l-1' },
  { kind: 'contact' as const, id: 'c-1' },
];

describe('an erasure’s audit entries', () => {
  it('on the target: why, how many, its references and every record erased with it, readable back in that order', () => {
    const [target, ...others] = erasureDrafts(act, erased, ['DMO-2026-000001', 'WS-1-0001']);
    expect(JSON.parse(target!.after!)).toEqual({ reason: 'Retention ended', records: 3, references: ['DMO-2026-000001', 'WS-1-0001'], erased });
    expect(erasedRecordsOf(target!.after)).toEqual(erased);
    expect(others.map((o) => JSON.parse(o.after!))).toEqual([1, 2].map(() => ({ reason: 'Retention ended', with: { kind: 'incident', id: 'i-1', references: ['DMO-2026-000001', 'WS-1-0001'] } })));
    expect(new Set([target, ...others].map((d) => d!.commandId)).size).toBe(1);
  });

  it('an entry that lists no records (another’s, an older erasure’s, not JSON) gives none', () => {
    const [, other] = erasureDrafts(act, erased);
    expect(erasedRecordsOf(other!.after)).toBeNull();
    expect(erasedRecordsOf('{"reason":"x","records":3}')).toBeNull();
    expect(erasedRecordsOf('sealed:1:abc')).toBeNull();
    expect(erasedRecordsOf(null)).toBeNull();
    expect(erasedRecordsOf('{"erased":[{"kind":"nonsense","id":"x"},{"kind":"incident","id":"i-2"}]}')).toEqual([{ kind: 'incident', id: 'i-2' }]);
  });

  it('keeps an incident’s force and provisional references, each once, and none of other kinds', () => {
    expect(referencesOf('incident', { reference: 'DMO-2026-000001', provisionalReference: 'WS-1-0001' })).toEqual(['DMO-2026-000001', 'WS-1-0001']);
    expect(referencesOf('incident', { reference: null, provisionalReference: 'WS-1-0001' })).toEqual(['WS-1-0001']);
    expect(referencesOf('contact', { reference: 'X' })).toEqual([]);
    expect(referencesOf('incident', null)).toEqual([]);
  });
});
