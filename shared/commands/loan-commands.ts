import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { ForceCode } from '../domain/force';
import { Uuid } from '../domain/ids';
import { commonPriority } from '../domain/common-priority';
import { findIncidentType } from '../domain/force-config';
import { describeLocation } from '../domain/location';
import { answersAsk, describeAsk, LoanAsk, withPastLoan, type Loan } from '../domain/loan';
import type { Unit } from '../domain/unit';
import { plainText } from '../domain/text';
import { atEffect, conflict, missing, reject, takesEffectAt, type ApplyResult, type CommandDefinition } from './types';
import type { ApplyContext } from './types';
import { systemEntry } from './system-log';
import { unitNotFree } from './unit-assign';

/**
 * The commands of a unit loan (shared/domain/loan.ts). Every answer is a compare-and-set on the loan (two of the
 * lender's dispatchers answering one request: the first wins, the second is told in the conflict inbox), and lending
 * is a compare-and-set on the unit (lent while its own force deployed it, perhaps offline: whichever reaches the
 * server second loses, visibly). Which force may give which answer is checked here; which records a force may touch
 * at all, by the partition (loan-policy.ts).
 */

export const RequestLoanArgs = z.object({
  loanId: Uuid,
  incidentId: Uuid,
  lender: ForceCode,
  ask: LoanAsk,
  reason: plainText({ min: 1, max: 200, empty: 'say why the unit is needed' }),
});
export type RequestLoanArgs = z.infer<typeof RequestLoanArgs>;

