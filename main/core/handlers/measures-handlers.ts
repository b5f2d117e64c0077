import type { MeasuresAccess } from '../../sync/server-link';
import type { CoreContext, HandlerGroup } from '../core-context';
import { askerOf, askServer } from './audit-handlers';

/**
 * The room's measures, asked of the server for the signed-in supervisor with their ticket: they are computed there,
 * from the server's record, so that every workstation shows the same figures; online only. `link` lacks the question
 * where the core runs without the HTTP link (some tests): the measures are then unavailable.
 */
export function measuresHandlers(ctx: CoreContext, link: Partial<MeasuresAccess>): HandlerGroup<'measures.get'> {
  return { 'measures.get': (request) => askServer(() => link.measures?.({ ...askerOf(ctx), ...request }), OFFLINE) };
}

const OFFLINE = "The room's measures are computed on the central server, which cannot be reached now: they come back when this workstation is connected.";
