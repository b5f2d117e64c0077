import { z } from 'zod';
import type { Assignment } from '../domain/assignment';
import { paperBeforeIncident, paperTimeOnIncident, paperTimeRefusal, paperTimeWords, type BackEntered } from '../domain/back-entry';
import { wallClock } from '../domain/wall-clock';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import type { LogEntry } from '../domain/incident';
import type { AnyRecord } from '../domain/records';
import type { Unit } from '../domain/unit';
import type { ForceCode } from '../domain/force';
import type { WallClock } from '../domain/wall-clock';
import { Instant } from '../domain/time';
import { takenBy } from '../dispatch/handoffs';
import { closedConflict } from './incident-lifecycle';
import { systemEntry } from './system-log';
import { conflict, missing, paperEntered, reject, type CommandDefinition } from './types';
import { commitUnit, deploymentSides, unitNotFree, unitNotOurs } from './unit-assign';
import { jobOverlapping, withJob } from '../domain/unit-jobs';

export const RecordDeploymentArgs = z.object({
  assignmentId: Uuid,
  unitId: z.string().min(1),
  incidentId: Uuid,
  /** When the unit was sent, arrived at scene and cleared (ISO UTC); arrival and clearing if they happened. */
  deployedAt: Instant,
  arrivedAt: Instant.nullable().default(null),
  clearedAt: Instant.nullable().default(null),
  /**
   * A deployment kept on paper while the system was down (shared/domain/back-entry.ts): `outageFrom` when the system
   * went down. Without it, only the server's own commands may record a deployment (an exercise's starting state).
   */
  paper: z.object({ outageFrom: Instant }).strict().optional(),
});
export type RecordDeploymentArgs = z.infer<typeof RecordDeploymentArgs>;

/**
 * A deployment recorded with its own times rather than made now at the desk: a unit sent by radio while the system
 * was down, written on the paper form (deployed, at scene, cleared) and entered in catch-up; or, from the training
 * server itself, a unit already on an incident open at an exercise's start. The deployment was not sent to the
 * vehicle by the system (the crew heard it by radio), so no receipt is awaited. A unit not yet cleared is committed
 * to the incident now, so it must be free, as for any deployment; one already cleared changes nothing of the unit.
 * Each time goes in the incident's log at that time, marked back-entered for a paper record. Recording the same
 * deployment again changes nothing.
 */
