import { z } from 'zod';
import { ForceCode } from './force';
import { Name, Uuid } from './ids';
import { Instant } from './time';
import { plainText } from './text';
import { derivedId } from './derived-id';
import { LoanIncidentSummary } from './loan';
import { queueFor } from './dispatch-queues';
import type { CommonPriority } from './common-priority';
import type { ForceConfig } from './force-config';
import type { Incident } from './incident';
import type { Share } from './share';

/**
 * An offer of ownership of an incident to the other force (issue 12): ownership moves only by an explicit, accepted
 * transfer. Owned by the offering force (the incident's owner when it offered); the force offered it sees the offer
 * whole (it carries the summary its dispatchers need to decide, never the caller or the log) and answers it.
 *
 *   offered ──accept──▶ accepted      (the incident becomes the other force's)
 *      ├──decline──▶ declined
 *      └──withdraw──▶ withdrawn       (the offering force changed its mind)
 *
 * Compare-and-set at both ends: the offer names the incident's version the dispatcher saw (a change made meanwhile
 * is a conflict, not a silent transfer of something else), and accepting names the offer's version; the server
 * moves the incident only if it still stands at the version offered (server/commands/transfer-move.ts). Until the
 * offer is accepted nothing of the incident moves.
 */
export const TransferStatus = z.enum(['offered', 'accepted', 'declined', 'withdrawn']);
export type TransferStatus = z.infer<typeof TransferStatus>;

export const transferStatusNames: Record<TransferStatus, string> = {
  offered: 'Offered, waiting for an answer',
  accepted: 'Accepted: the incident is theirs',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
};

export const TransferReason = plainText({ min: 1, max: 300, empty: 'a reason is needed to offer an incident to another force' });

export const Transfer = z.object({
  id: Uuid,
  /** The offering force: the incident's owner when offered, and the record's. */
  force: ForceCode,
  /** The force offered the incident. */
  to: ForceCode,
  incidentId: Uuid,
  /** The incident's version the offer was made on: it moves only if it still stands there. */
  incidentVersion: z.number().int().positive(),
  incident: LoanIncidentSummary,
  reason: TransferReason,
  status: TransferStatus,
  offeredAt: Instant,
  offeredBy: Name,
  answeredAt: Instant.nullable(),
  answeredBy: Name.nullable(),
  declineReason: z.string().max(300).nullable(),
  updatedAt: Instant,
  version: z.number().int().positive(),
});
export type Transfer = z.infer<typeof Transfer>;

/**
 * The grade of the new owner's scheme for an incident of this common priority: the least urgent of its grades that
 * is at least as urgent (a transfer never makes a job less urgent than the old owner graded it), or, for a priority
 * more urgent than any it has, its most urgent. Null for an unknown priority: then the force's most urgent grade, so a
 * job of unknown urgency is looked at first. The grades are the configuration's, most urgent first.
 */
export function gradeForPriority(config: Pick<ForceConfig, 'grades'>, priority: CommonPriority | null): string {
  const grades = config.grades;
  if (priority === null) return grades[0]!.code;
  const atLeast = grades.filter((grade) => grade.commonPriority <= priority);
  return (atLeast.length ? atLeast.reduce((a, b) => (b.commonPriority > a.commonPriority ? b : a)) : grades[0]!).code;
}

/**
 * The incident as its new owner holds it: its force, a grade of the new scheme for its common priority, a queue of
 * the new force from its location (never none), and nobody in charge until one of the new force's dispatchers takes
 * it. Its type code is mapped to the new force's first type of the same family when there is one (each force has its
 * own codes); otherwise the old code stays, for the new owner to change. Its log and deployments stay what they are,
 * the history of who did what; the new owner sees them whole (shared/domain/share-policy.ts).
 */
export function transferredIncident(incident: Incident, config: ForceConfig, oldTypeFamily: string | undefined, priority: CommonPriority | null, at: string): Incident {
  const grade = gradeForPriority(config, priority);
  const type = oldTypeFamily ? config.incidentTypes.find((candidate) => candidate.family === oldTypeFamily) : undefined;
  return {
    ...incident,
    force: config.force.code,
    grade,
    type: type?.code ?? incident.type,
    pendingDowngrade: null,
    queue: queueFor(config, incident.location),
    // A handoff like any other: it waits in the new force's queue, its timer running, until one of theirs takes it.
    handoff: { waitingSince: at, takenAt: null, takenBy: null },
    owner: null,
    updatedAt: at,
    version: incident.version + 1,
  };
}

/** The view-tier share the old owner keeps of an incident it transferred, so it does not vanish from its desk. */
export function keptShare(transfer: Transfer, by: string, at: string): Share {
  return {
    id: derivedId(transfer.id, 'kept-share'),
    force: transfer.to,
    incidentId: transfer.incidentId,
    sharedWith: transfer.force,
    tier: 'view',
    how: 'by_hand',
    reason: `kept by ${transfer.force} when it transferred the incident to ${transfer.to}`,
    by,
    at,
    revoked: null,
    version: 1,
  };
}
