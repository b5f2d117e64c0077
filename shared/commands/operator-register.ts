import { z } from 'zod';
import { Name } from '../domain/ids';
import { Role, type Operator } from '../domain/operator';
import { isRelayAuthorName } from '../domain/relay';
import { reject, type CommandDefinition } from './types';

export const RegisterOperatorArgs = z.object({
  name: Name,
  displayName: z.string().min(1).max(120),
  roles: z.array(Role).min(1),
  active: z.boolean(),
});
export type RegisterOperatorArgs = z.infer<typeof RegisterOperatorArgs>;

/**
 * Adds an operator (or renames one); every workstation learns who may do what. Credentials never travel here.
 * The server's own command (its operators file, at start: server/access/operators-file.ts, which seeds accounts
 * and never changes a held account's roles or whether it is active), never a console's: it sets an account whole,
 * with none of the checks of the administrator's commands (operator-accounts.ts: never one's own administrator
 * role, never the force's last administrator).
 */
export const registerOperator: CommandDefinition<RegisterOperatorArgs> = {
  name: 'operator.register',
  args: RegisterOperatorArgs,
  reads: (args) => [{ kind: 'operator', id: args.name }],
  apply(args, ctx, state) {
    if (!ctx.trusted) return reject('forbidden', 'accounts are registered by the server from its operators file; at the console, a force administrator adds operators and sets their roles and whether they are active');
    if (isRelayAuthorName(args.name)) return reject('invalid', `${args.name} is a name the system gives itself, terminals and the telephony switch: choose another`);
    const existing = state.get('operator', args.name);
    const same = existing && existing.displayName === args.displayName && existing.active === args.active && existing.roles.join() === args.roles.join();
    if (same) return { ok: true, changes: [] };
    const operator: Operator = { id: args.name, force: ctx.config.force.code, displayName: args.displayName, roles: args.roles, active: args.active, version: (existing?.version ?? 0) + 1 };
    return { ok: true, changes: [{ kind: 'operator', id: operator.id, doc: operator }] };
  },
};
