import { ForceCode } from './force';
import { z } from 'zod';
import { Name, Uuid } from './ids';
import { Instant } from './time';
import { FollowedBy } from './conflict';

/**
 * The codes a refusal record carries: every permanent refusal but a conflict (which has its own record and inbox),
 * and `unauthenticated`, a command held at its workstation until its operator signs in again.
 */
export const RefusalCode = z.enum(['invalid', 'not_found', 'forbidden', 'unauthenticated']);
export type RefusalCode = z.infer<typeof RefusalCode>;

/** What was done about a refused command: done again (a new command), set aside with a reason, or sent again as its own. */
export const RefusalAction = z.enum(['redone', 'dismissed', 'resent']);
export type RefusalAction = z.infer<typeof RefusalAction>;

/**
 * A command the server refused, as the server recorded it for the whole room: an exception that stays until a
 * named person handles it, whichever workstation they sit at. The workstation that issued the command keeps its
 * own copy in its outbox and follows this record once someone has handled it (see main/store/refusals.ts).
 */
export const Refusal = z.object({
  /** The refused command's id: one refusal per command. */
  id: Uuid,
  /** The force that owns it (see shared/domain/partition.ts): who may see and change it. */
  force: ForceCode,
  commandName: z.string(),
  /** What the command said; null where only its workstation holds it (withdrawn as too large, or unreadable). */
  args: z.unknown().nullable(),
  /** Who issued it; null where the server could not read the command at all (then only a supervisor handles it). */
  operator: Name.nullable(),
  workstation: Name,
  clientId: Uuid,
  issuedAt: Instant,
  refusedAt: Instant,
  code: RefusalCode,
  reason: z.string(),
  /** Withdrawn by its workstation as too large for the server: only that workstation can redo it. */
  tooLarge: z.boolean(),
  status: z.enum(['waiting', 'handled']),
  action: RefusalAction.nullable(),
  handledBy: Name.nullable(),
  handledAt: Instant.nullable(),
  /** Why it was dismissed (empty for a redo or a resend). */
  handledReason: z.string(),
  /** The command that did it again (redone) or carried it again (resent). */
  redoneAs: Uuid.nullable(),
  /**
   * The commands refused only because this one was, in the order the server refused them (Conflict's FollowedBy): a
   * log line or a status press on a record this command would have made. Shown with it, not as refusals of their own.
   */
  followedBy: z.array(FollowedBy).optional(),
  version: z.number().int().positive(),
});
export type Refusal = z.infer<typeof Refusal>;

/**
 * The refusal `leader` with `follower` added to what followed from it, at its next version; null when the follower
 * may not be kept there: not of the same workstation and force, or handled already (redone or dismissed: the
 * follower is then a record of its own). Kept once however often the follower is sent. As Conflict's followedOn.
 */
export function refusalFollowedOn(leader: Refusal, follower: FollowedBy, from: { clientId: string; force: string }): Refusal | null {
  if (leader.clientId !== from.clientId || leader.force !== from.force || leader.status !== 'waiting') return null;
  if (leader.followedBy?.some((kept) => kept.commandId === follower.commandId)) return leader;
  return { ...leader, followedBy: [...(leader.followedBy ?? []), follower], version: leader.version + 1 };
}

/** Who did what about a refused command, when, and why; `redoneAs`: the command that did it again or carried it again. */
export interface RefusalHandling {
  action: RefusalAction;
  by: string;
  at: string;
  reason: string;
  redoneAs: string | null;
}

/** A refused command's handling as the record states it, or null while it waits. */
export function handlingOf(refusal: Refusal): RefusalHandling | null {
  if (refusal.status !== 'handled' || !refusal.action || !refusal.handledBy || !refusal.handledAt) return null;
  return { action: refusal.action, by: refusal.handledBy, at: refusal.handledAt, reason: refusal.handledReason, redoneAs: refusal.redoneAs };
}

/** The record after someone handled it: one change, compared on `status` so that the first handling wins. */
export function handled(refusal: Refusal, handling: RefusalHandling): Refusal {
  return {
    ...refusal,
    status: 'handled',
    action: handling.action,
    handledBy: handling.by,
    handledAt: handling.at,
    handledReason: handling.reason,
    redoneAs: handling.redoneAs,
    version: refusal.version + 1,
  };
}

/**
 * Carried by a command that does a refused one again: a redo (by its issuer or a supervisor, at any workstation) or
 * the automatic resend after its operator signed in again. The server applies the command only if the refusal is
 * still waiting, and marks it handled in the same step, so two people redoing one refusal cannot both succeed: the
 * second loses visibly, as a conflict. `at`: when it was handled (a resend keeps its command's original time).
 */
export const RedoOf = z.object({
  refusalId: Uuid,
  action: z.enum(['redone', 'resent']),
  at: Instant,
});
export type RedoOf = z.infer<typeof RedoOf>;
