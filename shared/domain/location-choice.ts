import type { HandsetLocation } from './contact';
import { unverifiedLocation, type GeoPoint, type IncidentLocation } from './location';

/** A place the gazetteer found, as the location field offers it. */
export interface GazetteerPick {
  name: string;
  district: string | null;
  point: GeoPoint;
}

/** A gazetteer result chosen by the handler becomes the incident's location, with its district. */
export function fromGazetteer(pick: GazetteerPick): IncidentLocation {
  return { text: pick.name, point: pick.point, source: 'gazetteer', district: pick.district, accuracyM: null };
}

/** The caller's handset position, taken as the location only when the handler chooses it. */
export function fromHandset(handset: HandsetLocation): IncidentLocation {
  return {
    text: `Caller's position (${handset.source}, within ${Math.round(handset.accuracyM)} m)`,
    point: handset.point,
    source: 'handset',
    district: null,
    accuracyM: handset.accuracyM,
  };
}

export interface LocationField {
  /** What the handler chose (a gazetteer result or the handset position), if anything. */
  chosen: IncidentLocation | null;
  /** What they typed in the location box. */
  typed: string;
  /** The handset position that has arrived for this call, if any. */
  handset: HandsetLocation | null;
}

export interface LocationDecision {
  /** The location an incident saved now would have; null while there is none (it cannot be saved yet). */
  location: IncidentLocation | null;
  /** Saved as typed, not found: allowed, flagged for follow-up. */
  unverified: boolean;
  /** The handset position to offer beside the field (never taken without a keystroke). */
  handsetOffer: IncidentLocation | null;
}

/**
 * Which location a call would be saved with. A choice the handler made stands; failing that, the text they typed
 * (unverified); the handset position is only ever offered, never taken on its own, even when nothing was typed, and
 * never replaces a location chosen before it arrived.
 */
export function decideLocation(field: LocationField): LocationDecision {
  const handsetOffer = field.handset ? fromHandset(field.handset) : null;
  if (field.chosen) return { location: field.chosen, unverified: false, handsetOffer: field.chosen.source === 'handset' ? null : handsetOffer };
  const text = field.typed.trim();
  if (text) return { location: unverifiedLocation(text), unverified: true, handsetOffer };
  return { location: null, unverified: false, handsetOffer };
}
