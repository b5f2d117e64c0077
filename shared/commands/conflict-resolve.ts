import { z } from 'zod';
import { ConflictResolution } from '../domain/conflict';
import { Uuid } from '../domain/ids';
import { hasRole } from '../domain/operator';
import { reject, type CommandDefinition } from './types';

export const ResolveConflictArgs = z.object({
  conflictId: Uuid,
  resolution: ConflictResolution,
});
export type ResolveConflictArgs = z.infer<typeof ResolveConflictArgs>;

/**
 * Closes a conflict in the inbox: the operator accepted the other side, or did the work again on the current
 * state (a new command of its own). Resolving one already resolved changes nothing.
 */
export const resolveConflict: CommandDefinition<ResolveConflictArgs> = {
  name: 'conflict.resolve',
  args: ResolveConflictArgs,
  reads: (args) => [{ kind: 'conflict', id: args.conflictId }],
  apply(args, ctx, state) {
    const conflict = state.get('conflict', args.conflictId);
    if (!conflict) return reject('not_found', `no conflict ${args.conflictId}`);
    if (conflict.status === 'resolved') return { ok: true, changes: [] };
    if (conflict.operator !== ctx.actor.operator && !hasRole(state.get('operator', ctx.actor.operator), 'supervisor')) {
      return reject('forbidden', `only ${conflict.operator} or a supervisor may resolve this conflict`);
    }
    return {
      ok: true,
      changes: [
        {
          kind: 'conflict',
          id: conflict.id,
          doc: { ...conflict, status: 'resolved', resolution: args.resolution, resolvedBy: ctx.actor.operator, resolvedAt: ctx.issuedAt, version: conflict.version + 1 },
        },
      ],
    };
  },
};
