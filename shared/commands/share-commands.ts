import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { ForceCode } from '../domain/force';
import { Uuid } from '../domain/ids';
import { ShareReason, ShareTier, byHandShareId, isActive, mayHoldLogThrough, sharePassedOnRefusal, type Share } from '../domain/share';
import { atEffect, missing, notBefore, reject, type ApplyContext, type ApplyResult, type CommandDefinition } from './types';
import { systemEntry } from './system-log';

export const ShareIncidentArgs = z.object({
  shareId: Uuid,
  incidentId: Uuid,
  sharedWith: ForceCode,
  tier: ShareTier,
  reason: ShareReason,
});
export type ShareIncidentArgs = z.infer<typeof ShareIncidentArgs>;

/** Why a force that does not own the incident may not share it or revoke its shares: a share is never passed on. */
export function notTheOwner(ctx: Pick<ApplyContext, 'config'>, owner: string): string {
  return sharePassedOnRefusal(ctx.config.force.code, owner);
}

/**
 * A dispatcher shares one of their force's incidents with the other force, at a tier, giving a reason. The share is
 * its own record (shared/domain/share.ts), owned by the sharing force; the incident's log says who shared it with
 * whom and why. Only the owning force shares: a force that holds the incident through a share cannot pass it on.
 */
export const shareIncident: CommandDefinition<ShareIncidentArgs> = {
  name: 'share.create',
  args: ShareIncidentArgs,
  reads: (args) => [
    { kind: 'incident', id: args.incidentId },
    { kind: 'share', id: args.shareId },
  ],
  apply(args, given, state) {
    // At the server's time in all it writes: a share is when the other force may first see and write (atEffect), and
    // its writes are held to it (server/commands/plan-command.ts assistingSince).
    const ctx = atEffect(given);
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    const own = ctx.config.force.code;
    if (incident.force !== own) return reject('forbidden', notTheOwner(ctx, incident.force));
    if (args.sharedWith === own) return reject('invalid', `the incident is ${own}'s already: share it with another force`);
    const standing = state.get('share', args.shareId);
    // Narrowing a share (assist cut to view) shares nothing new: the owner may leave the other force a view of a
    // closed incident without its log (tryout15b). Sharing, widening or giving a revoked share again needs it open.
    const narrowing = standing !== undefined && isActive(standing) && standing.tier === 'assist' && args.tier === 'view';
    if (incident.status !== 'open' && !narrowing) return reject('invalid', 'the incident is closed: only an open incident is shared (a share of it may still be cut to view or revoked)');
    // One share by hand per incident and force, under the id both derive (byHandShareId): every command on the
    // incident reads its shares by that id, so a share under any other would be shown to the other force and
    // honoured by nothing (its writes refused as on a record it does not hold, the owner's desk saying not shared).
    if (args.shareId !== byHandShareId(args.incidentId, args.sharedWith)) return reject('invalid', `a share of an incident with ${args.sharedWith} is made under that incident's and force's own share id: this workstation needs updating`);
    const before = state.get('share', args.shareId);
    if (before) return reshare(args, ctx, before);
    const share: Share = {
      id: args.shareId,
      force: own,
      incidentId: incident.id,
      sharedWith: args.sharedWith,
      tier: args.tier,
      how: 'by_hand',
      reason: args.reason,
      by: ctx.actor.operator,
      at: ctx.issuedAt,
      revoked: null,
      assisted: args.tier === 'assist',
      version: 1,
    };
    const entry = systemEntry(ctx, derivedId(args.shareId, 'shared'), incident.id, `Shared with ${args.sharedWith} (${args.tier}): ${args.reason}`);
    return {
      ok: true,
      changes: [
        { kind: 'share', id: share.id, doc: share },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
};

/**
 * Sharing again under a share's id (a dispatcher's share is one per incident and force: byHandShareId): its tier
 * changes (view up to assist, or assist down to view, after which the holder may write nothing more and its
 * workstations delete the log at their next pull), or a revoked share is given again, with the new reason, by whom
 * and when. The same tier again changes nothing and is refused as such.
 */
function reshare(args: ShareIncidentArgs, ctx: ApplyContext, before: Share): ApplyResult {
  if (before.incidentId !== args.incidentId || before.sharedWith !== args.sharedWith) return reject('invalid', 'this share is of another incident or force');
  if (before.how !== 'by_hand') return reject('invalid', 'this share was not made by hand: share the incident by hand instead');
  if (isActive(before) && before.tier === args.tier) return reject('invalid', `the incident is shared with ${args.sharedWith} at the ${args.tier} tier already`);
  // Once at assist, always so marked: a cut to view or a revocation later takes the log back (mayHoldLogThrough).
  const assisted = mayHoldLogThrough(before) || args.tier === 'assist';
  const share: Share = { ...before, tier: args.tier, reason: args.reason, by: ctx.actor.operator, at: ctx.issuedAt, revoked: null, assisted, version: before.version + 1 };
  const words = isActive(before) ? `Share with ${args.sharedWith} changed from ${before.tier} to ${args.tier}` : `Shared again with ${args.sharedWith} (${args.tier})`;
  const entry = systemEntry(ctx, derivedId(args.shareId, `reshared:${before.version}`), before.incidentId, `${words}: ${args.reason}`);
  return {
    ok: true,
    changes: [
      { kind: 'share', id: share.id, doc: share },
      { kind: 'logEntry', id: entry.id, doc: entry },
    ],
  };
}

export const RevokeShareArgs = z.object({ shareId: Uuid, reason: ShareReason });
export type RevokeShareArgs = z.infer<typeof RevokeShareArgs>;

/**
 * The owning force withdraws a share: the other force's workstations delete the incident (and what came with it)
 * at their next pull or live batch, those away meanwhile when they return. Only the owning force revokes.
 */
export const revokeShare: CommandDefinition<RevokeShareArgs> = {
  name: 'share.revoke',
  args: RevokeShareArgs,
  reads: (args) => [{ kind: 'share', id: args.shareId }],
  apply(args, given, state) {
    const share = state.get('share', args.shareId);
    if (!share) return missing({ kind: 'share', id: args.shareId }, 'the share');
    // Not dated before the share was made: a slow desk's time would revoke it before it began.
    const ctx = notBefore(atEffect(given), share.at);
    if (share.force !== ctx.config.force.code) return reject('forbidden', notTheOwner(ctx, share.force));
    if (!isActive(share)) return reject('invalid', `the share with ${share.sharedWith} was revoked already`);
    const revoked: Share = { ...share, revoked: { at: ctx.issuedAt, by: ctx.actor.operator, reason: args.reason }, version: share.version + 1 };
    const entry = systemEntry(ctx, derivedId(args.shareId, `revoked:${share.version}`), share.incidentId, `Share with ${share.sharedWith} revoked: ${args.reason}`);
    return {
      ok: true,
      changes: [
        { kind: 'share', id: share.id, doc: revoked },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
};
