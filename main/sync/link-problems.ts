import type { LinkBlock } from '../../shared/contract/views';
import { LinkError } from './server-link';

/**
 * What a failed exchange says about the link, beyond "try again later". `upgrade`: the server does not accept this
 * workstation's schema version (426); `enrolment`: the workstation has no enrolment and cannot get one (no key, or
 * the key refused), `revoked` when it had one the server no longer knows; `too_large`: the request was too big for
 * the server or a proxy before it (413), which splitting it may cure; `forgotten`: the server no longer has commands
 * of this workstation it had taken (restored from an older copy), which the workstation cannot send again;
 * `refused`: any other answer the server will give again however often it is asked (400, 403, 404…);
 * `untrusted`: the server's TLS certificate is not one this workstation trusts (not issued by the authority given with
 * `--ca`, expired, for another name), so it will not talk to it: `reason` is Node's code for why;
 * `withdrawn`: an administrator revoked this workstation (`at`, an instant, and `reason` as the server said them);
 * neither a retry nor a new enrolment key can help; `mode`: the server is a training server and this workstation a
 * live one, or the other way round (see ServerMode), so it refuses every request; `name_taken`: a training server
 * refused to enrol this workstation under a name another workstation of the exercise joined with (`said`: its words).
 */
export type LinkProblem =
  | { kind: 'upgrade'; accepts: { min: number; max: number } | null }
  | { kind: 'enrolment'; revoked: boolean }
  | { kind: 'too_large' }
  | { kind: 'forgotten' }
  | { kind: 'refused' }
  | { kind: 'untrusted'; reason: string }
  | { kind: 'withdrawn'; at: string; reason: string }
  | { kind: 'mode'; serverMode: 'live' | 'training'; said: string }
  | { kind: 'name_taken'; said: string };

/**
 * Node's codes for a certificate that fails verification: answers a retry cannot change until someone acts (gives
 * the right `--ca`, renews the certificate). A refused connection or a reset is the network's, and passes.
 */
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The problem a failed connection shows when its cause is the server's certificate; null for any other cause. */
export function untrustedCertificate(code: string | undefined, message: string): LinkProblem | null {
  return code !== undefined && UNTRUSTED_CERTIFICATE_CODES.has(code) ? { kind: 'untrusted', reason: `${code}: ${message}` } : null;
}

/** The problem a failure shows, or null when it is one that passes (the network, the server busy or failing). */
export function problemOf(error: unknown): LinkProblem | null {
  if (!(error instanceof LinkError)) return null;
  if (error.problem) return error.problem;
  return problemOfStatus(error.status);
}

/** The problem an HTTP status shows by itself: 401 is the link's to handle (it enrols again), 408 and 429 pass. */
export function problemOfStatus(status: number | undefined): LinkProblem | null {
  if (status === undefined || status >= 500 || status === 401 || status === 408 || status === 429 || status < 400) return null;
  if (status === 426) return { kind: 'upgrade', accepts: null };
  if (status === 413) return { kind: 'too_large' };
  return { kind: 'refused' };
}

/** The block a problem puts on the link, in the terms the status bar speaks. */
export function blockFor(problem: LinkProblem, detail: string, speaks: number, since: string, nextCheckAt: string): LinkBlock {
  const common = { accepts: null, speaks, detail, since, nextCheckAt };
  switch (problem.kind) {
    case 'upgrade': {
      const serverOlder = problem.accepts !== null && speaks > problem.accepts.max;
      return { ...common, kind: serverOlder ? 'upgrade_server' : 'upgrade_workstation', accepts: problem.accepts };
    }
    case 'enrolment':
      return { ...common, kind: problem.revoked ? 'enrolment_revoked' : 'not_enrolled' };
    case 'forgotten':
      return { ...common, kind: 'server_forgot' };
    case 'untrusted':
      return { ...common, kind: 'server_untrusted' };
    case 'withdrawn':
      return { ...common, kind: 'access_withdrawn', withdrawn: { at: problem.at, reason: problem.reason } };
    case 'mode':
      return { ...common, kind: 'wrong_mode', detail: problem.said };
    case 'name_taken':
      return { ...common, kind: 'name_taken', detail: problem.said };
    case 'too_large':
    case 'refused':
      return { ...common, kind: 'refused' };
  }
}
