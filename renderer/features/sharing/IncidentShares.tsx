import { useEffect, useId, useState, type FormEvent } from 'react';
import { create } from 'zustand';
import type { AssignmentView, IncidentView, ShareView } from '../../../shared/contract/views';
import type { ShareTier } from '../../../shared/domain/share';
import { displayReference } from '../../../shared/domain/incident';
import { holderUnitsDeployed } from '../../../shared/domain/assist-writes';
import { assignmentStatusNames, canMoveAssignment, runsDeployment } from '../../../shared/domain/assignment';
import { awaitingConfirmation } from '../../../shared/dispatch/receipts';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useMay } from '../session/use-may';
import { focusById } from '../../app/focus';
import { keptViewAmong } from './use-kept-view';

/** The shortcut (Shift+F7, renderer/keyboard/keymap.ts) asks the selected incident's shares panel to open its form. */
export const useShareRequest = create<{ asked: number; ask(): void }>((set) => ({ asked: 0, ask: () => set((s) => ({ asked: s.asked + 1 })) }));

const TIER_WORDS: Record<ShareTier, string> = {
  view: 'view: reference, type, priority, place, status, units attending',
  assist: 'assist: view and the log; may write in it and deploy its own units',
};

/**
 * An incident's shares with other forces (shared/domain/share.ts), in its detail. At the owning force's desk: each
 * share with its tier, how and why, the other force's units there, and, for a dispatcher or supervisor, a form to
 * share the incident (the force, the tier, a reason) or change a share's tier, and one to revoke a share with a
 * reason or cut an assist share made by hand to view. The form shares an open incident only; revoking and cutting to
 * view are offered on a closed one too, as the server allows them (narrowing shares nothing new). At the desk of a
 * force holding it through a share: what it may do at that tier, and its own units there. The holder's desk offers
 * no sharing control: a share is never passed on (the server refuses it anyway).
 */
