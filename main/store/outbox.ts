import type { RejectionCode } from '../../shared/commands/types';
import type { RecordKey, RecordKind } from '../../shared/domain/records';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import type { Db } from '../../node-common/sqlite';

export interface OutboxEntry {
  envelope: CommandEnvelope;
  attempts: number;
  lastError: string | null;
  /** Why this workstation gave up sending it (too large): a stand-in goes in its place. */
  withdrawn: string | null;
}

export interface DeadLetter {
  envelope: CommandEnvelope;
  code: RejectionCode;
  reason: string;
  /** Withdrawn by this workstation rather than refused by the server's rules (too large to send). */
  withdrawn: boolean;
}

/**
 * A command refused for its sign-in ticket and not yet handled: held, its effect still shown, until its operator
 * signs in again (then it is sent again) or someone redoes or dismisses it.
 */
export const HELD = `state = 'dead' AND reject_code = 'unauthenticated' AND handled_action IS NULL`;

/** Commands confirmed to the operator and not yet processed by the server, in the order they were issued. */
export class Outbox {
  private readonly statements;
  /**
   * The number of pending commands, kept as they come and go: the status bar asks after every command, and
   * counting the table each time grows with the outbox an outage leaves. Null means "count it again"; the store
   * sets it so after any rollback.
   */
  private pendingTally: number | null = null;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(`
        INSERT INTO outbox (client_seq, command_id, name, envelope, state, created_at)
        VALUES (?, ?, ?, ?, 'pending', ?)`),
      touch: db.prepare(`INSERT OR IGNORE INTO outbox_touch (client_seq, kind, id) VALUES (?, ?, ?)`),
      pending: db.prepare(`SELECT envelope, attempts, last_error, withdrawn FROM outbox WHERE state = 'pending' AND client_seq > ? ORDER BY client_seq LIMIT ?`),
      replayable: db.prepare(`SELECT envelope FROM outbox WHERE state = 'pending' OR (${HELD}) ORDER BY client_seq`),
      countPending: db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`),
      countDead: db.prepare(`
        SELECT count(*) AS n FROM outbox
        WHERE state = 'dead' AND reject_code NOT IN ('conflict', 'unauthenticated') AND handled_action IS NULL`),
      countDeadBy: db.prepare(`
        SELECT count(*) AS n FROM outbox
        WHERE state = 'dead' AND reject_code NOT IN ('conflict', 'unauthenticated') AND handled_action IS NULL
          AND (json_extract(envelope, '$.operator') = ? OR json_extract(envelope, '$.relay') IS NOT NULL)`),
      dead: db.prepare(`
        SELECT envelope, reject_code, last_error, withdrawn FROM outbox
        WHERE state = 'dead' AND reject_code IS NOT 'conflict' AND handled_action IS NULL ORDER BY client_seq`),
      countConflictsInTransit: db.prepare(`
        SELECT count(*) AS n FROM outbox o WHERE o.state = 'dead' AND o.reject_code = 'conflict'
          AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.id = o.command_id)`),
      countConflictsInTransitBy: db.prepare(`
        SELECT count(*) AS n FROM outbox o WHERE o.state = 'dead' AND o.reject_code = 'conflict'
          AND json_extract(o.envelope, '$.operator') = ?
          AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.id = o.command_id)`),
      // A command kept on the conflict or the refusal of the one it followed (Conflict.followedBy, Refusal.followedBy)
      // has no conflict of its own.
      dropConflictsArrived: db.prepare(`
        DELETE FROM outbox WHERE state = 'dead' AND reject_code = 'conflict'
          AND (EXISTS (SELECT 1 FROM conflicts c WHERE c.id = outbox.command_id)
            OR EXISTS (SELECT 1 FROM conflicts c JOIN json_each(outbox.envelope, '$.follows') l ON c.id = l.value
              WHERE EXISTS (SELECT 1 FROM json_each(c.doc, '$.followedBy') f WHERE json_extract(f.value, '$.commandId') = outbox.command_id))
            OR EXISTS (SELECT 1 FROM refusals r JOIN json_each(outbox.envelope, '$.follows') l ON r.id = l.value
              WHERE EXISTS (SELECT 1 FROM json_each(r.doc, '$.followedBy') f WHERE json_extract(f.value, '$.commandId') = outbox.command_id)))`),
      touchedByPending: db.prepare(`
        SELECT DISTINCT t.kind, t.id FROM outbox_touch t JOIN outbox o USING (client_seq)
        WHERE o.state = 'pending' OR (o.state = 'dead' AND o.reject_code = 'unauthenticated' AND o.handled_action IS NULL)`),
      touchedBy: db.prepare(`SELECT kind, id FROM outbox_touch WHERE client_seq = ?`),
      firstPendingTouching: db.prepare(`
        SELECT o.command_id, o.client_seq FROM outbox_touch t JOIN outbox o USING (client_seq)
        WHERE t.kind = ? AND t.id = ? AND o.state = 'pending' ORDER BY o.client_seq LIMIT 1`),
      removeProcessed: db.prepare(`DELETE FROM outbox WHERE state = 'pending' AND client_seq <= ?`),
      processedKeys: db.prepare(`
        SELECT DISTINCT t.kind, t.id FROM outbox_touch t JOIN outbox o USING (client_seq)
        WHERE o.state = 'pending' AND o.client_seq <= ?`),
      markDead: db.prepare(`
        UPDATE outbox SET state = 'dead', reject_code = ?, last_error = ? WHERE client_seq = ? AND state = 'pending'`),
      recordAttempt: db.prepare(`UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE client_seq = ? AND state = 'pending'`),
      lowestPending: db.prepare(`SELECT min(client_seq) AS n FROM outbox WHERE state = 'pending'`),
    };
  }

  append(envelope: CommandEnvelope, touched: readonly RecordKey[]): void {
    this.statements.insert.run(envelope.clientSeq, envelope.commandId, envelope.name, JSON.stringify(envelope), envelope.issuedAt);
    if (this.pendingTally !== null) this.pendingTally += 1;
    for (const key of touched) this.statements.touch.run(envelope.clientSeq, key.kind, key.id);
  }

  /**
   * Adds records to those a pending command's effect touches: replayed over newer records, a command may change
   * what it did not when it was issued, and those records must be reset with the rest when it leaves the outbox.
   */
  addTouched(clientSeq: number, touched: readonly RecordKey[]): void {
    for (const key of touched) this.statements.touch.run(clientSeq, key.kind, key.id);
  }

  /**
   * Pending commands in order, at most `limit`, after clientSeq `after` (those up to it the server has answered
   * already: they wait only for their effects to arrive).
   */
  pending(limit = Number.MAX_SAFE_INTEGER, after = 0): OutboxEntry[] {
    const rows = this.statements.pending.all(after, limit) as { envelope: string; attempts: number; last_error: string | null; withdrawn: string | null }[];
    return rows.map((row) => ({ envelope: JSON.parse(row.envelope) as CommandEnvelope, attempts: row.attempts, lastError: row.last_error, withdrawn: row.withdrawn }));
  }

  /** Commands whose effects the view shows on top of the server's records: pending ones and held ones, in order. */
  replayable(): CommandEnvelope[] {
    return (this.statements.replayable.all() as { envelope: string }[]).map((row) => JSON.parse(row.envelope) as CommandEnvelope);
  }

  pendingCount(): number {
    this.pendingTally ??= (this.statements.countPending.get() as { n: number }).n;
    return this.pendingTally;
  }

  forgetCounts(): void {
    this.pendingTally = null;
  }

  /**
   * Refused commands nobody has handled yet, apart from conflicts and those held for a sign-in; `author` given, only
   * theirs and the relays' (a terminal's or the switch's message, which is the workstation's, not another operator's).
   */
  deadCount(author?: string): number {
    return ((author === undefined ? this.statements.countDead.get() : this.statements.countDeadBy.get(author)) as { n: number }).n;
  }

  /**
   * Commands refused as conflicts whose conflict record has not been pulled yet: still counted as waiting, so a
   * lost race is never out of sight, not even between the push and the next pull.
   */
  conflictsInTransit(author?: string): number {
    return ((author === undefined ? this.statements.countConflictsInTransit.get() : this.statements.countConflictsInTransitBy.get(author)) as { n: number }).n;
  }

  /** Forgets refused-as-conflict commands once the server's conflict record (which carries everything) is here. */
  dropConflictsArrived(): void {
    this.statements.dropConflictsArrived.run();
  }

  /** Refused commands not yet handled (held ones too), apart from conflicts (which have their own inbox), oldest first. */
  deadLetters(): DeadLetter[] {
    const rows = this.statements.dead.all() as { envelope: string; reject_code: RejectionCode; last_error: string; withdrawn: string | null }[];
    return rows.map((row) => {
      const envelope = JSON.parse(row.envelope) as CommandEnvelope;
      // Withdrawn without its arguments: a record it named was erased (erased-content.ts), not too large to send.
      return { envelope, code: row.reject_code, reason: row.last_error, withdrawn: row.withdrawn !== null && envelope.args !== null };
    });
  }

  /** The lowest clientSeq still awaiting the server, or null when nothing is. */
  lowestPendingSeq(): number | null {
    return (this.statements.lowestPending.get() as { n: number | null }).n;
  }

  touchedByPending(): RecordKey[] {
    return this.statements.touchedByPending.all() as { kind: RecordKind; id: string }[];
  }

  /**
   * For each of these records, the first command still waiting for the server that touched it (made it, for a record
   * the server does not have): the commands a new one follows (CommandEnvelope.follows), each once, oldest first.
   */
  firstPendingTouching(keys: readonly RecordKey[]): string[] {
    const found = new Map<string, number>();
    for (const key of keys) {
      const row = this.statements.firstPendingTouching.get(key.kind, key.id) as { command_id: string; client_seq: number } | undefined;
      if (row) found.set(row.command_id, row.client_seq);
    }
    return [...found].sort((x, y) => x[1] - y[1]).map(([id]) => id);
  }

  touchedBy(clientSeq: number): RecordKey[] {
    return this.statements.touchedBy.all(clientSeq) as { kind: RecordKind; id: string }[];
  }

  /** Drops the commands the server has processed, returning the records their effects touched. */
  removeProcessed(lastClientSeq: number): RecordKey[] {
    const keys = this.statements.processedKeys.all(lastClientSeq) as { kind: RecordKind; id: string }[];
    const removed = this.statements.removeProcessed.run(lastClientSeq).changes;
    if (this.pendingTally !== null) this.pendingTally -= removed;
    return keys;
  }

  /** Moves a refused command to the dead-letter list, where it stays, with the reason, until an operator acts. */
  markDead(clientSeq: number, code: RejectionCode, reason: string): boolean {
    const moved = this.statements.markDead.run(code, reason, clientSeq).changes > 0;
    if (moved && this.pendingTally !== null) this.pendingTally -= 1;
    return moved;
  }

  /**
   * Notes a push that failed on the command at the head of the outbox, the one every retry starts from. One row,
   * however long the outbox: counting the attempt on each command of the batch rewrote a hundred rows per failed
   * push, and offline a push fails after every command.
   */
  recordFailedPush(headSeq: number, error: string): void {
    this.statements.recordAttempt.run(error, headSeq);
  }
}
