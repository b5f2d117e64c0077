import type { Logger } from 'pino';
import type { Handlers } from './dispatcher';
import type { EventListener } from './dispatcher';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { RecordKey } from '../../shared/domain/records';
import type { Relay } from '../../shared/domain/relay';
import type { Clock } from '../../shared/domain/time';
import type { WorkstationStore } from '../store/workstation-store';
import type { SyncClient } from '../sync/sync-client';
import type { OperatorSession } from './operator-session';
import { ApiError } from '../../shared/contract/errors';

/** What the core's handlers share: the store, the rules, the way to issue commands, and the signed-in operator. */
export interface CoreContext {
  store: WorkstationStore;
  config: ForceConfig;
  clock: Clock;
  log: Logger;
  workstation: string;
  session: OperatorSession;
  sync: SyncClient;
  emit: EventListener;
  /**
   * Issues commands in one transaction; see console-core.ts. Each command's arguments are made when it is issued,
   * given the ids of the commands issued before it in the same call. `around` runs workstation bookkeeping in the
   * same transaction: `before` the commands (returning records whose view it changed), `after` them.
   */
  issueAll(commands: CommandToIssue[], around?: IssueAround): RecordKey[];
  issue(name: string, makeArgs: () => unknown): RecordKey[];
  /**
   * Records a message from a unit's terminal or the telephony switch as one command relayed by this workstation
   * (shared/domain/relay.ts): in the relay's name, at the time it happened (`issuedAt`), one transaction with its
   * outbox row like any command, whoever is signed in here or if nobody is. The rules refuse what the relay may not
   * say (throws).
   */
  relay(relay: Relay, name: string, makeArgs: () => unknown, issuedAt: string): RecordKey[];
}

export interface CommandToIssue {
  name: string;
  makeArgs: (earlier: readonly string[]) => unknown;
  /** The refused command this one does again (a redo): it stands only while that refusal waits. */
  redoes?: { refusalId: string; action: 'redone' };
}

export interface IssueAround {
  before?(): RecordKey[];
  after?(commandIds: readonly string[]): void;
}

/** A group of the contract's channels, handled together. */
export type HandlerGroup<C extends keyof Handlers> = Pick<Handlers, C>;

/** The value, or a not-found error naming what was looked for. */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ApiError('not_found', `no ${what} on this workstation`);
  return value;
}
