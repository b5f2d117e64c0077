import type { z } from 'zod';
import type { ForceConfig } from '../domain/force-config';
import type { AnyRecord, RecordDocs, RecordKey, RecordKind } from '../domain/records';
import type { RedoOf } from '../domain/refusal';
import type { Relay } from '../domain/relay';
import { latestInstant, type Instant } from '../domain/time';
import type { CommonPriority } from '../domain/common-priority';

/** Who issued a command: carried in every envelope and written into what it creates. */
export interface Actor {
  operator: string;
  workstation: string;
  clientId: string;
}

export interface ApplyContext {
  /**
   * The operator's time of the action (the envelope's issuedAt): used for what the log shows. The server gives its
   * own time instead where the desk's was after it (see deskIssuedAt; server/commands/exercise-time.ts).
   */
  issuedAt: Instant;
  /**
   * Set by the server when the desk's time of issue was after its own now (a desk clock set ahead; a trainee's desk
   * that ran on through an exercise pause it could not hear): the desk's time, kept for the reasons a refusal gives.
   * The records take `issuedAt`, the server's.
   */
  deskIssuedAt?: Instant;
  /**
   * The server's own time as it decides the command; absent on a workstation (its optimistic view), where `issuedAt`
   * stands in. For what must follow the server's order of events, not only the desk's clock: when a unit's loan began
   * and ended (a take-back queued offline and sent later took effect, for every other desk, when the server took it):
   * takesEffectAt.
   */
  recordedAt?: Instant;
  actor: Actor;
  config: ForceConfig;
  /**
   * The common priority of another force's incident, by its force and grade (the server's, from every force it
   * serves: shared/dispatch/receipts.ts receiptGrade). Absent on a workstation, which reads it from the incident as a
   * share shows it (`sharedView`), never that force's grade.
   */
  commonPriorityOf?: (force: string, grade: string) => CommonPriority | null;
  /** Set only for the server's own commands (bringing configured units and operators into service). */
  trusted?: boolean;
  /** The command's own id (from its envelope), where one is being applied. */
  commandId?: string;
  /** The refused command this one does again, if any (see applyRedo in refusal-handle.ts). */
  redoOf?: RedoOf;
  /** Set when a unit's terminal or the telephony switch speaks through a workstation: the actor is then that. */
  relay?: Relay;
  /**
   * Set when the workstation made the command on its own (shared/domain/automatic.ts madeAutomatically): a deadline's
   * claim, a refusal marked sent again. The actor's operator is then only who was signed in: the log lines it writes
   * name the system (systemEntry), never them.
   */
  automatic?: true;
}

/** The records a command read, as the applier sees them: the server's truth, or the workstation's optimistic view. */
export interface StateView {
  get<K extends RecordKind>(kind: K, id: string): RecordDocs[K] | undefined;
  /**
   * The ids of every share of the incident the store holds, whatever their ids, where the command asked for them
   * (the server's CommandPlan.allSharesOf; each is readable with `get`); absent, or empty, where it did not.
   */
  shareIdsOf?(incidentId: string): readonly string[];
}

/**
 * Why a command was refused. `invalid` and `not_found` are permanent: resending will not help, so a workstation
 * puts the command in its dead-letter list with the reason. `unauthenticated` never comes from the rules: the
 * server's ticket check gives it, and the operator can put it right by signing in again, so the workstation holds
 * the command and sends it again once they have.
 */
export type RejectionCode = 'invalid' | 'not_found' | 'forbidden' | 'conflict' | 'unauthenticated';


export type ApplyResult =
  | { ok: true; changes: AnyRecord[] }
  /** `target`: for a conflict, the record the command lost on (its current version goes in the conflict). */
  | { ok: false; code: RejectionCode; reason: string; target?: RecordKey };

/**
 * A named user action. Its effect is a pure function of its arguments and the records it reads, so the
 * workstation (optimistically) and the server (authoritatively) compute the same documents. Applying a command's
 * changes twice leaves the same state as once: replay after a pull depends on it.
 */
