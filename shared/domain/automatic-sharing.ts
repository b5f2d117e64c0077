import { forceAreaAt, type ForceArea } from '../area/force-areas';
import type { ForceCode } from './force';
import type { Incident } from './incident';
import { automaticShareId, type Share, type ShareTier } from './share';

/** A force's rule for sharing across the border (its configuration's `sharing`). */
export interface BorderSharing {
  /** How near the border (metres) an incident in the force's own area is shared with the neighbour. */
  borderMetres: number;
  tier: ShareTier;
}

/**
 * The forces an incident is to be shared with automatically, and why: one whose area holds its location (the call
 * was taken here, the job is theirs to know of), or the neighbour whose border is within the force's configured
 * distance. Only forces the platform serves (`served`), never the owner; an incident with no map point (a location
 * typed and not found) or closed is shared with nobody automatically. Pure.
 */
export function automaticShareTargets(
  incident: Pick<Incident, 'force' | 'location' | 'status'>,
  areas: readonly ForceArea[],
  rule: BorderSharing,
  served: readonly ForceCode[],
): { sharedWith: ForceCode; reason: string }[] {
  const point = incident.location.point;
  if (!point || incident.status !== 'open' || areas.length === 0) return [];
  const place = forceAreaAt([point.lon, point.lat], areas);
  const other = (force: string | null | undefined): force is string => !!force && force !== incident.force && served.includes(force);
  if (other(place.force)) return [{ sharedWith: place.force, reason: `the location is in ${place.force}'s area` }];
  if (place.border && other(place.border.force) && place.border.distanceMetres <= rule.borderMetres) {
    return [{ sharedWith: place.border.force, reason: `the location is ${Math.round(place.border.distanceMetres)} m from ${place.border.force}'s border` }];
  }
  return [];
}

/** The automatic share of an incident with a force, as the server makes it in the name of the command that placed it. */
export function automaticShare(incident: Pick<Incident, 'id' | 'force'>, target: { sharedWith: ForceCode; reason: string }, tier: ShareTier, by: string, at: string): Share {
  return {
    id: automaticShareId(incident.id, target.sharedWith),
    force: incident.force,
    incidentId: incident.id,
    sharedWith: target.sharedWith,
    tier,
    how: 'automatic',
    reason: target.reason,
    by,
    at,
    revoked: null,
    assisted: tier === 'assist',
    version: 1,
  };
}
