import { useId, useState, type FormEvent } from 'react';
import type { ArrangementView } from '../../../shared/contract/views';
import { arrangementStatusNames } from '../../../shared/domain/arrangement';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { clearSaved, keepTypedSince } from '../../app/typed-since';

/**
 * Standing sharing arrangements at the force administrator's desk (shared/domain/arrangement.ts): every arrangement
 * this force proposed or was proposed, with its state and who approved it; approving one the other force proposed;
 * withdrawing one, with a reason; and proposing one of this force's incident types. The server decides each again
 * and refuses anyone but a force administrator, with the reason.
 */
export function SharingArrangements() {
  const arrangements = useConsole((s) => s.arrangements);
  const list = Object.values(arrangements).sort((a, b) => a.status.localeCompare(b.status) || b.updatedAt.localeCompare(a.updatedAt));
  return (
    <section aria-labelledby="arrangements-heading" className="sharing-arrangements">
      <h2 id="arrangements-heading">Sharing arrangements with other forces</h2>
      <p>
        A standing arrangement shares every new incident of one of this force's types with another force, once both forces' administrators have approved it.
        Withdrawn, it shares no incident from then on; the shares it made stay until a dispatcher revokes them.
      </p>
      {list.length === 0 ? (
        <p>No arrangements.</p>
      ) : (
        <table aria-labelledby="arrangements-heading">
          <thead>
            <tr>
              <th scope="col">Incidents of</th>
              <th scope="col">Shared with</th>
              <th scope="col">Tier</th>
              <th scope="col">State</th>
              <th scope="col">Reason</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((arrangement) => (
              <ArrangementRow key={`${arrangement.id}-${arrangement.version}`} arrangement={arrangement} />
            ))}
          </tbody>
        </table>
      )}
      <ProposeArrangement />
    </section>
  );
}

/** Its name in words for buttons and announcements: "DMO Anti-social behaviour (ASB) with NBR". */
function nameOf(arrangement: ArrangementView): string {
  return `${arrangement.force} ${arrangement.typeName} (${arrangement.incidentType}) with ${arrangement.sharedWith}`;
}

function ArrangementRow({ arrangement }: { arrangement: ArrangementView }) {
  const api = useApi();
  const id = useId();
  const wall = useWallClock();
  const action = useAction();
  const own = useConsole((s) => s.config?.force.code);
  const announce = useConsole((s) => s.announce);
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const name = nameOf(arrangement);
  const approvals = [`proposed by ${arrangement.ownerApproval.by} (${arrangement.force}) at ${wall.dateTimeZoned(arrangement.ownerApproval.at)}`];
  if (arrangement.partnerApproval) approvals.push(`approved by ${arrangement.partnerApproval.by} (${arrangement.sharedWith}) at ${wall.dateTimeZoned(arrangement.partnerApproval.at)}`);
  if (arrangement.withdrawn) approvals.push(`withdrawn by ${arrangement.withdrawn.by} (${arrangement.withdrawn.byForce}): ${arrangement.withdrawn.reason}`);
  const approve = () =>
    void action.run(async () => {
      await api.call('arrangements.approve', { arrangementId: arrangement.id, arrangementVersion: arrangement.version });
      announce(`Arrangement ${name} approved`);
    });
  const withdraw = () =>
    void action.run(async () => {
      await api.call('arrangements.withdraw', { arrangementId: arrangement.id, arrangementVersion: arrangement.version, reason });
      announce(`Arrangement ${name} withdrawn`);
    });
  return (
    <tr>
      <td>
        {arrangement.force}: {arrangement.typeName} ({arrangement.incidentType})
      </td>
      <td>{arrangement.sharedWith}</td>
      <td>{arrangement.tier}</td>
      <td>
        <span data-status={arrangement.status}>{arrangementStatusNames[arrangement.status]}</span>; {approvals.join('; ')}
        {arrangement.pending && <span className="pending"> not yet on the server</span>}
      </td>
      <td>{arrangement.reason}</td>
      <td>
        {arrangement.status === 'proposed' && arrangement.sharedWith === own && (
          <button type="button" disabled={action.busy || arrangement.pending} onClick={approve}>
            Approve arrangement {name}
          </button>
        )}
        {arrangement.status !== 'withdrawn' && !withdrawing && (
          <button type="button" disabled={arrangement.pending} onClick={() => setWithdrawing(true)}>
            Withdraw arrangement {name}
          </button>
        )}
        {withdrawing && (
          <>
            <label htmlFor={`${id}-reason`}>Reason for withdrawing</label>
            <input
              id={`${id}-reason`}
              autoFocus
              autoComplete="off"
              maxLength={300}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') withdraw();
                if (e.key === 'Escape') setWithdrawing(false);
              }}
            />
            <button type="button" disabled={action.busy} onClick={withdraw}>
              Send withdrawal
            </button>
          </>
        )}
        {action.error && <p role="alert">{action.error}</p>}
      </td>
    </tr>
  );
}

function ProposeArrangement() {
  const api = useApi();
  const id = useId();
  const action = useAction();
  const types = useConsole((s) => s.config?.incidentTypes ?? []);
  const announce = useConsole((s) => s.announce);
  const [incidentType, setIncidentType] = useState('');
  const [sharedWith, setSharedWith] = useState('');
  const [tier, setTier] = useState<'view' | 'assist'>('view');
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const type = incidentType || types[0]?.code;
      const force = sharedWith.trim().toUpperCase();
      if (!type) throw new Error('this force has no incident types');
      if (!force) throw new Error('name the force to share with (its code, e.g. NBR)');
      await api.call('arrangements.propose', { incidentType: type, sharedWith: force, tier, reason });
      announce(`Arrangement proposed: ${type} incidents shared with ${force} once ${force}'s administrator approves`);
      clearSaved(() => setReason(keepTypedSince(reason)));
    });
  };
  return (
    <form aria-label="Propose a sharing arrangement" onSubmit={submit}>
      <label htmlFor={`${id}-type`}>Incident type</label>
      <select id={`${id}-type`} value={incidentType || types[0]?.code || ''} onChange={(e) => setIncidentType(e.target.value)}>
        {types.map((type) => (
          <option key={type.code} value={type.code}>
            {type.name} ({type.code})
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-force`}>Share with force</label>
      <input id={`${id}-force`} autoComplete="off" maxLength={8} value={sharedWith} onChange={(e) => setSharedWith(e.target.value)} placeholder="e.g. NBR" />
      <label htmlFor={`${id}-tier`}>Tier</label>
      <select id={`${id}-tier`} value={tier} onChange={(e) => setTier(e.target.value as 'view' | 'assist')}>
        <option value="view">view: reference, type, place, status, units</option>
        <option value="assist">assist: view and the log</option>
      </select>
      <label htmlFor={`${id}-reason`}>Reason for the arrangement</label>
      <input id={`${id}-reason`} autoComplete="off" maxLength={300} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" disabled={action.busy}>
        Propose arrangement
      </button>
      {action.error && <p role="alert">{action.error}</p>}
    </form>
  );
}
