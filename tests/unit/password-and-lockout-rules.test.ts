import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../../shared/domain/password-rules';
import { DEFAULT_LOCKOUT, lockoutState } from '../../shared/domain/sign-in-lockout';
import { ForceConfig } from '../../shared/domain/force-config';
import { demoConfig } from '../fakes/fixtures';

describe('a password is long and not easily guessed, whatever characters it uses', () => {
  const erin = { name: 'erin', displayName: 'Erin Shaw' };

  it.each([
    ['demo', 'too short'],
    ['Passw0rd!', 'too short'],
    ['password12345', 'too easily guessed'],
    ['qwertyuiop123', 'too easily guessed'],
    ['aaaaaaaaaaaaaaaa', 'too easily guessed: it repeats the same characters'],
    ['erin-is-on-duty-2026', 'too easily guessed: it contains the operator’s name'],
    ['ShawShawShaw12', 'too easily guessed: it contains the operator’s name'],
  ])('refuses %s, saying why', (password, why) => {
    expect(passwordProblem(password, erin)).toContain(why);
  });

  it.each(['lantern harbour pebble', 'saltmere rota lantern', 'correct horse battery staple', 'kettle-violet-quarry'])('takes %s: no capitals, digits or symbols needed', (password) => {
    expect(passwordProblem(password, erin)).toBeNull();
  });

  it('says the minimum in words', () => {
    expect(passwordProblem('short', erin)).toBe(`too short: at least ${MIN_PASSWORD_LENGTH} characters (three random words make a good one)`);
    expect(passwordProblem('x'.repeat(201), erin)).toContain('too long');
  });
});

describe('an account locks after repeated failed sign-ins, and unlocks itself later', () => {
  const minute = 60_000;
  const t0 = Date.parse('2026-11-30T09:00:00Z');
  const at = (...minutes: number[]) => minutes.map((m) => t0 + m * minute);

  it('locks at the fifth failure within 15 minutes, until 15 minutes after it', () => {
    expect(lockoutState(at(0, 1, 2, 3), t0 + 4 * minute, DEFAULT_LOCKOUT)).toEqual({ locked: false, recentFailures: 4 });
    expect(lockoutState(at(0, 1, 2, 3, 4), t0 + 5 * minute, DEFAULT_LOCKOUT)).toEqual({ locked: true, since: t0 + 4 * minute, until: t0 + 19 * minute });
    expect(lockoutState(at(0, 1, 2, 3, 4), t0 + 19 * minute, DEFAULT_LOCKOUT)).toEqual({ locked: false, recentFailures: 0 });
  });

  it('does not lock for failures spread wider than the window', () => {
    expect(lockoutState(at(0, 5, 10, 15, 20, 25), t0 + 26 * minute, DEFAULT_LOCKOUT)).toMatchObject({ locked: false });
  });

  it('counts again from nothing once a lock has lifted', () => {
    const failures = [...at(0, 1, 2, 3, 4), ...at(20, 21)];
    expect(lockoutState(failures, t0 + 22 * minute, DEFAULT_LOCKOUT)).toEqual({ locked: false, recentFailures: 2 });
  });

  it('follows the force’s configuration, with 5 in 15 minutes for 15 as the default', () => {
    const config = ForceConfig.parse({ ...demoConfig, signInLockout: { failures: 3, withinMinutes: 5, lockedMinutes: 60 } });
    expect(lockoutState(at(0, 1, 2), t0 + 3 * minute, config.signInLockout)).toEqual({ locked: true, since: t0 + 2 * minute, until: t0 + 62 * minute });
    expect(demoConfig.signInLockout).toEqual(DEFAULT_LOCKOUT);
  });
});
