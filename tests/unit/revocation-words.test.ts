import { describe, expect, it } from 'vitest';
import { revocationForTicket, revokedTicketWords } from '../../server/access/revocation-words';

// What a refusal says of a revoked ticket: the real cause, for the operator and the auditor who read it.
const deactivation = { revokedAt: '2026-11-30T09:20:00.000Z', reason: 'account deactivated by admin' };
const revocation = { revokedAt: '2026-11-30T09:25:00.000Z', reason: 'laptop left in a car' };

describe('the words of a refusal for a revoked ticket', () => {
  it('says a command is held for an account deactivated, by whom and when; a request, that it is refused, not held', () => {
    expect(revokedTicketWords('dan', deactivation, 'Europe/London')).toMatch(/^dan's account was deactivated by admin at 2026-11-30 09:20 GMT: what dan did here is held, not applied;/);
    const request = revokedTicketWords('dan', deactivation, 'Europe/London', 'request');
    expect(request).toMatch(/^dan's account was deactivated by admin at 2026-11-30 09:20 GMT: the request is refused/);
    expect(request).not.toMatch(/held|ticket/);
  });

  it('says an account inactive now was deactivated, by whom and when it records, though the last revocation was another', () => {
    const account = { active: false, deactivated: { by: 'admin', at: '2026-11-30T09:20:00.000Z' } };
    expect(revocationForTicket('dan', revocation, 'Europe/London', 'command', account)).toMatchObject({
      revokedCause: 'account deactivated',
      revokedWords: expect.stringMatching(/^dan's account was deactivated by admin at 2026-11-30 09:20 GMT: what dan did here is held/),
    });
    // Active, the revocation is the tickets' alone: signing in again will help.
    expect(revocationForTicket('dan', revocation, 'Europe/London', 'command', { active: true })).toMatchObject({ revokedCause: 'tickets revoked', revokedWords: "dan's sign-in tickets were revoked by an administrator; sign in again" });
    expect(revocationForTicket('dan', null, 'Europe/London', 'command')).toEqual({ revokedAt: null });
  });
});
