import { z } from 'zod';
import type { Assignment } from '../domain/assignment';
import { derivedId } from '../domain/derived-id';
import { reservationOfUnit, type Incident, type LogEntry } from '../domain/incident';
import type { AnyRecord } from '../domain/records';
import type { Unit } from '../domain/unit';
import { Uuid } from '../domain/ids';
import { conflict, missing, notBefore, reject, type ApplyResult, type CommandDefinition } from './types';
import { deployableSince } from '../domain/loan';
import { withJob, withJobEnded } from '../domain/unit-jobs';
import { systemEntry } from './system-log';
import { closedConflict, withReservation } from './incident-lifecycle';
import { wallClock } from '../domain/wall-clock';
import type { ForceConfig } from '../domain/force-config';
import type { ForceCode } from '../domain/force';
import { tourOver } from '../dispatch/shifts';
import { takenBy } from '../dispatch/handoffs';

export const AssignUnitArgs = z.object({
  assignmentId: Uuid,
  unitId: z.string().min(1),
  incidentId: Uuid,
  /** The version of the unit the dispatcher saw as available. */
  unitVersion: z.number().int().positive(),
  /** Book the unit for a scheduled appointment at this time instead of sending it now. */
  reserveFor: z.iso.datetime().nullable().default(null),
});
export type AssignUnitArgs = z.infer<typeof AssignUnitArgs>;

/**
 * Deploys a unit: compare-and-set on the unit. If the unit changed since the dispatcher saw it (most often: another
 * dispatcher, maybe offline, sent it elsewhere), the deployment loses and is shown as a conflict, never a silent
 * double assignment. A reservation books the unit for a scheduled appointment without taking it off what it is
 * doing: it needs no free unit now, and becomes a deployment (with the same check) when it is due.
 */
export const assignUnit: CommandDefinition<AssignUnitArgs> = {
  name: 'unit.assign',
  args: AssignUnitArgs,
  reads: (args) => [
    { kind: 'unit', id: args.unitId },
    { kind: 'incident', id: args.incidentId },
    { kind: 'assignment', id: args.assignmentId },
  ],
  writes: (args) => [{ kind: 'logEntry', id: derivedId(args.assignmentId, args.reserveFor !== null ? 'reserved' : 'assigned') }],
  apply(args, given, state) {
    const unit = state.get('unit', args.unitId);
    if (!unit) return reject('not_found', `no unit ${args.unitId}`);
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    if (state.get('assignment', args.assignmentId)) return reject('invalid', `assignment ${args.assignmentId} already exists`);
    // Not dated before the unit was free to deploy here (it last moved; a loan began or ended), nor before the
    // incident was: a slow desk's time, or one queued while the unit moved on.
    const ctx = notBefore(given, deployableSince(unit, given.config.force.code), incident.createdAt);
    const closed = closedConflict(incident);
    if (closed) return closed;
    const { lentFrom, assisting, owners } = deploymentSides(ctx.config.force.code, incident, unit);
    if (lentFrom && args.reserveFor !== null) return reject('invalid', `${unit.callSign} is ${lentFrom}'s unit: a lent unit is deployed, not reserved`);
    const reserving = args.reserveFor !== null;
    if (assisting && reserving) return reject('invalid', `the incident is ${assisting}'s: a force assisting deploys its units, it does not book them ahead`);
    const entry = (text: string): LogEntry => systemEntry(ctx, derivedId(args.assignmentId, reserving ? 'reserved' : 'assigned'), incident.id, text, incident.force);
    const assignment: Assignment = {
      id: args.assignmentId,
      ...owners,
      unitId: unit.id,
      incidentId: incident.id,
      status: reserving ? 'reserved' : 'assigned',
      delivery: reserving ? null : { state: 'sent', at: ctx.issuedAt, note: '' },
      reservedFor: args.reserveFor,
      receiptAlarm: null,
      radioConfirmed: null,
      lateRejection: null,
      duePrompt: null,
      assignedAt: ctx.issuedAt,
      ...(reserving ? {} : { deployedAt: ctx.issuedAt }),
      assignedBy: ctx.actor.operator,
      updatedAt: ctx.issuedAt,
      version: 1,
    };
    if (args.reserveFor !== null) {
      if (unit.duty === 'off_duty') return conflict(`${unit.callSign} is off duty`, { kind: 'unit', id: unit.id });
      // One appointment per unit per incident: a second would prompt the dispatcher twice for one visit.
      if (reservationOfUnit(incident, unit.id)) return conflict(`${unit.callSign} is already reserved for this incident`, { kind: 'incident', id: incident.id });
      return {
        ok: true,
        changes: [
          { kind: 'assignment', id: assignment.id, doc: assignment },
          // The incident lists it, so that closing the incident cancels it.
          { kind: 'incident', id: incident.id, doc: withReservation(takenBy(incident, ctx.issuedAt, ctx.actor.operator), assignment.id, unit.id, ctx.issuedAt) },
          { kind: 'logEntry', id: derivedId(args.assignmentId, 'reserved'), doc: entry(`${unit.callSign} reserved for ${wallClock(ctx.config.force.timeZone).dateTime(args.reserveFor)}`) },
        ],
      };
    }
    const refused = unitNotFree(ctx.config, unit, args.unitVersion, Date.parse(ctx.issuedAt), incident.id);
    if (refused) return refused;
    return {
      ok: true,
      changes: [
        { kind: 'assignment', id: assignment.id, doc: assignment },
        // Deploying a unit takes the incident from its queue: its handoff is done (the owner's handoff, not an assisting force's to take).
        ...commitUnit(unit, assisting ? incident : takenBy(incident, ctx.issuedAt, ctx.actor.operator), assignment.id, ctx.issuedAt),
        { kind: 'logEntry', id: derivedId(args.assignmentId, 'assigned'), doc: entry(`${unit.callSign} assigned; deployment sent to its terminal`) },
      ],
    };
  },
  redo: (args, state) => ({ ...args, assignmentId: derivedId(args.assignmentId, 'redo'), unitVersion: state.get('unit', args.unitId)?.version ?? args.unitVersion }),
};

