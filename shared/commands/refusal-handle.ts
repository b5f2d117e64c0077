import { z } from 'zod';
import { Name, Uuid } from '../domain/ids';
import { hasRole, type Operator } from '../domain/operator';
import { plainText } from '../domain/text';
import { reject, type CommandDefinition } from './types';

/** What was done about a command the server refused: done again as a new command, or set aside with a reason. */
export const RefusalAction = z.enum(['redone', 'dismissed']);
export type RefusalAction = z.infer<typeof RefusalAction>;

export const DismissReason = plainText({ min: 1, max: 500, empty: 'say why it is dismissed' });

export const HandleRefusalArgs = z
  .object({
    /** The refused command, as the server logged it. */
    commandId: Uuid,
    commandName: z.string().min(1).max(64),
    /** Who issued the refused command: they, or a supervisor, may handle it. */
    issuedBy: Name,
    action: RefusalAction,
    /** Why it was dismissed (required), or a note on the redo (may be empty). */
    reason: plainText({ max: 500 }),
    /** The new command that did it again, when redone. */
    redoneAs: Uuid.nullable(),
  })
  .refine((args) => args.action !== 'dismissed' || args.reason.length > 0, { message: 'say why it is dismissed', path: ['reason'] })
  .refine((args) => (args.action === 'redone') === (args.redoneAs !== null), { message: 'a redo names the command that did it again', path: ['redoneAs'] });
export type HandleRefusalArgs = z.infer<typeof HandleRefusalArgs>;

/** Whether this operator may redo or dismiss a command another refused: its own issuer, or a supervisor. */
export function mayHandleRefusal(operator: Pick<Operator, 'id' | 'roles'> | undefined, issuedBy: string): boolean {
  if (!operator) return false;
  return operator.id === issuedBy || hasRole(operator, 'supervisor');
}

/**
 * Records in the server's command log that a refused command was handled at its workstation: who did what about
 * it, when, and why. The refused command itself stays in the log as it was; nothing else changes.
 */
export const handleRefusal: CommandDefinition<HandleRefusalArgs> = {
  name: 'refusal.handle',
  args: HandleRefusalArgs,
  reads: () => [],
  apply(args, ctx, state) {
    const operator = state.get('operator', ctx.actor.operator);
    if (!ctx.trusted && !mayHandleRefusal(operator, args.issuedBy)) {
      return reject('forbidden', `only ${args.issuedBy} or a supervisor may ${args.action === 'redone' ? 'redo' : 'dismiss'} this refused command`);
    }
    return { ok: true, changes: [] };
  },
};
