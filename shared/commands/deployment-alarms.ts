import { z } from 'zod';
import type { Assignment } from '../domain/assignment';
import { derivedId } from '../domain/derived-id';
import { findGrade } from '../domain/force-config';
import type { Incident } from '../domain/incident';
import { Uuid } from '../domain/ids';
import { raisedBy } from '../domain/raised';
import type { StateView } from './types';
import type { Unit } from '../domain/unit';
import { wallClock } from '../domain/wall-clock';
import { commitsUnit } from '../domain/assignment';
import { receiptGrade, receiptOverdue } from '../dispatch/receipts';
import { assignmentNamed, assignmentPartiesMissing, assignmentReads } from './assignment-lookup';
import { systemEntry } from './system-log';
import { conflict, notBefore, type ApplyContext, type CommandDefinition } from './types';
import { releaseUnit } from './unit-assign';

const AssignmentClaimArgs = z.object({ assignmentId: Uuid, unitId: z.string().min(1), incidentId: Uuid });
type AssignmentClaimArgs = z.infer<typeof AssignmentClaimArgs>;

const nothing = { ok: true as const, changes: [] };

/**
 * The records a claim is about, or null when they are not (or no longer) as the claim names them. A claim that has
 * nothing to claim changes nothing: the deadline passed elsewhere, or its record went with a command refused.
 */
function claimed(args: AssignmentClaimArgs, state: StateView): { assignment: Assignment; unit: Unit; incident: Incident } | null {
  const assignment = state.get('assignment', args.assignmentId);
  const unit = state.get('unit', args.unitId);
  const incident = state.get('incident', args.incidentId);
  if (!assignment || !unit || !incident || assignment.unitId !== unit.id || assignment.incidentId !== incident.id) return null;
  return { assignment, unit, incident };
}

/**
 * A claim command: raises a prompt on a deployment at the workstation whose claim the server keeps. The server keeps
 * the first claim it applies and every later one changes nothing (nor does a claim whose records are not as it names
 * them, or whose `prompt` is already raised), so the prompt comes at one desk. `due` says whether the deadline has
 * come at the claim's time, and if so the log line that says so (its key within the assignment, and its text); null:
 * not yet, or no longer. The deployment's version is left alone: the prompt changes nothing the dispatcher decides
 * on, and must not make their next action lose.
 */
function claimCommand(
  name: string,
  prompt: 'receiptAlarm' | 'duePrompt',
  due: (found: { assignment: Assignment; unit: Unit; incident: Incident }, ctx: ApplyContext) => { key: string; text: string } | null,
): CommandDefinition<AssignmentClaimArgs> {
  return {
    name,
    args: AssignmentClaimArgs,
    reads: assignmentReads,
    apply(args, ctx, state) {
      const found = claimed(args, state);
      if (!found || found.assignment[prompt]) return nothing;
      const line = due(found, ctx);
      if (!line) return nothing;
      const { assignment, incident } = found;
      // The incident's line, its owner's record, whichever force's desk raised it (a unit assisting: assist-writes.ts).
      const entry = systemEntry(ctx, derivedId(assignment.id, line.key), incident.id, line.text, incident.force);
      return {
        ok: true,
        changes: [
          { kind: 'assignment', id: assignment.id, doc: { ...assignment, [prompt]: raisedBy(ctx) } },
          { kind: 'logEntry', id: entry.id, doc: entry },
        ],
      };
    },
  };
}

/**
 * Raises the receipt alarm on a deployment whose crew has not accepted it within its grade's time: a claim, issued
 * by the first dispatcher's workstation whose clock reaches the deadline, so the alarm sounds at one desk.
 */
export const raiseReceiptAlarm = claimCommand('assignment.receiptOverdue', 'receiptAlarm', ({ assignment, unit, incident }, ctx) => {
  // Another force's incident (this force's unit assisting there): its own grade of the incident's common priority.
  const grade = receiptGrade(ctx.config, incident, ctx.commonPriorityOf);
  if (grade === undefined || !receiptOverdue(ctx.config, assignment, grade, Date.parse(ctx.issuedAt))) return null;
  const seconds = findGrade(ctx.config, grade)?.receiptWithinSeconds ?? 0;
  const terminal = assignment.delivery?.state === 'received' ? 'its terminal received it' : 'no receipt from its terminal';
  return {
    key: 'receipt-alarm',
    text: `${unit.callSign} has not accepted the deployment ${seconds} s after it was sent (${terminal}): the dispatcher at ${ctx.actor.workstation} is alerted to confirm it by radio`,
  };
});

/**
 * The dispatcher has confirmed the deployment with the crew by radio: logged in their name. The deployment stops
 * showing as unconfirmed, and a rejection its terminal sends later becomes a question instead of a stand-down.
 */
