import { mayHandleRefusal, type HandleRefusalArgs } from '../../../shared/commands/refusal-handle';
import { commandDefinitions } from '../../../shared/commands/registry';
import type { DeadLetterView, HandledRefusalView } from '../../../shared/contract/channels';
import { ApiError } from '../../../shared/contract/errors';
import type { Refusal } from '../../../shared/domain/refusal';
import { instantOf } from '../../../shared/domain/time';
import type { RefusedCommand } from '../../store/refusals';
import { rebuildView } from '../../sync/rebuild-view';
import type { CommandEnvelope } from '../../../shared/sync/protocol';
import type { CommandToIssue, CoreContext, HandlerGroup, IssueAround } from '../core-context';

type RefusalChannels = 'sync.deadLetters' | 'refusals.list' | 'refused.redo' | 'refused.dismiss';

/** What a redo or a dismissal needs to know of the refused command, wherever it was issued. */
interface Refused {
  commandId: string;
  name: string;
  args: unknown;
  issuedBy: string | null;
  /** Why the arguments cannot be had here, if they cannot. */
  argsMissing: string | null;
}

/**
 * The refused list (Shift+F8): commands the server refused for good, commands held for a sign-in, commands too large
 * to send; the room's refused commands waiting (the supervisor's desk); and what the operator who issued one, or a
 * supervisor, does about it: redo it (a new command, in the name of whoever redoes it, now) or dismiss it with a
 * reason. A command this workstation issued is marked on its own outbox row as well; one issued elsewhere is handled
 * through the room's refusal record, and its workstation follows when the record comes back to it. Either way the
 * server's record decides: the first to handle a refusal wins, and a second redo loses as a conflict.
 */
