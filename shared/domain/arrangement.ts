import { z } from 'zod';
import { ForceCode } from './force';
import { Name, Uuid } from './ids';
import { Instant } from './time';
import { plainText } from './text';
import { derivedId } from './derived-id';
import { ShareTier, type Share } from './share';
import type { Incident } from './incident';

/**
 * A standing sharing arrangement (issue 12): "incidents of type T of force A are shared with force B at tier X". Owned
 * by A, whose incidents it shares; seen whole by B's workstations, whose administrators approve or withdraw it, and
 * by nothing else of B's (shared/domain/cross-force-policy.ts). It acts only once both forces' administrators have
 * approved it; A's proposal is A's approval.
 *
 *   proposed ──B approves──▶ active ──either withdraws──▶ withdrawn ──A proposes again──▶ proposed
 *       └──either withdraws──▶ withdrawn
 *
 * One record per (force, type, partner) (arrangementId): proposing again after a withdrawal reopens the same record,
 * so the server reads exactly one arrangement per type when it decides what a new incident is shared with.
 *
 * A withdrawal stops the arrangement acting for incidents created or retyped from then on; the shares it made
 * before stay, each the owning force's to revoke by hand. In a control room an incident already shared is often
 * being worked by both rooms (a unit of each on the way): cutting the other room off in the middle of a job because
 * an administrator changed a standing rule would be worse than asking a dispatcher to revoke the few that should go.
 * The withdrawal says so in its log line and the audit entry.
 */
export const ArrangementStatus = z.enum(['proposed', 'active', 'withdrawn']);
export type ArrangementStatus = z.infer<typeof ArrangementStatus>;

export const arrangementStatusNames: Record<ArrangementStatus, string> = {
  proposed: 'Proposed, waiting for the other force to approve',
  active: 'Active',
  withdrawn: 'Withdrawn',
};

/** An administrator's approval: who, when. */
export const Approval = z.object({ by: Name, at: Instant });
export type Approval = z.infer<typeof Approval>;

export const ArrangementReason = plainText({ min: 1, max: 300, empty: 'a reason is needed for a standing arrangement' });

export const Arrangement = z.object({
  id: Uuid,
  /** The force whose incidents it shares: the owner of the record, who proposed it. */
  force: ForceCode,
  /** The owning force's incident type code. */
  incidentType: z.string().min(1).max(40),
  /** The type's name in the owning force's words, for the other force's administrators. */
  typeName: z.string().min(1).max(120),
  sharedWith: ForceCode,
  tier: ShareTier,
  reason: ArrangementReason,
  status: ArrangementStatus,
  /** The owning force's approval: its proposal. */
  ownerApproval: Approval,
  /** The other force's administrator's approval; null until given. */
  partnerApproval: Approval.nullable(),
  withdrawn: z.object({ by: Name, byForce: ForceCode, at: Instant, reason: z.string().max(300) }).nullable(),
  updatedAt: Instant,
  /** Bumped by every change: approving and withdrawing compare against it. */
  version: z.number().int().positive(),
});
export type Arrangement = z.infer<typeof Arrangement>;

/** The one arrangement id of a force's type with a partner: the same wherever it is worked out. */
export function arrangementId(force: string, incidentType: string, sharedWith: string): string {
  return derivedId(`arrangement:${force}`, `${incidentType}:${sharedWith}`);
}

/** The share an arrangement makes of one incident: one per incident and arrangement, never made twice. */
export function arrangementShareId(incidentId: string, arrangement: string): string {
  return derivedId(incidentId, `arrangement-share:${arrangement}`);
}

/** Whether it acts: both forces have approved, and nobody has withdrawn it since. */
export function isActing(arrangement: Pick<Arrangement, 'status' | 'partnerApproval'>): boolean {
  return arrangement.status === 'active' && arrangement.partnerApproval !== null;
}

/**
 * The arrangements that share this incident now: those acting for its force and its type, when it is new or its type
 * has just become this one (`before`: the incident as it stood, undefined for a new one). An incident of another force
 * (one held through a share) is never shared by an arrangement: only the owner's arrangements act on its incidents,
 * so a share is never passed on. Closed incidents are shared with nobody. Pure.
 */
export function arrangementsFor(
  incident: Pick<Incident, 'force' | 'type' | 'status'>,
  before: Pick<Incident, 'force' | 'type'> | undefined,
  arrangements: readonly Arrangement[],
): Arrangement[] {
  if (incident.status !== 'open') return [];
  if (before && before.type === incident.type && before.force === incident.force) return [];
  return arrangements.filter((a) => isActing(a) && a.force === incident.force && a.incidentType === incident.type && a.sharedWith !== incident.force);
}

/** The share an arrangement makes of an incident, in the name of the command that created or retyped it. */
export function arrangementShare(incident: Pick<Incident, 'id' | 'force'>, arrangement: Arrangement, by: string, at: string): Share {
  return {
    id: arrangementShareId(incident.id, arrangement.id),
    force: incident.force,
    incidentId: incident.id,
    sharedWith: arrangement.sharedWith,
    tier: arrangement.tier,
    how: 'arrangement',
    reason: `standing arrangement for ${arrangement.typeName} (${arrangement.incidentType}): ${arrangement.reason}`.slice(0, 500),
    by,
    at,
    revoked: null,
    assisted: arrangement.tier === 'assist',
    version: 1,
  };
}
