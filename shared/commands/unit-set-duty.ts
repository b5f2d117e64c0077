import { z } from 'zod';
import { UnitDuty } from '../domain/unit';
import { conflict, reject, type CommandDefinition } from './types';

export const SetUnitDutyArgs = z.object({ unitId: z.string().min(1), duty: UnitDuty, unitVersion: z.number().int().positive() });
export type SetUnitDutyArgs = z.infer<typeof SetUnitDutyArgs>;

/**
 * A unit books on or off duty, or becomes unavailable (refreshments, a vehicle fault), compare-and-set on the unit.
 * A unit committed to an incident is cleared from it first: its duty state never hides a job.
 */
export const setUnitDuty: CommandDefinition<SetUnitDutyArgs> = {
  name: 'unit.setDuty',
  args: SetUnitDutyArgs,
  reads: (args) => [{ kind: 'unit', id: args.unitId }],
  apply(args, _ctx, state) {
    const unit = state.get('unit', args.unitId);
    if (!unit) return reject('not_found', `no unit ${args.unitId}`);
    const target = { kind: 'unit' as const, id: unit.id };
    if (unit.version !== args.unitVersion) return conflict(`${unit.callSign} changed since you looked`, target);
    if (unit.duty === args.duty) return { ok: true, changes: [] };
    if (unit.commitment && args.duty !== 'on_duty') return conflict(`${unit.callSign} is committed to an incident: clear it from there first`, target);
    return { ok: true, changes: [{ kind: 'unit', id: unit.id, doc: { ...unit, duty: args.duty, version: unit.version + 1 } }] };
  },
};
