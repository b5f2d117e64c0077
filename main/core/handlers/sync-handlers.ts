import { commandDefinitions } from '../../../shared/commands/registry';
import type { ChannelPlace } from '../../../shared/contract/channel-access';
import { ApiError } from '../../../shared/contract/errors';
import { conflictScope, mayOpenConflict } from '../../../shared/domain/conflict';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type SyncChannels = 'conflicts.list' | 'conflicts.resolve' | 'sync.status' | 'sync.checkAgain';

/**
 * What the sync engine has to say: its state and the conflict inbox (the refused list: refusal-handlers.ts).
 *
 * Who sees which conflict is decided here, for the operator signed in, and not by the server: the server sends a
 * workstation (by its device token, not by who sits at it) every conflict of its force, because a supervisor resolves
 * the room's from whichever desk they sign in at, offline too, and the workstation is not any one operator's. So the
 * file holds the force's conflicts, and every way out of it to a window asks shared/domain/conflict.ts conflictScope:
 * this list, a resolution, the records pushed to windows (console-core.ts recordsShownTo) and the status bar's count
 * (sync-client.ts shownTo). A call handler or dispatcher is shown the conflicts of their own commands.
 */
export function syncHandlers(ctx: CoreContext, place: ChannelPlace): HandlerGroup<SyncChannels> {
  const { store } = ctx;
  const signedInOperator = () => (ctx.session.signedIn ? (store.view.get('operator', ctx.session.signedIn.operator.id) ?? ctx.session.signedIn.operator) : null);
  // One the operator may not open is answered as one that is not here: not even its id says it exists.
  const conflict = (id: string) => {
    const held = store.view.view('conflict', id);
    return found(held && mayOpenConflict(signedInOperator(), held, place) ? held : undefined, `conflict ${id}`);
  };
  return {
    'conflicts.list': () => {
      const scope = conflictScope(signedInOperator(), place);
      return { conflicts: scope === 'none' ? [] : store.view.openConflicts('all' in scope ? undefined : scope.author) };
    },
    'conflicts.resolve': ({ conflictId, resolution }) => {
      const lost = conflict(conflictId);
      if (resolution === 'redo') {
        const definition = commandDefinitions[lost.commandName];
        if (!definition?.redo) throw new ApiError('bad_request', `${lost.commandName} cannot be done again automatically; do it by hand`);
        const args = definition.redo(definition.args.parse(lost.args), store.view);
        // One transaction: the redone command and the conflict's resolution stand or fall together.
        ctx.issueAll([
          { name: lost.commandName, makeArgs: () => args },
          { name: 'conflict.resolve', makeArgs: () => ({ conflictId, resolution: 'redone' }) },
        ]);
      } else {
        ctx.issue('conflict.resolve', () => ({ conflictId, resolution: 'accepted_theirs' }));
      }
      return { conflict: conflict(conflictId) };
    },
    'sync.status': () => ctx.sync.status(),
    'sync.checkAgain': () => {
      ctx.sync.checkAgain();
      return ctx.sync.status();
    },
  };
}
