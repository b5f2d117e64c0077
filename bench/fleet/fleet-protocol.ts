/**
 * What the visibility suite and its fleet processes say to each other over the IPC channel. Times are on the
 * shared clock (`sharedNow`), so that a command confirmed in one process and seen in another can be compared.
 */
export type FleetRequest =
  | {
      type: 'start';
      role: 'issuers' | 'watchers';
      serverUrl: string;
      first: number;
      count: number;
      dataDir: string;
      /** The demonstration force these workstations serve (DMO when absent): its configuration and an account of it. */
      force?: string;
    }
  | { type: 'clock' }
  | { type: 'cursors' }
  /** An incident of the issuer's force; at `point`, when given (near the border: shared automatically). */
  | { type: 'createIncident'; point?: { lat: number; lon: number } }
  | { type: 'issue'; incidentId: string; text: string }
  | { type: 'window'; action: 'open' | 'close' }
  /** `expected: false`: an entry this process's workstations may not receive (another force's, not shared): not waited for. */
  | { type: 'observations'; entries: { entryId: string; issuer: number; expected?: boolean }[]; timeoutMs: number }
  /** Shares one of the issuer's incidents by hand with another force, at the assist tier (its log goes too). */
  | { type: 'share'; incidentId: string; sharedWith: string }
  /** Books one of the issuer's force's units on duty for the next hours: a unit to lend. */
  | { type: 'bookOn'; callSign: string }
  /** Asks `lender` for the unit `callSign` for one of the issuer's incidents; the reply is the loan's id. */
  | { type: 'loanRequest'; incidentId: string; lender: string; callSign: string }
  /** Lends the unit asked for, once the request and the unit (free) have reached this workstation. */
  | { type: 'loanAccept'; loanId: string; timeoutMs: number }
  /** Returns the lent unit, once the acceptance has reached this workstation. */
  | { type: 'loanReturn'; loanId: string; timeoutMs: number }
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
  share: null;
  bookOn: null;
  loanRequest: string;
  loanAccept: null;
  loanReturn: null;
  stop: null;
}

export type FleetReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** performance.now() on a clock every process on this machine shares (the wall clock at each one's start). */
export function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}
