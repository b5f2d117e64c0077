import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CLOCK_SKEW_MS } from '../../shared/domain/audit-clock';

/**
 * A sign-in ticket: the server's signed statement that an operator proved who they are at a given workstation,
 * valid for a shift and then some. Workstations keep it, so commands made while the server was away still carry
 * proof of who made them.
 */
const TicketBody = z.object({ operator: z.string(), clientId: z.string(), expiresAt: z.number() });
export type TicketBody = z.infer<typeof TicketBody>;

export const TICKET_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * How far a workstation's clock may stand from the server's, for judging a ticket at the time a command was issued.
 * A command issued up to this long after its ticket expired (by the workstation's clock) still passes, since the
 * workstation's clock may be that much fast; an issue time more than this far ahead of the server's own clock is
 * not believed, and the ticket is judged as at the server's time plus this bound instead. The same allowance marks an
 * audit entry whose two times differ by more (shared/domain/audit-clock.ts).
 */
export const TICKET_CLOCK_SKEW_MS = CLOCK_SKEW_MS;

export function issueTicket(secret: string, body: TicketBody): string {
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/**
 * Null when the ticket is good for this operator at this workstation at the time the command was issued
 * (`issuedAt`, epoch ms by the workstation's clock: commands made during an outage arrive hours later, and were
 * made while the ticket was good); otherwise why not, in words. Every refusal here is one the operator can put
 * right by signing in again. `now` is the server's clock, which bounds how far ahead an issue time may claim to be.
 * `revokedAt` (epoch ms): an administrator revoked this operator's tickets then, so one given then or before is void;
 * `revokedWords`: the refusal to give for such a ticket, where the revocation says more (an account deactivated, by
 * whom and when: server/access/revocation-words.ts) than the plain "tickets were revoked".
 * `fact`: the command records what happened and changes nothing (shared/domain/operator.ts, FACTS): only whether the
 * ticket is this server's, for this operator at this workstation, is judged, not its revocation or expiry.
 */
export function checkTicket(
  secret: string,
  ticket: string,
  expected: { operator: string; clientId: string; issuedAt: number; now: number; revokedAt?: number | null; revokedWords?: string; fact?: boolean },
): string | null {
  return judgeTicket(secret, ticket, expected)?.said ?? null;
}

/**
 * Why a ticket was not good, for the auditor's entry (shared/domain/audit-words.ts ACCESS_REFUSAL_WORDS): the account
 * deactivated (a revocation a deactivation made: server/access/revocation-words.ts), the tickets revoked by an
 * administrator (`npm run revoke`), the sign-in expired, or a ticket not this server's for them there.
 */
export type TicketCause = 'account deactivated' | 'tickets revoked' | 'sign-in expired' | 'sign-in not good';

/** checkTicket, with the refusal's cause beside its words; null when the ticket is good. */
export function judgeTicket(
  secret: string,
  ticket: string,
  expected: { operator: string; clientId: string; issuedAt: number; now: number; revokedAt?: number | null; revokedWords?: string; revokedCause?: 'account deactivated' | 'tickets revoked'; fact?: boolean },
): { cause: TicketCause; said: string } | null {
  const notGood = (said: string) => ({ cause: 'sign-in not good' as const, said });
  const [payload, signature] = ticket.split('.');
  if (!payload || !signature) return notGood('no sign-in ticket');
  const good = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (good.length !== given.length || !timingSafeEqual(good, given)) return notGood('the sign-in ticket is not one this server issued');
  const body = TicketBody.safeParse(safeJson(Buffer.from(payload, 'base64url').toString()));
  if (!body.success) return notGood('the sign-in ticket is malformed');
  if (body.data.operator !== expected.operator) return notGood(`the sign-in ticket is ${body.data.operator}'s, not ${expected.operator}'s`);
  if (body.data.clientId !== expected.clientId) return notGood('the sign-in ticket belongs to another workstation');
  // A record of what happened (shared/domain/operator.ts, FACTS) needs only proof of who was at the workstation:
  // this server's ticket for them there. Revoked or run out since, it is still that proof, and the look is logged.
  if (expected.fact) return null;
  if (expected.revokedAt != null && body.data.expiresAt - TICKET_LIFETIME_MS <= expected.revokedAt) {
    return { cause: expected.revokedCause ?? 'tickets revoked', said: expected.revokedWords ?? `${expected.operator}'s sign-in tickets were revoked by an administrator; sign in again` };
  }
  const judgedAt = Math.min(expected.issuedAt, expected.now + TICKET_CLOCK_SKEW_MS);
  if (body.data.expiresAt + TICKET_CLOCK_SKEW_MS < judgedAt) return { cause: 'sign-in expired', said: `${expected.operator}'s sign-in had expired when this was done; sign in again` };
  return null;
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
