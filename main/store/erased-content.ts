import { ConsultedArgs, lookWithoutContent } from '../../shared/commands/record-consulted';
import { erasedBeforeSent } from '../../shared/domain/erasure';
import type { RecordKey, RecordKind } from '../../shared/domain/records';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import type { Db } from '../../node-common/sqlite';
import { HELD } from './outbox';

interface Row {
  client_seq: number;
  envelope: string;
  state: 'pending' | 'dead';
  withdrawn: string | null;
  held: 0 | 1;
}

/**
 * Clears from the workstation's file what names a record its force erased (the server says so with the record's
 * withdrawal: RecordChange.erased), as the erasure cleared it on the server (shared/domain/erasure.ts): the record's
 * copies go with the withdrawal itself; this takes the rest.
 * - A command refused or handled (the refused list, kept on its outbox row): kept, with its name, operator, time
 *   and the server's reason, but without its arguments (what it said), nor a dismissal's reason. One held for its
 *   operator to sign in again could only be refused when sent again: it is listed as refused, with why.
 * - A look not yet sent: kept as a look (its audit entry is owed) without what was typed or why (lookWithoutContent).
 * - Any other command not yet sent (or sent and not yet answered): the server would refuse it, the record being
 *   gone. It is withdrawn (sent as a stand-in, refused, and listed in the refused list with why: erasedBeforeSent)
 *   and its arguments cleared: the operator sees that it never reached the server and why, nothing of what it said.
 * - A draft (a call being taken) naming the record: deleted.
 * A row names a record when its command's JSON holds the record's id (ids are UUIDs, so the text search is the
 * erasure's own: see erasedWith), or its effect touched the record.
 */
export class ErasedContent {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      naming: db.prepare(`
        SELECT client_seq, envelope, state, withdrawn, (${HELD}) AS held FROM outbox
        WHERE instr(envelope, @id) > 0 OR client_seq IN (SELECT client_seq FROM outbox_touch WHERE kind = @kind AND id = @id)`),
      rewrite: db.prepare(`UPDATE outbox SET envelope = @envelope, withdrawn = @withdrawn, handled_reason = CASE WHEN handled_reason IS NULL THEN NULL ELSE '' END WHERE client_seq = @clientSeq`),
      // A held command can no longer be sent again at sign-in: refused, with why, for the operator to dismiss.
      unhold: db.prepare(`UPDATE outbox SET reject_code = 'invalid', last_error = ? WHERE client_seq = ?`),
      dropDrafts: db.prepare(`DELETE FROM drafts WHERE instr(key, ?) > 0 OR instr(data, ?) > 0`),
      touchedBy: db.prepare(`SELECT kind, id FROM outbox_touch WHERE client_seq = ?`),
    };
  }

  /**
   * Clears what names the erased records, in the caller's transaction. Returns the records the effects of the pending
   * commands withdrawn had touched (the view shows them as the server has them again).
   */
  forget(erased: readonly (RecordKey & { byForce?: string | null })[]): RecordKey[] {
    const reset: RecordKey[] = [];
    const seen = new Set<number>();
    for (const key of erased) {
      this.statements.dropDrafts.run(key.id, key.id);
      for (const row of this.statements.naming.all({ kind: key.kind, id: key.id }) as Row[]) {
        if (seen.has(row.client_seq)) continue;
        seen.add(row.client_seq);
        const envelope = JSON.parse(row.envelope) as CommandEnvelope;
        const look = envelope.name === 'record.consulted' ? ConsultedArgs.safeParse(envelope.args) : null;
        let withdrawn = row.withdrawn;
        let args: unknown = null;
        if (row.state === 'pending' && look?.success) {
          args = lookWithoutContent(look.data);
        } else if (row.state === 'pending') {
          withdrawn = erasedBeforeSent(key.kind, key.byForce);
          reset.push(...(this.statements.touchedBy.all(row.client_seq) as { kind: RecordKind; id: string }[]));
        } else if (row.held === 1) {
          this.statements.unhold.run(erasedBeforeSent(key.kind, key.byForce), row.client_seq);
          reset.push(...(this.statements.touchedBy.all(row.client_seq) as { kind: RecordKind; id: string }[]));
        }
        this.statements.rewrite.run({ clientSeq: row.client_seq, envelope: JSON.stringify({ ...envelope, args }), withdrawn });
      }
    }
    return reset;
  }
}