export const recordDeployment: CommandDefinition<RecordDeploymentArgs> = {
  name: 'assignment.record',
  args: RecordDeploymentArgs,
  reads: (args) => [
    { kind: 'unit', id: args.unitId },
    { kind: 'incident', id: args.incidentId },
    { kind: 'assignment', id: args.assignmentId },
  ],
  apply(args, ctx, state) {
    if (state.get('assignment', args.assignmentId)) return { ok: true, changes: [] };
    if (!args.paper && !ctx.trusted) return reject('forbidden', 'a deployment is recorded with its own times only from a paper record kept while the system was down');
    const unit = state.get('unit', args.unitId);
    if (!unit) return reject('not_found', `no unit ${args.unitId}`);
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    const times = [args.deployedAt, args.arrivedAt, args.clearedAt].filter((time): time is string => time !== null).map((time) => Date.parse(time));
    if (times.some((time, i) => i > 0 && time < times[i - 1]!)) return reject('invalid', `${unit.callSign}'s times are out of order: deployed, then at scene, then cleared`);
    if (args.paper) {
      const words = paperTimeWords(wallClock(ctx.config.force.timeZone));
      const entered = paperEntered(ctx);
      for (const time of times) {
        const refused = paperTimeRefusal(time, Date.parse(args.paper.outageFrom), entered.enteredMs, words, entered.deskEnteredMs);
        if (refused) return reject('invalid', refused);
      }
      // Paper times are to the minute: a unit sent by radio in the minute the incident was opened stands.
      const early = paperBeforeIncident(Date.parse(args.deployedAt), Date.parse(incident.createdAt), `${unit.callSign}'s deployment`, words);
      if (early) return reject('invalid', early);
    } else if (Date.parse(args.deployedAt) < Date.parse(incident.createdAt)) {
      return reject('invalid', `${unit.callSign} cannot have been deployed before the incident's call was taken`);
    }
    const cleared = args.clearedAt !== null;
    // Whose unit it is holds whether or not it is still there: another force's unit only where lent to this force
    // for this incident, one's own not while lent away (a try-out's high: a cleared record of a unit lent for another
    // incident stood, and handed the lender a record naming an incident it was never lent for).
    const notOurs = unitNotOurs(ctx.config, unit, incident.id);
    if (notOurs) return notOurs;
    // A paper time in the incident's own minute is recorded as the moment it was opened (paperTimeOnIncident).
    const onIncident = (at: string) => (args.paper ? paperTimeOnIncident(at, incident.createdAt) : at);
    const deployedAt = onIncident(args.deployedAt);
    const arrivedAt = args.arrivedAt && onIncident(args.arrivedAt);
    const clearedAt = args.clearedAt && onIncident(args.clearedAt);
    if (args.paper && unit.keptSince && Date.parse(deployedAt) < Date.parse(unit.keptSince)) {
      // What the unit did before then is no longer all kept: a record there would stand unchecked (a try-out's high).
      const wall = wallClock(ctx.config.force.timeZone);
      return reject('invalid', `${unit.callSign}'s jobs and loans before ${wall.dateTimeWithSecondsZoned(unit.keptSince)} are no longer all kept: a paper deployment from ${wall.dateTimeZoned(Date.parse(deployedAt))} cannot be checked against them, and is not recorded`);
    }
    if (args.paper) {
      // The times as they will be recorded, not as written: a time moved up to the incident's opening could otherwise
      // land in a loan the written one was clear of (a try-out's medium).
      const span = { fromMs: Date.parse(deployedAt), toMs: clearedAt === null ? null : Date.parse(clearedAt) };
      const lentThen = paperWhileLent(unit, ctx.config.force.code, span, wallClock(ctx.config.force.timeZone));
      if (lentThen) return conflict(lentThen, { kind: 'unit', id: unit.id });
    }
    if (!cleared) {
      const closed = closedConflict(incident);
      if (closed) return closed;
      const refused = unitNotFree(ctx.config, unit, unit.version, Date.parse(ctx.issuedAt), incident.id);
      if (refused) return refused;
    }
    // After whether it is free now, which says it better for a unit on a job still.
    if (args.paper) {
      const span = { fromMs: Date.parse(deployedAt), toMs: clearedAt === null ? null : Date.parse(clearedAt) };
      const wall = wallClock(ctx.config.force.timeZone);
      const busyThen = paperOverJob(unit, span, wall) ?? paperOverMove(unit, span, wall);
      if (busyThen) return conflict(busyThen, { kind: 'unit', id: unit.id });
    }
    // The incident's record whoever enters it: a unit lent to the force, or the force's own unit on an incident it
    // assists on, named as unit.assign names them, so the lender or the assisting force sees and runs it the same.
    const { assisting, owners } = deploymentSides(ctx.config.force.code, incident, unit);
    const backEntered: BackEntered | undefined = args.paper && { by: ctx.actor.operator, workstation: ctx.actor.workstation, enteredAt: ctx.issuedAt, outageFrom: args.paper.outageFrom };
    const how = args.paper ? 'by radio (paper record)' : 'at the start of the exercise';
    const line = (label: string, at: string, text: string): AnyRecord => {
      const entry: LogEntry = { ...systemEntry(ctx, derivedId(args.assignmentId, label), incident.id, text, incident.force), at, ...(backEntered && { backEntered }) };
      return { kind: 'logEntry', id: entry.id, doc: entry };
    };
    const assignment: Assignment = {
      id: args.assignmentId,
      ...owners,
      unitId: unit.id,
      incidentId: incident.id,
      status: cleared ? 'cleared' : arrivedAt ? 'at_scene' : 'en_route',
      delivery: { state: 'accepted', at: deployedAt, note: how },
      reservedFor: null,
      receiptAlarm: null,
      radioConfirmed: { at: deployedAt, by: ctx.actor.operator },
      lateRejection: null,
      duePrompt: null,
      assignedAt: deployedAt,
      deployedAt,
      assignedBy: ctx.actor.operator,
      ...(arrivedAt ? { arrivedAt } : {}),
      ...(clearedAt ? { clearedAt } : {}),
      ...(backEntered && { backEntered }),
      updatedAt: ctx.issuedAt,
      version: 1,
    };
    // The first unit at scene stops the attendance clock, at the paper's time if it is earlier than any other's.
    const attendedAt = arrivedAt && (!incident.attendedAt || Date.parse(arrivedAt) < Date.parse(incident.attendedAt)) ? arrivedAt : incident.attendedAt;
    // Deploying takes the incident from its queue: the owner's handoff, not an assisting force's to take.
    const taken = { ...(assisting ? incident : takenBy(incident, deployedAt, ctx.actor.operator)), attendedAt };
    // The unit keeps the job, a paper one too, so that nothing later is put over it (Unit.jobs): a cleared one as
    // it ran, one still going as its deployment at the desk would be.
    const incidentChanges: AnyRecord[] = cleared
      ? [
          { kind: 'incident', id: incident.id, doc: { ...taken, updatedAt: ctx.issuedAt, version: incident.version + 1 } },
          { kind: 'unit', id: unit.id, doc: { ...unit, ...withJob(unit, deployedAt, clearedAt), version: unit.version + 1 } },
        ]
      : commitUnit(unit, taken, assignment.id, ctx.issuedAt, deployedAt);
    return {
      ok: true,
      changes: [
        { kind: 'assignment', id: assignment.id, doc: assignment },
        ...incidentChanges,
        line('assigned', deployedAt, `${unit.callSign} deployed ${how}`),
        ...(arrivedAt ? [line('status:at_scene', arrivedAt, `${unit.callSign} at scene`)] : []),
        ...(clearedAt ? [line('status:cleared', clearedAt, `${unit.callSign} cleared`)] : []),
      ],
    };
  },
};

