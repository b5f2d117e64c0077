import { byHandShareId } from '../../../shared/domain/share';
import { assistEndRefusal, holderUnitsDeployed } from '../../../shared/domain/assist-writes';
import { ApiError } from '../../../shared/contract/errors';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type ShareChannels = 'shares.list' | 'shares.create' | 'shares.revoke';

/**
 * Sharing an incident with the other force, and revoking it (shared/commands/share-commands.ts): each one command,
 * decided again by the server, which alone may refuse it (a share is never passed on by the force holding it).
 */
export function shareHandlers(ctx: CoreContext): HandlerGroup<ShareChannels> {
  const { store } = ctx;
  const share = (id: string) => found(store.view.view('share', id), `share ${id}`);
  // An assist share is not ended while the holder's units are on the job (shared/domain/assist-writes.ts).
  const stillDeployed = (shareId: string, doing: 'revoked' | 'cut to view') => {
    const held = store.view.view('share', shareId);
    if (!held || held.revoked || held.tier !== 'assist') return;
    const refusal = assistEndRefusal(held.sharedWith, holderUnitsDeployed(store.view.assignmentsOf(held.incidentId), held.sharedWith), doing);
    if (refusal) throw new ApiError('bad_request', refusal);
  };
  return {
    'shares.list': ({ incidentId }) => ({ shares: store.view.sharesOf(incidentId) }),
    'shares.create': ({ incidentId, sharedWith, tier, reason }) => {
      if (tier === 'view') stillDeployed(byHandShareId(incidentId, sharedWith), 'cut to view');
      // One share by hand per incident and force: sharing again changes its tier or gives it again (share-commands.ts).
      const shareId = byHandShareId(incidentId, sharedWith);
      ctx.issue('share.create', () => ({ shareId, incidentId, sharedWith, tier, reason }));
      return { share: share(shareId) };
    },
    'shares.revoke': ({ shareId, reason }) => {
      stillDeployed(shareId, 'revoked');
      ctx.issue('share.revoke', () => ({ shareId, reason }));
      return { share: share(shareId) };
    },
  };
}
