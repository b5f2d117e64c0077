import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * The force's password rule, after the NCSC's guidance (Password administration for system owners): length over
 * composition, and no password that is common or easily guessed. No rule about capitals, digits or symbols (they
 * push people to "Password1!"), no expiry. Two checks:
 * - at least MIN_PASSWORD_LENGTH characters (12: three random words pass easily), at most MAX_PASSWORD_LENGTH;
 * - not guessable: zxcvbn's estimate (with its list of the most common passwords, keyboard patterns, repeats,
 *   dates, and the operator's own name) must be at least GUESS_SCORE of 4, "safely unguessable". A deny-list alone
 *   lets "password12345" through; the estimate does not.
 * The same rule runs in the administration form (before anything is sent) and on the server (which decides).
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
const GUESS_SCORE = 3;

/** The rule in words, for the form to say before the administrator types. */
export const PASSWORD_RULE_WORDS = `At least ${MIN_PASSWORD_LENGTH} characters, not a common password and not the operator’s name; three random words make a good one.`;

let estimator: ZxcvbnFactory | null = null;

/** Built on first use: the common-password list is large, and most windows never check a password. */
function estimate(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  return estimator;
}

const WARNINGS: Record<string, string> = {
  common: 'it is one of the most common passwords',
  similarToCommon: 'it is too like a common password',
  commonNames: 'it is a common name',
  namesByThemselves: 'it is a name on its own',
  simpleRepeat: 'it repeats the same characters',
  extendedRepeat: 'it repeats the same pattern',
  sequences: 'it is a sequence such as abc or 1234',
  straightRow: 'it is a row of keys',
  keyPattern: 'it is a pattern of keys',
  dates: 'it is a date',
  recentYears: 'it is a recent year',
  userInputs: 'it contains the operator’s name',
  wordByItself: 'it is a single word',
};

/**
 * Why this password may not be set for this operator, in words ("too short: at least 12 characters"); null when it
 * may. `about`: the operator's name and display name, which a password may not be built on.
 */
export function passwordProblem(password: string, about: { name: string; displayName?: string }): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `too short: at least ${MIN_PASSWORD_LENGTH} characters (three random words make a good one)`;
  if (password.length > MAX_PASSWORD_LENGTH) return `too long: at most ${MAX_PASSWORD_LENGTH} characters`;
  const names = [about.name, ...(about.displayName ? about.displayName.split(/\s+/) : [])].filter((word) => word.length >= 3);
  const lower = password.toLowerCase();
  const own = names.find((word) => lower.includes(word.toLowerCase()));
  if (own) return 'too easily guessed: it contains the operator’s name';
  const result = estimate().check(password, names);
  if (result.score >= GUESS_SCORE) return null;
  const why = (result.feedback.warning && WARNINGS[result.feedback.warning]) || 'it follows a pattern that is quickly guessed';
  return `too easily guessed: ${why}; choose another (three random words make a good one)`;
}
