import { isSealed, keyName, openEntries, type RecordKeyBytes } from './audit-seal';
import type { AuditEntry } from './audit-chain';
import type { ChainBreak } from './verify-chain';

/**
 * The second half of `npm run audit -- verify`, beside the hash chain (verify-chain.ts): the keys the entries' values
 * are sealed under (server/audit/audit-seal.ts). The chain hashes the sealed text, so it cannot see a key deleted or
 * replaced in `audit_keys`; yet either makes a record's audit values unreadable, which only an erasure may do, and an
 * erasure leaves an `erasure` entry in the chain. So:
 * - a sealed entry whose record has no key must have an erasure of that record in the log (after it: an erasure is
 *   written last); a key gone without one was deleted outside an erasure;
 * - a sealed entry whose record has a key must open with it (AES-GCM's tag); one that does not was sealed under
 *   another key: the key was replaced, or the value moved from another record's entry;
 * - an erased record's key must be gone: one still there means the erasure left its values readable.
 *
 * Fed the log a page at a time in sequence order with the keys that exist for that page's records
 * (`recordsToLookUp`), so a year's log is checked without holding it in memory; what it keeps is the records seen
 * sealed without a key (erased ones, normally few) and the records erased.
 */
export class SealedValuesCheck {
  /** Records seen sealed with no key, with the first entry so seen (`kind:id` → seq). */
  private keyless = new Map<string, number>();
  private erased = new Set<string>();
  private broken: ChainBreak | null = null;

  /** The records (`kind:id`) of a page whose keys the check needs: those with sealed values, and those erased. */
  static recordsToLookUp(entries: readonly AuditEntry[]): string[] {
    return [...new Set(entries.filter((e) => e.kind === 'erasure' || isSealed(e.before) || isSealed(e.after)).map(keyName))];
  }

  /** Takes the next page, with the keys that exist now for its records; false once a problem is found. */
  addPage(entries: readonly AuditEntry[], keys: ReadonlyMap<string, RecordKeyBytes>): boolean {
    for (const entry of entries) {
      if (this.broken) return false;
      const record = keyName(entry);
      if (entry.kind === 'erasure') {
        this.erased.add(record);
        if (keys.has(record)) this.broken = { seq: entry.seq, problem: `entry ${entry.seq} erases ${record}, yet its key is still in audit_keys: its audit values can still be read` };
        continue;
      }
      if (!isSealed(entry.before) && !isSealed(entry.after)) continue;
      if (!keys.has(record)) {
        if (!this.keyless.has(record)) this.keyless.set(record, entry.seq);
        continue;
      }
      try {
        openEntries([entry], keys);
      } catch {
        this.broken = { seq: entry.seq, problem: `entry ${entry.seq}'s values do not open with the key of ${record} (the key was replaced, or the values were moved from another record's entry)` };
      }
    }
    return this.broken === null;
  }

  /** The first problem, once the whole log has been read: null when every sealed value is as an erasure left it. */
  problem(): ChainBreak | null {
    if (this.broken) return this.broken;
    let first: ChainBreak | null = null;
    for (const [record, seq] of this.keyless) {
      if (this.erased.has(record) || (first && first.seq < seq)) continue;
      first = { seq, problem: `entry ${seq}'s values are sealed under the key of ${record}, which is gone from audit_keys, yet the log holds no erasure of ${record} (the key was deleted outside an erasure)` };
    }
    return first;
  }
}
