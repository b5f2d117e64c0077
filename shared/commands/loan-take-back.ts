import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import { withPastLoan, type Loan } from '../domain/loan';
import type { Assignment } from '../domain/assignment';
import type { Incident, LogEntry } from '../domain/incident';
import type { AnyRecord, RecordKey } from '../domain/records';
import type { Unit } from '../domain/unit';
import { plainText } from '../domain/text';
import { withJobEnded } from '../domain/unit-jobs';
import { atEffect, conflict, missing, reject, takesEffectAt, type ApplyContext, type CommandDefinition } from './types';

export const TakeBackLoanArgs = z.object({
  loanId: Uuid,
  /** The version of the loan the lender's dispatcher saw. */
  loanVersion: z.number().int().positive(),
  unitId: z.string().min(1),
  /** The version of the lent unit the dispatcher saw (free, or deployed on the borrower's incident). */
  unitVersion: z.number().int().positive(),
  reason: plainText({ min: 1, max: 200, empty: 'say why the unit is taken back' }),
  /**
   * The deployment the dispatcher saw the unit on (the borrower's incident), or null for a unit not deployed: what
   * the take-back stands the unit down from. The server reads these two records of the borrower for the command
   * (server/commands/plan-command.ts), which the lender's own rules may not.
   */
  deployment: z.object({ assignmentId: Uuid, incidentId: Uuid }).nullable(),
});
export type TakeBackLoanArgs = z.infer<typeof TakeBackLoanArgs>;

/**
 * The lending force's dispatcher takes its unit back, with a reason, whenever its own force needs it: the loan ends
 * (returned, taken back by the lender) and the unit is its force's again, free. A unit deployed on the borrower's
 * incident at that moment is stood down from it in the same change: the deployment is cleared (as if the borrower
 * had cleared it: the unit leaves the incident's attending units, the attendance clock keeps the times it had), and
 * the incident's log says who took it back and why (takeBackStandDown, written by the server in the command's name
 * since the lender may not write the borrower's records). Compare-and-set on the loan and on the unit: a unit that
 * moved since the dispatcher looked (booked at scene, cleared, returned) makes the take-back lose, visibly.
 */
export const takeBackLoan: CommandDefinition<TakeBackLoanArgs> = {
  name: 'loan.takeBack',
  args: TakeBackLoanArgs,
  reads: (args) => [
    { kind: 'loan', id: args.loanId },
    { kind: 'unit', id: args.unitId },
  ],
  apply(args, given, state) {
    // At the server's time in all it writes: a loan's times are what both forces' records are checked against (atEffect).
    const ctx = atEffect(given);
    const force = ctx.config.force.code;
    const loan = state.get('loan', args.loanId);
    if (!loan) return missing({ kind: 'loan', id: args.loanId }, 'the loan');
    if (loan.lender !== force) return reject('forbidden', `only ${loan.lender}, whose unit it is, takes it back (${loan.force} returns it)`);
    const target = { kind: 'loan' as const, id: loan.id };
    if (loan.status !== 'accepted') return conflict(`the loan is ${loan.status}, not a unit on loan`, target);
    if (loan.version !== args.loanVersion) return conflict('the loan changed since you looked', target);
    if (loan.unitId !== args.unitId) return reject('invalid', `the unit lent is ${loan.callSign ?? 'another'}, not ${args.unitId}`);
    const unit = state.get('unit', args.unitId);
    if (!unit) return reject('not_found', `the lent unit ${loan.callSign ?? ''} is missing`);
    if (unit.version !== args.unitVersion) return conflict(`${unit.callSign} changed since you looked`, { kind: 'unit', id: unit.id });
    if (args.deployment && args.deployment.incidentId !== loan.incidentId) return reject('invalid', `${unit.callSign} was lent for ${loan.incident.reference}, not another incident`);
    const deployed = unit.commitment?.incidentId === loan.incidentId ? unit.commitment : null;
    if ((deployed?.assignmentId ?? null) !== (args.deployment?.assignmentId ?? null)) {
      return conflict(`${unit.callSign}'s deployment changed since you looked`, { kind: 'unit', id: unit.id });
    }
    const freed: Unit = {
      ...unit,
      loan: null,
      ...(deployed ? { commitment: null, jobs: withJobEnded(unit.jobs, takesEffectAt(ctx)) } : {}),
      loanEnded: { loanId: loan.id, to: loan.force, atVersion: unit.version + 1, how: 'taken back', at: takesEffectAt(ctx) },
      ...(unit.loan ? withPastLoan(unit, unit.loan, takesEffectAt(ctx)) : {}),
      movedAt: takesEffectAt(ctx),
      version: unit.version + 1,
    };
    const ended: Loan = {
      ...loan,
      status: 'returned',
      takenBack: { reason: args.reason, at: ctx.issuedAt, by: ctx.actor.operator, deployed: deployed !== null },
      endedAt: ctx.issuedAt,
      endedBy: ctx.actor.operator,
      endedByForce: force,
      updatedAt: ctx.issuedAt,
      version: loan.version + 1,
    };
    return {
      ok: true,
      changes: [
        { kind: 'loan', id: loan.id, doc: ended },
        { kind: 'unit', id: unit.id, doc: freed },
      ],
    };
  },
  redo: (args, state) => ({ ...args, loanVersion: state.get('loan', args.loanId)?.version ?? args.loanVersion, unitVersion: state.get('unit', args.unitId)?.version ?? args.unitVersion }),
};

/** The borrower's records a take-back of a deployed unit stands it down from (read by the server, not the lender's rules). */
export function takeBackReads(args: TakeBackLoanArgs): RecordKey[] {
  if (!args.deployment) return [];
  return [
    { kind: 'assignment', id: args.deployment.assignmentId },
    { kind: 'incident', id: args.deployment.incidentId },
  ];
}

/**
 * The deployment a take-back ended, on the borrower's side: the assignment cleared, the unit off the incident's
 * attending units, and a line in the incident's log (the borrower's, in its force) saying who took the unit back,
 * when and why. Empty when the take-back found the unit free, or the records are not as the take-back saw them (a
 * deployment already cleared). `loan` is the loan as the take-back left it.
 */
export function takeBackStandDown(loan: Loan, assignment: Assignment | undefined, incident: Incident | undefined, ctx: ApplyContext): AnyRecord[] {
  const taken = loan.takenBack;
  if (!taken?.deployed || !assignment || !incident || assignment.status === 'cleared' || assignment.incidentId !== incident.id || assignment.force !== loan.force) return [];
  const callSign = loan.callSign ?? assignment.unitId;
  const entry: LogEntry = {
    id: derivedId(loan.id, 'taken-back'),
    force: loan.force,
    incidentId: incident.id,
    kind: 'system',
    text: `${callSign} taken back by ${loan.lender} (${taken.by}): ${taken.reason}. Its deployment here is ended; it no longer attends`,
    author: ctx.actor.operator,
    workstation: ctx.actor.workstation,
    // When the take-back took effect (the server's time, as the loan's end), not the lender's desk's.
    at: taken.at,
    // Nothing of the caller in it: another force assisting reads it as written (share-cut.ts logEntryCut).
    sharedText: null,
  };
  return [
    { kind: 'assignment', id: assignment.id, doc: { ...assignment, status: 'cleared', updatedAt: taken.at, version: assignment.version + 1 } },
    { kind: 'incident', id: incident.id, doc: { ...incident, activeUnits: incident.activeUnits.filter((u) => u !== assignment.unitId), updatedAt: taken.at, version: incident.version + 1 } },
    { kind: 'logEntry', id: entry.id, doc: entry },
  ];
}
