import { z } from 'zod';
import { ForceCode } from './force';
import { Name, Uuid } from './ids';
import { plainText } from './text';
import { Instant, latestInstant } from './time';
import { CommonPriority } from './common-priority';
import { lastJobEnded, type UnitJob } from './unit-jobs';

/**
 * A unit loan: one force (the borrower, which owns the record) asks another (the lender) for a unit for one of its
 * incidents. The lender's dispatcher accepts, naming the unit, or declines with a reason; the borrower may withdraw
 * its request while it waits; an accepted loan ends when the unit is returned by the borrower (once the unit is no
 * longer committed to the incident), or taken back by the lender, with a reason, at any time (loan.takeBack: a unit
 * deployed on the incident is then stood down from it in the same change, and the borrower is told).
 *
 *   requested ──accept──▶ accepted ──return──▶ returned
 *       ├──decline──▶ declined
 *       └──withdraw──▶ withdrawn
 *
 * The request carries in its own document what the lender's dispatcher needs to decide (the incident's reference,
 * type, common priority, where it is, the reason, what is asked for): the lender never sees the incident itself
 * through a loan (an incident is shown to another force only through a share), only this summary and, once the loan
 * is accepted, its own unit's deployment on it (shared/domain/loan-policy.ts).
 */
export const LoanStatus = z.enum(['requested', 'accepted', 'declined', 'withdrawn', 'returned']);
export type LoanStatus = z.infer<typeof LoanStatus>;

export const loanStatusNames: Record<LoanStatus, string> = {
  requested: 'Asked, waiting for an answer',
  accepted: 'Accepted',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
  returned: 'Returned',
};

/**
 * What is asked for: a named unit (its call sign), or a kind of unit in words ("dog unit", "armed response"): the
 * forces' unit types have their own codes, so the lender's dispatcher chooses which of its units fits.
 */
export const LoanAsk = z.union([
  z.object({ callSign: z.string().trim().min(1).max(16) }),
  z.object({ type: plainText({ min: 1, max: 60, empty: 'say what kind of unit is needed' }) }),
]);
export type LoanAsk = z.infer<typeof LoanAsk>;

/** The incident as the lender's dispatcher is told of it: a summary, never the caller or the log. */
export const LoanIncidentSummary = z.object({
  /** The borrower's reference (its force reference; the provisional one while the server has not yet given it). */
  reference: z.string(),
  /** The incident type's name in the borrower's words. */
  type: z.string(),
  /** The common priority (1 most urgent … 5), which both forces read alike; null for a grade the borrower cannot map. */
  commonPriority: CommonPriority.nullable(),
  /** Where it is, in words (a street, a district), without the handset's position. */
  location: z.string(),
});
export type LoanIncidentSummary = z.infer<typeof LoanIncidentSummary>;

export const Loan = z.object({
  id: Uuid,
  /** The borrowing force: the owner of the record (see shared/domain/partition.ts). */
  force: ForceCode,
  /** The force asked for a unit. */
  lender: ForceCode,
  incidentId: Uuid,
  incident: LoanIncidentSummary,
  ask: LoanAsk,
  reason: plainText({ min: 1, max: 200, empty: 'a reason is needed' }),
  status: LoanStatus,
  requestedAt: Instant,
  requestedBy: Name,
  /** The unit lent (its id and call sign), once accepted. */
  unitId: z.string().nullable(),
  callSign: z.string().nullable(),
  /** The lender's answer: who, when, and (declining) why. */
  answeredAt: Instant.nullable(),
  answeredBy: Name.nullable(),
  declineReason: z.string().nullable(),
  /** Withdrawn or returned: who ended it, when, and of which force. */
  endedAt: Instant.nullable(),
  endedBy: Name.nullable(),
  endedByForce: ForceCode.nullable(),
  /**
   * The lender took its unit back (loan.takeBack), with the reason its dispatcher gave; absent or null otherwise. A
   * unit deployed on the borrower's incident at that moment was stood down from it in the same change
   * (shared/commands/loan-take-back.ts), so `deployed` says whether the borrower lost a unit mid-job.
   */
  takenBack: z.object({ reason: z.string(), at: Instant, by: Name, deployed: z.boolean() }).nullable().optional(),
  updatedAt: Instant,
  /**
   * Kept by the lender since the force that owned it erased its incident (shared/domain/erasure.ts lendersPart): that
   * force's record from then (partition.ts ownerOf), its account of where its officers went. Absent otherwise.
   */
  keptBy: ForceCode.optional(),
  /** Bumped by every change: accepting, declining and withdrawing compare against it. */
  version: z.number().int().positive(),
});
export type Loan = z.infer<typeof Loan>;

/**
 * On a lent unit, while the loan lasts: to which force, for which incident, under which loan. Kept on the unit so
 * that lending is a compare-and-set on the unit (its own force deploying it meanwhile loses, and the reverse), and so
 * that which force may see and deploy the unit is read from the unit's own document (loan-policy.ts).
 */
export const UnitLoan = z.object({ loanId: Uuid, to: ForceCode, incidentId: Uuid, since: Instant });
export type UnitLoan = z.infer<typeof UnitLoan>;

/**
 * On a unit whose loan has ended: to which force it was lent, and the unit's version that ended it. The borrower's
 * workstations are sent that version as a withdrawal (they delete the unit), and no later one.
 */
