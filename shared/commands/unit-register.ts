import { type z } from 'zod';
import { UnitConfig } from '../domain/force-config';
import type { Unit } from '../domain/unit';
import { reject, type CommandDefinition } from './types';

export const RegisterUnitArgs = UnitConfig;
export type RegisterUnitArgs = z.infer<typeof RegisterUnitArgs>;

/**
 * Brings a unit of the force's configuration into service (the server issues it at start-up for units it has not
 * seen), off duty: a unit comes on duty only by booking on. Registering a unit that exists changes only its
 * description (type, station, skills, equipment, shift), never what it is doing.
 */
export const registerUnit: CommandDefinition<RegisterUnitArgs> = {
  name: 'unit.register',
  args: RegisterUnitArgs,
  reads: (args) => [{ kind: 'unit', id: args.callSign }],
  apply(args, ctx, state) {
    if (!ctx.config.unitTypes.some((t) => t.code === args.type)) return reject('invalid', `unknown unit type "${args.type}"`);
    const existing = state.get('unit', args.callSign);
    // A unit lent to this force (shared/domain/loan.ts) is described, its shift pattern too, by its own force only.
    if (existing && existing.force !== ctx.config.force.code) return reject('forbidden', `${existing.callSign} is ${existing.force}'s unit: only ${existing.force} describes it`);
    const described = { type: args.type, homeStation: args.homeStation, skills: args.skills, equipment: args.equipment, shift: args.shift };
    if (existing && JSON.stringify(pick(existing)) === JSON.stringify(described)) return { ok: true, changes: [] };
    const unit: Unit = existing
      ? { ...existing, ...described, version: existing.version + 1 }
      : { id: args.callSign, force: ctx.config.force.code, callSign: args.callSign, ...described, duty: 'off_duty', tour: null, commitment: null, version: 1 };
    return { ok: true, changes: [{ kind: 'unit', id: unit.id, doc: unit }] };
  },
};

function pick(unit: Unit) {
  return { type: unit.type, homeStation: unit.homeStation, skills: unit.skills, equipment: unit.equipment, shift: unit.shift };
}