/** A dispatcher asks another force for a unit for one of its own open incidents, with a reason. */
export const requestLoan: CommandDefinition<RequestLoanArgs> = {
  name: 'loan.request',
  args: RequestLoanArgs,
  reads: (args) => [
    { kind: 'loan', id: args.loanId },
    { kind: 'incident', id: args.incidentId },
  ],
  apply(args, ctx, state) {
    const force = ctx.config.force.code;
    if (state.get('loan', args.loanId)) return reject('invalid', `loan ${args.loanId} already exists`);
    if (args.lender === force) return reject('invalid', `a unit of ${force}'s own is deployed, not borrowed`);
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    if (incident.status !== 'open') return conflict('the incident is closed', { kind: 'incident', id: incident.id });
    const loan: Loan = {
      id: args.loanId,
      force,
      lender: args.lender,
      incidentId: incident.id,
      incident: {
        reference: incident.reference ?? incident.provisionalReference,
        type: findIncidentType(ctx.config, incident.type)?.name ?? incident.type,
        commonPriority: commonPriority(ctx.config, incident.grade),
        location: describeLocation(incident.location),
      },
      ask: args.ask,
      reason: args.reason,
      status: 'requested',
      requestedAt: ctx.issuedAt,
      requestedBy: ctx.actor.operator,
      unitId: null,
      callSign: null,
      answeredAt: null,
      answeredBy: null,
      declineReason: null,
      endedAt: null,
      endedBy: null,
      endedByForce: null,
      updatedAt: ctx.issuedAt,
      version: 1,
    };
    const entry = systemEntry(ctx, derivedId(args.loanId, 'requested'), incident.id, `Asked ${args.lender} for a unit (${describeAsk(args.ask)}): ${args.reason}`);
    return {
      ok: true,
      changes: [
        { kind: 'loan', id: loan.id, doc: loan },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
};

export const AcceptLoanArgs = z.object({
  loanId: Uuid,
  /** The version of the request the dispatcher answered. */
  loanVersion: z.number().int().positive(),
  unitId: z.string().min(1),
  /** The version of the unit the dispatcher saw as free. */
  unitVersion: z.number().int().positive(),
});
export type AcceptLoanArgs = z.infer<typeof AcceptLoanArgs>;

/** The lender's dispatcher lends one of its units, free now, that answers what was asked. */
export const acceptLoan: CommandDefinition<AcceptLoanArgs> = {
  name: 'loan.accept',
  args: AcceptLoanArgs,
  reads: (args) => [
    { kind: 'loan', id: args.loanId },
    { kind: 'unit', id: args.unitId },
  ],
  apply(args, given, state) {
    // At the server's time in all it writes: a loan's times are what both forces' records are checked against (atEffect).
    const ctx = atEffect(given);
    const checked = waitingForLender(ctx, state.get('loan', args.loanId), args.loanId, args.loanVersion);
    if ('ok' in checked) return checked;
    const loan = checked;
    const unit = state.get('unit', args.unitId);
    if (!unit) return reject('not_found', `no unit ${args.unitId}`);
    if (unit.force !== ctx.config.force.code) return reject('forbidden', `${unit.callSign} is not ${ctx.config.force.code}'s to lend`);
    if (!answersAsk(loan.ask, unit)) return reject('invalid', `${loan.force} asked for ${describeAsk(loan.ask)}, not ${unit.callSign}`);
    const busy = unitNotFree(ctx.config, unit, args.unitVersion, Date.parse(ctx.issuedAt));
    if (busy) return busy;
    const lent: Unit = { ...unit, loan: { loanId: loan.id, to: loan.force, incidentId: loan.incidentId, since: takesEffectAt(ctx) }, version: unit.version + 1 };
    return {
      ok: true,
      changes: [
        { kind: 'loan', id: loan.id, doc: { ...loan, status: 'accepted', unitId: unit.id, callSign: unit.callSign, answeredAt: ctx.issuedAt, answeredBy: ctx.actor.operator, updatedAt: ctx.issuedAt, version: loan.version + 1 } },
        { kind: 'unit', id: unit.id, doc: lent },
      ],
    };
  },
  redo: (args, state) => ({ ...args, loanVersion: state.get('loan', args.loanId)?.version ?? args.loanVersion, unitVersion: state.get('unit', args.unitId)?.version ?? args.unitVersion }),
};

export const DeclineLoanArgs = z.object({
  loanId: Uuid,
  loanVersion: z.number().int().positive(),
  reason: plainText({ min: 1, max: 200, empty: 'say why the request is declined' }),
});
export type DeclineLoanArgs = z.infer<typeof DeclineLoanArgs>;

/** The lender's dispatcher declines a request, saying why. */
export const declineLoan: CommandDefinition<DeclineLoanArgs> = {
  name: 'loan.decline',
  args: DeclineLoanArgs,
  reads: (args) => [{ kind: 'loan', id: args.loanId }],
  apply(args, given, state) {
    // At the server's time in all it writes: a loan's times are what both forces' records are checked against (atEffect).
    const ctx = atEffect(given);
    const checked = waitingForLender(ctx, state.get('loan', args.loanId), args.loanId, args.loanVersion);
    if ('ok' in checked) return checked;
    const loan = checked;
    return {
      ok: true,
      changes: [
        { kind: 'loan', id: loan.id, doc: { ...loan, status: 'declined', declineReason: args.reason, answeredAt: ctx.issuedAt, answeredBy: ctx.actor.operator, updatedAt: ctx.issuedAt, version: loan.version + 1 } },
      ],
    };
  },
};

export const WithdrawLoanArgs = z.object({ loanId: Uuid, loanVersion: z.number().int().positive() });
export type WithdrawLoanArgs = z.infer<typeof WithdrawLoanArgs>;

/** The borrower withdraws a request not yet answered (the incident no longer needs the unit). */
export const withdrawLoan: CommandDefinition<WithdrawLoanArgs> = {
  name: 'loan.withdraw',
  args: WithdrawLoanArgs,
  reads: (args) => [{ kind: 'loan', id: args.loanId }],
  apply(args, given, state) {
    // At the server's time in all it writes: a loan's times are what both forces' records are checked against (atEffect).
    const ctx = atEffect(given);
    const loan = state.get('loan', args.loanId);
    if (!loan) return missing({ kind: 'loan', id: args.loanId }, 'the request');
    if (loan.force !== ctx.config.force.code) return reject('forbidden', `only ${loan.force}, which asked, may withdraw the request`);
    const answered = alreadyAnswered(loan);
    if (answered) return answered;
    if (loan.version !== args.loanVersion) return conflict('the request changed since you looked', { kind: 'loan', id: loan.id });
    const entry = systemEntry(ctx, derivedId(loan.id, 'withdrawn'), loan.incidentId, `Request to ${loan.lender} for a unit (${describeAsk(loan.ask)}) withdrawn`);
    return {
      ok: true,
      changes: [
        { kind: 'loan', id: loan.id, doc: { ...loan, status: 'withdrawn', endedAt: ctx.issuedAt, endedBy: ctx.actor.operator, endedByForce: ctx.config.force.code, updatedAt: ctx.issuedAt, version: loan.version + 1 } },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
};

export const ReturnLoanArgs = z.object({ loanId: Uuid, unitId: z.string().min(1) });
export type ReturnLoanArgs = z.infer<typeof ReturnLoanArgs>;

/**
 * The lent unit goes back to its force: by the borrower once the incident no longer needs it, or by the lender
 * taking it back; either way only once it is no longer committed to the incident (the borrower clears it first, as
 * it would its own unit), so a unit is never taken away mid-job. The borrower's workstations then lose the unit.
 */
export const returnLoan: CommandDefinition<ReturnLoanArgs> = {
  name: 'loan.return',
  args: ReturnLoanArgs,
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
    if (force !== loan.force && force !== loan.lender) return reject('forbidden', `the loan is between ${loan.force} and ${loan.lender}`);
    const target = { kind: 'loan' as const, id: loan.id };
    if (loan.status !== 'accepted') return conflict(`the loan is ${loan.status}, not a unit on loan`, target);
    if (loan.unitId !== args.unitId) return reject('invalid', `the unit lent is ${loan.callSign ?? 'another'}, not ${args.unitId}`);
    const unit = state.get('unit', args.unitId);
    if (!unit) return reject('not_found', `the lent unit ${loan.callSign ?? ''} is missing`);
    if (unit.commitment?.incidentId === loan.incidentId) return conflict(`${unit.callSign} is still committed to ${loan.incident.reference}: clear it from the incident first`, { kind: 'unit', id: unit.id });
    const ended = unit.loan?.loanId === loan.id ? [{ kind: 'unit' as const, id: unit.id, doc: { ...unit, loan: null, loanEnded: { loanId: loan.id, to: loan.force, atVersion: unit.version + 1, how: force === loan.force ? ('returned' as const) : ('taken back' as const), at: takesEffectAt(ctx) }, ...withPastLoan(unit, unit.loan, takesEffectAt(ctx)), movedAt: takesEffectAt(ctx), version: unit.version + 1 } }] : [];
    const by = force === loan.force ? `returned to ${loan.lender}` : `taken back by ${loan.lender}`;
    // The log line is the borrower's, on its incident: written only by the borrower (the lender may not write there).
    const entry = force === loan.force ? [systemEntry(ctx, derivedId(loan.id, 'returned'), loan.incidentId, `${unit.callSign} ${by}`)] : [];
    return {
      ok: true,
      changes: [
        { kind: 'loan', id: loan.id, doc: { ...loan, status: 'returned', endedAt: ctx.issuedAt, endedBy: ctx.actor.operator, endedByForce: force, updatedAt: ctx.issuedAt, version: loan.version + 1 } },
        ...ended,
        ...entry.map((doc) => ({ kind: 'logEntry' as const, id: doc.id, doc })),
      ],
    };
  },
};

/** The request, if this force is its lender and it still waits at the version seen; else the refusal. */
function waitingForLender(ctx: ApplyContext, loan: Loan | undefined, loanId: string, seenVersion: number): Loan | ApplyResult {
  if (!loan) return missing({ kind: 'loan', id: loanId }, 'the request');
  if (loan.lender !== ctx.config.force.code) return reject('forbidden', `the request is to ${loan.lender}: only its dispatchers may answer it`);
  const answered = alreadyAnswered(loan);
  if (answered) return answered;
  if (loan.version !== seenVersion) return conflict('the request changed since you looked', { kind: 'loan', id: loan.id });
  return loan;
}

/** A request no longer waiting, as the conflict the second answer gets: who answered first, and how. */
function alreadyAnswered(loan: Loan): ApplyResult | null {
  const target = { kind: 'loan' as const, id: loan.id };
  switch (loan.status) {
    case 'requested':
      return null;
    case 'accepted':
    case 'returned':
      return conflict(`the request was already accepted by ${loan.answeredBy ?? 'another dispatcher'}, lending ${loan.callSign ?? 'a unit'}`, target);
    case 'declined':
      return conflict(`the request was already declined by ${loan.answeredBy ?? 'another dispatcher'}: ${loan.declineReason ?? ''}`, target);
    case 'withdrawn':
      return conflict(`${loan.force} withdrew the request`, target);
  }
}
