import type { RejectionCode } from '../../shared/commands/types';
import { handlingOf, type Refusal } from '../../shared/domain/refusal';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import { HELD } from './outbox';
import type { Db } from '../../node-common/sqlite';

export type HandledAction = 'redone' | 'dismissed' | 'resent';

export interface Handling {
  action: HandledAction;
  /** The operator who handled it (for `resent`: its own operator, signed in again). */
  by: string;
  at: string;
  /** Why it was dismissed; a note otherwise (may be empty). */
  reason: string;
  /** The new command that did it again (redone) or carried it again (resent). */
  redoneAs: string | null;
}

export interface RefusedCommand {
  clientSeq: number;
  envelope: CommandEnvelope;
  code: RejectionCode;
  reason: string;
  withdrawn: boolean;
}

export interface HandledRefusal extends RefusedCommand {
  handling: Handling;
}

interface Row {
  client_seq: number;
  envelope: string;
  reject_code: RejectionCode;
  last_error: string;
  withdrawn: string | null;
  handled_action: HandledAction | null;
  handled_by: string | null;
  handled_at: string | null;
  handled_reason: string | null;
  redone_as: string | null;
}

const COLUMNS = `client_seq, envelope, reject_code, last_error, withdrawn, handled_action, handled_by, handled_at, handled_reason, redone_as`;

/**
 * What becomes of the commands the server refused (kept on their outbox rows): held for a sign-in, redone, dismissed
 * with a reason, sent again; and commands this workstation withdrew because the server could not take them.
 * Conflicts are not here: they have their own inbox, fed by the server's conflict records.
 */