export function refusalHandlers(ctx: CoreContext): HandlerGroup<RefusalChannels> {
  const { store, config } = ctx;
  const signedInName = () => ctx.session.signedIn?.operator.id ?? '';

  /** This workstation's own refused command, or the room's record of one refused elsewhere, while it waits. */
  const waiting = (commandId: string): { local: RefusedCommand | null; refused: Refused } => {
    const local = store.refusals.unhandled(commandId);
    if (local) return { local, refused: { commandId, name: local.envelope.name, args: local.envelope.args, issuedBy: local.envelope.operator, argsMissing: null } };
    const room = store.view.get('refusal', commandId);
    if (!room || room.status !== 'waiting') throw new ApiError('not_found', `no refused command ${commandId} waiting`);
    return { local: null, refused: { commandId, name: room.commandName, args: room.args, issuedBy: room.operator, argsMissing: argsMissing(room) } };
  };
  const signedInOperator = () => (ctx.session.signedIn ? (store.view.get('operator', ctx.session.signedIn.operator.id) ?? ctx.session.signedIn.operator) : undefined);
  const mayHandle = (refused: Refused, doing: string) => {
    if (!mayHandleRefusal(signedInOperator(), refused.issuedBy)) throw new ApiError('forbidden', `only ${refused.issuedBy ?? 'a supervisor'}${refused.issuedBy ? ' or a supervisor' : ''} may ${doing} this refused command`);
  };

  /**
   * Marks this workstation's row handled and takes a held command's effect off the view, inside the issuing
   * transaction, before the commands that record it (and a redo) are issued on top.
   */
  const setAside = (local: RefusedCommand | null, action: 'redone' | 'dismissed', reason: string): IssueAround['before'] => () => {
    if (!local) return [];
    store.refusals.markHandled(local.clientSeq, { action, by: signedInName(), at: instantOf(ctx.clock), reason, redoneAs: null });
    return local.code === 'unauthenticated' ? rebuildView(store, config, { reset: store.outbox.touchedBy(local.clientSeq) }) : [];
  };
  const record = (refused: Refused, action: 'redone' | 'dismissed', reason: string, redoneAs: string | null): HandleRefusalArgs => ({
    commandId: refused.commandId,
    commandName: refused.name,
    issuedBy: refused.issuedBy,
    action,
    reason,
    redoneAs,
  });

  const shownHere = (envelope: CommandEnvelope) => envelope.relay !== undefined || mayHandleRefusal(signedInOperator(), envelope.operator);
  // An operator whose account is deactivated cannot sign in to send what is held for them: the lists say so.
  const deactivated = (operator: string) => store.view.get('operator', operator)?.active === false;

  return {
    // This workstation's refused commands hold what each operator typed at it: shown, as the room's list below, only
    // to the operator who issued one and to a supervisor (and counted so: sync-client.ts shownTo). A relayed one (a
    // terminal's or the switch's message) is the workstation's own, shown to whoever is here.
    'sync.deadLetters': () => ({
      deadLetters: store.outbox
        .deadLetters()
        .filter(({ envelope }) => shownHere(envelope))
        .map(({ envelope, code, reason, withdrawn }) => deadLetterView({ envelope, code, reason, withdrawn }, deactivated(envelope.operator))),
      handled: store.refusals
        .handled()
        .filter((h) => shownHere(h.envelope))
        .map(
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
    // The room's whole list is a supervisor's; anyone else is shown only their own, the ones they may handle.
    'refusals.list': () => ({
      refusals: store.view
        .waitingRefusals()
        .filter((refusal) => mayHandleRefusal(signedInOperator(), refusal.operator))
        .map((refusal) => ({ ...refusal, accountDeactivated: refusal.operator !== null && deactivated(refusal.operator) })),
    }),
    'refused.redo': ({ commandId }) => {
      const { local, refused } = waiting(commandId);
      mayHandle(refused, 'redo');
      if (refused.argsMissing) throw new ApiError('bad_request', refused.argsMissing);
      const definition = commandDefinitions[refused.name];
      if (!definition) throw new ApiError('bad_request', `${refused.name} is not a command this workstation knows`);
      const parsed = definition.args.safeParse(refused.args);
      if (!parsed.success) throw new ApiError('bad_request', `${refused.name} cannot be done again as it was: do it again by hand, and dismiss this one`);
      let redoneAs = '';
      const commands: CommandToIssue[] = [
        {
          name: refused.name,
          makeArgs: () => (definition.redo ? definition.redo(parsed.data, store.view) : parsed.data),
          redoes: { refusalId: commandId, action: 'redone' },
        },
        {
          name: 'refusal.handle',
          makeArgs: ([redo]) => {
            redoneAs = redo ?? '';
            return record(refused, 'redone', '', redoneAs);
          },
        },
      ];
      ctx.issueAll(commands, { before: setAside(local, 'redone', ''), after: () => local && store.refusals.recordRedo(local.clientSeq, redoneAs) });
      return { redoneAs };
    },
    'refused.dismiss': ({ commandId, reason }) => {
      const { local, refused } = waiting(commandId);
      mayHandle(refused, 'dismiss');
      ctx.issueAll([{ name: 'refusal.handle', makeArgs: () => record(refused, 'dismissed', reason, null) }], { before: setAside(local, 'dismissed', reason) });
      return {};
    },
  };
}

/** Why a refused command issued elsewhere cannot be done again here, or null if it can. */
function argsMissing(room: Refusal): string | null {
  if (room.args !== null) return null;
  const why = room.tooLarge ? 'it was too large to send' : 'the server could not read it';
  return `only ${room.workstation} holds this command (${why}): redo it there, or dismiss it`;
}

function deadLetterView({ envelope, code, reason, withdrawn }: Pick<RefusedCommand, 'envelope' | 'code' | 'reason' | 'withdrawn'>, accountDeactivated = false): DeadLetterView {
  return {
    commandId: envelope.commandId,
    name: envelope.name,
    args: envelope.args,
    issuedAt: envelope.issuedAt,
    operator: envelope.operator,
    code,
    reason,
    held: code === 'unauthenticated',
    accountDeactivated,
    tooLarge: withdrawn,
  };
}
