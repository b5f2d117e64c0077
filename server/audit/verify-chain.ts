import { GENESIS_HASH, hashEntry, type AuditEntry } from './audit-chain';

/** The first entry that does not fit the chain: its sequence number and what is wrong with it. */
export interface ChainBreak {
  seq: number;
  problem: string;
}

/**
 * An anchor: an entry's sequence number and hash, noted somewhere the database's holder cannot reach (printed,
 * mailed, in another system's log) when verify printed it. The chain is hashed without a key, so
 * someone with the database can rewrite it from any entry onwards and recompute every hash after, or cut entries
 * from its end; only a hash kept elsewhere shows either. Parsed from `SEQ:HASH` (parseAnchor).
 */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

/**
 * Reads `SEQ:HASH` (the form verify prints): a positive whole sequence number and a 64-digit hex SHA-256.
 * Throws an Error saying what is wrong otherwise.
 */
export function parseAnchor(text: string): ChainAnchor {
  const match = /^(\d+):([0-9a-f]{64})$/i.exec(text.trim());
  if (!match || Number(match[1]) < 1) throw new Error(`an anchor is SEQ:HASH, an entry's number and its 64-digit hash as verify prints them, not "${text}"`);
  return { seq: Number(match[1]), hash: match[2]!.toLowerCase() };
}

/** `chainWhole`: every entry fits the chain, and what is wrong is a sealed value's key (verify-keys.ts). */
export type ChainVerdict =
  | { intact: true; entries: number; lastSeq: number; lastHash: string }
  | { intact: false; checked: number; broken: ChainBreak; chainWhole?: true; trustedUpTo?: number };

/**
 * Checks entries in the order the storage keeps them (by sequence number), a page at a time, so a year's log need
 * not be held in memory. Stops at the first entry that does not fit: after a break, every later entry would be
 * reported too, and the first is the one to look at.
 *
 * What each break means: a sequence number out of place is an entry removed (a gap) or entries moved; a stored
 * hash that does not match the entry's contents is an entry changed after it was written; a previous-entry hash
 * that does not match the entry before is an entry removed, moved or replaced whole with its hash recomputed.
 * The newest entries removed from the end leave a shorter chain that is still whole: only the head hash noted
 * elsewhere (the summary prints it as an anchor) shows that, or a rewrite of the chain from some entry onwards with every
 * hash recomputed: hence anchors.
 */
export class ChainVerifier {
  /** The anchors not yet met, by sequence number. */
  private readonly anchors = new Map<number, string>();
  /** The newest entry an anchor vouched for (0: none yet): a rewrite found later began after it. */
  private lastAnchored = 0;
  /** Set when an anchor did not match: the entries after lastAnchored fit together, yet cannot be trusted. */
  private rewritten = false;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private checked = 0;
  private broken: ChainBreak | null = null;

  /** Anchors: entries whose hashes were noted elsewhere, which the chain must still hold, unchanged. */
  constructor(anchors: readonly ChainAnchor[] = []) {
    for (const anchor of anchors) this.anchors.set(anchor.seq, anchor.hash);
  }

  /** Takes the next entry; returns false once the chain is broken (the rest need not be read). */
  add(entry: AuditEntry): boolean {
    if (this.broken) return false;
    const problem = this.problemOf(entry);
    if (problem) {
      this.broken = problem;
      return false;
    }
    this.checked += 1;
    this.expectedSeq = entry.seq + 1;
    this.prevHash = entry.hash;
    return true;
  }

