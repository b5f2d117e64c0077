import { ApiError } from '../../../shared/contract/errors';
import { instantOf } from '../../../shared/domain/time';
import { LinkError, type AuditAccess } from '../../sync/server-link';
import type { CoreContext, HandlerGroup } from '../core-context';

type AuditChannels = 'audit.query' | 'audit.export';

/**
 * The audit window's questions, passed to the server for the signed-in operator with their ticket: the log is on
 * the server, so these work online only, and the server (which writes every question to the log) decides who may
 * ask. `link` is absent where the core runs without the HTTP link (some tests): every question is then unavailable.
 */
export function auditHandlers(ctx: CoreContext, link: Partial<AuditAccess>): HandlerGroup<AuditChannels> {
  const asker = () => askerOf(ctx);
  return {
    'audit.query': (request) => askServer(() => link.auditQuery?.({ ...asker(), ...request }), OFFLINE),
    'audit.export': (request) => askServer(() => link.auditExport?.({ ...asker(), ...request }), OFFLINE),
  };
}

/** The signed-in operator, as a question to the server names its asker: name, ticket, and now by this workstation's clock. */
export function askerOf(ctx: CoreContext): { operator: string; ticket: string; issuedAt: string } {
  const signedIn = ctx.session.signedIn;
  if (!signedIn) throw new ApiError('unauthenticated', 'nobody is signed in at this workstation');
  return { operator: signedIn.operator.id, ticket: signedIn.ticket, issuedAt: instantOf(ctx.clock) };
}

/**
 * Asks the server a question it answers at once; `offline` is what to say when it cannot be reached (or the core
 * has no link that asks it). A refusal comes back as the server's reason, as an ApiError of its kind.
 */
export async function askServer<T>(question: () => Promise<T> | undefined, offline: string): Promise<T> {
  let answer: Promise<T> | undefined;
  try {
    answer = question();
    if (!answer) throw new ApiError('unavailable', offline);
    return await answer;
  } catch (error) {
    if (!(error instanceof LinkError)) throw error;
    if (error.retryable) throw new ApiError('unavailable', offline);
    // The server's reason, in its words: who may not ask, or what is wrong with the question.
    throw new ApiError(error.status === 403 ? 'forbidden' : error.status === 400 || error.status === 413 ? 'bad_request' : 'unavailable', error.message);
  }
}

const OFFLINE = 'The audit log is kept on the central server, which cannot be reached now: ask again when this workstation is connected.';
