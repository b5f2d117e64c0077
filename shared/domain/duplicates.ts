import type { ForceConfig } from './force-config';
import type { Incident } from './incident';
import { distanceMetres, type GeoPoint } from './location';

export interface DuplicateProbe {
  point: GeoPoint | null;
  type: string | null;
  callerNumber: string | null;
  at: string;
}

export interface DuplicateProposal {
  incidentId: string;
  score: number;
  reasons: string[];
}

/**
 * Open incidents that may be the same event as the call being taken: near in space and time, of a similar type,
 * or reported from the same number. Scored 0–1, best first; only those above the force's threshold.
 */
export function proposeDuplicates(
  probe: DuplicateProbe,
  incidents: readonly Pick<Incident, 'id' | 'type' | 'location' | 'createdAt' | 'status' | 'callerNumber'>[],
  config: ForceConfig,
): DuplicateProposal[] {
  const { radiusMetres, windowMinutes, threshold } = config.duplicates;
  const family = (type: string | null) => config.incidentTypes.find((t) => t.code === type)?.family ?? type;
  const proposals: DuplicateProposal[] = [];
  for (const incident of incidents) {
    if (incident.status !== 'open') continue;
    const ageMinutes = (Date.parse(probe.at) - Date.parse(incident.createdAt)) / 60_000;
    if (ageMinutes > windowMinutes) continue;
    const reasons: string[] = [];
    let place = 0;
    if (probe.point && incident.location.point) {
      const metres = distanceMetres(probe.point, incident.location.point);
      if (metres <= radiusMetres) {
        place = 1 - metres / radiusMetres;
        reasons.push(`${Math.round(metres)} m away`);
      }
    }
    const sameCaller = Boolean(probe.callerNumber && incident.callerNumber && normaliseNumber(probe.callerNumber) === normaliseNumber(incident.callerNumber));
    if (sameCaller) reasons.push('same caller number');
    if (place === 0 && !sameCaller) continue;
    const time = Math.max(0, 1 - Math.max(0, ageMinutes) / windowMinutes);
    reasons.push(`${Math.max(0, Math.round(ageMinutes))} min ago`);
    // Nearness in space and time makes a candidate; the type decides how much it counts: the same event may be
    // reported as something else, but less often.
    const kinship = probe.type === null ? 0.7 : probe.type === incident.type ? 1 : family(probe.type) === family(incident.type) ? 0.8 : 0.4;
    if (probe.type !== null && kinship >= 0.8) reasons.push(probe.type === incident.type ? 'same type' : 'similar type');
    const score = Math.min(1, (0.55 * place + 0.45 * time) * kinship + (sameCaller ? 0.5 : 0));
    if (score >= threshold) proposals.push({ incidentId: incident.id, score: Math.round(score * 100) / 100, reasons });
  }
  return proposals.sort((a, b) => b.score - a.score);
}

/** Phone numbers compared as digits, with +44 and 0 as the same trunk prefix. */
export function normaliseNumber(number: string): string {
  const digits = number.replace(/[^\d+]/g, '');
  return digits.startsWith('+44') ? `0${digits.slice(3)}` : digits.replace(/^\+/, '');
}
