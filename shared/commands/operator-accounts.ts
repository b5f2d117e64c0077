import { z } from 'zod';
import { Name } from '../domain/ids';
import { Role, type Operator } from '../domain/operator';
import { plainText } from '../domain/text';
import { isRelayAuthorName } from '../domain/relay';
import { conflict, missing, reject, type ApplyResult, type CommandDefinition, type StateView } from './types';

/**
 * A force administrator's changes to accounts, made at the console: replicated commands, so every workstation learns
 * who may do what from the same change log (the signed-in operator's own view too). Each is decided on the version of
 * the account the administrator saw, so two administrators' changes never silently overwrite each other. Passwords
 * are never here: they go to the server alone (server/access/admin-routes.ts).
 */

const Version = z.number().int().positive();

export const AddOperatorArgs = z.object({
  name: Name,
  displayName: plainText({ min: 1, max: 120 }),
  roles: z.array(Role).min(1),
});
export type AddOperatorArgs = z.infer<typeof AddOperatorArgs>;

/** A new account: refused (a conflict) if one of that name exists already, so an addition never overwrites. */
export const addOperator: CommandDefinition<AddOperatorArgs> = {
  name: 'operator.add',
  args: AddOperatorArgs,
  reads: (args) => [{ kind: 'operator', id: args.name }],
  apply(args, ctx, state) {
    if (isRelayAuthorName(args.name)) return reject('invalid', `${args.name} is a name the system gives itself, terminals and the telephony switch: choose another`);
    const existing = state.get('operator', args.name);
    // Another force's account is not this force's business (DPA 2018): a conflict would carry its record (name,
    // roles, whether active) to this force's workstations, so the name is only said to be taken.
    if (existing && existing.force !== ctx.config.force.code) return reject('invalid', nameTakenWords(args.name));
    if (existing) return conflict(`an operator named ${args.name} exists already`, { kind: 'operator', id: args.name });
    const operator: Operator = { id: args.name, force: ctx.config.force.code, displayName: args.displayName, roles: uniqueRoles(args.roles), active: true, version: 1 };
    return { ok: true, changes: [{ kind: 'operator', id: operator.id, doc: operator }] };
  },
};

export const SetRolesArgs = z.object({ name: Name, roles: z.array(Role).min(1, 'an operator keeps at least one role'), operatorVersion: Version });
export type SetRolesArgs = z.infer<typeof SetRolesArgs>;

/** Sets an operator's roles (adding and removing in one). An administrator may not take away their own admin role. */
export const setOperatorRoles: CommandDefinition<SetRolesArgs> = {
  name: 'operator.setRoles',
  args: SetRolesArgs,
  reads: (args) => [{ kind: 'operator', id: args.name }],
  apply(args, ctx, state) {
    const found = current(state, args.name, args.operatorVersion);
    if (!found.ok) return found.result;
    const operator = found.operator;
    const roles = uniqueRoles(args.roles);
    if (ctx.actor.operator === args.name && operator.roles.includes('admin') && !roles.includes('admin')) {
      return reject('forbidden', 'you may not remove your own administrator role: the force must keep an administrator; ask another administrator');
    }
    const last = lastAdministratorProblem(operator, { roles, active: operator.active }, ctx.actor.operator, state);
    if (last) return reject('forbidden', last);
    if (roles.join() === operator.roles.join()) return { ok: true, changes: [] };
    return { ok: true, changes: [{ kind: 'operator', id: operator.id, doc: { ...operator, roles, version: operator.version + 1 } }] };
  },
  redo: (args, state) => ({ ...args, operatorVersion: state.get('operator', args.name)?.version ?? args.operatorVersion }),
};

export const SetActiveArgs = z.object({ name: Name, active: z.boolean(), operatorVersion: Version });
export type SetActiveArgs = z.infer<typeof SetActiveArgs>;

/**
 * Deactivates an account (its holder can no longer sign in, and the server revokes their tickets when it applies
 * this: server/access/account-effects.ts) or reactivates it. An administrator may not deactivate themselves.
 */
export const setOperatorActive: CommandDefinition<SetActiveArgs> = {
  name: 'operator.setActive',
  args: SetActiveArgs,
  reads: (args) => [{ kind: 'operator', id: args.name }],
  apply(args, ctx, state) {
    const found = current(state, args.name, args.operatorVersion);
    if (!found.ok) return found.result;
    const operator = found.operator;
    if (!args.active && ctx.actor.operator === args.name) {
      return reject('forbidden', 'you may not deactivate your own account: the force must keep an administrator; ask another administrator');
    }
    const last = lastAdministratorProblem(operator, { roles: operator.roles, active: args.active }, ctx.actor.operator, state);
    if (last) return reject('forbidden', last);
    if (operator.active === args.active) return { ok: true, changes: [] };
    // Who deactivated it, and when, goes with the account while it is inactive (Operator.deactivated); reactivated, it goes.
    const { deactivated: _earlier, ...rest } = operator;
    const doc: Operator = { ...rest, active: args.active, ...(args.active ? {} : { deactivated: { by: ctx.actor.operator, at: ctx.issuedAt } }), version: operator.version + 1 };
    return { ok: true, changes: [{ kind: 'operator', id: operator.id, doc }] };
  },
  redo: (args, state) => ({ ...args, operatorVersion: state.get('operator', args.name)?.version ?? args.operatorVersion }),
};

/**
 * Why a change of `operator`'s account would leave their force with no active administrator, or null. Taking an
 * active administrator away (their role, or the account) leaves one only if the one doing it is another active
 * administrator of the same force, as the records read when the change is decided say (the issuer's own account is
 * always read: shared/commands/registry.ts readsOf). Every path that takes an administrator away asks this: the
 * console's setRoles and setActive here; operator.register is the server's own (its operators file) and never a
 * console's (shared/commands/operator-register.ts).
 */
export function lastAdministratorProblem(operator: Operator, after: Pick<Operator, 'roles' | 'active'>, issuer: string, state: StateView): string | null {
  const takenAway = operator.active && operator.roles.includes('admin') && !(after.active && after.roles.includes('admin'));
  if (!takenAway) return null;
  const by = issuer === operator.id ? undefined : state.get('operator', issuer);
  if (by && by.active && by.roles.includes('admin') && by.force === operator.force) return null;
  return `${operator.id} is the last active administrator of force ${operator.force}: nobody else could administer its accounts; make another operator an administrator first`;
}

function current(state: StateView, name: string, version: number): { ok: true; operator: Operator } | { ok: false; result: ApplyResult } {
  const operator = state.get('operator', name);
  const target = { kind: 'operator' as const, id: name };
  if (!operator) return { ok: false, result: missing(target, `the operator ${name}`) };
  if (operator.version !== version) return { ok: false, result: conflict(`${name}'s account changed since you looked`, target) };
  return { ok: true, operator };
}

/** The refusal of a name another force's account holds: only that it is taken, never whose (names are one namespace). */
export function nameTakenWords(name: string): string {
  return `the name ${name} is taken: choose another name`;
}

/** Roles in the order given, each once (the first is the operator's main one: it decides where they land). */
function uniqueRoles(roles: readonly Role[]): Role[] {
  return [...new Set(roles)];
}