/** Whose a new deployment is (deploymentSides). */
export interface DeploymentSides {
  /** The unit's force where it lent the unit to the desk's force (the borrower deploys and runs it), else null. */
  lentFrom: ForceCode | null;
  /** The incident's force where the desk's force holds it through an assist share, else null: its handoff is not the assisting force's to take. */
  assisting: ForceCode | null;
  /** The deployment's owning fields: the incident's force, and the unit's force where it differs (`lent` for a loan). */
  owners: Pick<Assignment, 'force' | 'unitForce' | 'lent'>;
}

/**
 * Whose a new deployment of `unit` on `incident` is, made by a desk of `force`: always the incident's record (its
 * force owns it); naming the unit's force where that differs, marked `lent` for a unit lent to the incident's force
 * (shared/domain/loan.ts) or not for the desk's own unit on an incident it assists on (shared/domain/assist-writes.ts).
 * The one rule for every command that makes a deployment (at the desk now, or back-entered from paper), so the
 * lender and the assisting force see and run it alike whichever way it was made.
 */
export function deploymentSides(force: ForceCode, incident: Pick<Incident, 'force'>, unit: Pick<Unit, 'force'>): DeploymentSides {
  const lentFrom = unit.force !== force ? unit.force : null;
  const assisting = incident.force !== force ? incident.force : null;
  const unitForce = lentFrom ? { unitForce: lentFrom, lent: true as const } : assisting ? { unitForce: force } : {};
  return { lentFrom, assisting, owners: { force: incident.force, ...unitForce } };
}

/**
 * Why a unit cannot be committed to a job at `atMs`, as a conflict, or null when it can: it must be the version the
 * dispatcher saw, booked on and available, within its tour of duty, and not committed elsewhere. A lent unit
 * (shared/domain/loan.ts) is free only to the force it is lent to, for the incident it is lent for (`incidentId`,
 * where the job is one); a unit of another force not lent to this one is never free to it.
 */
