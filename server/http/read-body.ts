import type { IncomingMessage } from 'node:http';
import type { TicketCause } from '../access/tickets';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Fields sent beside `error` in the JSON answer, for a client to act on (a 426's accepted versions). */
    readonly details: Record<string, unknown> = {},
    /** A 503's Retry-After (seconds): when the client may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * A 403 for an operator the server would not let ask or act (the audit log, the room's measures, an administrator's
 * request, the exercise review): the ticket not good now, the account not active, of another force, or without the
 * role; or for an enrolled workstation asking what is not its own (a push or pull as another workstation) or of no
 * force this server serves. Its own class so the server audits it (central-server.ts) apart from other refusals.
 * `operator`: the name the request gave (null: the workstation's own refusal); `code`: why, for the entry
 * (shared/domain/audit-words.ts ACCESS_REFUSAL_WORDS).
 */
export class AccessRefused extends HttpError {
  constructor(
    readonly operator: string | null,
    readonly code: TicketCause | 'not active' | 'operator of another force' | 'role' | 'as another workstation' | 'force not served',
    message: string,
  ) {
    super(403, message);
    this.name = 'AccessRefused';
  }
}

/**
 * Content types a JSON body may be declared as: JSON itself, and plain text (what fetch and simple tools declare for
 * a string body). A form or an upload is refused before it is read: it is a browser page or `curl -d`, never a
 * workstation. A body with no declared type is read as JSON.
 */
const JSON_BODY_TYPES = /^\s*(application\/json|application\/[\w.+-]+\+json|text\/plain)\s*(;|$)/i;

/**
 * Reads a JSON body, refusing oversized or unreadable ones with a status a client can act on: 415 for a body that is
 * declared as something else, 413 past `limitBytes`, 400 for one that is not JSON. An oversized body is refused as
 * soon as the limit is passed, and the rest of it is read and dropped, so the client, still sending, gets the 413
 * rather than a connection cut under it.
 */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = request.headers['content-type'];
  if (type !== undefined && !JSON_BODY_TYPES.test(type)) {
    throw new HttpError(415, `the request body must be JSON (content-type application/json), not ${type.split(';')[0]!.trim().slice(0, 80)}`);
  }
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      over = true;
      chunks.length = 0;
      reject(new HttpError(413, `request body over ${limitBytes} bytes`, { limitBytes }));
    });
    request.on('end', () => (over ? undefined : resolve(Buffer.concat(chunks).toString('utf8'))));
    request.on('error', reject);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not JSON');
  }
}