export interface CommandDefinition<A> {
  name: string;
  args: z.ZodType<A>;
  reads(args: A): RecordKey[];
  /**
   * Records it may write that its arguments name but it does not read (a log line under an id derived from them):
   * the central server reads them with its reads, for its audit entries' comparison of each with what it was, instead
   * of asking for them apart. Never shown to `apply`, which sees only what `reads` names.
   */
  writes?(args: A): RecordKey[];
  apply(args: A, ctx: ApplyContext, state: StateView): ApplyResult;
  /**
   * For a contended command that lost: the same intent against the records as they are now (current versions,
   * fresh ids), for an operator who chooses to do it again. Absent where there is nothing to compare.
   */
  redo?(args: A, state: StateView): A;
}

/**
 * When the command takes effect for every desk: the server's time as it decides it (ApplyContext.recordedAt), where it
 * is decided there; the desk's on a workstation. For what must follow the server's order of events, not a desk's
 * clock, which may be behind (a command queued offline and sent later) or ahead (a clock set wrong): when a unit's
 * loan began and ended.
 */
export function takesEffectAt(ctx: Pick<ApplyContext, 'issuedAt' | 'recordedAt'>): Instant {
  return ctx.recordedAt ?? ctx.issuedAt;
}

/**
 * When a paper record is entered, for the check that its times are not still to come (back-entry.ts
 * paperTimeRefusal): the earlier of the desk's time and the server's, so that a desk whose clock runs ahead cannot
 * record a unit's paper deployment in what is, for the server and every other desk, the future; `deskEnteredMs` then
 * gives the desk's time for the words (as a training server's, deskIssuedAt).
 */
export function paperEntered(ctx: Pick<ApplyContext, 'issuedAt' | 'recordedAt' | 'deskIssuedAt'>): { enteredMs: number; deskEnteredMs?: number } {
  const issuedMs = Date.parse(ctx.issuedAt);
  const recordedMs = ctx.recordedAt === undefined ? Number.NaN : Date.parse(ctx.recordedAt);
  if (recordedMs < issuedMs) return { enteredMs: recordedMs, deskEnteredMs: issuedMs };
  return ctx.deskIssuedAt === undefined ? { enteredMs: issuedMs } : { enteredMs: issuedMs, deskEnteredMs: Date.parse(ctx.deskIssuedAt) };
}

/**
 * The context with its time (`issuedAt`) moved up to the latest of `floors` (ISO UTC; null and absent ignored) where
 * it is earlier, everything else as it was: for a change that cannot have happened before what it follows, whatever
 * the desk's clock said. A desk running slow, or a command queued offline and sent after others moved the same
 * record, would otherwise date a unit's deployment before its loan began (the unit then on two forces' incidents at
 * once in the record) or a clear before the deployment it clears. The server cannot tell a slow clock from an honest
 * queued time (server/commands/exercise-time.ts), so the record holds the order itself.
 */
export function notBefore<C extends Pick<ApplyContext, 'issuedAt'>>(ctx: C, ...floors: (string | null | undefined)[]): C {
  const latest = latestInstant(floors);
  return latest !== null && Date.parse(latest) > Date.parse(ctx.issuedAt) ? { ...ctx, issuedAt: latest } : ctx;
}

/**
 * The context of a command that takes effect at the server's time (takesEffectAt) in all it writes: a loan's
 * acceptance, return or take-back, which end or begin what the other force's records are checked against.
 */
export function atEffect<C extends Pick<ApplyContext, 'issuedAt' | 'recordedAt'>>(ctx: C): C {
  return ctx.recordedAt === undefined ? ctx : { ...ctx, issuedAt: takesEffectAt(ctx) };
}

export function reject(code: RejectionCode, reason: string): ApplyResult {
  return { ok: false, code, reason };
}

/**
 * The command refers to a record the server does not have. Ids come only from earlier commands, so this means
 * the command that made the record was itself refused (often a lost race made offline): this one lost with it,
 * and goes to the conflict inbox beside it rather than disappearing as an error nobody can place.
 */
export function missing(target: RecordKey, what: string): ApplyResult {
  return { ok: false, code: 'conflict', reason: `${what} does not exist (if it was made offline, the command that made it was refused)`, target };
}

/**
 * The record changed since the operator looked at it, or is no longer in a state that allows this: the command
 * loses, visibly, and the operator decides what to do.
 */
export function conflict(reason: string, target: RecordKey): ApplyResult {
  return { ok: false, code: 'conflict', reason, target };
}