export class Refusals {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      unhandled: db.prepare(`
        SELECT ${COLUMNS} FROM outbox
        WHERE command_id = ? AND state = 'dead' AND reject_code IS NOT 'conflict' AND handled_action IS NULL`),
      heldBy: db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE ${HELD} AND json_extract(envelope, '$.operator') = ? ORDER BY client_seq`),
      heldIds: db.prepare(`SELECT command_id FROM outbox WHERE ${HELD} ORDER BY client_seq`),
      refusedIds: db.prepare(`SELECT command_id FROM outbox WHERE state = 'dead' AND reject_code IS NOT 'conflict' ORDER BY client_seq`),
      // `reason`: the latest held command's refusal (SQLite takes a bare column from the row max() picked).
      heldCounts: db.prepare(`
        SELECT json_extract(envelope, '$.operator') AS operator, count(*) AS commands, max(client_seq) AS latest,
          last_error AS reason FROM outbox
        WHERE ${HELD} GROUP BY 1 ORDER BY min(client_seq)`),
      // Withdrawn with its arguments: too large (one withdrawn without them named an erased record: erased-content.ts).
      tooLarge: db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'dead' AND withdrawn IS NOT NULL AND json_extract(envelope, '$.args') IS NOT NULL AND handled_action IS NULL`),
      tooLargeBy: db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'dead' AND withdrawn IS NOT NULL AND json_extract(envelope, '$.args') IS NOT NULL AND handled_action IS NULL AND (json_extract(envelope, '$.operator') = ? OR json_extract(envelope, '$.relay') IS NOT NULL)`),
      markHandled: db.prepare(`
        UPDATE outbox SET handled_action = @action, handled_by = @by, handled_at = @at, handled_reason = @reason, redone_as = @redoneAs
        WHERE client_seq = @clientSeq AND state = 'dead' AND handled_action IS NULL`),
      handled: db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE handled_action IS NOT NULL ORDER BY handled_at DESC, client_seq DESC LIMIT ?`),
      withdraw: db.prepare(`UPDATE outbox SET withdrawn = ? WHERE client_seq = ? AND state = 'pending'`),
      recordRedo: db.prepare(`UPDATE outbox SET redone_as = ? WHERE client_seq = ? AND handled_action = 'redone'`),
      follow: db.prepare(`
        UPDATE outbox SET handled_action = @action, handled_by = @by, handled_at = @at, handled_reason = @reason, redone_as = @redoneAs
        WHERE command_id = @commandId AND state = 'dead' AND reject_code IS NOT 'conflict'
          AND (handled_action IS NOT @action OR handled_by IS NOT @by OR handled_at IS NOT @at
            OR handled_reason IS NOT @reason OR redone_as IS NOT @redoneAs)
        RETURNING client_seq`),
    };
  }

  /** A refused command nobody has handled yet (held ones included), by its command id; null if there is none. */
  unhandled(commandId: string): RefusedCommand | null {
    const row = this.statements.unhandled.get(commandId) as Row | undefined;
    return row ? refused(row) : null;
  }

  /** The commands held for this operator to sign in again, oldest first. */
  heldBy(operator: string): RefusedCommand[] {
    return (this.statements.heldBy.all(operator) as Row[]).map(refused);
  }

  /** The ids of every command held for its operator to sign in again (its effect still shown), oldest first. */
  heldIds(): Set<string> {
    return new Set((this.statements.heldIds.all() as { command_id: string }[]).map((row) => row.command_id));
  }

  /** The ids of every command of this workstation's the server refused (held ones too, conflicts apart), oldest first. */
  refusedIds(): string[] {
    return (this.statements.refusedIds.all() as { command_id: string }[]).map((row) => row.command_id);
  }

  /** How many commands are held, by the operator who must sign in again, in the order they were issued. */
  heldCounts(): { operator: string; commands: number; reason: string | null }[] {
    return (this.statements.heldCounts.all() as { operator: string; commands: number; reason: string | null }[]).map(({ operator, commands, reason }) => ({ operator, commands, reason }));
  }

  /** Refused commands not yet handled that this workstation withdrew as too large to send (`author`'s and relays' alone, if given: outbox.ts deadCount). */
  tooLargeCount(author?: string): number {
    return ((author === undefined ? this.statements.tooLarge.get() : this.statements.tooLargeBy.get(author)) as { n: number }).n;
  }

  /** Records what was done about a refused command; false if it was not waiting (already handled, or never refused). */
  markHandled(clientSeq: number, handling: Handling): boolean {
    return this.statements.markHandled.run({ clientSeq, ...handling }).changes > 0;
  }

  /**
   * Follows the room's record of a refused command this workstation issued, once someone has handled it here or at
   * another desk: the row says what the server says was done, by whom, when and why (a supervisor's dismissal
   * elsewhere clears this workstation's alert; a redo here that lost to it no longer claims to be what happened).
   * Returns the row's clientSeq if it changed (a held command's effect must then leave the view), else null.
   */
  followServer(refusal: Refusal): number | null {
    const handling = handlingOf(refusal);
    if (!handling) return null;
    const row = this.statements.follow.get({ commandId: refusal.id, ...handling }) as { client_seq: number } | undefined;
    return row?.client_seq ?? null;
  }

  /** Names the command that did a redone one again (issued after it was marked, in the same transaction). */
  recordRedo(clientSeq: number, commandId: string): void {
    this.statements.recordRedo.run(commandId, clientSeq);
  }

  /** Refused commands already handled, the most recently handled first. */
  handled(limit = 50): HandledRefusal[] {
    return (this.statements.handled.all(limit) as Row[]).map((row) => ({
      ...refused(row),
      handling: { action: row.handled_action!, by: row.handled_by!, at: row.handled_at!, reason: row.handled_reason ?? '', redoneAs: row.redone_as },
    }));
  }

  /** Gives up sending a pending command (too large): a stand-in is sent in its place, which the server refuses. */
  withdraw(clientSeq: number, why: string): void {
    this.statements.withdraw.run(why, clientSeq);
  }
}

function refused(row: Row): RefusedCommand {
  const envelope = JSON.parse(row.envelope) as CommandEnvelope;
  // Withdrawn without its arguments: a record it named was erased (erased-content.ts), not too large to send.
  return { clientSeq: row.client_seq, envelope, code: row.reject_code, reason: row.last_error, withdrawn: row.withdrawn !== null && envelope.args !== null };
}
