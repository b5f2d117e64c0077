import { useId, useState } from 'react';
import type { LoanView, UnitView } from '../../../shared/contract/views';
import { describeAsk, unitsForAsk } from '../../../shared/domain/loan';
import { describeCommonPriority, type CommonPriority } from '../../../shared/domain/common-priority';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useMay } from '../session/use-may';

/**
 * Requests for a unit that other forces have made of this one, waiting for an answer (shared/domain/loan.ts): an
 * alert on the dispatcher's desk until a dispatcher here (or at any of the force's desks) answers. Each says what
 * the other force told: its incident's reference, type, common priority and place, what it asks for and why. Lend
 * one of this force's free units (the one named, when a call sign was asked for) or decline with a reason.
 */
export function LoanRequests() {
  const force = useConsole((s) => s.config?.force.code);
  const mayAnswer = useMay('loan.accept');
  const loans = useConsole((s) => s.loans);
  const waiting = Object.values(loans).filter((loan) => loan.lender === force && loan.status === 'requested');
  if (!mayAnswer || waiting.length === 0) return null;
  return (
    <section className="desk-alarms loan-requests" aria-label="Requests for a unit from other forces">
      <ul>
        {waiting.map((loan) => (
          <li key={loan.id}>
            <LoanRequest loan={loan} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** This force's units that may be lent now: on duty, committed to nothing, not already lent. */
function freeUnits(units: Record<string, UnitView>, force: string | undefined): UnitView[] {
  return Object.values(units)
    .filter((unit) => unit.force === force && unit.duty === 'on_duty' && unit.commitment === null && !unit.loan)
    .sort((a, b) => a.callSign.localeCompare(b.callSign));
}

function LoanRequest({ loan }: { loan: LoanView }) {
  const api = useApi();
  const id = useId();
  const wall = useWallClock();
  const action = useAction();
  const force = useConsole((s) => s.config?.force.code);
  const units = useConsole((s) => s.units);
  const announce = useConsole((s) => s.announce);
  const unitTypes = useConsole((s) => s.config?.unitTypes);
  // The likeliest first (the kind the words ask for), so the lend button's default is not just the first call sign.
  const free = unitsForAsk(loan.ask, freeUnits(units, force), (code) => unitTypes?.find((type) => type.code === code)?.name ?? code);
  const [unitId, setUnitId] = useState('');
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const chosen = free.find((unit) => unit.id === unitId) ?? free[0];
  const priority = loan.incident.commonPriority ? describeCommonPriority(loan.incident.commonPriority as CommonPriority) : 'priority unknown';
  const what = `${loan.force} asks for ${describeAsk(loan.ask)} for ${loan.incident.reference}: ${loan.incident.type}, ${priority}, ${loan.incident.location}`;

  const lend = () =>
    void action.run(async () => {
      if (!chosen) throw new Error('no unit of this force is free to lend');
      await api.call('loans.accept', { loanId: loan.id, loanVersion: loan.version, unitId: chosen.id, unitVersion: chosen.version });
      announce(`${chosen.callSign} lent to ${loan.force} for ${loan.incident.reference}`);
    });
  const decline = () =>
    void action.run(async () => {
      await api.call('loans.decline', { loanId: loan.id, loanVersion: loan.version, reason });
      announce(`Request from ${loan.force} for ${loan.incident.reference} declined`);
    });

  return (
    <div role="group" aria-label={`Request from ${loan.force} for ${loan.incident.reference}`}>
      <p role="alert">{what}</p>
      <p>
        Reason: {loan.reason} (asked by {loan.requestedBy} at {wall.time(loan.requestedAt)})
      </p>
      {free.length > 0 ? (
        <>
          <label htmlFor={`${id}-unit`}>Unit to lend</label>
          <select id={`${id}-unit`} value={chosen?.id ?? ''} onChange={(e) => setUnitId(e.target.value)}>
            {free.map((unit) => (
              <option key={unit.id} value={unit.id}>
                {unit.callSign} ({unit.type}, {unit.homeStation})
              </option>
            ))}
          </select>
          <button type="button" disabled={action.busy} onClick={lend}>
            Lend {chosen?.callSign ?? 'unit'} to {loan.force}
          </button>
        </>
      ) : (
        <p>No unit of this force answering the request is free.</p>
      )}
      {!declining ? (
        <button type="button" onClick={() => setDeclining(true)}>
          Decline request from {loan.force}
        </button>
      ) : (
        <>
          <label htmlFor={`${id}-reason`}>Reason for declining</label>
          <input id={`${id}-reason`} autoFocus autoComplete="off" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && decline()} />
          <button type="button" disabled={action.busy} onClick={decline}>
            Send decline
          </button>
        </>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </div>
  );
}
