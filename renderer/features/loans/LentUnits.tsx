import { useId, useState, type FormEvent } from 'react';
import type { LoanView } from '../../../shared/contract/views';
import { assignmentStatusNames } from '../../../shared/domain/assignment';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useMay } from '../session/use-may';
import { clearSaved, keepTypedSince } from '../../app/typed-since';

/**
 * This force's units lent to another force, at the lending dispatcher's desk: each with the borrower's incident (as
 * the request described it) and whether the unit is deployed there, and the control to take it back with a reason
 * (loan.takeBack): a deployed unit is stood down from the borrower's incident, and the borrower is told.
 */
export function LentUnits() {
  const force = useConsole((s) => s.config?.force.code);
  const mayTakeBack = useMay('loan.takeBack');
  const loans = useConsole((s) => s.loans);
  const lent = Object.values(loans).filter((loan) => loan.lender === force && loan.status === 'accepted');
  if (!mayTakeBack || lent.length === 0) return null;
  return (
    <section className="lent-units" aria-label="Units lent to other forces">
      <ul>
        {lent.map((loan) => (
          <li key={loan.id}>
            <LentUnit loan={loan} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function LentUnit({ loan }: { loan: LoanView }) {
  const api = useApi();
  const id = useId();
  const wall = useWallClock();
  const action = useAction();
  const announce = useConsole((s) => s.announce);
  const unit = useConsole((s) => (loan.unitId ? s.units[loan.unitId] : undefined));
  const deployment = useConsole((s) => (unit?.commitment ? s.assignments[unit.commitment.assignmentId] : undefined));
  const [takingBack, setTakingBack] = useState(false);
  const [reason, setReason] = useState('');
  const callSign = loan.callSign ?? 'the unit';
  const deployed = unit?.commitment?.incidentId === loan.incidentId;
  const where = deployed ? `deployed there${deployment ? ` (${assignmentStatusNames[deployment.status].toLowerCase()})` : ''}` : 'not deployed';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      if (!unit) throw new Error(`${callSign} is not on this desk yet`);
      await api.call('loans.takeBack', { loanId: loan.id, loanVersion: loan.version, unitVersion: unit.version, reason });
      announce(`${callSign} taken back from ${loan.force}${deployed ? `: its deployment on ${loan.incident.reference} ended` : ''}`);
      clearSaved(() => {
        setTakingBack(false);
        setReason(keepTypedSince(reason));
      });
    });
  };
  return (
    <>
      <span>
        {callSign} lent to {loan.force} for {loan.incident.reference} ({loan.incident.type}, {loan.incident.location}) since {wall.time(loan.answeredAt ?? loan.updatedAt)}: {where}
      </span>
      {loan.pending && <span className="pending"> not yet on the server</span>}
      {!takingBack ? (
        <button type="button" disabled={!unit || loan.pending} onClick={() => setTakingBack(true)}>
          Take {callSign} back from {loan.force}
        </button>
      ) : (
        // Esc leaves the form unsent.
        <form className="inline" aria-label={`Take ${callSign} back from ${loan.force}`} onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && setTakingBack(false)}>
          <label htmlFor={`${id}-reason`}>Reason for taking {callSign} back</label>
          <input id={`${id}-reason`} autoFocus autoComplete="off" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="submit" disabled={action.busy}>
            Send take-back
          </button>
          {deployed && <p>{loan.force} is told, and the unit is stood down from {loan.incident.reference}.</p>}
        </form>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </>
  );
}