  verdict(): ChainVerdict {
    if (this.broken) return { intact: false, checked: this.checked, broken: this.broken, ...(this.rewritten ? { trustedUpTo: this.lastAnchored } : {}) };
    const lastSeq = this.expectedSeq - 1;
    const beyond = [...this.anchors.keys()].filter((seq) => seq > lastSeq).sort((a, b) => a - b)[0];
    if (beyond !== undefined) {
      const cut = lastSeq + 1 === beyond ? `entry ${beyond} is missing` : `entries ${lastSeq + 1} to ${beyond} are missing`;
      return { intact: false, checked: this.checked, broken: { seq: lastSeq + 1, problem: `${cut} from the end: the anchor noted elsewhere names entry ${beyond}, and the log ends at ${lastSeq} (removed from the end)` }, trustedUpTo: this.lastAnchored };
    }
    return { intact: true, entries: this.checked, lastSeq: this.expectedSeq - 1, lastHash: this.prevHash };
  }

  private problemOf(entry: AuditEntry): ChainBreak | null {
    const expected = this.expectedSeq;
    if (entry.seq > expected) {
      const missing = entry.seq === expected + 1 ? `entry ${expected} is missing` : `entries ${expected} to ${entry.seq - 1} are missing`;
      return { seq: expected, problem: `${missing}: the next entry in the log is ${entry.seq} (removed)` };
    }
    if (entry.seq < expected) return { seq: entry.seq, problem: `an entry numbered ${entry.seq} comes after entry ${expected - 1} (out of order or repeated)` };
    if (hashEntry(entry) !== entry.hash) return { seq: entry.seq, problem: `entry ${entry.seq}'s contents do not match its hash (changed after it was written)` };
    if (entry.prevHash !== this.prevHash) {
      const before = expected === 1 ? 'the start of the log' : `entry ${expected - 1}`;
      return { seq: entry.seq, problem: `entry ${entry.seq} does not follow ${before}: it names ${short(entry.prevHash)} as the hash before it, not ${short(this.prevHash)} (an entry removed, moved or replaced)` };
    }
    const anchored = this.anchors.get(entry.seq);
    if (anchored !== undefined) {
      // The chain fits together, yet this entry is not the one noted: the log was rewritten, hashes and all, from
      // this entry or one before it.
      if (anchored !== entry.hash) {
        this.rewritten = true;
        return { seq: entry.seq, problem: `entry ${entry.seq}'s hash is ${short(entry.hash)}, not ${short(anchored)} as its anchor noted elsewhere says (the log rewritten from this entry or before, its hashes recomputed)` };
      }
      this.anchors.delete(entry.seq);
      this.lastAnchored = entry.seq;
    }
    return null;
  }
}

/** Checks a whole list of entries at once (tests, small logs). */
export function verifyChain(entries: Iterable<AuditEntry>, anchors: readonly ChainAnchor[] = []): ChainVerdict {
  const verifier = new ChainVerifier(anchors);
  for (const entry of entries) if (!verifier.add(entry)) break;
  return verifier.verdict();
}

/** One line for a person: the summary of a whole chain, or where it breaks. */
export function describeVerdict(verdict: ChainVerdict): string {
  if (verdict.intact) {
    return verdict.entries === 0
      ? 'audit log intact: no entries yet'
      : `audit log intact: ${verdict.entries} entries, 1 to ${verdict.lastSeq}, newest anchor ${verdict.lastSeq}:${verdict.lastHash}`;
  }
  if (verdict.trustedUpTo !== undefined) {
    // The entries before the break fit together, as a rewrite's would: only those an earlier anchor vouched for stand.
    const trusted = verdict.trustedUpTo === 0 ? 'no earlier anchor vouches for any entry, so none before it can be trusted either' : `entries 1 to ${verdict.trustedUpTo} are as an earlier anchor vouched; those after it cannot be trusted`;
    return `audit log broken at entry ${verdict.broken.seq}: ${verdict.broken.problem}; ${trusted}`;
  }
  if (verdict.chainWhole) return `audit log broken at entry ${verdict.broken.seq}: ${verdict.broken.problem}; the hash chain itself is whole (${verdict.checked} entries)`;
  return `audit log broken at entry ${verdict.broken.seq}: ${verdict.broken.problem}; the ${verdict.checked} entries before it are intact`;
}

function short(hash: string): string {
  return hash.slice(0, 12);
}
