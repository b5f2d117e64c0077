import { useEffect, useState } from 'react';
import type { IncidentView, ShareView } from '../../../shared/contract/views';
import { isActive } from '../../../shared/domain/share';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';

/**
 * The view this force kept of an incident it transferred to another force (shared/domain/transfer.ts keptShare:
 * `how: 'transfer'`, active, with this force), or null: for any other incident, one held by another share, or while
 * the shares are being read. What the old owner's desk says in place of the log it no longer sees: that ownership
 * passed to the new owner, and when (the share's `at`: the acceptance's time) and on whose acceptance (`by`). Read
 * again when the incident changes (a transfer back ends the view).
 */
export function useKeptView(incident: IncidentView | undefined): ShareView | null {
  const api = useApi();
  const own = useConsole((s) => s.config?.force.code ?? null);
  const [kept, setKept] = useState<ShareView | null>(null);
  const held = incident?.sharedView !== undefined && own !== null && incident.force !== own;
  const id = incident?.id;
  const version = incident?.version;
  useEffect(() => {
    // Nothing to read: what was read for another incident is not returned (below), so nothing need be cleared.
    if (!held || !id) return;
    let current = true;
    void api
      .call('shares.list', { incidentId: id })
      .then((r) => current && setKept(keptViewAmong(r.shares, own)))
      .catch(() => current && setKept(null));
    return () => {
      current = false;
    };
  }, [api, held, id, version, own]);
  return held && kept?.incidentId === id ? kept : null;
}

/** The active view `own` kept of the incident after transferring it, among its shares; null if none. */
export function keptViewAmong(shares: readonly ShareView[], own: string | null): ShareView | null {
  return shares.find((share) => share.how === 'transfer' && share.sharedWith === own && isActive(share)) ?? null;
}
