import { z } from 'zod';
import { ForceCode } from '../domain/force';
import { Uuid } from '../domain/ids';
import { findIncidentType } from '../domain/force-config';
import { arrangementId, ArrangementReason, type Arrangement } from '../domain/arrangement';
import { ShareTier } from '../domain/share';
import { plainText } from '../domain/text';
import { conflict, missing, reject, type ApplyResult, type CommandDefinition } from './types';

/**
 * The commands of a standing sharing arrangement (shared/domain/arrangement.ts), a force administrator's (the roles
 * table allows no one else). The proposing force proposes, and its proposal is its approval; only the other force's
 * administrator approves; either withdraws. Approving and withdrawing compare-and-set the arrangement's version, so
 * an administrator never approves what the other changed meanwhile. No arrangement acts on another force's incident:
 * a force proposes arrangements of its own incident types only, and the server applies a force's arrangements to its
 * own incidents only, so an incident held through a share is never passed on by one.
 */

export const ProposeArrangementArgs = z.object({
  arrangementId: Uuid,
  incidentType: z.string().min(1).max(40),
  sharedWith: ForceCode,
  tier: ShareTier,
  reason: ArrangementReason,
});
export type ProposeArrangementArgs = z.infer<typeof ProposeArrangementArgs>;

/** A force administrator proposes sharing the force's incidents of one type with another force, at a tier. */
export const proposeArrangement: CommandDefinition<ProposeArrangementArgs> = {
  name: 'arrangement.propose',
  args: ProposeArrangementArgs,
  reads: (args) => [{ kind: 'arrangement', id: args.arrangementId }],
  apply(args, ctx, state) {
    const own = ctx.config.force.code;
    if (args.sharedWith === own) return reject('invalid', `an arrangement shares ${own}'s incidents with another force, not with ${own}`);
    const type = findIncidentType(ctx.config, args.incidentType);
    if (!type) return reject('invalid', `${args.incidentType} is not one of ${own}'s incident types: a force makes arrangements for its own incidents only`);
    if (args.arrangementId !== arrangementId(own, type.code, args.sharedWith)) return reject('invalid', 'the arrangement id does not match its force, type and partner');
    const existing = state.get('arrangement', args.arrangementId);
    if (existing && existing.status !== 'withdrawn') return reject('invalid', `${own}'s ${type.name} incidents already have an arrangement with ${args.sharedWith} (${existing.status})`);
    const arrangement: Arrangement = {
      id: args.arrangementId,
      force: own,
      incidentType: type.code,
      typeName: type.name,
      sharedWith: args.sharedWith,
      tier: args.tier,
      reason: args.reason,
      status: 'proposed',
      ownerApproval: { by: ctx.actor.operator, at: ctx.issuedAt },
      partnerApproval: null,
      withdrawn: null,
      updatedAt: ctx.issuedAt,
      version: (existing?.version ?? 0) + 1,
    };
    return { ok: true, changes: [{ kind: 'arrangement', id: arrangement.id, doc: arrangement }] };
  },
};

export const ApproveArrangementArgs = z.object({ arrangementId: Uuid, arrangementVersion: z.number().int().positive() });
export type ApproveArrangementArgs = z.infer<typeof ApproveArrangementArgs>;

/** The other force's administrator approves a proposed arrangement: from then on it acts for new incidents of its type. */
export const approveArrangement: CommandDefinition<ApproveArrangementArgs> = {
  name: 'arrangement.approve',
  args: ApproveArrangementArgs,
  reads: (args) => [{ kind: 'arrangement', id: args.arrangementId }],
  apply(args, ctx, state) {
    const checked = current(state.get('arrangement', args.arrangementId), args.arrangementId, args.arrangementVersion);
    if (!checked.ok) return checked.result;
    const arrangement = checked.arrangement;
    const own = ctx.config.force.code;
    if (arrangement.sharedWith !== own) return reject('forbidden', `${arrangement.force}'s proposal is its own approval: the arrangement is approved by ${arrangement.sharedWith}'s administrator`);
    if (arrangement.status !== 'proposed') return reject('invalid', `the arrangement is ${arrangement.status}: only a proposed arrangement is approved`);
    const approved: Arrangement = { ...arrangement, status: 'active', partnerApproval: { by: ctx.actor.operator, at: ctx.issuedAt }, updatedAt: ctx.issuedAt, version: arrangement.version + 1 };
    return { ok: true, changes: [{ kind: 'arrangement', id: approved.id, doc: approved }] };
  },
};

export const WithdrawArrangementArgs = z.object({
  arrangementId: Uuid,
  arrangementVersion: z.number().int().positive(),
  reason: plainText({ min: 1, max: 300, empty: 'say why the arrangement is withdrawn' }),
});
export type WithdrawArrangementArgs = z.infer<typeof WithdrawArrangementArgs>;

/**
 * Either force's administrator withdraws an arrangement, proposed or active: it shares no incident created or retyped
 * from then on. The shares it made stay (shared/domain/arrangement.ts says why), each revocable by hand.
 */
export const withdrawArrangement: CommandDefinition<WithdrawArrangementArgs> = {
  name: 'arrangement.withdraw',
  args: WithdrawArrangementArgs,
  reads: (args) => [{ kind: 'arrangement', id: args.arrangementId }],
  apply(args, ctx, state) {
    const checked = current(state.get('arrangement', args.arrangementId), args.arrangementId, args.arrangementVersion);
    if (!checked.ok) return checked.result;
    const arrangement = checked.arrangement;
    const own = ctx.config.force.code;
    if (arrangement.force !== own && arrangement.sharedWith !== own) return reject('forbidden', `the arrangement is between ${arrangement.force} and ${arrangement.sharedWith}`);
    if (arrangement.status === 'withdrawn') return reject('invalid', 'the arrangement was withdrawn already');
    const withdrawn: Arrangement = {
      ...arrangement,
      status: 'withdrawn',
      withdrawn: { by: ctx.actor.operator, byForce: own, at: ctx.issuedAt, reason: args.reason },
      updatedAt: ctx.issuedAt,
      version: arrangement.version + 1,
    };
    return { ok: true, changes: [{ kind: 'arrangement', id: withdrawn.id, doc: withdrawn }] };
  },
};

/** The arrangement as it stands, if it is the version the administrator saw; otherwise why not. */
function current(
  arrangement: Arrangement | undefined,
  id: string,
  seenVersion: number,
): { ok: true; arrangement: Arrangement } | { ok: false; result: ApplyResult } {
  if (!arrangement) return { ok: false, result: missing({ kind: 'arrangement', id }, 'the arrangement') };
  if (arrangement.version !== seenVersion) return { ok: false, result: conflict('the arrangement changed since you looked', { kind: 'arrangement', id }) };
  return { ok: true, arrangement };
}

