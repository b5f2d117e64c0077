import { randomUUID } from 'node:crypto';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type LoanChannels = 'loans.list' | 'loans.request' | 'loans.accept' | 'loans.decline' | 'loans.withdraw' | 'loans.return' | 'loans.takeBack';

/**
 * Unit loans between forces (shared/domain/loan.ts) at the dispatcher's desk: asking another force for a unit, and
 * answering what another force asked of this one. Each action is one command, carrying the versions the dispatcher
 * saw, so a second answer to one request, or a unit lent while its own force deployed it, loses visibly.
 */
export function loanHandlers(ctx: CoreContext): HandlerGroup<LoanChannels> {
  const { store } = ctx;
  const loan = (id: string) => found(store.view.view('loan', id), `unit loan ${id}`);
  return {
    'loans.list': () => ({ loans: store.view.loans() }),
    'loans.request': ({ incidentId, lender, ask, reason }) => {
      const loanId = randomUUID();
      ctx.issue('loan.request', () => ({ loanId, incidentId, lender, ask, reason }));
      return { loan: loan(loanId) };
    },
    'loans.accept': ({ loanId, loanVersion, unitId, unitVersion }) => {
      ctx.issue('loan.accept', () => ({ loanId, loanVersion, unitId, unitVersion }));
      return { loan: loan(loanId) };
    },
    'loans.decline': ({ loanId, loanVersion, reason }) => {
      ctx.issue('loan.decline', () => ({ loanId, loanVersion, reason }));
      return { loan: loan(loanId) };
    },
    'loans.withdraw': ({ loanId, loanVersion }) => {
      ctx.issue('loan.withdraw', () => ({ loanId, loanVersion }));
      return { loan: loan(loanId) };
    },
    'loans.return': ({ loanId }) => {
      const unitId = loan(loanId).unitId;
      if (!unitId) throw new Error('this loan has no unit lent: it was not accepted');
      ctx.issue('loan.return', () => ({ loanId, unitId }));
      return { loan: loan(loanId) };
    },
    'loans.takeBack': ({ loanId, loanVersion, unitVersion, reason }) => {
      const unitId = loan(loanId).unitId;
      if (!unitId) throw new Error('this loan has no unit lent: it was not accepted');
      // The deployment the dispatcher sees the unit on (the borrower's incident), which the take-back stands it down from.
      const commitment = store.view.view('unit', unitId)?.commitment ?? null;
      const deployment = commitment && commitment.incidentId === loan(loanId).incidentId ? { assignmentId: commitment.assignmentId, incidentId: commitment.incidentId } : null;
      ctx.issue('loan.takeBack', () => ({ loanId, loanVersion, unitId, unitVersion, reason, deployment }));
      return { loan: loan(loanId) };
    },
  };
}
