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
 * The seam a real AVL integration would use. The console core tells it where each unit is being sent (it cannot
 * know that itself) only in the simulator; a real feed ignores destinations and simply reports.
 */
export interface AvlAdapter {
  /** Begins reporting; the listener gets each batch of fixes, on the adapter's own cadence. */
  start(listener: (fixes: UnitFix[]) => void): void;
  stop(): void;
  /** Where a unit is now heading (an incident), or null to send it back to its home station. Simulator only. */
  setDestination?(unitId: string, destination: GeoPoint | null): void;
}
