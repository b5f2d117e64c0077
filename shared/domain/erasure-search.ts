import type { ForceCode } from './force';
import { keyString, type AnyRecord, type RecordKey } from './records';
import { erasureBlockedBy, erasureRound, formerOwnersIn, keptAfterErasure } from './erasure';

/** What an erasure takes and changes, once ErasureSearch has run to its end (each storage writes it). */
export interface ErasurePlan {
  /** The target first, then every record that goes with it, in the order found. */
  erased: RecordKey[];
  /** The records of `erased` but the target, as stored (for othersHolding: who held what). */
  found: AnyRecord[];
  /** Another force's records naming what goes, kept, theirs, as stored (erasure.ts erasureRound `kept`). */
  kept: AnyRecord[];
  /** The lender's part (erasure.ts lendersPart), as the force that keeps it holds it from now. */
  handedOver: AnyRecord[];
  /** The new versions the erasure writes of records it does not erase: kept ones that held a copy, and handedOver. */
  altered: AnyRecord[];
  /** Why the erasure cannot go ahead (erasureBlockedBy), or null. */
  blocked: string | null;
}

/**
 * The search for what goes with an erasure's target, one round at a time, for a storage to drive with its own
 * reads (synchronous in SQLite, awaited in PostgreSQL): the storage gives each round the records whose stored
 * documents mention any id of `frontier` (a cheap text search, which may find more than relate), until `frontier` is
 * empty; then `plan()` says what to erase and write. Pure: it reads nothing itself.
 *
 * Rules (erasure.ts erasureRound): the erasing force's own records related to what goes go; another force's are kept,
 * never searched from; the lender's part is handed over and searched from as what goes is, never erased; a force
 * that owned the incident before a transfer to the erasing one (formerOwnersIn) loses its parts of the incident too.
 */
export class ErasureSearch {
  /** The ids whose mentions the next round must be given; empty when the search is done. */
  frontier: string[];
  private readonly found: AnyRecord[] = [];
  private readonly erased: RecordKey[];
  private readonly names: Set<string>;
  private readonly kept = new Map<string, AnyRecord>();
  private readonly handedOver = new Map<string, AnyRecord>();
  private readonly formerOwners = new Set<ForceCode>();

  constructor(
    private readonly target: RecordKey,
    private readonly force: ForceCode,
  ) {
    this.erased = [target];
    this.names = new Set([keyString(target)]);
    this.frontier = [target.id];
  }

  /** Takes one round's candidates (records mentioning an id of `frontier`, unparsable ones left out) and moves `frontier` on. */
  round(candidates: readonly AnyRecord[]): void {
    for (const owner of formerOwnersIn(this.target, this.force, candidates)) this.formerOwners.add(owner);
    const round = erasureRound(this.target, this.force, this.names, candidates, this.formerOwners);
    const fresh = round.goes.filter((record) => !this.names.has(keyString(record)));
    const handed = round.handedOver.filter((record) => !this.names.has(keyString(record)));
    for (const record of handed) {
      this.handedOver.set(keyString(record), record);
      this.names.add(keyString(record));
    }
    for (const record of fresh) {
      if (this.names.has(keyString(record))) continue;
      this.found.push(record);
      this.names.add(keyString(record));
      this.erased.push({ kind: record.kind, id: record.id });
    }
    for (const record of round.kept) this.kept.set(keyString(record), record);
    this.frontier = [...new Set([...fresh, ...handed].map((record) => record.id))];
  }

  /** What the erasure takes and changes, from the rounds so far (call once `frontier` is empty). */
  plan(): ErasurePlan {
    const handedOver = [...this.handedOver.values()];
    const kept = [...this.kept.values()];
    const gone = new Set(this.erased.map(keyString));
    return {
      erased: [...this.erased],
      found: [...this.found],
      kept,
      handedOver,
      // Another force's records stay, changed only where they held a copy of what went; the lender's part changes hands.
      altered: [...kept.flatMap((record) => keptAfterErasure(record, gone) ?? []), ...handedOver],
      blocked: erasureBlockedBy([...this.found, ...handedOver]),
    };
  }
}
