import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/read-body';
import type { EnrolledDevice, Revocation, RevokedDevice, ServerStorage } from '../storage/storage';

/** A new device token: shown to the workstation once; the server keeps only its hash. */
export function newDeviceToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Why a request was refused at the device check, for its audit entry: no device token, one that cannot be a token,
 * one this server does not know, or a revoked workstation's (with that workstation, its name and force).
 */
export type DeviceRefusal = { reason: 'no token' | 'malformed token' | 'unknown token' } | { reason: 'revoked'; revoked: RevokedDevice };

/**
 * The enrolled workstation making this request, from its bearer token; 401 for anyone else, which a workstation
 * answers by enrolling again. A workstation an administrator revoked gets 403 instead, saying when and why, with
 * `revoked: { at, reason }` beside it: enrolling again could not help it. `onRefused` is told of each refusal before
 * it is thrown (to audit it: central-server.ts), and may reject, failing the request instead. `admitted` finds the
 * workstation a token hash admits (default: the storage's word; a push may take the server's copy, which its
 * transaction checks: server/access/enrolled-devices.ts).
 */
export async function authenticateDevice(
  request: IncomingMessage,
  storage: ServerStorage,
  onRefused: (refusal: DeviceRefusal) => Promise<void> = async () => {},
  admitted: (tokenHash: string) => Promise<EnrolledDevice | null> = (hash) => storage.deviceByTokenHash(hash),
): Promise<EnrolledDevice> {
  const header = request.headers.authorization ?? '';
  const token = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header)?.[1];
  if (!token) {
    await onRefused({ reason: header ? 'malformed token' : 'no token' });
    throw new HttpError(401, 'this workstation is not enrolled (no device token)');
  }
  const hash = hashToken(token);
  const device = await admitted(hash);
  if (device) return device;
  const revoked = await storage.revocationOfToken(hash);
  if (revoked) {
    await onRefused({ reason: 'revoked', revoked });
    throw accessWithdrawn(revoked);
  }
  await onRefused({ reason: 'unknown token' });
  throw new HttpError(401, 'the device token is not one this server knows; enrol the workstation again');
}

/** The refusal of a workstation an administrator revoked: 403, in words, with when and why for the workstation to show. */
export function accessWithdrawn(revocation: Revocation): HttpError {
  return new HttpError(403, `an administrator withdrew this workstation's access at ${revocation.revokedAt} (${revocation.reason}); it may not enrol again`, {
    revoked: { at: revocation.revokedAt, reason: revocation.reason },
  });
}

export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
