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
  const asker = () => {
    const signedIn = ctx.session.signedIn;
    if (!signedIn) throw new ApiError('unauthenticated', 'nobody is signed in at this workstation');
    return { operator: signedIn.operator.id, ticket: signedIn.ticket, issuedAt: instantOf(ctx.clock) };
  };
  return {
    'audit.query': (request) => ask(() => link.auditQuery?.({ ...asker(), ...request })),
    'audit.export': (request) => ask(() => link.auditExport?.({ ...asker(), ...request })),
  };
}

async function ask<T>(question: () => Promise<T> | undefined): Promise<T> {
  let answer: Promise<T> | undefined;
  try {
    answer = question();
    if (!answer) throw new ApiError('unavailable', OFFLINE);
    return await answer;
  } catch (error) {
    if (!(error instanceof LinkError)) throw error;
    if (error.retryable) throw new ApiError('unavailable', OFFLINE);
    // The server's reason, in its words: who may not ask, or what is wrong with the question.
    throw new ApiError(error.status === 403 ? 'forbidden' : error.status === 400 || error.status === 413 ? 'bad_request' : 'unavailable', error.message);
  }
}

const OFFLINE = 'The audit log is kept on the central server, which cannot be reached now: ask again when this workstation is connected.';
