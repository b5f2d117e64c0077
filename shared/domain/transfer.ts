import { z } from 'zod';
import { ForceCode } from './force';
import { Name, Uuid } from './ids';
import { Instant } from './time';
import { plainText } from './text';
import { LoanIncidentSummary } from './loan';
import { queueFor } from './dispatch-queues';
import type { CommonPriority } from './common-priority';
import { findIncidentType, type ForceConfig, type IncidentTypeConfig } from './force-config';
import { openingTypeOf, type Incident } from './incident';
import { COMMON_INCIDENT_CODES, isCommonIncidentCode } from './common-incident-codes';
import { keptShareId, type Share } from './share';

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
 * How an incident's type reads in the new owner's scheme:
 * - `equivalent`: the new force's type of the same common code (shared/domain/common-incident-codes.ts), the type a
 *   dispatcher of either force would choose;
 * - `nearest`: the new force has no type of that code; the nearest it has, for now (of the vocabulary's nearest
 *   codes, nearest first, then of the same family), preferring one that asks for every skill the old type did (an
 *   armed crew for a firearms incident), for the dispatcher to confirm or change;
 * - `none`: nothing near either: the old code stays, for the dispatcher to change;
 * - `restored`: the incident comes back to a force that held it before, still of the type that force's transfer gave
 *   it (or of that type's common code): it takes again the type it had there, not a second mapping through the common
 *   codes, which could land elsewhere (issue 12 M8: a Suspicious circumstances incident sent to Northbridge and back
 *   came home as another type).
 * `from` is the old type as the old owner's configuration has it (undefined if it does not: a type since removed).
 */
export type TypeMapping =
  | { kind: 'equivalent'; from: IncidentTypeConfig; to: IncidentTypeConfig }
  | { kind: 'nearest'; from: IncidentTypeConfig; to: IncidentTypeConfig }
  | { kind: 'none'; from: IncidentTypeConfig | undefined; code: string }
  | { kind: 'restored'; from: IncidentTypeConfig | undefined; to: IncidentTypeConfig };

/**
 * The type an incident of `from`'s type `code` becomes in `to`'s scheme (see TypeMapping). `handovers`: the
 * incident's transfers so far (Incident.handovers), for `restored`: the type it had when it last left `to`, if that
 * force still has it and the incident is still of the type that transfer gave it, or of the same common code.
 */
export function mapIncidentType(from: ForceConfig | undefined, to: Pick<ForceConfig, 'incidentTypes' | 'force'>, code: string, handovers: Incident['handovers'] = []): TypeMapping {
  const old = from ? findIncidentType(from, code) : undefined;
  const left = [...(handovers ?? [])].reverse().find((handover) => handover.from === to.force.code);
  const before = left ? to.incidentTypes.find((type) => type.code === left.type) : undefined;
  // Straight back and not retyped meanwhile (the last transfer is the one that took it away), or of the same common code.
  const untouched = left !== undefined && left === handovers?.at(-1) && left.became === code;
  if (left && before && (untouched || (old && before.commonCode === old.commonCode))) return { kind: 'restored', from: old, to: before };
  if (!old) return { kind: 'none', from: undefined, code };
  const same = to.incidentTypes.find((type) => type.commonCode === old.commonCode);
  if (same) return { kind: 'equivalent', from: old, to: same };
  const nearCodes: readonly string[] = isCommonIncidentCode(old.commonCode) ? COMMON_INCIDENT_CODES[old.commonCode].nearest : [];
  const near = nearCodes.flatMap((nearCode) => to.incidentTypes.filter((type) => type.commonCode === nearCode));
  const kin = old.family ? to.incidentTypes.filter((type) => type.family === old.family && !near.includes(type)) : [];
  const candidates = [...near, ...kin];
  const skills = old.needs?.skills ?? [];
  const keepsSkills = (type: IncidentTypeConfig) => skills.every((skill) => type.needs?.skills?.includes(skill));
  const chosen = (skills.length ? candidates.find(keepsSkills) : undefined) ?? candidates[0];
  return chosen ? { kind: 'nearest', from: old, to: chosen } : { kind: 'none', from: old, code };
}

/**
 * The mapping in words for the incident's log: which type it is now and why, and, where there is no equivalent, that
 * plainly, with what the old type asked for (the skills and number of units), so the dispatcher who chooses its type
 * knows what the old owner would have sent.
 */
export function describeTypeMapping(mapping: TypeMapping, fromForce: string, toForce: string): string {
  const old = mapping.from ? `${fromForce}'s ${mapping.from.name} (${mapping.from.code}, common code ${mapping.from.commonCode})` : `${fromForce}'s type ${mapping.kind === 'none' ? mapping.code : ''}`;
  if (mapping.kind === 'equivalent') return `type ${mapping.to.name} (${mapping.to.code}), ${toForce}'s equivalent of ${old}`;
  if (mapping.kind === 'restored') return `type ${mapping.to.name} (${mapping.to.code}) again, the type it had at ${toForce} before, from ${old}`;
  const needs = mapping.from?.needs;
  const asked = needs?.skills?.length || (needs?.units ?? 1) > 1 ? `; ${fromForce}'s type asked for ${needs?.units ?? 1} unit${(needs?.units ?? 1) > 1 ? 's' : ''}${needs?.skills?.length ? ` with ${needs.skills.join(', ')}` : ''}` : '';
  if (mapping.kind === 'nearest') return `type ${mapping.to.name} (${mapping.to.code}) for now: ${toForce} has no type equivalent to ${old}, and a dispatcher must choose its type${asked}`;
  return `type ${mapping.code} kept: ${toForce} has no type equivalent to ${old}, nor one near it, and a dispatcher must choose its type${asked}`;
}

/**
 * The incident as its new owner holds it: its force, a grade of the new scheme for its common priority, its type
 * mapped by common code (mapIncidentType), a queue of the new force from its location (never none), and nobody in
 * charge until one of the new force's dispatchers takes it. What it was opened as, and by whom, stays: `openingType`,
 * `createdBy`, `createdAtWorkstation` and the provisional reference are the opening force's, which `origin` names
 * (with the opening type in words and by common code, since the new owner's scheme has not that code), set on the
 * first transfer and kept through later ones. Its log and deployments stay what they are, the history of who did
 * what; the new owner sees them whole (shared/domain/share-policy.ts). `from` is the old owner's configuration
 * (undefined when this server does not hold it). The transfer joins its `handovers`, with `acceptedBy`, who accepted it.
 */
export function transferredIncident(
  incident: Incident,
  from: ForceConfig | undefined,
  to: ForceConfig,
  priority: CommonPriority | null,
  at: string,
  acceptedBy: string,
): { incident: Incident; type: TypeMapping } {
  const grade = gradeForPriority(to, priority);
  const type = mapIncidentType(from, to, incident.type, incident.handovers);
  const became = type.kind === 'none' ? type.code : type.to.code;
  const openingType = openingTypeOf(incident);
  const opening = from ? findIncidentType(from, openingType) : undefined;
  const origin = incident.origin ?? { force: incident.force, openingTypeName: opening?.name ?? openingType, openingCommonCode: opening?.commonCode ?? null };
  return {
    type,
    incident: {
      ...incident,
      force: to.force.code,
      grade,
      type: became,
      handovers: [...(incident.handovers ?? []), { from: incident.force, to: to.force.code, at, acceptedBy, type: incident.type, became }],
      // Said outright, so an incident recorded before the opening type was kept does not take its new type for it.
      openingType,
      origin,
      pendingDowngrade: null,
      queue: queueFor(to, incident.location),
      // A handoff like any other: it waits in the new force's queue, its timer running from the acceptance (not from
      // the call: the new force's dispatchers could not take it before), until one of theirs takes it.
      handoff: { waitingSince: at, takenAt: null, takenBy: null },
      owner: null,
      updatedAt: at,
      version: incident.version + 1,
    },
  };
}

/**
 * The view-tier share the old owner keeps of an incident it transferred, so it does not vanish from its desk: made by
 * the transfer (`how: 'transfer'`), not by anyone's hand, under the one id per incident and old owner (keptShareId),
 * so a share kept after an earlier transfer is made active again (`before`, its record as it stands), not doubled.
 */
export function keptShare(transfer: Transfer, by: string, at: string, before?: Share): Share {
  return {
    id: keptShareId(transfer.incidentId, transfer.force),
    force: transfer.to,
    incidentId: transfer.incidentId,
    sharedWith: transfer.force,
    tier: 'view',
    how: 'transfer',
    reason: `kept by ${transfer.force} when it transferred the incident to ${transfer.to}`,
    by,
    at,
    revoked: null,
    // Always to view: the old owner keeps no log through it.
    assisted: false,
    version: (before?.version ?? 0) + 1,
  };
}
