/**
 * What the visibility suite and its fleet processes say to each other over the IPC channel. Times are on the
 * shared clock (`sharedNow`), so that a command confirmed in one process and seen in another can be compared.
 */
export type FleetRequest =
  | { type: 'start'; role: 'issuers' | 'watchers'; serverUrl: string; first: number; count: number; dataDir: string }
  | { type: 'clock' }
  | { type: 'cursors' }
  | { type: 'createIncident' }
  | { type: 'issue'; incidentId: string; text: string }
  | { type: 'window'; action: 'open' | 'close' }
  | { type: 'observations'; entries: { entryId: string; issuer: number }[]; timeoutMs: number }
  | { type: 'stop' };

export interface Confirmation {
  entryId: string;
  issuer: number;
  confirmedAt: number;
}

/** For each entry asked about, when each workstation of the process had it in its view: [workstation, time]. */
export type Observations = Record<string, [number, number][]>;

export interface FleetReplies {
  start: null;
  clock: number;
  /** The lowest pull cursor among the process's workstations. */
  cursors: number;
  createIncident: string;
  issue: Confirmation;
  window: { loopDelayMs: { p50: number; p99: number } } | null;
  observations: Observations;
  stop: null;
}

export type FleetReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** performance.now() on a clock every process on this machine shares (the wall clock at each one's start). */
export function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}
