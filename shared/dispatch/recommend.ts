import type { ForceConfig, IncidentTypeConfig, UnitConfig } from '../domain/force-config';
import { distanceMetres, type GeoPoint } from '../domain/location';
import { wallClock } from '../domain/wall-clock';
import type { UnitStatus } from './unit-status';

/**
 * Roads are not straight: a straight-line distance times this is a fair urban road distance, for ranking. The
 * AVL route gives the real figure once a unit is moving.
 */
export const ROAD_FACTOR = 1.35;

export interface Candidate {
  unitId: string;
  callSign: string;
  type: string;
  skills: readonly string[];
  status: UnitStatus;
  /** Its last AVL position, or its home station's, or null when neither is known. */
  position: GeoPoint | null;
  /** When its tour of duty ends (ms since the epoch); null or absent: no planned end. */
  tourEndsAtMs?: number | null;
}

export interface Proposal {
  unitId: string;
  callSign: string;
  /** Estimated travel time; null when either end has no position. */
  etaSeconds: number | null;
  distanceM: number | null;
  /** Why it is proposed, in the words shown to the dispatcher. */
  reasons: string[];
  /** Its shift ends before the job is likely to be over (travel and the type's time at scene): its reasons say when. */
  shiftEndsDuringJob: boolean;
}

export interface Recommendation {
  /** Suitable available units, best first. */
  proposals: Proposal[];
  /** How many units the incident type asks for. */
  wanted: number;
  /** What the incident type needs, in words ("armed response vehicle; skills: firearms"). */
  needs: string;
  /** Units that would fit but are not free, with what they are doing: so the dispatcher knows what was left out. */
  busy: { callSign: string; status: UnitStatus }[];
}

/**
 * Proposes units for an incident at `nowMs`: those whose type the incident type accepts, with every skill it needs,
 * that are available (booked on, free, their tour of duty not over); nearest by estimated travel time first (the
 * preferred unit type breaks ties, then call sign). A unit whose shift ends before the job is likely to be over (its
 * travel and the type's usual time at scene) is proposed, marked so with when. An incident without a point still
 * gets proposals, unranked by distance, and says so.
 */
export function recommendUnits(config: ForceConfig, incident: { type: string; point: GeoPoint | null }, candidates: readonly Candidate[], nowMs: number, limit = 8): Recommendation {
  const typeConfig = config.incidentTypes.find((t) => t.code === incident.type);
  const needs = needsOf(typeConfig);
  const onSceneMs = (typeConfig?.onSceneMinutes ?? 60) * 60_000;
  const wall = wallClock(config.force.timeZone);
  const onTour = (c: Candidate) => c.tourEndsAtMs == null || nowMs < c.tourEndsAtMs;
  const fits = candidates.filter((c) => onTour(c) && (needs.unitTypes.length === 0 || needs.unitTypes.includes(c.type)) && needs.skills.every((s) => c.skills.includes(s)));
  const speedOf = (type: string) => config.unitTypes.find((t) => t.code === type)?.speedKmh ?? 45;

  const proposals = fits
    .filter((c) => c.status === 'available')
    .map((c): Proposal & { preference: number } => {
      const distanceM = c.position && incident.point ? distanceMetres(c.position, incident.point) * ROAD_FACTOR : null;
      const etaSeconds = distanceM === null ? null : Math.round(distanceM / ((speedOf(c.type) * 1000) / 3600));
      const typeName = config.unitTypes.find((t) => t.code === c.type)?.name ?? c.type;
      const reasons = [typeName, 'available'];
      if (distanceM !== null && etaSeconds !== null) reasons.push(`${(distanceM / 1000).toFixed(1)} km, about ${Math.max(1, Math.round(etaSeconds / 60))} min`);
      else reasons.push(incident.point ? 'position unknown' : 'incident has no map position: not ranked by distance');
      if (needs.skills.length) reasons.push(`has ${needs.skills.join(', ')}`);
      const jobEndsMs = nowMs + (etaSeconds ?? 0) * 1000 + onSceneMs;
      const shiftEndsDuringJob = c.tourEndsAtMs != null && c.tourEndsAtMs < jobEndsMs;
      if (shiftEndsDuringJob) reasons.push(`shift ends ${wall.time(c.tourEndsAtMs!)}, before the job is likely done (about ${wall.time(jobEndsMs)})`);
      const preference = needs.unitTypes.length ? needs.unitTypes.indexOf(c.type) : 0;
      return { unitId: c.unitId, callSign: c.callSign, etaSeconds, distanceM, reasons, shiftEndsDuringJob, preference };
    })
    .sort((a, b) => (a.etaSeconds ?? Infinity) - (b.etaSeconds ?? Infinity) || a.preference - b.preference || a.callSign.localeCompare(b.callSign))
    .slice(0, limit)
    .map(({ preference: _preference, ...proposal }) => proposal);

  return {
    proposals,
    wanted: needs.units,
    needs: describeNeeds(config, needs),
    busy: fits.filter((c) => c.status !== 'available' && c.status !== 'off_duty').map((c) => ({ callSign: c.callSign, status: c.status })),
  };
}

function needsOf(typeConfig: IncidentTypeConfig | undefined): { unitTypes: string[]; skills: string[]; units: number } {
  return { unitTypes: typeConfig?.needs?.unitTypes ?? [], skills: typeConfig?.needs?.skills ?? [], units: typeConfig?.needs?.units ?? 1 };
}

function describeNeeds(config: ForceConfig, needs: { unitTypes: string[]; skills: string[]; units: number }): string {
  const types = needs.unitTypes.length ? needs.unitTypes.map((code) => config.unitTypes.find((t) => t.code === code)?.name ?? code).join(' or ') : 'any unit';
  const skills = needs.skills.length ? `; skills: ${needs.skills.join(', ')}` : '';
  return `${needs.units > 1 ? `${needs.units} × ` : ''}${types}${skills}`;
}

/** A unit's skills and equipment from the force configuration (the unit record carries the same). */
export type UnitCapabilities = Pick<UnitConfig, 'skills' | 'equipment'>;
