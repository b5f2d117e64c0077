import type { Revocation, ServerStorage } from '../storage/storage';

/** Operators remembered at most; past it the copy starts again (a room has hundreds of operators, not thousands). */
const MOST_OPERATORS = 10_000;

/**
 * The server's copy of each operator's latest ticket revocation (or none), for planning a push's commands without a
 * round trip to the database for each push. Never trusted alone: the push's transaction reads the revocations again
 * (ServerStorage.processBatch's `ticketsAssumed`) before it processes anything, and a push planned against a copy
 * that has changed since (an administrator revoked the tickets, here or at another server instance) is planned
 * again against what the storage holds (`learn`). So a revoked ticket is refused by every push whose transaction
 * begins after the revocation committed, as it was when each push read the revocation first.
 */
export class TicketRevocations {
  private readonly known = new Map<string, Revocation | null>();

  constructor(private readonly storage: Pick<ServerStorage, 'revocation'>) {}

  /** The operator's latest ticket revocation, null for none: the copy's, or read once and kept. */
  async of(operator: string): Promise<Revocation | null> {
    const known = this.known.get(operator);
    if (known !== undefined) return known;
    const revocation = await this.storage.revocation('tickets', operator);
    if (this.known.size >= MOST_OPERATORS) this.known.clear();
    this.known.set(operator, revocation);
    return revocation;
  }

  /** These operators' revocations changed (as a push's transaction found them): read afresh when next asked. */
  forget(operators: Iterable<string>): void {
    for (const operator of operators) this.known.delete(operator);
  }
}