/**
 * Why a paper deployment of `unit` by `force`, over `span` (ms: deployed until cleared; `toMs` null while it is not),
 * cannot stand because the unit was another force's then, or null: a unit lent to the force, before the loan began
 * (it was its own force's then: a double assignment in the record, the lender's and the borrower's); the force's own
 * unit, over the time any of its past loans ran (it was the borrower's: issue 12, a unit lent while its own force
 * deployed it is a conflict, never a double assignment, on paper as at the desk). A loan's times are the server's,
 * when it took the acceptance and the end (takesEffectAt), not a desk's that queued them offline, and are compared to
 * the second: a paper time in the minute a loan began or ended is refused, and the words give the loan's seconds.
 * The unit keeps its past loans (Unit.pastLoans, the last MAX_PAST_LOANS); paper from before what it keeps is whole
 * (Unit.keptSince) is refused before this is asked; loans that ended before a unit kept any are not known.
 */
export function paperWhileLent(unit: Pick<Unit, 'callSign' | 'force' | 'loan' | 'pastLoans'>, force: ForceCode, span: { fromMs: number; toMs: number | null }, wall: WallClock): string | null {
  if (unit.loan && unit.loan.to === force && span.fromMs < Date.parse(unit.loan.since)) {
    return `${unit.callSign} was lent to ${force} at ${wall.dateTimeWithSecondsZoned(unit.loan.since)}, after the paper's deployment at ${wall.dateTimeZoned(span.fromMs)}: it was ${unit.force}'s then`;
  }
  if (unit.force !== force) return null;
  const overlapped = (unit.pastLoans ?? []).find((loan) => span.fromMs < Date.parse(loan.at) && (span.toMs === null || span.toMs > Date.parse(loan.since)));
  if (!overlapped) return null;
  const paper = span.toMs === null ? `from ${wall.dateTimeZoned(span.fromMs)} on` : `${wall.dateTimeZoned(span.fromMs)} to ${wall.dateTimeZoned(span.toMs)}`;
  return `${unit.callSign} was lent to ${overlapped.to} from ${wall.dateTimeWithSecondsZoned(overlapped.since)} to ${wall.dateTimeWithSecondsZoned(overlapped.at)}: the paper's deployment (${paper}) falls in that time, when ${overlapped.to} had it`;
}

/**
 * Why a paper deployment of `unit` over `span` (ms; `toMs` null while not cleared) cannot stand because the unit was
 * on another job then, live or back-entered (Unit.jobs, the last MAX_UNIT_JOBS), or null: it would stand on two
 * incidents at once in the record (try-outs' highs: a force's paper over its unit's minutes on the other force's
 * incident, and a live deployment from a slow desk over a paper one). Paper from before the unit's kept jobs begin
 * (Unit.keptSince) is refused before this is asked.
 */
export function paperOverJob(unit: Pick<Unit, 'callSign' | 'jobs'>, span: { fromMs: number; toMs: number | null }, wall: WallClock): string | null {
  const job = jobOverlapping(unit.jobs, span);
  if (!job) return null;
  const paper = span.toMs === null ? `from ${wall.dateTimeZoned(span.fromMs)} on` : `${wall.dateTimeZoned(span.fromMs)} to ${wall.dateTimeZoned(span.toMs)}`;
  const then = job.to === null ? `since ${wall.dateTimeWithSecondsZoned(job.from)}` : `from ${wall.dateTimeWithSecondsZoned(job.from)} to ${wall.dateTimeWithSecondsZoned(job.to)}`;
  return `${unit.callSign} was on another job ${then}: the paper's deployment (${paper}) falls in that time`;
}

/**
 * Why a paper deployment of `unit` over `span` (ms; `toMs` null while not cleared) cannot stand because the system
 * moved the unit inside it, or null: it was deployed or cleared at the desk (Unit.movedAt) while the paper says it was
 * on this incident, so it would stand on two incidents at once in the record (a try-out's medium: a force's paper
 * record of its unit over the minutes the unit was on the other force's incident, assisting). Only the unit's last
 * move is known to the rules; earlier ones are not checked (as for one force's own overlapping paper records).
 */
export function paperOverMove(unit: Pick<Unit, 'callSign' | 'movedAt'>, span: { fromMs: number; toMs: number | null }, wall: WallClock): string | null {
  if (!unit.movedAt) return null;
  const movedMs = Date.parse(unit.movedAt);
  if (!(span.fromMs < movedMs && (span.toMs === null || span.toMs > movedMs))) return null;
  const paper = span.toMs === null ? `from ${wall.dateTimeZoned(span.fromMs)} on` : `${wall.dateTimeZoned(span.fromMs)} to ${wall.dateTimeZoned(span.toMs)}`;
  return `${unit.callSign} was deployed, cleared or handed back in the system at ${wall.dateTimeWithSecondsZoned(unit.movedAt)}, inside the paper's deployment (${paper}): the system's record of it already covers that time`;
}
