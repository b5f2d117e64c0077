import { isWorkstationFact } from '../../shared/domain/operator';
import type { ForceConfig } from '../../shared/domain/force-config';
import { derivedId } from '../../shared/domain/derived-id';
import type { RecordKey } from '../../shared/domain/records';
import type { HandleRefusalArgs } from '../../shared/commands/refusal-handle';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import type { WorkstationStore } from '../store/workstation-store';
import { CommandRefused, issueCommand } from './issue-command';
import { rebuildView } from './rebuild-view';

/**
 * Sends again, under a new sign-in ticket, the commands the server refused because this operator's sign-in was not
 * good (lapsed, or from before the server's key changed); those refused under this very ticket stay held (sending
 * them again could only be refused again). Each goes as a new command at the end of the outbox (the
 * server has recorded the refusal under the old one's place) but unchanged in what matters to the record: the same
 * operator, arguments and time of issue. The new ticket is the operator's own, just proved again, so the server's
 * log stays true about who did what and when; the old row records that it was sent again, as which command.
 *
 * The resend names the held command's refusal (redoOf), so it stands only if nobody has handled that refusal
 * meanwhile at another desk (a supervisor who dismissed or redid it): then it loses, visibly, as a conflict. A held
 * command that itself redid an earlier refusal keeps that guard instead (so the earlier one is never done twice),
 * and its own refusal is marked sent again by a `refusal.handle` beside it.
 * One transaction. Returns how many went again, and the records whose view may have changed.
 */
export function resendHeld(store: WorkstationStore, config: ForceConfig, operator: string, ticket: string, at: string): { resent: number; changed: RecordKey[] } {
  return store.transaction(() => {
    const reset: RecordKey[] = [];
    // A refused sign-in the workstation recorded (no ticket: nobody was signed in) is never sent under one: held only
    // by a server that predates it, it waits for the server's update, not for the operator it names.
    const waiting = store.refusals.heldBy(operator).filter((command) => command.envelope.ticket !== ticket && !isWorkstationFact(command.envelope.name));
    for (const held of waiting) {
      const refusalId = held.envelope.commandId;
      const envelope: CommandEnvelope = {
        ...held.envelope,
        commandId: derivedId(refusalId, 'sent-again'),
        clientSeq: store.meta.increment('next_client_seq'),
        ticket,
        redoOf: held.envelope.redoOf ?? { refusalId, action: 'resent', at },
      };
      const touched = store.outbox.touchedBy(held.clientSeq);
      store.outbox.append(envelope, touched);
      store.refusals.markHandled(held.clientSeq, { action: 'resent', by: operator, at, reason: '', redoneAs: envelope.commandId });
      if (held.envelope.redoOf) {
        const marking: HandleRefusalArgs = { commandId: refusalId, commandName: held.envelope.name, issuedBy: operator, action: 'resent', reason: '', redoneAs: envelope.commandId };
        try {
          issueCommand(store, config, { operator, workstation: held.envelope.workstation, ticket, automatic: true }, 'refusal.handle', marking, at, derivedId(refusalId, 'sent-again-marked'));
        } catch (error) {
          // Only bookkeeping: the command itself goes again; its refusal then waits in the room's list for someone.
          if (!(error instanceof CommandRefused)) throw error;
        }
      }
      reset.push(...touched);
    }
    return { resent: waiting.length, changed: reset.length ? rebuildView(store, config, { reset }) : [] };
  });
}
