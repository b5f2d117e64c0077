import type { Delivery } from './protocol-workstation';

/**
 * What the server-load suite and its process of protocol workstations (dist/node/bench-load-clients.mjs) say to each
 * other over the IPC channel. Every time is measured inside the workstations' process, on its own clock.
 */
export type LoadRequest =
  | {
      type: 'connect';
      serverUrl: string;
      /**
       * Further instances of the server on the same database: the workstations are divided between all the addresses
       * (each starts at its own and is given the others to move to), and the head is asked of whichever answers.
       */
      otherServerUrls?: string[];
      enrolmentKey: string;
      /** Workstations wanted in all: more are enrolled and connected until there are this many. */
      workstations: number;
      /** The first `issuers` sign in as `operator` and each books on its own unit (`units[i]`, at version 1). */
      issuers: number;
      operator: { name: string; password: string };
      units: string[];
      /** How the workstations take the room's changes (see ProtocolWorkstationOptions.delivery). */
      delivery: Delivery;
    }
  /** Signs the operator in at the first `workstations` (those not signed in yet), for them to issue commands. */
  | { type: 'signIn'; workstations: number; operator: { name: string; password: string } }
  /** With the server down: each of the first `workstations` queues `commandsEach` commands (an incident and its log). */
  | { type: 'queue'; workstations: number; commandsEach: number }
  /** The server is back: waits until every command is answered and every workstation live and at the head. */
  | {
      type: 'drain';
      timeoutMs: number;
      /** A server address that failed: drained only once no workstation uses it any more (moved to another instance). */
      leaving?: string;
    }
  | { type: 'quiesce'; timeoutMs: number }
  | { type: 'counters' }
  | { type: 'step'; ratePerSecond: number; seconds: number; settleTimeoutMs: number }
  | { type: 'stop' };

/** Totals since the process started, for differences over a window. */
export interface LoadCounters {
  pulls: number;
  /** Batches of changes taken from the live channel, without a pull. */
  liveBatches: number;
  changesDelivered: number;
  /** Bytes the live channels carried (every workstation's, as the server wrote them). */
  liveBytes: number;
  problems: number;
  live: number;
  workstations: number;
  /** How many workstations use each server address now. */
  byServer?: Record<string, number>;
}

export interface StepResult {
  ratePerSecond: number;
  commands: number;
  /** Commands issued per second of the issuing time (the schedule is open loop: below the rate only if we fell behind). */
  achievedPerSecond: number;
  issuingSeconds: number;
  /** From the first command to the last one visible everywhere (or the timeout). */
  totalSeconds: number;
  rejected: number;
  rejections: string[];
  /** Commands not answered when the settle time ran out. */
  unanswered: number;
  /** Push acknowledged → that workstation pulled it, every (command, other workstation) pair. */
  visiblePairMs: { p50: number; p99: number };
  /**
   * Push acknowledged → the last other workstation pulled it, per command. Infinity (null in JSON) where a
   * command was not answered, or not seen everywhere, within the settle time.
   */
  visibleEverywhereMs: { p50: number; p95: number; p99: number; max: number };
  /** (command, workstation) pairs not seen when the settle time ran out. */
  missing: number;
  /** Command into the outbox → the push's answer (includes waiting behind the previous push of the workstation). */
  acknowledgedMs: { p50: number; p99: number };
  pulls: number;
  liveBatches: number;
  changesDelivered: number;
  /** Bytes the live channels carried (every workstation's, as the server wrote them). */
  liveBytes: number;
  problems: number;
  problemSamples: string[];
  /** The workstations' process: event loop delay (ms), a sign of the harness falling behind. */
  harnessLoopDelayMs: { p50: number; p99: number; max: number };
}

/** A room coming back after its server restarted, measured from the moment the suite says the server is up. */
export interface DrainResult {
  /** Until every queued command was answered and every workstation was live and at the head; null: not within the time allowed. */
  drainedInMs: number | null;
  notDrained?: string;
  /** Until every workstation's live channel was open again. */
  reconnectedInMs: number;
  commands: number;
  workstations: number;
  pulls: number;
  liveBatches: number;
  /** The health check asked every 100 ms meanwhile: how long its answers took, and how many failed. */
  healthMs: { p50: number; max: number };
  healthFailures: number;
  /** Pushes and pulls begun in the busiest second, of all workstations together: how much of a herd there was. */
  busiestSecondRequests: number;
}

export interface LoadReplies {
  connect: { connectedInMs: number; head: number };
  signIn: { signedIn: number };
  queue: { queued: number };
  drain: DrainResult;
  quiesce: { head: number };
  counters: LoadCounters;
  step: StepResult;
  stop: null;
}

export type LoadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
