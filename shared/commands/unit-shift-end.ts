import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import { raisedBy } from '../domain/raised';
import type { AnyRecord } from '../domain/records';
import { Instant } from '../domain/time';
import type { Unit } from '../domain/unit';
import { wallClock } from '../domain/wall-clock';
import { LONGEST_TOUR_MS } from '../dispatch/shifts';
import { systemEntry } from './system-log';
import { conflict, reject, type ApplyContext, type CommandDefinition, type StateView } from './types';

export const ShiftEndedArgs = z.object({
  unitId: z.string().min(1),
  /** The end of the tour this claim is about: a tour extended or ended meanwhile is not claimed. */
  endsAt: Instant,
  /** The incident the unit was committed to when the claim was made, for its log. */
  incidentId: Uuid.nullable(),
});
export type ShiftEndedArgs = z.infer<typeof ShiftEndedArgs>;

/** A line in the log of the incident the unit is committed to, if the command names that incident. */
function entryOnJob(ctx: ApplyContext, state: StateView, unit: Unit, incidentId: string | null, label: string, text: string): AnyRecord[] {
  if (!incidentId || unit.commitment?.incidentId !== incidentId || !state.get('incident', incidentId)) return [];
  const entry = systemEntry(ctx, derivedId(`${unit.id}/${unit.tour?.bookedOnAt ?? ''}`, `${label}:${unit.tour?.endsAt ?? ''}`), incidentId, text);
  return [{ kind: 'logEntry', id: entry.id, doc: entry }];
}

/**
 * A unit's tour of duty has reached its end: a claim, issued by the first dispatcher's workstation whose clock gets
 * there. A free unit goes off duty by itself. A unit still committed to a job stays on it, and the dispatcher is
 * asked, once (at the workstation whose claim the server keeps), to relieve it or extend its shift; the prompt
 * leaves the unit's version alone, so it cannot make a dispatcher's action on the unit lose.
 */
export const shiftEnded: CommandDefinition<ShiftEndedArgs> = {
  name: 'unit.shiftEnded',
  args: ShiftEndedArgs,
  reads: (args) => [{ kind: 'unit', id: args.unitId }, ...(args.incidentId ? [{ kind: 'incident' as const, id: args.incidentId }] : [])],
  apply(args, ctx, state) {
    const unit = state.get('unit', args.unitId);
    const tour = unit?.tour;
    if (!unit || !tour || tour.endsAt !== args.endsAt || Date.parse(ctx.issuedAt) < Date.parse(args.endsAt)) return { ok: true, changes: [] };
    if (!unit.commitment) return { ok: true, changes: [{ kind: 'unit', id: unit.id, doc: { ...unit, duty: 'off_duty', tour: null, version: unit.version + 1 } }] };
    if (tour.overrun) return { ok: true, changes: [] };
    const prompted: Unit = { ...unit, tour: { ...tour, overrun: { raised: raisedBy(ctx), relieved: null } } };
    const when = wallClock(ctx.config.force.timeZone).time(args.endsAt);
    return {
      ok: true,
      changes: [
        { kind: 'unit', id: unit.id, doc: prompted },
        ...entryOnJob(ctx, state, unit, args.incidentId, 'shift-ended', `${unit.callSign}'s shift ended at ${when} while it is committed here: the dispatcher at ${ctx.actor.workstation} is asked to relieve it or extend its shift`),
      ],
    };
  },
};

export const AnswerShiftEndArgs = z.object({
  unitId: z.string().min(1),
  unitVersion: z.number().int().positive(),
  /** Extend the tour to this instant; null: relieve the unit (it goes off duty when it clears from its job). */
  extendUntil: Instant.nullable(),
  /** The incident the unit is committed to, for its log. */
  incidentId: Uuid.nullable(),
});
export type AnswerShiftEndArgs = z.infer<typeof AnswerShiftEndArgs>;

/**
 * The dispatcher's answer at a shift's end (or before it): extend the unit's tour to a later time, or relieve it, so
 * that it goes off duty as soon as it clears. Compare-and-set on the unit: two dispatchers cannot answer both ways.
 */
export const answerShiftEnd: CommandDefinition<AnswerShiftEndArgs> = {
  name: 'unit.answerShiftEnd',
  args: AnswerShiftEndArgs,
  reads: (args) => [{ kind: 'unit', id: args.unitId }, ...(args.incidentId ? [{ kind: 'incident' as const, id: args.incidentId }] : [])],
  apply(args, ctx, state) {
    const unit = state.get('unit', args.unitId);
    if (!unit) return reject('not_found', `no unit ${args.unitId}`);
    // A unit lent to another force (shared/domain/loan.ts): its officers' hours are its own force's to decide.
    if (unit.force !== ctx.config.force.code) return reject('forbidden', `${unit.callSign} is ${unit.force}'s unit: only ${unit.force} extends its shift or relieves it`);
    const target = { kind: 'unit' as const, id: unit.id };
    if (unit.version !== args.unitVersion) return conflict(`${unit.callSign} changed since you looked`, target);
    const tour = unit.tour;
    if (!tour) return conflict(`${unit.callSign} is not booked on`, target);
    const wall = wallClock(ctx.config.force.timeZone);
    const now = Date.parse(ctx.issuedAt);
    if (args.extendUntil !== null) {
      const until = Date.parse(args.extendUntil);
      if (until <= now) return reject('invalid', `${unit.callSign}'s shift cannot be extended to ${wall.dateTime(until)}: that time has passed`);
      if (until - now > LONGEST_TOUR_MS) return reject('invalid', `${unit.callSign}'s shift cannot be extended by more than 24 hours`);
      const extended: Unit = { ...unit, tour: { ...tour, endsAt: args.extendUntil, overrun: null }, version: unit.version + 1 };
      return {
        ok: true,
        changes: [{ kind: 'unit', id: unit.id, doc: extended }, ...entryOnJob(ctx, state, unit, args.incidentId, 'extended', `${unit.callSign}'s shift extended to ${wall.time(until)}`)],
      };
    }
    if (!tour.overrun || tour.overrun.relieved) return reject('invalid', `${unit.callSign}'s shift has not ended with a question waiting: nothing to relieve`);
    const relieved: Unit = { ...unit, tour: { ...tour, overrun: { ...tour.overrun, relieved: { at: ctx.issuedAt, by: ctx.actor.operator } } }, version: unit.version + 1 };
    return {
      ok: true,
      changes: [{ kind: 'unit', id: unit.id, doc: relieved }, ...entryOnJob(ctx, state, unit, args.incidentId, 'relieved', `${unit.callSign} to be relieved: it goes off duty when it clears from here`)],
    };
  },
  redo: (args, state) => ({ ...args, unitVersion: state.get('unit', args.unitId)?.version ?? args.unitVersion }),
};