export const confirmByRadio: CommandDefinition<AssignmentClaimArgs> = {
  name: 'assignment.confirmByRadio',
  args: AssignmentClaimArgs,
  reads: assignmentReads,
  apply(args, given, state) {
    const assignment = assignmentNamed(args, state);
    if ('ok' in assignment) return assignment;
    const unit = state.get('unit', args.unitId);
    if (!unit) return assignmentPartiesMissing(given, assignment);
    // Not before the deployment it confirms (a desk clock behind the server's).
    const ctx = notBefore(given, assignment.deployedAt);
    if (!commitsUnit(assignment.status)) {
      return conflict(`${unit.callSign} is no longer deployed to this incident (${assignment.status === 'reserved' ? 'only reserved' : 'cleared'})`, { kind: 'assignment', id: assignment.id });
    }
    if (assignment.radioConfirmed) return nothing;
    const entry = systemEntry(ctx, derivedId(assignment.id, 'radio-confirmed'), assignment.incidentId, `${unit.callSign} confirmed the deployment by radio`, assignment.force);
    return {
      ok: true,
      changes: [
        { kind: 'assignment', id: assignment.id, doc: { ...assignment, radioConfirmed: { at: ctx.issuedAt, by: ctx.actor.operator } } },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
};

export const AnswerLateRejectionArgs = AssignmentClaimArgs.extend({
  /** true: stand the unit down, as the terminal asked; false: keep it on the incident. */
  standDown: z.boolean(),
  assignmentVersion: z.number().int().positive(),
});
export type AnswerLateRejectionArgs = z.infer<typeof AnswerLateRejectionArgs>;

/**
 * The dispatcher's answer to a terminal's rejection that came after the deployment was confirmed: stand the unit
 * down, or keep it. Compare-and-set on the deployment, so two dispatchers cannot answer both ways.
 */
export const answerLateRejection: CommandDefinition<AnswerLateRejectionArgs> = {
  name: 'assignment.answerLateRejection',
  args: AnswerLateRejectionArgs,
  reads: assignmentReads,
  apply(args, given, state) {
    const assignment = assignmentNamed(args, state);
    if ('ok' in assignment) return assignment;
    // Not before the deployment's last change, the rejection it answers among them (a desk clock behind the server's).
    const ctx = notBefore(given, assignment.updatedAt);
    const target = { kind: 'assignment' as const, id: assignment.id };
    const unit = state.get('unit', args.unitId);
    const incident = state.get('incident', args.incidentId);
    if (!unit || !incident) return assignmentPartiesMissing(ctx, assignment);
    if (assignment.version !== args.assignmentVersion) return conflict(`${unit.callSign}'s deployment changed since you looked`, target);
    if (!assignment.lateRejection || !commitsUnit(assignment.status)) return conflict(`no rejection from ${unit.callSign}'s terminal is waiting for an answer`, target);
    const id = derivedId(assignment.id, `late-rejection:${assignment.lateRejection.at}`);
    const entry = systemEntry(
      ctx,
      id,
      incident.id,
      args.standDown ? `${unit.callSign} stood down, as its terminal's rejection asked` : `${unit.callSign} kept on the incident, though its terminal rejected the deployment`,
      incident.force,
    );
    const answered = { ...assignment, lateRejection: null, status: args.standDown ? ('cleared' as const) : assignment.status, updatedAt: ctx.issuedAt, version: assignment.version + 1 };
    return {
      ok: true,
      changes: [
        { kind: 'assignment', id: assignment.id, doc: answered },
        { kind: 'logEntry', id: entry.id, doc: entry },
        ...(args.standDown ? releaseUnit(unit, incident, assignment.id, ctx.issuedAt) : []),
      ],
    };
  },
  redo: (args, state) => ({ ...args, assignmentVersion: state.get('assignment', args.assignmentId)?.version ?? args.assignmentVersion }),
};

/**
 * A reservation's time has come: the dispatcher is prompted to deploy it (it becomes a deployment only by hand), at
 * the one workstation whose claim the server keeps, as for the receipt alarm.
 */
export const raiseReservationDue = claimCommand('assignment.reservationDue', 'duePrompt', ({ assignment, unit }, ctx) => {
  if (assignment.status !== 'reserved' || !assignment.reservedFor || Date.parse(ctx.issuedAt) < Date.parse(assignment.reservedFor)) return null;
  const when = wallClock(ctx.config.force.timeZone).time(assignment.reservedFor);
  return { key: 'reservation-due', text: `${unit.callSign}'s reservation for ${when} is due: the dispatcher at ${ctx.actor.workstation} is prompted to deploy it` };
});
