import { z } from 'zod';
import { tourEnd } from '../dispatch/shifts';
import { Instant } from '../domain/time';
import { UnitDuty, type Unit } from '../domain/unit';
import { conflict, notBefore, reject, type CommandDefinition } from './types';

export const SetUnitDutyArgs = z.object({
  unitId: z.string().min(1),
  duty: UnitDuty,
  /** The version of the unit the dispatcher saw. A crew's own booking on through its terminal is not held to it. */
  unitVersion: z.number().int().positive(),
  /** Booking on: when the tour ends, for a unit working outside (or beyond) its shift; otherwise its shift's end. */
  until: Instant.nullable().default(null),
  /** Who booked: a dispatcher at the desk, or the crew through the vehicle's terminal. */
  via: z.enum(['dispatcher', 'terminal']).default('dispatcher'),
});
export type SetUnitDutyArgs = z.infer<typeof SetUnitDutyArgs>;

/**
 * Booking a unit on or off duty, or unavailable (refreshments, a vehicle fault) and back, compare-and-set on the
 * unit. Booking on starts a tour of duty that ends with the unit's shift (in the force's time), or when the
 * dispatcher says for a unit outside its shift; outside its shift without an end it is refused. Booking on again with
 * a time moves the end of the tour under way to it. A unit off duty must
 * book on before it can be unavailable, and a unit committed to an incident is cleared from it first: its duty
 * state never hides a job.
 */
export const setUnitDuty: CommandDefinition<SetUnitDutyArgs> = {
  name: 'unit.setDuty',
  args: SetUnitDutyArgs,
  reads: (args) => [{ kind: 'unit', id: args.unitId }],
  apply(args, given, state) {
    const unit = state.get('unit', args.unitId);
    if (!unit) return reject('not_found', `no unit ${args.unitId}`);
    // Not before the unit last moved or booked on: a slow desk's time would book it on before what it follows.
    const ctx = notBefore(given, unit.movedAt, unit.tour?.bookedOnAt);
    // A unit lent to another force (shared/domain/loan.ts) is booked on and off by its own force only.
    if (unit.force !== ctx.config.force.code) return reject('forbidden', `${unit.callSign} is ${unit.force}'s unit: only ${unit.force} books it on or off`);
    const target = { kind: 'unit' as const, id: unit.id };
    // The crew booking on says what is so; the dispatcher's choice is made on what they saw.
    if (unit.version !== args.unitVersion && args.via !== 'terminal') return conflict(`${unit.callSign} changed since you looked`, target);
    const changed = (doc: Unit) => ({ ok: true as const, changes: [{ kind: 'unit' as const, id: unit.id, doc: { ...doc, version: unit.version + 1 } }] });
    // Booking on a unit already on (or back from unavailable) with a time: its tour now ends then, sooner or later
    // than it did. Without a time, or from its terminal, booking on changes nothing of a tour under way.
    if (args.duty === 'on_duty' && unit.duty !== 'off_duty' && unit.tour && args.until !== null && args.via === 'dispatcher') {
      const ends = tourEnd(ctx.config, unit, Date.parse(ctx.issuedAt), Date.parse(args.until));
      if (!ends.ok) return reject('invalid', ends.reason);
      const endsAt = new Date(ends.endsAtMs!).toISOString();
      if (unit.duty === 'on_duty' && unit.tour.endsAt === endsAt) return { ok: true, changes: [] };
      return changed({ ...unit, duty: 'on_duty', tour: { ...unit.tour, endsAt, overrun: null } });
    }
    if (unit.duty === args.duty) return { ok: true, changes: [] };
    if (unit.commitment && args.duty !== 'on_duty') return conflict(`${unit.callSign} is committed to an incident: clear it from there first`, target);

    if (args.duty === 'off_duty') return changed({ ...unit, duty: 'off_duty', tour: null });
    if (unit.duty !== 'off_duty') return changed({ ...unit, duty: args.duty });
    if (args.duty === 'unavailable') return reject('invalid', `${unit.callSign} is off duty: book it on first`);
    const ends = tourEnd(ctx.config, unit, Date.parse(ctx.issuedAt), args.until === null ? null : Date.parse(args.until));
    if (!ends.ok) return reject('invalid', ends.reason);
    const tour = {
      bookedOnAt: ctx.issuedAt,
      bookedOnBy: ctx.actor.operator,
      via: args.via,
      endsAt: ends.endsAtMs === null ? null : new Date(ends.endsAtMs).toISOString(),
      overrun: null,
    };
    return changed({ ...unit, duty: 'on_duty', tour });
  },
};