export function unitNotFree(config: ForceConfig, unit: Unit, seenVersion: number, atMs: number, incidentId?: string): ApplyResult | null {
  const target = { kind: 'unit' as const, id: unit.id };
  const force = config.force.code;
  if (unit.version !== seenVersion) {
    // Lent to another force first: its commitment there is to that force's incident, which this one may not hold.
    const now = unit.loan && unit.loan.to !== force ? `lent to ${unit.loan.to}` : unit.commitment ? `committed to another incident` : unit.duty.replace('_', ' ');
    return conflict(`${unit.callSign} changed since you looked: it is now ${now}`, target);
  }
  const notOurs = unitNotOurs(config, unit, incidentId);
  if (notOurs) return notOurs;
  if (unit.commitment) return conflict(unit.commitment.incidentId === incidentId ? `${unit.callSign} is already deployed on this incident` : `${unit.callSign} is already committed to another incident`, target);
  if (unit.duty === 'off_duty') return conflict(`${unit.callSign} is off duty: it is not booked on`, target);
  if (unit.duty !== 'on_duty') return conflict(`${unit.callSign} is ${unit.duty.replace('_', ' ')}`, target);
  if (tourOver(unit, atMs)) return conflict(`${unit.callSign}'s shift ended at ${wallClock(config.force.timeZone).time(unit.tour!.endsAt!)}`, target);
  return null;
}

/**
 * Why a unit is not this force's to deploy on the incident (`incidentId`, where the job is one), as a conflict, or null
 * when it is: its own unit not lent away, or one lent to this force for this incident (shared/domain/loan.ts). Whether
 * it is free now is unitNotFree's to say; this is what holds even for a deployment recorded as already over (a paper
 * record of a unit cleared meanwhile), so that no force records another's unit on a job it was not lent for, and the
 * lender is never handed a record naming an incident it was not lent for.
 */
export function unitNotOurs(config: ForceConfig, unit: Unit, incidentId?: string): ApplyResult | null {
  const target = { kind: 'unit' as const, id: unit.id };
  const force = config.force.code;
  if (unit.loan && unit.loan.to !== force) return conflict(`${unit.callSign} is lent to ${unit.loan.to}`, target);
  if (!unit.loan && unit.force !== force) return conflict(`${unit.callSign} is ${unit.force}'s unit, not lent to ${force}`, target);
  if (unit.loan && incidentId !== undefined && unit.loan.incidentId !== incidentId) return conflict(`${unit.callSign} is lent to ${force} for another incident`, target);
  return null;
}

/** The unit committed to the assignment, and the incident counting it among its units. */
export function commitUnit(unit: Unit, incident: Incident, assignmentId: string, at: string, jobFrom: string = at): AnyRecord[] {
  return [
    { kind: 'unit', id: unit.id, doc: { ...unit, commitment: { assignmentId, incidentId: incident.id }, movedAt: at, ...withJob(unit, jobFrom, null), version: unit.version + 1 } },
    { kind: 'incident', id: incident.id, doc: { ...incident, activeUnits: [...incident.activeUnits, unit.id], updatedAt: at, version: incident.version + 1 } },
  ];
}

/**
 * The unit freed from the assignment (if it still holds it) and the incident no longer counting it. A unit whose
 * shift has ended meanwhile goes off duty as it clears: it was kept on only for this job.
 */
export function releaseUnit(unit: Unit, incident: Incident, assignmentId: string, at: string): AnyRecord[] {
  const offDuty = tourOver(unit, Date.parse(at)) ? { duty: 'off_duty' as const, tour: null } : {};
  return [
    ...(unit.commitment?.assignmentId === assignmentId ? [{ kind: 'unit' as const, id: unit.id, doc: { ...unit, commitment: null, ...offDuty, movedAt: at, jobs: withJobEnded(unit.jobs, at), version: unit.version + 1 } }] : []),
    { kind: 'incident', id: incident.id, doc: { ...incident, activeUnits: incident.activeUnits.filter((u) => u !== unit.id), updatedAt: at, version: incident.version + 1 } },
  ];
}
