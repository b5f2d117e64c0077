import { z } from 'zod';
import { ForceCode } from './force';
import { Name, Uuid } from './ids';
import { Instant } from './time';
import { plainText } from './text';
import { derivedId } from './derived-id';

/**
 * What a share lets the force it is given to do. `view`: see the incident cut to the view allowlist
 * (shared/domain/share-cut.ts), with its deployments, and write nothing; `assist`: the same, its log too, and it may
 * write log entries and deploy its own units to it (shared/domain/assist-writes.ts), never change the incident.
 */
export const ShareTier = z.enum(['view', 'assist']);
export type ShareTier = z.infer<typeof ShareTier>;

/**
 * How a share came about: `automatic` (the incident's location is in the other force's area or near the border),
 * `by_hand` (a dispatcher shared it, with a reason), `arrangement` (a standing arrangement both forces approved),
 * `transfer` (the view the old owner keeps of an incident it transferred: nobody shared it by hand).
 */
export const ShareHow = z.enum(['automatic', 'by_hand', 'arrangement', 'transfer']);
export type ShareHow = z.infer<typeof ShareHow>;

/**
 * A share's end: when, by whom, why. `byTransfer`: the id of the accepted transfer that ended it (the old owner's
 * shares end when the incident becomes another force's, server/commands/transfer-move.ts); absent when a dispatcher
 * revoked it by hand, a decision the automatic ways of sharing respect (revokedByHand).
 */
export const ShareRevocation = z.object({ at: Instant, by: Name, reason: z.string().max(500), byTransfer: Uuid.optional() });
export type ShareRevocation = z.infer<typeof ShareRevocation>;

/**
 * One incident shared by its owning force with one other force. Owned by the sharing force (`force`), and seen by
 * both: the recipient learns from it what it holds and at which tier, and, once revoked, that it holds it no more.
 * A share is never deleted: revoking it is a change like any other (design.md §11), so a workstation that was
 * away when it was revoked is told at its next pull. Only the owning force shares or revokes.
 */
export const Share = z.object({
  id: Uuid,
  /** The sharing force: the incident's owner. */
  force: ForceCode,
  incidentId: Uuid,
  /** The force it is shared with. */
  sharedWith: ForceCode,
  tier: ShareTier,
  how: ShareHow,
  /** Why: the dispatcher's words, or what the server found (the location near the border), or the arrangement's name. */
  reason: z.string().min(1).max(500),
  by: Name,
  at: Instant,
  revoked: ShareRevocation.nullable(),
  /**
   * Whether the share has ever been at the assist tier, so that its holder may hold the incident's log through it
   * (mayHoldLogThrough). Absent on a share recorded before it was kept.
   */
  assisted: z.boolean().optional(),
  version: z.number().int().positive(),
});
export type Share = z.infer<typeof Share>;

/** Reasons are plain text of one line, as the dispatcher types them. */
export const ShareReason = plainText({ min: 1, max: 500, empty: 'a reason is needed to share an incident' });

/**
 * Whether the force a share was made with may hold the incident's log through it: the share is at the assist tier
 * now or has been (`assisted`). The server keeps a share's latest state only, and a workstation away meanwhile (or
 * given the changes in one page) sees that alone: a share cut from assist to view and then revoked reaches it as a
 * revoked view-tier share, whose log it must still delete (found by the fault simulation). A share recorded before
 * `assisted` was kept is taken to have been at assist once it has changed (version past 1): a withdrawal of a log
 * entry the holder never had deletes nothing, where a log left with a force that may no longer see it is the fault.
 * A holder only ever at the view tier is never told a log entry's id. Used by server/shares/share-delivery.ts for
 * what a cut or a revocation takes back.
 */
export function mayHoldLogThrough(share: Pick<Share, 'tier' | 'version' | 'assisted'>): boolean {
  return share.tier === 'assist' || (share.assisted ?? share.version > 1);
}

/** Whether the share grants anything now. */
export function isActive(share: Pick<Share, 'revoked'>): boolean {
  return share.revoked === null;
}

/**
 * The id of the automatic share of an incident with a force: one per pair, the same wherever it is worked out, so a
 * command can declare it among what it reads and the server never makes it twice.
 */
export function automaticShareId(incidentId: string, sharedWith: string): string {
  return derivedId(incidentId, `automatic-share:${sharedWith}`);
}

/**
 * The id of a dispatcher's share of an incident with a force: one per pair, so sharing again changes that share (its
 * tier, or bringing it back after a revocation) rather than adding another, and the server can read it in the same
 * transaction as any command on the incident (server/commands/plan-command.ts), so a write racing a revocation is
 * decided by the share as it stands.
 */
export function byHandShareId(incidentId: string, sharedWith: string): string {
  return derivedId(incidentId, `by-hand-share:${sharedWith}`);
}

/**
 * The id of the view an incident's old owner keeps when it transfers it (shared/domain/transfer.ts keptShare): one per
 * incident and force, so a later transfer back reads it and ends it (the new owner's kept view of a job it gave away
 * must not outlive its taking the job back), and a third transfer makes it active again rather than another.
 */
export function keptShareId(incidentId: string, keptBy: string): string {
  return derivedId(incidentId, `kept-share:${keptBy}`);
}

/**
 * The share of the incident its owner `owner` revoked by hand from `sharedWith`, or undefined if it revoked none:
 * once a dispatcher has revoked a share, the automatic ways of sharing (the border, a standing arrangement) never
 * share the incident with that force again, whatever its type or place becomes; only a dispatcher sharing it by hand
 * does (issue 12 M7: a retype to a type under an arrangement brought back a share revoked by hand). A share ended by
 * a transfer (`byTransfer`) is no one's decision about the incident and does not count, nor does a former owner's.
 * `shares`: the incident's shares the caller could read (any order). Pure.
 */
export function revokedByHand(shares: readonly (Share | undefined)[], owner: string, sharedWith: string): Share | undefined {
  return shares.find((share) => share && share.force === owner && share.sharedWith === sharedWith && share.revoked !== null && !share.revoked.byTransfer);
}

/** Every share of an incident with a force whose id is fixed: what a command on the incident reads to know its shares. */
export function fixedShareIds(incidentId: string, sharedWith: string): string[] {
  return [automaticShareId(incidentId, sharedWith), byHandShareId(incidentId, sharedWith), keptShareId(incidentId, sharedWith)];
}

/**
 * Why a force holding an incident through a share may not share it or revoke a share of it: the owner's words,
 * wherever the refusal is decided (the share rules; the server's partition check, which refuses a holder's writes
 * before the rules see them).
 */
export function sharePassedOnRefusal(holder: string, owner: string): string {
  return `only ${owner}, the force that owns the incident, may share it or revoke a share of it; ${holder} holds it through a share, and a share is never passed on`;
}

/** The commands only an incident's owner may give about its shares. */
export const SHARE_OWNER_COMMANDS: ReadonlySet<string> = new Set(['share.create', 'share.revoke']);

