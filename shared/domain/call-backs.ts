import type { Task, TaskCall, TaskClaim } from './contact';
import { derivedId } from './derived-id';
import { normaliseNumber } from './duplicates';

/**
 * The rules of call-backs: which numbers can be rung back, how calls from one number come to one task, and when a
 * handler's claim on a task is in force. Pure: time is always given.
 */

/** Words switches and CTI links put where a number would be when they have none to give. */
const NO_NUMBER = /^(withheld|unknown|private|anonymous|unavailable|restricted|payphone|not available)$/i;

/**
 * The number to ring back, in one form for every way it was written ("+44 7700 900303" and "07700900303" are one
 * number), or null where there is none to ring: withheld, unknown, or too short to be a telephone number.
 */
export function callBackNumber(callerNumber: string | null): string | null {
  const text = callerNumber?.trim() ?? '';
  if (!text || NO_NUMBER.test(text)) return null;
  const digits = normaliseNumber(text);
  return /^\d{5,}$/.test(digits) ? digits : null;
}

/**
 * The id of the call-back task a call goes to: one per number in a force (so five abandoned calls from one number,
 * at any workstation, make one task), or one per call where the number cannot be rung back. The same on every
 * workstation and on the server, so the task is found without a search.
 */
export function callBackTaskId(forceCode: string, callerNumber: string | null, contactId: string): string {
  const number = callBackNumber(callerNumber);
  return number ? derivedId(`call-back:${forceCode}`, number) : derivedId(contactId, 'call-back');
}

/** The claim on a task while it is in force at `atMs` (claims lapse on their own), else null. */
export function claimInForce(task: Pick<Task, 'claim' | 'state'>, atMs: number): TaskClaim | null {
  if (task.state !== 'open' || !task.claim) return null;
  return Date.parse(task.claim.until) > atMs ? task.claim : null;
}

/** Until when a claim made, or worked, at `at` holds: the force's lapse time later. */
export function claimUntil(at: string, lapseMinutes: number): string {
  return new Date(Date.parse(at) + lapseMinutes * 60_000).toISOString();
}

/**
 * The calls a task lists: its record of them, or, for a task written before tasks listed their calls, its one call.
 */
export function callsOf(task: Pick<Task, 'calls' | 'contactId' | 'createdAt' | 'reason'>): TaskCall[] {
  if (task.calls.length) return task.calls;
  return [{ contactId: task.contactId, at: task.createdAt, outcome: /silent/i.test(task.reason) ? 'silent' : 'abandoned' }];
}

/** Why a call left a task, in words. */
export function reasonFor(outcome: TaskCall['outcome'], callable: boolean): string {
  const what = outcome === 'abandoned' ? '999 call abandoned before it was answered' : 'Silent 999 call';
  return callable ? what : `${what}, from a withheld or unknown number`;
}
