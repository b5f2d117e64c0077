import { openEntries, type RecordKeyBytes } from './audit-seal';
import type { AuditEntry } from './audit-chain';
import { revealedOnce } from './command-audit';
import type { ChainBreak } from './verify-chain';

/** A row of `audit_reveals` (server migration 13): `seq`'s consultation showed the record `recordKind`/`recordId`. */
export interface RevealRow {
  seq: number;
  recordKind: string;
  recordId: string;
}

/**
 * The third part of `npm run audit -- verify`, beside the hash chain and the keys: the index of what each
 * consultation showed (`audit_reveals`), which "who looked at this incident" reads to find the searches and histories
 * that showed it. The index is not hashed; what it must hold is, in each consultation entry's `after.revealed`. A row
 * deleted hides a look from that question, and a row planted names someone as having seen what they never saw; so
 * the index must be exactly what the entries say (revealedOnce, as the storages wrote it), no more and no less.
 *
 * Fed a page of entries at a time with their opened values' keys and the index rows of that page's span of
 * sequence numbers (`from`…`to`), then once with the rows past the end of the log. A consultation whose values were
 * erased (sealed, its key gone with its record) cannot be read, nor one whose key was replaced (the keys' check names
 * that), so its rows are taken as they stand; only a look at
 * an erased record is so, and its reveals went with it in the erasure.
 */
export class RevealsIndexCheck {
  private broken: ChainBreak | null = null;

  /** Takes a page of entries (in sequence order) and the index rows whose seq lies in the page's span; false once a problem is found. */
  addPage(entries: readonly AuditEntry[], keys: ReadonlyMap<string, RecordKeyBytes>, rows: readonly RevealRow[]): boolean {
    if (this.broken) return false;
    const indexed = new Map<number, Set<string>>();
    for (const row of rows) {
      const at = indexed.get(row.seq) ?? new Set<string>();
      at.add(`${row.recordKind}:${row.recordId}`);
      indexed.set(row.seq, at);
    }
    for (const stored of entries) {
      const found = indexed.get(stored.seq) ?? new Set<string>();
      indexed.delete(stored.seq);
      const entry = opened(stored, keys);
      if (entry === null || entry.valuesErased) continue;
      const expected = new Set(revealedOnce(entry.recordKind, entry.recordId, revealedIn(entry)).map((r) => `${r.kind}:${r.id}`));
      const missing = [...expected].find((record) => !found.has(record));
      if (missing) return this.fail({ seq: entry.seq, problem: `entry ${entry.seq} showed ${missing}, but the index of what consultations showed (audit_reveals) has no row for it (removed: "who looked at" would leave this look out)` });
      const planted = [...found].find((record) => !expected.has(record));
      if (planted) return this.fail({ seq: entry.seq, problem: `the index of what consultations showed (audit_reveals) says entry ${entry.seq} showed ${planted}, which the entry does not say (added: it names someone as having seen what they did not)` });
    }
    // Rows naming a seq in the span that is no consultation of this page (the page read them by span, not by entry).
    const [stray] = [...indexed.keys()].sort((a, b) => a - b);
    if (stray !== undefined) return this.fail({ seq: stray, problem: `the index of what consultations showed (audit_reveals) names entry ${stray} as showing ${[...indexed.get(stray)!][0]}, which the entry does not say (added)` });
    return true;
  }

  /** Takes the index rows past the log's last entry: any is a row added for an entry that does not exist. */
  addRowsPastEnd(rows: readonly RevealRow[]): boolean {
    if (this.broken) return false;
    const [first] = rows;
    if (first) return this.fail({ seq: first.seq, problem: `the index of what consultations showed (audit_reveals) names entry ${first.seq}, past the end of the log, as showing ${first.recordKind}:${first.recordId} (added)` });
    return true;
  }

  /** The first problem found; null when the index is exactly what the entries say. */
  problem(): ChainBreak | null {
    return this.broken;
  }

  private fail(problem: ChainBreak): false {
    this.broken = problem;
    return false;
  }
}

/** The entry with its values opened; null when they do not open (a key replaced: the keys' check names that). */
function opened(entry: AuditEntry, keys: ReadonlyMap<string, RecordKeyBytes>): AuditEntry | null {
  try {
    return openEntries([entry], keys)[0]!;
  } catch {
    return null;
  }
}

/** The records a consultation's `after` says its answer showed (`revealed`); none for any other entry or a value not so shaped. */
function revealedIn(entry: AuditEntry): { kind: string; id: string }[] {
  if (entry.kind !== 'consultation' || entry.after === null) return [];
  try {
    const revealed = (JSON.parse(entry.after) as { revealed?: unknown }).revealed;
    if (!Array.isArray(revealed)) return [];
    return revealed.filter((r): r is { kind: string; id: string } => typeof r === 'object' && r !== null && typeof (r as { kind?: unknown }).kind === 'string' && typeof (r as { id?: unknown }).id === 'string');
  } catch {
    return [];
  }
}
