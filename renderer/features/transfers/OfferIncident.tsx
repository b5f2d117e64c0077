import { useId, useState, type FormEvent } from 'react';
import type { IncidentView, TransferView } from '../../../shared/contract/views';
import { transferStatusNames } from '../../../shared/domain/transfer';
import { displayReference } from '../../../shared/domain/incident';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useMay } from '../session/use-may';
import { focusById } from '../../app/focus';

/**
 * Offering this force's incident to another force to take over (shared/domain/transfer.ts), at the owner's desk: the
 * offers made of it with their answers, withdrawing one still waiting, and the form: the force and the reason its
 * dispatchers read. The offer names the incident's version shown here, so an incident changed meanwhile is a
 * conflict, not a transfer of something the dispatcher has not seen.
 */
export function OfferIncident({ incident }: { incident: IncidentView }) {
  const force = useConsole((s) => s.config?.force.code);
  const mayOffer = useMay('transfer.offer');
  const all = useConsole((s) => s.transfers);
  const offers = Object.values(all).filter((transfer) => transfer.incidentId === incident.id && transfer.force === force);
  const [offering, setOffering] = useState(false);
  const buttonId = `offer-incident-${useId().replace(/:/g, '')}`;
  const own = incident.force === force;
  if (!own && offers.length === 0) return null;
  if (!mayOffer && offers.length === 0) return null;
  const waiting = offers.some((transfer) => transfer.status === 'offered');
  return (
    <section className="transfer-incident" aria-label="Offer to another force">
      {offers.length > 0 && (
        <ul>
          {offers.map((transfer) => (
            <li key={transfer.id}>
              <OfferMade transfer={transfer} />
            </li>
          ))}
        </ul>
      )}
      {mayOffer && own && incident.status === 'open' && !waiting && !offering && (
        <button id={buttonId} type="button" onClick={() => setOffering(true)}>
          Offer to another force
        </button>
      )}
      {offering && (
        <OfferForm
          incident={incident}
          onDone={() => {
            setOffering(false);
            focusById(buttonId);
          }}
        />
      )}
    </section>
  );
}

function OfferMade({ transfer }: { transfer: TransferView }) {
  const api = useApi();
  const wall = useWallClock();
  const action = useAction();
  const words =
    transfer.status === 'declined'
      ? `${transfer.to} declined (${transfer.answeredBy ?? ''}): ${transfer.declineReason ?? ''}`
      : transfer.status === 'accepted'
        ? `${transfer.to} accepted (${transfer.answeredBy ?? ''}, ${wall.time(transfer.answeredAt ?? transfer.updatedAt)}): the incident is ${transfer.to}'s`
        : `Offered to ${transfer.to}: ${transferStatusNames[transfer.status]}`;
  return (
    <>
      <span className="transfer-status" data-status={transfer.status}>
        {words}
      </span>
      {transfer.pending && <span className="pending"> not yet on the server</span>}
      {transfer.status === 'offered' && (
        <button type="button" disabled={action.busy} onClick={() => void action.run(() => api.call('transfers.withdraw', { transferId: transfer.id, transferVersion: transfer.version }))}>
          Withdraw offer to {transfer.to}
        </button>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </>
  );
}

function OfferForm({ incident, onDone }: { incident: IncidentView; onDone: () => void }) {
  const api = useApi();
  const id = useId();
  const action = useAction();
  const announce = useConsole((s) => s.announce);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const force = to.trim().toUpperCase();
      if (!force) throw new Error('name the force to offer it to (its code, e.g. NBR)');
      await api.call('transfers.offer', { incidentId: incident.id, incidentVersion: incident.version, to: force, reason });
      announce(`${displayReference(incident)} offered to ${force}`);
      onDone();
    });
  };
  return (
    // Esc leaves the form unsent, the keyboard back on the button that opened it.
    <form className="offer-incident" aria-label="Offer the incident to another force" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onDone()}>
      <label htmlFor={`${id}-force`}>Force to offer it to</label>
      <input id={`${id}-force`} autoFocus autoComplete="off" maxLength={8} value={to} onChange={(e) => setTo(e.target.value)} placeholder="e.g. NBR" />
      <label htmlFor={`${id}-reason`}>Reason for the offer</label>
      <input id={`${id}-reason`} autoComplete="off" maxLength={300} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" disabled={action.busy}>
        Send offer
      </button>
      <button type="button" onClick={onDone}>
        Cancel offer
      </button>
      {action.error && <p role="alert">{action.error}</p>}
    </form>
  );
}
