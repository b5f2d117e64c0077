import { commandDefinitions } from '../../../shared/commands/registry';
import type { DeadLetterView, HandledRefusalView } from '../../../shared/contract/channels';
import { ApiError } from '../../../shared/contract/errors';
import { instantOf } from '../../../shared/domain/time';
import type { RefusedCommand } from '../../store/refusals';
import { rebuildView } from '../../sync/rebuild-view';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type RefusalChannels = 'sync.deadLetters' | 'refused.redo' | 'refused.dismiss';

/**
 * The refused list (Shift+F8): commands the server refused for good, commands held for a sign-in, commands too large
 * to send; and what the operator who issued one, or a supervisor, does about it: redo it (a new command, in the name
 * of whoever redoes it, now) or dismiss it with a reason. Either is recorded on the workstation's outbox row and, as
 * a `refusal.handle` command, in the server's log.
 */
export function refusalHandlers(ctx: CoreContext): HandlerGroup<RefusalChannels> {
  const { store, config } = ctx;
  const refused = (commandId: string) => found(store.refusals.unhandled(commandId) ?? undefined, `refused command ${commandId} waiting`);
  const signedInName = () => ctx.session.signedIn?.operator.id ?? '';

  /**
   * Marks it handled and takes a held command's effect off the view, inside the issuing transaction, before the
   * command that records it (and a redo) is issued on top.
   */
  const setAside = (command: RefusedCommand, action: 'redone' | 'dismissed', reason: string) => () => {
    store.refusals.markHandled(command.clientSeq, { action, by: signedInName(), at: instantOf(ctx.clock), reason, redoneAs: null });
    return command.code === 'unauthenticated' ? rebuildView(store, config, { reset: store.outbox.touchedBy(command.clientSeq) }) : [];
  };
  const record = (command: RefusedCommand, action: 'redone' | 'dismissed', reason: string, redoneAs: string | null) => ({
    commandId: command.envelope.commandId,
    commandName: command.envelope.name,
    issuedBy: command.envelope.operator,
    action,
    reason,
    redoneAs,
  });

  return {
    'sync.deadLetters': () => ({
      deadLetters: store.outbox.deadLetters().map(({ envelope, code, reason, withdrawn }) => deadLetterView({ envelope, code, reason, withdrawn })),
      handled: store.refusals.handled().map(
        (h): HandledRefusalView => ({
          ...deadLetterView(h),
          action: h.handling.action,
          by: h.handling.by,
          at: h.handling.at,
          handledReason: h.handling.reason,
          redoneAs: h.handling.redoneAs,
        }),
      ),
    }),
    'refused.redo': ({ commandId }) => {
      const command = refused(commandId);
      const definition = commandDefinitions[command.envelope.name];
      if (!definition) throw new ApiError('bad_request', `${command.envelope.name} is not a command this workstation knows`);
      const parsed = definition.args.safeParse(command.envelope.args);
      if (!parsed.success) throw new ApiError('bad_request', `${command.envelope.name} cannot be done again as it was: do it again by hand, and dismiss this one`);
      let redoneAs = '';
      ctx.issueAll(
        [
          { name: command.envelope.name, makeArgs: () => (definition.redo ? definition.redo(parsed.data, store.view) : parsed.data) },
          {
            name: 'refusal.handle',
            makeArgs: ([redo]) => {
              redoneAs = redo ?? '';
              return record(command, 'redone', '', redoneAs);
            },
          },
        ],
        { before: setAside(command, 'redone', ''), after: () => store.refusals.recordRedo(command.clientSeq, redoneAs) },
      );
      return { redoneAs };
    },
    'refused.dismiss': ({ commandId, reason }) => {
      const command = refused(commandId);
      ctx.issueAll([{ name: 'refusal.handle', makeArgs: () => record(command, 'dismissed', reason, null) }], { before: setAside(command, 'dismissed', reason) });
      return {};
    },
  };
}

function deadLetterView({ envelope, code, reason, withdrawn }: Pick<RefusedCommand, 'envelope' | 'code' | 'reason' | 'withdrawn'>): DeadLetterView {
  return {
    commandId: envelope.commandId,
    name: envelope.name,
    args: envelope.args,
    issuedAt: envelope.issuedAt,
    operator: envelope.operator,
    code,
    reason,
    held: code === 'unauthenticated',
    tooLarge: withdrawn,
  };
}
