import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/read-body';
import type { EnrolledDevice, ServerStorage } from '../storage/storage';

/** A new device token: shown to the workstation once; the server keeps only its hash. */
export function newDeviceToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The enrolled workstation making this request, from its bearer token; 401 for anyone else. */
export async function authenticateDevice(request: IncomingMessage, storage: ServerStorage): Promise<EnrolledDevice> {
  const header = request.headers.authorization ?? '';
  const token = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header)?.[1];
  if (!token) throw new HttpError(401, 'this workstation is not enrolled (no device token)');
  const device = await storage.deviceByTokenHash(hashToken(token));
  if (!device) throw new HttpError(401, 'the device token is not one this server knows; enrol the workstation again');
  return device;
}

export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
