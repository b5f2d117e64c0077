import { randomUUID } from 'node:crypto';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type ShareChannels = 'shares.list' | 'shares.create' | 'shares.revoke';

/**
 * Sharing an incident with the other force, and revoking it (shared/commands/share-commands.ts): each one command,
 * decided again by the server, which alone may refuse it (a share is never passed on by the force holding it).
 */
export function shareHandlers(ctx: CoreContext): HandlerGroup<ShareChannels> {
  const { store } = ctx;
  const share = (id: string) => found(store.view.view('share', id), `share ${id}`);
  return {
    'shares.list': ({ incidentId }) => ({ shares: store.view.sharesOf(incidentId) }),
    'shares.create': ({ incidentId, sharedWith, tier, reason }) => {
      const shareId = randomUUID();
      ctx.issue('share.create', () => ({ shareId, incidentId, sharedWith, tier, reason }));
      return { share: share(shareId) };
    },
    'shares.revoke': ({ shareId, reason }) => {
      ctx.issue('share.revoke', () => ({ shareId, reason }));
      return { share: share(shareId) };
    },
  };
}