export function IncidentShares({ incident, logSize }: { incident: IncidentView; logSize: number }) {
  const api = useApi();
  const own = useConsole((s) => s.config?.force.code ?? null);
  const assignments = useConsole((s) => s.assignments);
  const mayShare = useMay('share.create');
  const mayRevoke = useMay('share.revoke');
  const mayMove = useMay('assignment.setStatus');
  const asked = useShareRequest((s) => s.asked);
  const [shares, setShares] = useState<ShareView[]>([]);
  const [sharing, setSharing] = useState(false);
  // The shortcut's presses so far when the form was last closed (or the panel opened): a press since opens it.
  const [closedAt, setClosedAt] = useState(asked);
  const [revoking, setRevoking] = useState<{ share: ShareView; cut: boolean } | null>(null);
  const shareButtonId = `share-incident-${useId().replace(/:/g, '')}`;
  const sharingId = `${shareButtonId}-section`;
  const wall = useWallClock();
  const holder = Boolean(incident.sharedView);
  const owner = !holder && (own === null || own === incident.force);
  const formOpen = mayShare && incident.status === 'open' && (sharing || asked > closedAt);

  // Every share made, changed or revoked writes a line in the incident's log: asked again when the log grows.
  useEffect(() => {
    let current = true;
    void api
      .call('shares.list', { incidentId: incident.id })
      .then((r) => current && setShares(r.shares))
      .catch(() => current && setShares([]));
    return () => {
      current = false;
    };
  }, [api, incident.id, incident.version, logSize]);

  const deployments = Object.values(assignments).filter((a) => a.incidentId === incident.id);
  const active = shares.filter((share) => share.revoked === null);

  if (holder) {
    const tier = incident.sharedView!.tier;
    const mine = deployments.filter((a) => own !== null && a.unitForce === own && a.status !== 'cleared');
    // Its own units it deployed here assisting are this force's to run; one it lent to the owner is the owner's
    // (shared/domain/assignment.ts deploymentRunBy), shown but not moved from this desk (the server refuses it).
    const running = mine.filter((a) => runsDeployment(own, a));
    // The view this force kept when it transferred the incident: said as such, not as a share it was given.
    const kept = keptViewAmong(shares, own);
    return (
      <section className="incident-shares" aria-label="Sharing">
        {kept && (
          <p className="transferred">
            This force transferred this incident to {incident.force} at {wall.dateTime(kept.at)} (accepted by {kept.by}): it is {incident.force}&apos;s now, and this force keeps a view of it.
          </p>
        )}
        <p>
          {tier === 'assist'
            ? `${incident.force} has shared this incident with this force to assist: write in its log and deploy this force's units; the incident itself is ${incident.force}'s to change.`
            : `${incident.force} has shared this incident with this force to view only: nothing here can be changed or written from this desk.`}
        </p>
        {mine.length > 0 && (
          <p>
            This force&apos;s units here:{' '}
            {mine.map((a) => `${a.unitId} (${assignmentStatusNames[a.status].toLowerCase()}${runsDeployment(own, a) ? '' : `, lent to ${incident.force}, which runs it`})`).join(', ')}
          </p>
        )}
        {tier === 'assist' && mayMove && running.length > 0 && <OwnUnitsMoves deployments={running} />}
      </section>
    );
  }
  if (!owner || (active.length === 0 && !mayShare)) return null;

  // A share's revocation, or its cut to view (cut), asks a reason in place of the share form.
  const askReason = (share: ShareView, cut: boolean) => {
    setSharing(false);
    setClosedAt(asked);
    setRevoking({ share, cut });
  };
  // Where focus goes back to once a revocation or a cut is done or given up: the share button, or, on a closed incident
  // (which offers none), the sharing section itself, not the page's body.
  const backTo = mayShare && incident.status === 'open' ? shareButtonId : sharingId;
  return (
    <section className="incident-shares" aria-label="Sharing" id={sharingId} tabIndex={-1}>
      {active.length > 0 ? (
        <ul aria-label="Shared with other forces">
          {active.map((share) => {
            const theirs = deployments.filter((a) => a.unitForce === share.sharedWith && a.status !== 'cleared');
            return (
              <li key={share.id} data-shared-with={share.sharedWith} data-tier={share.tier}>
                <ShareLine share={share} />
                {theirs.length > 0 && <span> · {share.sharedWith} units here: {theirs.map((a) => `${a.unitId} (${assignmentStatusNames[a.status].toLowerCase()})`).join(', ')}</span>}
                {share.pending && <span className="pending"> not yet on the server</span>}
                {mayShare && share.how === 'by_hand' && share.tier === 'assist' && !(revoking?.share.id === share.id && revoking.cut) && (
                  <button
                    type="button"
                    onClick={() => askReason(share, true)}
                  >
                    Cut share with {share.sharedWith} to view
                  </button>
                )}
                {mayRevoke && !(revoking?.share.id === share.id && !revoking.cut) && (
                  <button
                    type="button"
                    onClick={() => askReason(share, false)}
                  >
                    Revoke share with {share.sharedWith}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      ) : (
        <p>Not shared with another force.</p>
      )}
      {mayShare && incident.status === 'open' && !formOpen && (
        <button
          id={shareButtonId}
          type="button"
          onClick={() => {
            setRevoking(null);
            setSharing(true);
          }}
        >
          Share with another force
        </button>
      )}
      {formOpen && (
        <ShareForm
          incident={incident}
          shares={active}
          onDone={() => {
            setSharing(false);
            setClosedAt(asked);
            focusById(shareButtonId);
          }}
        />
      )}
      {revoking && !formOpen && (
        <RevokeForm
          key={`${revoking.share.id}-${revoking.cut}`}
          share={revoking.share}
          cut={revoking.cut}
          deployments={deployments}
          onDone={() => {
            setRevoking(null);
            focusById(backTo);
          }}
        />
      )}
    </section>
  );
}

/**
 * The assisting force's own units on the incident, each moved along its statuses as on any incident of its own, with
 * what its terminal said of the deployment and, while its crew has not accepted it, its confirmation by radio: this
 * force runs them, not the incident's owner.
 */
function OwnUnitsMoves({ deployments }: { deployments: readonly AssignmentView[] }) {
  const api = useApi();
  const action = useAction();
  const mayConfirm = useMay('assignment.confirmByRadio');
  return (
    <ul aria-label="This force's units on this incident">
      {deployments.map((assignment) => (
        <li key={assignment.id}>
          {assignment.unitId}: {assignmentStatusNames[assignment.status]}
          {assignment.delivery && <span className="delivery"> · terminal: {assignment.delivery.state}</span>}
          {assignment.radioConfirmed && <span className="confirmed"> · confirmed by radio ({assignment.radioConfirmed.by})</span>}
          {assignment.pending && <span className="pending"> not yet on the server</span>}{' '}
          {mayConfirm && awaitingConfirmation(assignment) && (
            <button type="button" disabled={action.busy} onClick={() => void action.run(() => api.call('assignments.confirmByRadio', { assignmentId: assignment.id }))}>
              {assignment.unitId} confirmed by radio
            </button>
          )}
          {(['en_route', 'at_scene', 'committed', 'cleared'] as const)
            .filter((next) => canMoveAssignment(assignment.status, next))
            .map((next) => (
              <button
                key={next}
                type="button"
                aria-label={`${assignment.unitId} ${assignmentStatusNames[next].toLowerCase()}`}
                disabled={action.busy}
                onClick={() => void action.run(() => api.call('assignments.setStatus', { assignmentId: assignment.id, status: next, assignmentVersion: assignment.version }))}
              >
                {assignmentStatusNames[next]}
              </button>
            ))}
        </li>
      ))}
      {action.error && <li role="alert">{action.error}</li>}
    </ul>
  );
}

/** One share in words: "Shared with NBR (assist), by hand by bob at 10:04: reason". */
function ShareLine({ share }: { share: ShareView }) {
  const wall = useWallClock();
  const how = share.how === 'automatic' ? 'automatically' : share.how === 'arrangement' ? 'by a standing arrangement' : share.how === 'transfer' ? `by the transfer ${share.by} accepted` : `by ${share.by}`;
  return (
    <span className="share-line">
      Shared with {share.sharedWith} ({share.tier}), {how} at {wall.time(share.at)}: {share.reason}
    </span>
  );
}

function ShareForm({ incident, shares, onDone }: { incident: IncidentView; shares: readonly ShareView[]; onDone: () => void }) {
  const api = useApi();
  const id = useId();
  const action = useAction();
  const announce = useConsole((s) => s.announce);
  const [force, setForce] = useState('');
  const [tier, setTier] = useState<ShareTier>('view');
  const [reason, setReason] = useState('');
  const code = force.trim().toUpperCase();
  const already = shares.find((share) => share.sharedWith === code && share.how === 'by_hand');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      if (!code) throw new Error('name the force to share with (its code, e.g. NBR)');
      if (!reason.trim()) throw new Error('a reason is needed to share an incident');
      await api.call('shares.create', { incidentId: incident.id, sharedWith: code, tier, reason });
      announce(`${displayReference(incident)} shared with ${code} (${tier})`);
      onDone();
    });
  };
  return (
    // Esc leaves the form unsent, the keyboard back on the button that opens it.
    <form className="share-form" aria-label={`Share ${displayReference(incident)} with another force`} onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onDone()}>
      <label htmlFor={`${id}-force`}>Force to share with</label>
      <input id={`${id}-force`} autoFocus autoComplete="off" maxLength={8} value={force} onChange={(e) => setForce(e.target.value)} placeholder="e.g. NBR" />
      <label htmlFor={`${id}-tier`}>Tier</label>
      <select id={`${id}-tier`} value={tier} onChange={(e) => setTier(e.target.value as ShareTier)}>
        {(['view', 'assist'] as const).map((t) => (
          <option key={t} value={t}>
            {TIER_WORDS[t]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-reason`}>Reason for sharing</label>
      <input id={`${id}-reason`} autoComplete="off" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      {already && already.tier !== tier && <p>Changes the share with {code} from {already.tier} to {tier}.</p>}
      <button type="submit" disabled={action.busy}>
        {already && already.tier !== tier ? `Change share to ${tier}` : 'Share incident'}
      </button>
      <button type="button" onClick={onDone}>
        Cancel sharing
      </button>
      {action.error && <p role="alert">{action.error}</p>}
    </form>
  );
}

/**
 * Revoking a share, or cutting an assist share made by hand to view (cut): the same reason asked, the same refusal
 * while the other force's units are on the job. The cut is the share command the form sends, at the view tier: the
 * other force keeps the incident without its log, closed or open.
 */
function RevokeForm({ share, cut, deployments, onDone }: { share: ShareView; cut: boolean; deployments: Parameters<typeof holderUnitsDeployed>[0]; onDone: () => void }) {
  const api = useApi();
  const id = useId();
  const action = useAction();
  const announce = useConsole((s) => s.announce);
  const [reason, setReason] = useState('');
  const theirs = share.tier === 'assist' ? holderUnitsDeployed(deployments, share.sharedWith) : [];
  const done = cut ? 'cut to view' : 'revoked';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      if (!reason.trim()) throw new Error(cut ? 'a reason is needed to cut a share to view' : 'a reason is needed to revoke a share');
      if (cut) await api.call('shares.create', { incidentId: share.incidentId, sharedWith: share.sharedWith, tier: 'view', reason });
      else await api.call('shares.revoke', { shareId: share.id, reason });
      announce(`Share with ${share.sharedWith} ${done}`);
      onDone();
    });
  };
  return (
    <form
      className="revoke-share"
      aria-label={cut ? `Cut share with ${share.sharedWith} to view` : `Revoke share with ${share.sharedWith}`}
      onSubmit={submit}
      onKeyDown={(e) => e.key === 'Escape' && onDone()}
    >
      {theirs.length > 0 && (
        <p role="status">
          {theirs.join(', ')} of {share.sharedWith} still deployed here: {share.sharedWith} clears its units before the share is {done}.
        </p>
      )}
      <label htmlFor={`${id}-reason`}>{cut ? 'Reason for cutting to view' : 'Reason for revoking'}</label>
      <input id={`${id}-reason`} autoFocus autoComplete="off" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" disabled={action.busy}>
        {cut ? 'Cut share to view' : 'Revoke share'}
      </button>
      <button type="button" onClick={onDone}>
        {cut ? 'Keep share at assist' : 'Keep share'}
      </button>
      {action.error && <p role="alert">{action.error}</p>}
    </form>
  );
}
