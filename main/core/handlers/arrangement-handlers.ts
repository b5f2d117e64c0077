import { randomUUID } from 'node:crypto';
import { arrangementId } from '../../../shared/domain/arrangement';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type ArrangementChannels = 'arrangements.list' | 'arrangements.propose' | 'arrangements.approve' | 'arrangements.withdraw';
type TransferChannels = 'transfers.list' | 'transfers.offer' | 'transfers.accept' | 'transfers.decline' | 'transfers.withdraw';

/**
 * Standing sharing arrangements at the administrator's desk (shared/domain/arrangement.ts): each action one command,
 * carrying the version the administrator saw, decided again by the server (which alone refuses one not theirs).
 */
export function arrangementHandlers(ctx: CoreContext): HandlerGroup<ArrangementChannels> {
  const { store, config } = ctx;
  const arrangement = (id: string) => found(store.view.view('arrangement', id), `arrangement ${id}`);
  return {
    'arrangements.list': () => ({ arrangements: store.view.arrangements() }),
    'arrangements.propose': ({ incidentType, sharedWith, tier, reason }) => {
      const id = arrangementId(config.force.code, incidentType, sharedWith);
      ctx.issue('arrangement.propose', () => ({ arrangementId: id, incidentType, sharedWith, tier, reason }));
      return { arrangement: arrangement(id) };
    },
    'arrangements.approve': ({ arrangementId: id, arrangementVersion }) => {
      ctx.issue('arrangement.approve', () => ({ arrangementId: id, arrangementVersion }));
      return { arrangement: arrangement(id) };
    },
    'arrangements.withdraw': ({ arrangementId: id, arrangementVersion, reason }) => {
      ctx.issue('arrangement.withdraw', () => ({ arrangementId: id, arrangementVersion, reason }));
      return { arrangement: arrangement(id) };
    },
  };
}

/** Offering an incident to the other force, and answering an offer (shared/domain/transfer.ts), at the dispatcher's desk. */
export function transferHandlers(ctx: CoreContext): HandlerGroup<TransferChannels> {
  const { store } = ctx;
  const transfer = (id: string) => found(store.view.view('transfer', id), `offer ${id}`);
  return {
    'transfers.list': () => ({ transfers: store.view.transfers() }),
    'transfers.offer': ({ incidentId, incidentVersion, to, reason }) => {
      const transferId = randomUUID();
      ctx.issue('transfer.offer', () => ({ transferId, incidentId, incidentVersion, to, reason }));
      return { transfer: transfer(transferId) };
    },
    'transfers.accept': ({ transferId, transferVersion }) => {
      const incidentId = transfer(transferId).incidentId;
      ctx.issue('transfer.accept', () => ({ transferId, transferVersion, incidentId }));
      return { transfer: transfer(transferId) };
    },
    'transfers.decline': ({ transferId, transferVersion, reason }) => {
      ctx.issue('transfer.decline', () => ({ transferId, transferVersion, reason }));
      return { transfer: transfer(transferId) };
    },
    'transfers.withdraw': ({ transferId, transferVersion }) => {
      ctx.issue('transfer.withdraw', () => ({ transferId, transferVersion }));
      return { transfer: transfer(transferId) };
    },
  };
}
