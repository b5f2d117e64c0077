import type { GeoPoint } from '../../../shared/domain/location';

/** One position report from a vehicle: what a real AVL feed (GPS over the radio network) delivers. */
export interface UnitFix {
  unitId: string;
  point: GeoPoint;
  /** ISO instant the position was taken. */
  at: string;
  speedKmh: number;
  /** Degrees clockwise from north; null when standing still. */
  headingDeg: number | null;
}

/**
 * A unit reached where it was sent: the simulator's stand-in for the crew pressing "at scene" (or "at station") on
 * the vehicle's terminal. Sent after the batch of fixes that first shows the unit there.
 */
export interface UnitArrival {
  unitId: string;
  point: GeoPoint;
  /** ISO instant of arrival. */
  at: string;
  /** It was going back to its home station (setDestination with null), not to an incident. */
  home: boolean;
}

/**
 * The seam a real AVL integration would use. The console core tells it where each unit is being sent (it cannot
 * know that itself) only in the simulator; a real feed ignores destinations and simply reports.
 */
export interface AvlAdapter {
  /** Begins reporting; the listener gets each batch of fixes, on the adapter's own cadence. */
  start(listener: (fixes: UnitFix[]) => void): void;
  stop(): void;
  /** Where a unit is now heading (an incident), or null to send it back to its home station. Simulator only. */
  setDestination?(unitId: string, destination: GeoPoint | null): void;
  /**
   * Tells the listener each time a unit reaches the destination it was last given: once per setDestination, unless
   * another supersedes it first. Returns a function that stops telling it. Simulator only: a real feed only reports
   * positions, and arrival comes from the crew.
   */
  onArrival?(listener: (arrival: UnitArrival) => void): () => void;
}
