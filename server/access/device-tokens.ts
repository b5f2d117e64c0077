import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/read-body';
import type { EnrolledDevice, Revocation, ServerStorage } from '../storage/storage';

/** A new device token: shown to the workstation once; the server keeps only its hash. */
export function newDeviceToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * The enrolled workstation making this request, from its bearer token; 401 for anyone else, which a workstation
 * answers by enrolling again. A workstation an administrator revoked gets 403 instead, saying when and why, with
 * `revoked: { at, reason }` beside it: enrolling again could not help it.
 */
export async function authenticateDevice(request: IncomingMessage, storage: ServerStorage): Promise<EnrolledDevice> {
  const header = request.headers.authorization ?? '';
  const token = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header)?.[1];
  if (!token) throw new HttpError(401, 'this workstation is not enrolled (no device token)');
  const hash = hashToken(token);
  const device = await storage.deviceByTokenHash(hash);
  if (device) return device;
  const revoked = await storage.revocationOfToken(hash);
  if (revoked) throw accessWithdrawn(revoked);
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
