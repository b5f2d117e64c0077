import { useState } from 'react';
import type { LoanView } from '../../../shared/contract/views';
import { describeAsk } from '../../../shared/domain/loan';
import { useConsole } from '../../state/use-console';
import { useWallClock } from '../../app/format';
import { useMay } from '../session/use-may';

/**
 * The other force's answers to this force's requests for a unit (shared/domain/loan.ts), as alerts on the borrowing
 * dispatcher's desk, which a screen reader announces as they arrive: a unit lent, a request declined with the
 * lender's reason, a lent unit taken back with the reason (and, if it was deployed, that its deployment here ended).
 * Each stays until a dispatcher acknowledges it at this desk (Tab to its button, Enter). Acknowledgements are kept
 * by the window: after a restart the answers not yet seen there are shown again rather than lost.
 */
export function LoanAnswers() {
  const force = useConsole((s) => s.config?.force.code);
  const mayAsk = useMay('loan.request');
  const loans = useConsole((s) => s.loans);
  const [acknowledged, setAcknowledged] = useState<ReadonlySet<string>>(new Set());
  const answers = Object.values(loans)
    .filter((loan) => loan.force === force && answerKey(loan) !== null && !acknowledged.has(answerKey(loan)!))
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  if (!mayAsk || answers.length === 0) return null;
  return (
    <section className="desk-alarms loan-answers" aria-label="Answers from other forces">
      <ul>
        {answers.map((loan) => (
          <li key={loan.id}>
            <LoanAnswer loan={loan} onAcknowledge={() => setAcknowledged((keys) => new Set(keys).add(answerKey(loan)!))} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What the desk is told once per answer: the loan and the answer it has (null while it waits, or once withdrawn or returned by this force). */
function answerKey(loan: LoanView): string | null {
  if (loan.pending) return null;
  if (loan.status === 'accepted' || loan.status === 'declined') return `${loan.id}:${loan.status}`;
  if (loan.status === 'returned' && loan.takenBack) return `${loan.id}:taken-back`;
  return null;
}

function LoanAnswer({ loan, onAcknowledge }: { loan: LoanView; onAcknowledge: () => void }) {
  const wall = useWallClock();
  const reference = loan.incident.reference;
  const words =
    loan.status === 'accepted'
      ? `${loan.lender} lent ${loan.callSign ?? 'a unit'} for ${reference} (${loan.answeredBy ?? ''}, ${wall.time(loan.answeredAt ?? loan.updatedAt)})`
      : loan.status === 'declined'
        ? `${loan.lender} declined the request for ${describeAsk(loan.ask)} for ${reference}: ${loan.declineReason ?? ''} (${loan.answeredBy ?? ''}, ${wall.time(loan.answeredAt ?? loan.updatedAt)})`
        : `${loan.lender} took ${loan.callSign ?? 'its unit'} back from ${reference}: ${loan.takenBack?.reason ?? ''} (${loan.takenBack?.by ?? ''}, ${wall.time(loan.takenBack?.at ?? loan.updatedAt)})${loan.takenBack?.deployed ? '. Its deployment there has ended' : ''}`;
  return (
    <div role="group" aria-label={`Answer from ${loan.lender} for ${reference}`}>
      <p role="alert">{words}</p>
      <button type="button" onClick={onAcknowledge}>
        Acknowledge answer from {loan.lender}
      </button>
    </div>
  );
}
