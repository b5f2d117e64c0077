import { describe, expect, it } from 'vitest';
import { chainEntries, GENESIS_HASH, hashEntry, type AuditDraft, type AuditEntry } from '../../server/audit/audit-chain';
import { describeVerdict, parseAnchor, verifyChain } from '../../server/audit/verify-chain';

function draft(n: number): AuditDraft {
  return {
    recordedAt: `2026-11-29T10:00:0${n % 10}.000Z`,
    issuedAt: `2026-11-29T09:59:0${n % 10}.000Z`,
    operator: 'alice',
    workstation: 'WS-A',
    clientId: '0b9c3f0e-5d43-4e0d-9d1a-1f6c0f7b2a11',
    force: null,
    commandId: `c${n}`,
    command: 'incident.update',
    kind: 'alteration',
    recordKind: 'incident',
    recordId: 'i1',
    field: 'grade',
    before: JSON.stringify(String(n)),
    after: JSON.stringify(String(n + 1)),
  };
}

const chain = (count: number): AuditEntry[] => chainEntries(null, Array.from({ length: count }, (_, i) => draft(i + 1)));

describe('the audit hash chain', () => {
  it('numbers entries from 1, each carrying the hash of the one before, and finds a whole chain intact', () => {
    const entries = chain(5);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[3]!.prevHash).toBe(entries[2]!.hash);
    expect(entries[4]!.hash).toMatch(/^[0-9a-f]{64}$/);
    const verdict = verifyChain(entries);
    expect(verdict).toEqual({ intact: true, entries: 5, lastSeq: 5, lastHash: entries[4]!.hash });
    expect(describeVerdict(verdict)).toBe(`audit log intact: 5 entries, 1 to 5, newest anchor 5:${entries[4]!.hash}`);
  });

  it('goes on from the newest entry when more are appended later', () => {
    const first = chain(2);
    const more = chainEntries({ seq: 2, hash: first[1]!.hash }, [draft(3)]);
    expect(more[0]).toMatchObject({ seq: 3, prevHash: first[1]!.hash });
    expect(verifyChain([...first, ...more]).intact).toBe(true);
  });

  it('names an entry whose contents were changed, by any field', () => {
    for (const change of [{ after: '"1"' }, { operator: 'mallory' }, { before: null }, { force: 'XX' }, { recordedAt: '2026-11-29T11:00:00.000Z' }]) {
      const entries = chain(5);
      entries[2] = { ...entries[2]!, ...change };
      const verdict = verifyChain(entries);
      expect(verdict).toMatchObject({ intact: false, checked: 2, broken: { seq: 3 } });
      expect(describeVerdict(verdict)).toBe("audit log broken at entry 3: entry 3's contents do not match its hash (changed after it was written); the 2 entries before it are intact");
    }
  });

  it('names an entry changed with its own hash recomputed, by the next entry no longer following it', () => {
    const entries = chain(5);
    const forged = { ...entries[2]!, after: '"1"' };
    entries[2] = { ...forged, hash: hashEntry(forged) };
    expect(verifyChain(entries)).toMatchObject({ intact: false, broken: { seq: 4, problem: expect.stringContaining('entry 4 does not follow entry 3') } });
  });

  it('names a removed entry, from the middle or the start', () => {
    const entries = chain(5);
    expect(verifyChain([...entries.slice(0, 2), ...entries.slice(3)])).toMatchObject({
      intact: false,
      broken: { seq: 3, problem: 'entry 3 is missing: the next entry in the log is 4 (removed)' },
    });
    expect(verifyChain(entries.slice(1))).toMatchObject({ intact: false, broken: { seq: 1, problem: expect.stringContaining('entry 1 is missing') } });
    expect(verifyChain([...entries.slice(0, 1), ...entries.slice(3)])).toMatchObject({ broken: { seq: 2, problem: expect.stringContaining('entries 2 to 3 are missing') } });
  });

  it('names a removed entry whose followers were renumbered to close the gap', () => {
    const entries = chain(5);
    const renumbered = [...entries.slice(0, 2), ...entries.slice(3).map((e) => ({ ...e, seq: e.seq - 1 }))];
    // Renumbering changes what was hashed; recomputing those hashes leaves the link to entry 2 broken instead.
    expect(verifyChain(renumbered)).toMatchObject({ intact: false, broken: { seq: 3, problem: expect.stringContaining('changed after it was written') } });
    const rehashed = renumbered.map((e, i) => (i < 2 ? e : { ...e, hash: hashEntry(e) }));
    expect(verifyChain(rehashed)).toMatchObject({ intact: false, broken: { seq: 3, problem: expect.stringContaining('entry 3 does not follow entry 2') } });
  });

  it('names reordered entries, whether read out of order or renumbered into the new order', () => {
    const entries = chain(5);
    expect(verifyChain([entries[0]!, entries[1]!, entries[3]!, entries[2]!, entries[4]!])).toMatchObject({ intact: false, broken: { seq: 3, problem: expect.stringContaining('entry 3 is missing') } });
    const swapped = [entries[0]!, entries[1]!, { ...entries[3]!, seq: 3 }, { ...entries[2]!, seq: 4 }, entries[4]!];
    expect(verifyChain(swapped)).toMatchObject({ intact: false, broken: { seq: 3 } });
    const swappedRehashed = swapped.map((e, i) => (i === 2 || i === 3 ? { ...e, hash: hashEntry(e) } : e));
    expect(verifyChain(swappedRehashed)).toMatchObject({ intact: false, broken: { seq: 3, problem: expect.stringContaining('does not follow entry 2') } });
    expect(verifyChain([entries[0]!, entries[1]!, entries[1]!])).toMatchObject({ intact: false, broken: { seq: 2, problem: 'an entry numbered 2 comes after entry 2 (out of order or repeated)' } });
  });

  it('finds an empty log intact and says so', () => {
    expect(describeVerdict(verifyChain([]))).toBe('audit log intact: no entries yet');
  });

  describe('with anchors kept elsewhere', () => {
    /** The whole chain rewritten from entry `from` on, with every hash recomputed: it fits together again. */
    function rewrittenFrom(entries: AuditEntry[], from: number): AuditEntry[] {
      const kept = entries.slice(0, from - 1);
      const drafts = entries.slice(from - 1).map((e, i) => ({ ...draft(from + i), operator: i === 0 ? 'mallory' : e.operator }));
      return [...kept, ...chainEntries(kept.length ? { seq: kept.length, hash: kept.at(-1)!.hash } : null, drafts)];
    }

    it('finds a chain rewritten with its hashes recomputed, which fits together without the anchor', () => {
      const entries = chain(6);
      const anchor = { seq: 4, hash: entries[3]!.hash };
      const forged = rewrittenFrom(entries, 3);
      expect(verifyChain(forged).intact).toBe(true);
      const verdict = verifyChain(forged, [anchor]);
      expect(verdict).toMatchObject({ intact: false, checked: 3, broken: { seq: 4 } });
      expect(describeVerdict(verdict)).toContain(`entry 4's hash is ${forged[3]!.hash.slice(0, 12)}, not ${anchor.hash.slice(0, 12)} as its anchor noted elsewhere says`);
      // Entries 3 on were rewritten and fit together: the verdict must not call the ones before the break intact.
      expect(describeVerdict(verdict)).not.toContain('intact');
      expect(describeVerdict(verdict)).toContain('no earlier anchor vouches for any entry, so none before it can be trusted either');
      expect(describeVerdict(verifyChain(forged, [{ seq: 2, hash: entries[1]!.hash }, anchor]))).toContain('entries 1 to 2 are as an earlier anchor vouched; those after it cannot be trusted');
    });

    it('finds entries cut from the end, past an anchor', () => {
      const entries = chain(6);
      const verdict = verifyChain(entries.slice(0, 3), [{ seq: 5, hash: entries[4]!.hash }]);
      expect(verdict).toMatchObject({ intact: false, broken: { seq: 4 } });
      expect(describeVerdict(verdict)).toContain('entries 4 to 5 are missing from the end: the anchor noted elsewhere names entry 5, and the log ends at 3');
      expect(describeVerdict(verdict)).not.toContain('intact');
    });

    it('finds a whole chain intact with every anchor it holds, and the printed anchor reads back', () => {
      const entries = chain(6);
      const printed = describeVerdict(verifyChain(entries)).split('newest anchor ')[1]!;
      expect(parseAnchor(printed)).toEqual({ seq: 6, hash: entries[5]!.hash });
      expect(verifyChain(entries, [parseAnchor(printed), { seq: 2, hash: entries[1]!.hash }]).intact).toBe(true);
    });

    it('refuses an anchor that is not SEQ:HASH', () => {
      for (const bad of ['5', '0:' + 'a'.repeat(64), '5:' + 'a'.repeat(63), 'x:' + 'a'.repeat(64), '5:' + 'g'.repeat(64)]) {
        expect(() => parseAnchor(bad)).toThrow('an anchor is SEQ:HASH');
      }
    });
  });
});
