import { reservationsOf, type Incident } from '../domain/incident';
import { conflict, type ApplyResult } from './types';

/**
 * What a closed incident still takes: log lines (a result, a note for the record), links to other incidents (a
 * caller ringing back makes a new incident, related to this one), receipts from terminals (facts, that move nothing)
 * and reopening. Everything else that reaches it after the closure, in the server's order (made offline, or before
 * the operator saw it close), loses as a conflict naming the incident: the operator sees it, with the closure, and
 * accepts it or reopens the incident and does it again. Null while the incident is open.
 */
export function closedConflict(incident: Incident): ApplyResult | null {
  if (incident.status === 'open') return null;
  const code = incident.closingCode ? ` (${incident.closingCode})` : '';
  const by = incident.closedBy ? ` by ${incident.closedBy}` : '';
  return conflict(`the incident is closed${code}${by}`, { kind: 'incident', id: incident.id });
}

/**
 * The incident with a reservation added to its list (a new version: a close decided before the reservation was
 * seen then loses, rather than leave the reservation behind).
 */
export function withReservation(incident: Incident, assignmentId: string, unitId: string, at: string): Incident {
  return {
    ...incident,
    reservations: [...reservationsOf(incident), assignmentId],
    reservedUnits: { ...incident.reservedUnits, [assignmentId]: unitId },
    updatedAt: at,
    version: incident.version + 1,
  };
}

/** The incident with a reservation off its list: deployed when due, cancelled, or cancelled by the closure. */
export function withoutReservation(incident: Incident, assignmentId: string): Incident {
  const { [assignmentId]: _gone, ...reservedUnits } = incident.reservedUnits ?? {};
  return {
    ...incident,
    reservations: reservationsOf(incident).filter((id) => id !== assignmentId),
    ...(incident.reservedUnits ? { reservedUnits } : {}),
  };
}
