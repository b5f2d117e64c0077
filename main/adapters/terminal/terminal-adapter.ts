/** A deployment message to a vehicle's mobile data terminal. */
export interface Deployment {
  assignmentId: string;
  unitId: string;
  callSign: string;
  /** What the crew reads: reference, type, grade, location. */
  summary: string;
}

/**
 * What a terminal sends back: receipts for a deployment, the crew's status presses, and the crew booking on or off.
 * Each names the unit whose terminal sent it (as a gateway knows which vehicle a message came from): the workstation
 * relays it as that unit's, and a message about another unit's deployment is refused.
 */
export type TerminalEvent =
  | { type: 'receipt'; unitId: string; assignmentId: string; receipt: 'received' | 'accepted' | 'rejected'; note: string; at: string }
  | { type: 'status'; unitId: string; assignmentId: string; status: 'en_route' | 'at_scene'; at: string }
  /** Booking on or off, or unavailable (the crew's "vehicle defect" press: the vehicle cannot be sent anywhere). */
  | { type: 'duty'; unitId: string; duty: 'on_duty' | 'off_duty' | 'unavailable'; at: string; /** Booking on outside the rota: on until then (ISO). */ until?: string };

/**
 * The seam a real mobile data gateway would use: deployments out, receipts, status messages and booking on or off
 * back. The simulator stands in for the vehicles in the demo, the tests and training.
 */
export interface TerminalAdapter {
  start(listener: (event: TerminalEvent) => void): void;
  stop(): void;
  send(deployment: Deployment): void;
  /**
   * A deployment sent to the vehicle that the server never committed (made while the workstation was offline, and
   * refused when it reconnected: the unit had been lent meanwhile, say): the crew is told it is withdrawn, as a
   * gateway sends a cancellation, and stops answering it. `reason` is what the crew reads.
   */
  withdraw?(deployment: Pick<Deployment, 'assignmentId' | 'unitId'>, reason: string): void;
  /** The vehicle reached its destination (from AVL): a simulated crew presses "at scene". A real gateway ignores it. */
  arrived?(unitId: string): void;
  /**
   * After the workstation restarted: this unit's crew was on its way to this deployment when it stopped, so a
   * simulated crew presses "at scene" when its vehicle arrives. A real gateway ignores it (its crews never stopped).
   */
  resumeEnRoute?(unitId: string, assignmentId: string): void;
}
