import type { IncomingHttpHeaders } from 'node:http';
import { MODE_HEADER, ServerMode, type ModeMismatch } from '../../shared/sync/protocol';
import { HttpError } from '../http/read-body';

/**
 * The refusal of a request from a workstation of the other mode, or null when it is of this server's: a live server
 * takes no training workstation, a training server no live one (a header missing, as from a build before training,
 * is live). Said in words the workstation shows its operator as they stand, with the server's mode beside them.
 */
export function modeRefusal(serverMode: ServerMode, headers: IncomingHttpHeaders): HttpError | null {
  const given = headers[MODE_HEADER];
  const parsed = ServerMode.safeParse(given === undefined ? 'live' : given);
  if (!parsed.success) return new HttpError(400, `${MODE_HEADER} must be live or training, not "${String(given)}"`);
  if (parsed.data === serverMode) return null;
  const error =
    serverMode === 'training'
      ? 'This server runs a training exercise: a live workstation may not join it. Start the workstation with the exercise code to join the exercise, or with the live server to work live'
      : 'This is a live server: a training workstation may not join it, so that no exercise touches live data. Join the exercise with its own server and exercise code';
  return new HttpError(409, error, { serverMode } satisfies Omit<ModeMismatch, 'error'>);
}
