import type { ExerciseReview, ReviewEvent } from './review-view';

/** Where a call stood at a moment of the replay. */
export type ReplayCallState = 'ringing' | 'being taken' | 'on an incident' | 'abandoned';
/** Where an incident stood: waiting for its first unit, a unit on the way, a unit at scene, closed. */
export type ReplayIncidentState = 'waiting for a unit' | 'unit on the way' | 'unit at scene' | 'closed';

export interface ReplayState {
  atMs: number;
  /** Calls that had rung by then and not yet gone on an incident, by call id (or the call's words), oldest first. */
  calls: { call: string; state: ReplayCallState; since: string }[];
  /** Incidents saved by then, with what they were waiting for, by reference. */
  incidents: { reference: string; callId: string | null; state: ReplayIncidentState; units: string[] }[];
}

/**
 * The room as it stood at `atMs` of the exercise, replayed from the review's events: the calls in the queue and where
 * each stood, and each incident's state and the units sent to it. Pure; the replay shows it on the queue and the
 * plot of the area as its time moves on.
 */
export function replayAt(review: Pick<ExerciseReview, 'events'>, atMs: number): ReplayState {
  const upTo = review.events.filter((e) => e.kind !== 'inject' && Date.parse(e.at) <= atMs);
  const calls = new Map<string, { call: string; state: ReplayCallState; since: string }>();
  const incidents = new Map<string, { reference: string; callId: string | null; state: ReplayIncidentState; units: string[] }>();
  const callKey = (e: ReviewEvent) => e.callId ?? e.text.replace(/, after \d+ s.*$/, '');
  for (const event of upTo) {
    switch (event.kind) {
      case 'rang':
        calls.set(callKey(event), { call: callKey(event), state: 'ringing', since: event.at });
        break;
      case 'answered':
        calls.set(callKey(event), { call: callKey(event), state: 'being taken', since: event.at });
        break;
      case 'abandoned':
        calls.set(callKey(event), { call: callKey(event), state: 'abandoned', since: event.at });
        break;
      case 'attached':
        calls.set(callKey(event), { call: callKey(event), state: 'on an incident', since: event.at });
        break;
      case 'saved': {
        if (event.callId) calls.set(event.callId, { call: event.callId, state: 'on an incident', since: event.at });
        if (event.incident) incidents.set(event.incident, { reference: event.incident, callId: event.callId, state: 'waiting for a unit', units: [] });
        break;
      }
      case 'deployed': {
        const incident = event.incident ? incidents.get(event.incident) : undefined;
        if (!incident) break;
        incident.units.push(event.text.split(' ')[0]!);
        if (incident.state === 'waiting for a unit') incident.state = 'unit on the way';
        break;
      }
      case 'arrived': {
        const incident = event.incident ? incidents.get(event.incident) : undefined;
        if (incident && incident.state !== 'closed') incident.state = 'unit at scene';
        break;
      }
      case 'closed': {
        const incident = event.incident ? incidents.get(event.incident) : undefined;
        if (incident) incident.state = 'closed';
        break;
      }
      default:
        break;
    }
  }
  return {
    atMs,
    calls: [...calls.values()].filter((c) => c.state !== 'on an incident'),
    incidents: [...incidents.values()],
  };
}
