import { ForceCode } from './force';
import { z } from 'zod';
import { Name, Uuid } from './ids';
import { Instant } from './time';
import type { Operator, Whose } from './operator';

/**
 * A command that lost a race (usually made offline): refused by the server and kept, with both sides, until the
 * operator who made it (or a supervisor) decides what to do. Nothing that loses is merged or dropped silently.
 */
export const ConflictResolution = z.enum(['accepted_theirs', 'redone']);

/**
 * A command that followed the conflict's command in the same workstation's outbox and was refused only because that
 * one was: it acted on a record the refused command would have made (the crew's receipt and status presses for a
 * deployment that lost, a log line on an incident made offline whose creation lost). Kept on the first conflict, so
 * the dispatcher sees one conflict saying what was lost and what followed from it, not one more per consequence.
 */
export const FollowedBy = z.object({
  /** The refused command's id. */
  commandId: Uuid,
  commandName: z.string(),
  args: z.unknown(),
  operator: Name,
  issuedAt: Instant,
  /** Why the server refused it on its own: the record it acted on does not exist. */
  reason: z.string(),
});
export type FollowedBy = z.infer<typeof FollowedBy>;

export const Conflict = z.object({
  /** The refused command's id: one conflict per command. */
  id: Uuid,
  /** The force that owns it (see shared/domain/partition.ts): who may see and change it. */
  force: ForceCode,
  commandName: z.string(),
  /** What the operator asked for. */
  args: z.unknown(),
  operator: Name,
  workstation: Name,
  clientId: Uuid,
  issuedAt: Instant,
  detectedAt: Instant,
  reason: z.string(),
  /** The record the command was about, and the server's version of it when the command lost. */
  target: z.object({ kind: z.string(), id: z.string() }),
  theirs: z.unknown().nullable(),
  /** The commands refused only because this one was, in the order the server refused them (see FollowedBy). */
  followedBy: z.array(FollowedBy).optional(),
  status: z.enum(['open', 'resolved']),
  resolution: ConflictResolution.nullable(),
  resolvedBy: Name.nullable(),
  resolvedAt: Instant.nullable(),
  version: z.number().int().positive(),
});
export type Conflict = z.infer<typeof Conflict>;

/**
 * The conflict `leader` with `follower` added to what followed from it (FollowedBy), at its next version; null when
 * the follower may not be kept there: the conflict is not of the same workstation and force as the follower (a
 * command names only its own workstation's commands), or is resolved already (the dispatcher has decided on it: the
 * follower is a conflict of its own). Kept once however often the follower is sent.
 */
export function followedOn(leader: Conflict, follower: FollowedBy, from: { clientId: string; force: string }): Conflict | null {
  if (leader.clientId !== from.clientId || leader.force !== from.force || leader.status !== 'open') return null;
  if (leader.followedBy?.some((kept) => kept.commandId === follower.commandId)) return leader;
  return { ...leader, followedBy: [...(leader.followedBy ?? []), follower], version: leader.version + 1 };
}

/**
 * Which of the room's conflicts an operator may see, here (`training`: on an exercise's workstation). A conflict
 * holds the losing command's content (what a caller said, an incident's details as its author typed them), so it is
 * shown as a refusal is (shared/commands/refusal-handle.ts mayHandleRefusal): to the operator who made the command,
 * and to a supervisor, who resolves the room's; on an exercise's workstation, whose file holds that exercise alone, to
 * its trainer. Nobody else: not an auditor (the audit log is theirs, not the room's inbox), not a force
 * administrator, not another call handler or dispatcher. `all`: every conflict here; `author`: only those this
 * operator made; `none`: not one (and no count of them).
 */
export type ConflictScope = Whose;

export function conflictScope(operator: Pick<Operator, 'id' | 'roles'> | null | undefined, place: { training: boolean }): ConflictScope {
  if (!operator) return 'none';
  if (operator.roles.includes('supervisor') || (place.training && operator.roles.includes('trainer'))) return { all: true };
  // Only roles that make commands in the room make conflicts there; an auditor makes none.
  if (operator.roles.some((role) => role === 'call_handler' || role === 'dispatcher')) return { author: operator.id };
  return 'none';
}

/** Whether `operator` may see `conflict` here (see conflictScope). */
export function mayOpenConflict(operator: Pick<Operator, 'id' | 'roles'> | null | undefined, conflict: Pick<Conflict, 'operator'>, place: { training: boolean }): boolean {
  const scope = conflictScope(operator, place);
  return scope !== 'none' && ('all' in scope || conflict.operator === scope.author);
}
