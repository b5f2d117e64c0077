import { commandDefinitions } from '../../../shared/commands/registry';
import { ApiError } from '../../../shared/contract/errors';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type SyncChannels = 'conflicts.list' | 'conflicts.resolve' | 'sync.status' | 'sync.checkAgain';

/** What the sync engine has to say: its state and the conflict inbox (the refused list: refusal-handlers.ts). */
export function syncHandlers(ctx: CoreContext): HandlerGroup<SyncChannels> {
  const { store } = ctx;
  const conflict = (id: string) => found(store.view.view('conflict', id), `conflict ${id}`);
  return {
    'conflicts.list': () => ({ conflicts: store.view.openConflicts() }),
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