export const UnitLoanEnded = z.object({
  loanId: Uuid,
  to: ForceCode,
  atVersion: z.number().int().positive(),
  /**
   * How it ended and when (ISO UTC): the lender took the unit back, or the borrower returned it. For the words of a
   * borrower's command on the unit refused afterwards (assist-writes.ts heldRefusal). Absent on loans ended before.
   */
  how: z.enum(['taken back', 'returned']).optional(),
  at: Instant.optional(),
});
export type UnitLoanEnded = z.infer<typeof UnitLoanEnded>;

/** A loan of the unit that has ended: to whom, and from when to when it ran (the server's order: takesEffectAt). */
export const PastLoan = z.object({ to: ForceCode, since: Instant, at: Instant });
export type PastLoan = z.infer<typeof PastLoan>;

/** The most past loans a unit keeps (Unit.pastLoans): years of a border unit's lending. */
export const MAX_PAST_LOANS = 200;

/**
 * The unit's past loans with one more ended (`ended`: the loan that ends now, `at` when), the oldest dropped past
 * MAX_PAST_LOANS, `keptSince` (Unit.keptSince) moved up to the end of any dropped: what a paper record of the unit is
 * checked against (deployment-record.ts paperWhileLent), and from when that is whole.
 */
export function withPastLoan(unit: { pastLoans?: readonly PastLoan[]; keptSince?: string }, ended: UnitLoan, at: string): { pastLoans: PastLoan[]; keptSince?: string } {
  const all = [...(unit.pastLoans ?? []), { to: ended.to, since: ended.since, at }];
  const dropped = all.slice(0, Math.max(0, all.length - MAX_PAST_LOANS));
  const keptSince = latestInstant([unit.keptSince, ...dropped.map((loan) => loan.at)]);
  return { pastLoans: all.slice(-MAX_PAST_LOANS), ...(keptSince ? { keptSince } : {}) };
}

/**
 * The earliest time `force` may date a deployment of `unit` (ISO UTC), or null when nothing holds it: never before
 * the unit last moved (committed to a job, freed from one: Unit.movedAt) or its last job ended (paper's among them), and for the force it is lent to, not before
 * the loan began; for its own force, not before its last loan ended (it was the borrower's until then). A slow desk's
 * or a queued command's time may be before any of them: a deployment dated earlier would put the unit on two
 * incidents at once in the record, two forces' ones among them (issue 12).
 */
export function deployableSince(unit: { force: string; loan?: UnitLoan | null; loanEnded?: UnitLoanEnded | null; pastLoans?: readonly PastLoan[]; movedAt?: string; jobs?: readonly UnitJob[] }, force: string): string | null {
  const loans = unit.loan
    ? unit.loan.to === force
      ? [unit.loan.since]
      : []
    : unit.force === force
      ? [...(unit.pastLoans ?? []).map((loan) => loan.at), unit.loanEnded?.at]
      : [];
  return latestInstant([unit.movedAt, lastJobEnded(unit.jobs), ...loans]);
}

/** Whether the loan is still to be answered by the lender. */
export function isWaiting(loan: Pick<Loan, 'status'>): boolean {
  return loan.status === 'requested';
}

/** What was asked for, in words for a list or a log line: `NB-21` or `a dog unit`. */
export function describeAsk(ask: LoanAsk): string {
  return 'callSign' in ask ? ask.callSign : ask.type;
}

/**
 * Whether this unit answers the ask: a named unit must be that unit (by call sign, in any case); a kind of unit in
 * words is for the lender's dispatcher to judge, so any of its units answers it.
 */
export function answersAsk(ask: LoanAsk, unit: { callSign: string }): boolean {
  return 'callSign' in ask ? ask.callSign.toUpperCase() === unit.callSign.toUpperCase() : true;
}

/**
 * The units that answer an ask, in the order the lender's dispatcher is offered them: for a kind of unit asked for in
 * words, first those whose type (its code and its name in the lender's configuration, `typeName`) or skills share
 * the most words with the ask ("a dog unit": the dog section's, whose type and skills say dog, before the response
 * cars), the rest after them in the order given. The dispatcher still judges; the first offered is the likeliest.
 * A unit named by call sign: that unit only.
 */
export function unitsForAsk<U extends { callSign: string; type: string; skills?: readonly string[] }>(ask: LoanAsk, units: readonly U[], typeName: (code: string) => string): U[] {
  const answering = units.filter((unit) => answersAsk(ask, unit));
  if ('callSign' in ask) return answering;
  const asked = wordsOf(ask.type);
  const score = (unit: U) => {
    const said = wordsOf([unit.type, typeName(unit.type), ...(unit.skills ?? [])].join(' '));
    return [...asked].filter((word) => said.has(word)).length;
  };
  return answering
    .map((unit, at) => ({ unit, at, score: score(unit) }))
    .sort((a, b) => b.score - a.score || a.at - b.at)
    .map(({ unit }) => unit);
}

/** Words that tell one kind of unit from another: lower case, a plural's s dropped, none every unit shares. */
function wordsOf(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .map((word) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word))
      .filter((word) => word.length > 1 && !UNDISTINGUISHING.has(word)),
  );
}

const UNDISTINGUISHING = new Set(['a', 'an', 'the', 'of', 'and', 'or', 'for', 'with', 'unit', 'any', 'one', 'officer', 'police', 'need', 'needed']);
