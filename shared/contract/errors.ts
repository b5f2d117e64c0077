import { z } from 'zod';

/**
 * Every failure a renderer can get back, with a message fit to show an operator. `timeout`: the window stopped
 * waiting (or the request reached the core after it had), and the message says whether the action may have been done.
 * `reason_needed`: the force asks for a reason before this record is shown (the message says why); ask the
 * operator and send the request again with `reason` (see shared/domain/consultation.ts).
 */
export const ApiErrorCode = z.enum(['unknown_channel', 'bad_request', 'not_found', 'internal', 'unavailable', 'unauthenticated', 'forbidden', 'timeout', 'reason_needed']);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export const ApiErrorBody = z.object({ code: ApiErrorCode, message: z.string() });
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** The reply to one request, as carried by either host. */
export type Reply = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };
export const Reply = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorBody }),
]);
