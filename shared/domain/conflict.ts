import { ForceCode } from './force';
import { z } from 'zod';
import { Name, Uuid } from './ids';
import { Instant } from './time';

/**
 * A command that lost a race (usually made offline): refused by the server and kept, with both sides, until the
 * operator who made it (or a supervisor) decides what to do. Nothing that loses is merged or dropped silently.
 */
export const ConflictResolution = z.enum(['accepted_theirs', 'redone']);

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
  status: z.enum(['open', 'resolved']),
  resolution: ConflictResolution.nullable(),
  resolvedBy: Name.nullable(),
  resolvedAt: Instant.nullable(),
  version: z.number().int().positive(),
});
export type Conflict = z.infer<typeof Conflict>;
