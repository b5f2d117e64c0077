import { useId, useState } from 'react';
import type { TransferView } from '../../../shared/contract/views';
import { describeCommonPriority, type CommonPriority } from '../../../shared/domain/common-priority';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useMay } from '../session/use-may';

/**
 * Incidents other forces offer to this one (shared/domain/transfer.ts), waiting for an answer: an alert on the
 * dispatcher's desk until a dispatcher of this force answers. Each says what the offering force told: its reference,
 * type, common priority and place, and why. Accept (the incident becomes this force's, in one of its queues) or
 * decline with a reason.
 */
export function TransferOffers() {
  const force = useConsole((s) => s.config?.force.code);
  const mayAnswer = useMay('transfer.accept');
  const transfers = useConsole((s) => s.transfers);
  const waiting = Object.values(transfers).filter((transfer) => transfer.to === force && transfer.status === 'offered');
  if (!mayAnswer || waiting.length === 0) return null;
  return (
    <section className="desk-alarms transfer-offers" aria-label="Incidents offered by other forces">
      <ul>
        {waiting.map((transfer) => (
          <li key={transfer.id}>
            <TransferOffer transfer={transfer} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function TransferOffer({ transfer }: { transfer: TransferView }) {
  const api = useApi();
  const id = useId();
  const wall = useWallClock();
  const action = useAction();
  const announce = useConsole((s) => s.announce);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const summary = transfer.incident;
  const priority = summary.commonPriority ? describeCommonPriority(summary.commonPriority as CommonPriority) : 'priority unknown';

  const accept = () =>
    void action.run(async () => {
      await api.call('transfers.accept', { transferId: transfer.id, transferVersion: transfer.version });
      announce(`${summary.reference} accepted from ${transfer.force}: it is this force's once the server has moved it`);
    });
  const decline = () =>
    void action.run(async () => {
      await api.call('transfers.decline', { transferId: transfer.id, transferVersion: transfer.version, reason });
      announce(`${summary.reference} from ${transfer.force} declined`);
    });

  return (
    <div role="group" aria-label={`Incident offered by ${transfer.force}: ${summary.reference}`}>
      <p role="alert">
        {transfer.force} offers {summary.reference}: {summary.type}, {priority}, {summary.location}
      </p>
      <p>
        Reason: {transfer.reason} (offered by {transfer.offeredBy} at {wall.time(transfer.offeredAt)})
      </p>
      <button type="button" disabled={action.busy || transfer.pending} onClick={accept}>
        Accept {summary.reference} from {transfer.force}
      </button>
      {!declining ? (
        <button type="button" onClick={() => setDeclining(true)}>
          Decline {summary.reference} from {transfer.force}
        </button>
      ) : (
        <>
          <label htmlFor={`${id}-reason`}>Reason for declining</label>
          <input id={`${id}-reason`} autoFocus autoComplete="off" maxLength={300} value={reason} onChange={(e) => setReason(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && decline()} />
          <button type="button" disabled={action.busy} onClick={decline}>
            Send decline
          </button>
        </>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </div>
  );
}
