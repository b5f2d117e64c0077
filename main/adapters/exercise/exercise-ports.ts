import type { GeoPoint } from '../../../shared/domain/location';

/**
 * The exercise's vehicles as the scenario's runner plays them: through the same simulated terminals and AVL the
 * units' deployments go to, so a trainee sees a breakdown or a refusal as a real crew would send it (a receipt, a
 * status press, a unit booked unavailable), never as a record written behind the desk's back.
 */
export interface ExerciseVehicles {
  /** The starting state: the crew books on through its terminal, on duty until `until` (ISO), standing at `at` if given. */
  bookOn(unitId: string, until: string, at: GeoPoint | null): void;
  /** The vehicle breaks down where it is: its job (if any) is rejected, it is booked unavailable, it refuses the rest. */
  breakDown(unitId: string, reason: string): void;
  /** The crew reaches its current or next job's scene `minutes` late. */
  delay(unitId: string, minutes: number): void;
  /** The crew rejects the next deployment it is sent, with its reason. */
  rejectNext(unitId: string, reason: string): void;
}

/** The exercise's system: what a training server does for a system inject (shared/training/exercise-outages.ts). */
export interface ExerciseSystem {
  /** `workstation` (a trainee's, by the name it joined with) loses the network until `untilMs` (exercise time). */
  cutWorkstation(workstation: string, untilMs: number): void;
  /** The whole system is down until `untilMs` (exercise time). */
  takeSystemDown(untilMs: number): void;
  /** Until when the whole system is down at `nowMs` (exercise time), or null when it is up. */
  systemDownUntil(nowMs: number): number | null;
}

/**
 * The exercise's starting records: its training server opens the scenario's incidents already open and places its
 * warning markers, as records of its own (server/training/starting-state.ts). Resolves to what it put in place.
 */
export interface ExerciseStartingState {
  put(): Promise<{ incidents: number; markers: number }>;
}

/** What the runner plays vehicle and system injects through; any may be missing (then it says so on the timeline). */
export interface ExercisePorts {
  vehicles?: ExerciseVehicles;
  system?: ExerciseSystem;
  startingState?: ExerciseStartingState;
}
