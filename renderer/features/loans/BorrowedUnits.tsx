import { useId, useState, type FormEvent } from 'react';
import type { IncidentView, LoanView } from '../../../shared/contract/views';
import { describeAsk, loanStatusNames } from '../../../shared/domain/loan';
import { displayReference } from '../../../shared/domain/incident';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useMay } from '../session/use-may';
import { focusById } from '../../app/focus';

/**
 * Units asked of another force for this incident (shared/domain/loan.ts), at the borrower's desk: each request with
 * its answer, and what the dispatcher does next: withdraw a request still waiting, deploy a unit lent (as any of the
 * force's own: the incident, its log and its attendance clock are this force's), return it once cleared. And the
 * form to ask: the force, a call sign or a kind of unit in words, and the reason the lender's dispatcher reads.
 */
export function BorrowedUnits({ incident }: { incident: IncidentView }) {
  const mayAsk = useMay('loan.request');
  const allLoans = useConsole((s) => s.loans);
  const loans = Object.values(allLoans).filter((loan) => loan.incidentId === incident.id && loan.force === incident.force);
  const [asking, setAsking] = useState(false);
  const askButtonId = `ask-unit-${useId().replace(/:/g, '')}`;
  if (!mayAsk && loans.length === 0) return null;
  return (
    <section className="borrowed-units" aria-label="Units from another force">
      {loans.length > 0 && (
        <ul>
          {loans.map((loan) => (
            <li key={loan.id}>
              <BorrowedUnit loan={loan} incident={incident} />
            </li>
          ))}
        </ul>
      )}
      {mayAsk && incident.status === 'open' && !asking && (
        <button id={askButtonId} type="button" onClick={() => setAsking(true)}>
          Ask another force for a unit
        </button>
      )}
      {asking && (
        <AskForUnit
          incident={incident}
          onDone={() => {
            setAsking(false);
            focusById(askButtonId);
          }}
        />
      )}
    </section>
  );
}

function BorrowedUnit({ loan, incident }: { loan: LoanView; incident: IncidentView }) {
  const api = useApi();
  const wall = useWallClock();
  const action = useAction();
  const unit = useConsole((s) => (loan.unitId ? s.units[loan.unitId] : undefined));
  const announce = useConsole((s) => s.announce);
  const deployed = unit?.commitment?.incidentId === incident.id;
  const words =
    loan.status === 'accepted'
      ? `${loan.lender} lent ${loan.callSign ?? 'a unit'} (${wall.time(loan.answeredAt ?? loan.updatedAt)}, ${loan.answeredBy ?? ''})${deployed ? ': deployed' : ''}`
      : loan.status === 'declined'
        ? `${loan.lender} declined (${loan.answeredBy ?? ''}): ${loan.declineReason ?? ''}`
        : loan.takenBack
          ? `${loan.lender} took ${loan.callSign ?? 'its unit'} back (${wall.time(loan.takenBack.at)}, ${loan.takenBack.by}): ${loan.takenBack.reason}`
          : `${loan.lender}, ${describeAsk(loan.ask)}: ${loanStatusNames[loan.status]}`;
  return (
    <>
      <span className="loan-status" data-status={loan.status}>
        {words}
      </span>
      {loan.pending && <span className="pending"> not yet on the server</span>}
      {loan.status === 'requested' && (
        <button type="button" disabled={action.busy} onClick={() => void action.run(() => api.call('loans.withdraw', { loanId: loan.id, loanVersion: loan.version }))}>
          Withdraw request to {loan.lender}
        </button>
      )}
      {loan.status === 'accepted' && unit && !deployed && unit.commitment === null && (
        <>
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              void action.run(async () => {
                await api.call('units.assign', { unitId: unit.id, incidentId: incident.id, unitVersion: unit.version });
                announce(`${unit.callSign} deployed to ${displayReference(incident)}`);
              })
            }
          >
            Deploy {unit.callSign}
          </button>
          <button type="button" disabled={action.busy} onClick={() => void action.run(() => api.call('loans.return', { loanId: loan.id }))}>
            Return {unit.callSign} to {loan.lender}
          </button>
        </>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </>
  );
}

function AskForUnit({ incident, onDone }: { incident: IncidentView; onDone: () => void }) {
  const api = useApi();
  const id = useId();
  const action = useAction();
  const announce = useConsole((s) => s.announce);
  const [lender, setLender] = useState('');
  const [callSign, setCallSign] = useState('');
  const [kind, setKind] = useState('');
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const force = lender.trim().toUpperCase();
      if (!force) throw new Error('name the force to ask (its code, e.g. NBR)');
      const ask = callSign.trim() ? { callSign: callSign.trim().toUpperCase() } : { type: kind };
      await api.call('loans.request', { incidentId: incident.id, lender: force, ask, reason });
      announce(`Asked ${force} for a unit for ${displayReference(incident)}`);
      onDone();
    });
  };
  return (
    // Esc leaves the form unsent, the keyboard back on the button that opened it.
    <form className="ask-for-unit" aria-label="Ask another force for a unit" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onDone()}>
      <label htmlFor={`${id}-force`}>Force to ask</label>
      <input id={`${id}-force`} autoFocus autoComplete="off" maxLength={8} value={lender} onChange={(e) => setLender(e.target.value)} placeholder="e.g. NBR" />
      <label htmlFor={`${id}-call-sign`}>Call sign asked for (or leave empty)</label>
      <input id={`${id}-call-sign`} autoComplete="off" maxLength={16} value={callSign} onChange={(e) => setCallSign(e.target.value)} />
      <label htmlFor={`${id}-kind`}>Kind of unit asked for</label>
      <input id={`${id}-kind`} autoComplete="off" maxLength={60} value={kind} onChange={(e) => setKind(e.target.value)} placeholder="e.g. response car, dog unit" />
      <label htmlFor={`${id}-reason`}>Reason for the request</label>
      <input id={`${id}-reason`} autoComplete="off" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" disabled={action.busy}>
        Send request
      </button>
      <button type="button" onClick={onDone}>
        Cancel request
      </button>
      {action.error && <p role="alert">{action.error}</p>}
    </form>
  );
}
