import { describe, expect, it } from 'vitest';
import { heldRefusalWords, heldWords } from '../../shared/domain/held-words';

describe('what the status bar says of commands held for an operator', () => {
  const deactivated = "dan's account was deactivated by admin at 2026-11-30 09:20 GMT: what dan did here is held, not applied; signing in again will not help while the account is inactive (a force administrator can reactivate it, or a supervisor redo or dismiss it)";

  it('says a deactivated account’s commands wait for a supervisor, never for a sign-in that cannot succeed', () => {
    const words = heldWords({ operator: 'dan', commands: 2, accountDeactivated: true, reason: deactivated }, null);
    expect(words).toBe('2 commands of dan held: account deactivated, so signing in again will not send them; a supervisor may redo or dismiss them');
    expect(words).not.toMatch(/until dan signs in/);
    expect(heldWords({ operator: 'dan', commands: 1, accountDeactivated: true, reason: null }, 'carol')).toBe('1 command of dan held: account deactivated, so signing in again will not send it; a supervisor may redo or dismiss it');
  });

  it('says a lapsed sign-in’s commands go when their operator signs in again', () => {
    const held = { operator: 'alice', commands: 2, accountDeactivated: false, reason: "alice's sign-in had expired when this was done; sign in again" };
    expect(heldWords(held, 'alice')).toBe('2 commands held until you sign in again');
    expect(heldWords(held, null)).toBe('2 commands held until alice signs in again');
  });

  it('lists a deactivated account’s held command with the server’s reason alone, another with the sign-in it waits for', () => {
    expect(heldRefusalWords('dan', deactivated, true)).toBe(deactivated);
    expect(heldRefusalWords('alice', 'the sign-in ticket is not one this server issued', false)).toBe('held until alice signs in again (the sign-in ticket is not one this server issued)');
    expect(heldRefusalWords(null, 'no sign-in ticket', false)).toBe('held until its operator signs in again (no sign-in ticket)');
  });
});
