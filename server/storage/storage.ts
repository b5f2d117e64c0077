import type { ApplyResult, StateView } from '../../shared/commands/types';
import type { RecordKey } from '../../shared/domain/records';
import type { CommandEnvelope, CommandOutcome, PullResponse } from '../../shared/sync/protocol';

/** What processing one command needs from storage: the records it reads, and the decision given them. */
export interface CommandPlan {
  reads: RecordKey[];
  /**
   * Decides the command against the current records, inside the storage transaction. `nextSerial` draws the next
   * number of a named counter (incident references), rolled back with the rest if the command is refused.
   */
  decide(state: StateView, nextSerial: (counter: string) => number): ApplyResult;
}

export type ProcessResult =
  | { kind: 'processed'; outcome: CommandOutcome; head: number }
  | { kind: 'duplicate'; outcome: CommandOutcome }
  | { kind: 'out_of_order'; expected: number };

export interface PullQuery {
  since: number;
  clientId: string;
  afterClientSeq: number;
  limit: number;
}

/**
 * The central server's storage. The embedded SQLite file and PostgreSQL both implement it and pass the same
 * tests. One command is one transaction: its changes, their sequence numbers and the client's last clientSeq
 * commit together, so a command is applied once however often it arrives.
 */
export interface ServerStorage {
  readonly kind: 'sqlite' | 'postgres';
  process(envelope: CommandEnvelope, plan: CommandPlan, processedAt: string): Promise<ProcessResult>;
  /** A command whose envelope could not be read at all: recorded as refused so the client can move past it. */
  refuse(clientId: string, clientSeq: number, commandId: string, reason: string, processedAt: string): Promise<ProcessResult>;
  pull(query: PullQuery): Promise<PullResponse>;
  head(): Promise<number>;
  /** The highest clientSeq of this client processed so far (0 for a client never seen). */
  lastClientSeq(clientId: string): Promise<number>;
  close(): Promise<void>;
}
