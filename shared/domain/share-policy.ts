import type { AnyRecord } from './records';
import type { CommonPriority } from './common-priority';
import type { ForceCode } from './force';
import type { SharePolicy } from './partition';
import { isActive, type Share, type ShareTier } from './share';
import { assignmentCut, incidentCut, logEntryCut } from './share-cut';

/** The common priority of a grade of a force (its configuration's mapping); null for one it does not know. */
export type CommonPriorityOf = (force: ForceCode, grade: string) => CommonPriority | null;
/** The name a force gives one of its incident types ("Assault" for ASSAULT); null for a code it does not know. */
export type TypeNameOf = (force: ForceCode, type: string) => string | null;

/**
 * The partition's share policy (shared/domain/partition.ts) made from the share records: for a force and another
 * force's record, what of it the force may see.
 *
 * - a share record: whole, to the force it names (so it learns what it holds, and when it is revoked);
 * - an incident shared with the force: cut to the view allowlist (shared/domain/share-cut.ts), at either tier, with
 *   its common priority and its type's name in the owner's configuration;
 * - a deployment on it: cut to the unit, its status and times (a deployment of the force's own unit, whole);
 * - a log entry on it: only at the assist tier, without the caller's details and THRIVE answers (logEntryCut);
 * - at the assist tier each of these is marked `assist`: what the tier lets the holder write to
 *   (shared/domain/assist-writes.ts);
 * - anything else (calls and their callers, warning markers, call-back tasks, units, refusals, conflicts): never.
 *
 * Only active shares count; a force holding two (an automatic view and a dispatcher's assist) gets the higher tier.
 * Nothing here lets a force change another's record as its owner does (`mayChange` is false): a share is never
 * passed on, and the shared commands check the owner themselves (shared/commands/share-commands.ts).
 */
export function sharePolicyOf(shares: Iterable<Share>, commonPriorityOf: CommonPriorityOf, typeNameOf: TypeNameOf = () => null): SharePolicy {
  const tiers = new Map<string, Map<ForceCode, ShareTier>>();
  for (const share of shares) {
    if (!isActive(share)) continue;
    const held = tiers.get(share.incidentId) ?? new Map<ForceCode, ShareTier>();
    if (held.get(share.sharedWith) !== 'assist') held.set(share.sharedWith, share.tier);
    tiers.set(share.incidentId, held);
  }
  const tierOf = (incidentId: string, force: ForceCode) => tiers.get(incidentId)?.get(force) ?? null;
  // At the assist tier the holder may write what the tier allows (shared/domain/assist-writes.ts); `mayChange` stays
  // false, for a share never lets a force change the incident as its owner does.
  const assisting = (incidentId: string, force: ForceCode) => (tierOf(incidentId, force) === 'assist' ? { assist: true } : {});
  return {
    grant(force, record: AnyRecord) {
      switch (record.kind) {
        case 'share':
          return record.doc.sharedWith === force ? { record, mayChange: false } : null;
        case 'incident': {
          const tier = tierOf(record.id, force);
          if (!tier) return null;
          const priority = commonPriorityOf(record.doc.force, record.doc.grade);
          const typeName = typeNameOf(record.doc.force, record.doc.type);
          return { record: { ...record, doc: incidentCut(record.doc, tier, priority, force, typeName) }, mayChange: false, ...assisting(record.id, force) };
        }
        case 'assignment': {
          const { incidentId, unitForce } = record.doc;
          if (!tierOf(incidentId, force)) return null;
          // Its own unit's deployment, whole (its receipts too): the holder at the assist tier runs its own units there.
          if (unitForce === force) return { record, mayChange: false, ...assisting(incidentId, force) };
          return { record: { ...record, doc: assignmentCut(record.doc) }, mayChange: false, ...assisting(incidentId, force) };
        }
        case 'logEntry': {
          if (tierOf(record.doc.incidentId, force) !== 'assist') return null;
          // Without the caller's details and THRIVE answers; a line never sorted so, not at all (share-cut.ts).
          const doc = logEntryCut(record.doc);
          return doc ? { record: { ...record, doc }, mayChange: false, assist: true } : null;
        }
        default:
          return null;
      }
    },
  };
}
