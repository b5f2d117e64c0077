import type { GeoPoint } from '../domain/location';
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

/** An incident on the desk's queue in the replay: what the queue and the map show of it at the replay's time. */
export interface ReplayQueueIncident {
  reference: string;
  type: string;
  grade: string;
  point: GeoPoint | null;
  state: Exclude<ReplayIncidentState, 'closed'>;
  units: string[];
  /** When it was saved (ISO, exercise clock). */
  savedAt: string;
}

/** A unit on the map in the replay: sent to an incident and on its way, or at scene there. */
export interface ReplayUnit {
  callSign: string;
  incident: string;
  state: 'en_route' | 'at_scene';
  point: GeoPoint | null;
}

export interface DeskReplayState {
  atMs: number;
  /** The open incidents, as the queue orders them: those waiting for a unit first, then oldest first. */
  queue: ReplayQueueIncident[];
  units: ReplayUnit[];
}

/**
 * The desk's queue and the units on its map at `atMs` of the exercise, from the review: each incident saved by then
 * and not yet closed, and each unit sent to one of them, on its way or at scene. A unit on its way is drawn on the
 * straight line from `homeOf(callSign)` (its station; null: unknown) to the incident, the share of the way its
 * journey's time has passed when it arrived later in the review; one not known to arrive waits at its station.
 * Pure: the replay on the desk calls it as its time moves.
 */
export function replayOnDesk(review: Pick<ExerciseReview, 'events' | 'incidents'>, atMs: number, homeOf: (callSign: string) => GeoPoint | null): DeskReplayState {
  const places = new Map(review.incidents.map((incident) => [incident.reference, incident]));
  const saved = new Map(review.events.filter((e) => e.kind === 'saved' && e.incident).map((e) => [e.incident!, e.at]));
  const state = replayAt(review, atMs);
  const queue: ReplayQueueIncident[] = state.incidents.flatMap((incident) => {
    if (incident.state === 'closed') return [];
    const place = places.get(incident.reference);
    return [{ reference: incident.reference, type: place?.type ?? '', grade: place?.grade ?? '', point: place?.point ?? null, state: incident.state, units: incident.units, savedAt: saved.get(incident.reference)! }];
  });
  const waiting = (incident: ReplayQueueIncident) => (incident.state === 'waiting for a unit' ? 0 : 1);
  queue.sort((a, b) => waiting(a) - waiting(b) || Date.parse(a.savedAt) - Date.parse(b.savedAt));

  const open = new Set(queue.map((incident) => incident.reference));
  const unitOf = (text: string) => text.split(' ')[0]!;
  const journeys = new Map<string, { callSign: string; incident: string; deployedMs: number; arrivedMs: number | null }>();
  for (const event of review.events) {
    if (!event.incident || !open.has(event.incident)) continue;
    const key = `${unitOf(event.text)} ${event.incident}`;
    if (event.kind === 'deployed' && Date.parse(event.at) <= atMs) journeys.set(key, { callSign: unitOf(event.text), incident: event.incident, deployedMs: Date.parse(event.at), arrivedMs: null });
    const journey = journeys.get(key);
    if (event.kind === 'arrived' && journey && journey.arrivedMs === null) journey.arrivedMs = Date.parse(event.at);
  }
  const units: ReplayUnit[] = [...journeys.values()].map((journey) => {
    const to = places.get(journey.incident)?.point ?? null;
    const from = homeOf(journey.callSign);
    if (journey.arrivedMs !== null && journey.arrivedMs <= atMs) return { callSign: journey.callSign, incident: journey.incident, state: 'at_scene', point: to };
    const share = journey.arrivedMs === null ? 0 : (atMs - journey.deployedMs) / Math.max(1, journey.arrivedMs - journey.deployedMs);
    const point = from && to ? { lat: from.lat + (to.lat - from.lat) * share, lon: from.lon + (to.lon - from.lon) * share } : (from ?? null);
    return { callSign: journey.callSign, incident: journey.incident, state: 'en_route', point };
  });
  return { atMs, queue, units };
}

/** The speeds the replay on the desk plays at: times the exercise's own pace. */
export const DESK_REPLAY_SPEEDS = [1, 2, 4, 8, 16] as const;
export type DeskReplaySpeed = (typeof DESK_REPLAY_SPEEDS)[number];

/** The span a replay covers (ms, exercise clock). */
export interface ReplaySpan {
  fromMs: number;
  toMs: number;
}

/**
 * One step of a replay playing: `realMs` of real time at `speed` moves its time on `realMs × speed`, never past the
 * span's end; `ended` once it is there (the replay stops).
 */
export function replayStep(atMs: number, realMs: number, speed: number, span: ReplaySpan): { atMs: number; ended: boolean } {
  const next = Math.min(span.toMs, Math.max(span.fromMs, atMs + Math.max(0, realMs) * speed));
  return { atMs: next, ended: next >= span.toMs };
}

/** How far each seeking key moves the replay's time (ms): arrows ten seconds, Page Up and Down a minute. */
const SEEK_MS: Record<string, number> = { ArrowRight: 10_000, ArrowUp: 10_000, ArrowLeft: -10_000, ArrowDown: -10_000, PageUp: 60_000, PageDown: -60_000 };

/**
 * Where a key moves a replay's time: arrows ten seconds on or back (with Shift, one second), Page Up and Down a
 * minute, Home and End to the start and the end, always within the span; null for any other key.
 */
export function replaySeek(atMs: number, key: string, span: ReplaySpan, shift = false): number | null {
  if (key === 'Home') return span.fromMs;
  if (key === 'End') return span.toMs;
  const by = SEEK_MS[key];
  if (by === undefined) return null;
  const step = shift && key.startsWith('Arrow') ? by / 10 : by;
  return Math.min(span.toMs, Math.max(span.fromMs, atMs + step));
}
