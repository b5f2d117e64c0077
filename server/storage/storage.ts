import type { RejectionCode, StateView } from '../../shared/commands/types';
import { keyString, type AnyRecord, type RecordKey, type RecordKind } from '../../shared/domain/records';
import type { CommandEnvelope, CommandOutcome, PullResponse, RecordChange } from '../../shared/sync/protocol';
import type { AuditDraft, AuditEntry } from '../audit/audit-chain';
import type { OtherForceHold } from '../audit/erasure-audit';
import type { RevealRow } from '../audit/verify-reveals';
import type { ForceCode } from '../../shared/domain/force';
import type { ErasableKind, ErasureSeen } from '../../shared/domain/erasure';

/**
 * What the server decided about one command, and the records that decision writes. A refusal may write records
 * too: a conflict, for the operator's and supervisors' inbox, is itself a record everyone receives.
 */
export type Decision =
  /**
   * `unseen`: records a consultation names that belong to another force which never held them: the look is logged
   * in the looking force's own log as a look at a record unknown here, and nothing is written to the owner's
   * (server/commands/consultation-check.ts).
   */
  | { status: 'applied'; changes: AnyRecord[]; unseen?: RecordKey[] }
  | { status: 'rejected'; code: RejectionCode; reason: string; changes: AnyRecord[] };

/**
 * What the store holds under one key, whether or not the command declared it: the record's document; null for an
 * erased record (its withdrawal holds the id for ever); undefined for an id no record has ever held. Given to
 * CommandPlan.decide for the server's check that a command makes a new record only under an id no record holds, any
 * force's (server/commands/plan-command.ts takenId): the rules see only what a command declares, and would take any
 * other id for a new one.
 */
export type Holding = (key: RecordKey) => unknown;

/** What processing one command needs from storage: the records it reads, and the decision given them. */
export interface CommandPlan {
  reads: RecordKey[];
  /**
   * Records the command may write beside its reads (CommandDefinition.writes), read with them where that saves a round
   * trip (PostgreSQL), for its audit entries; never part of the state its decision sees.
   */
  writes?: readonly RecordKey[];
  /**
   * Records to read as well because of what was read (a share's incident, then that incident's units), in the same
   * transaction: asked again with each wider state until it names nothing new (readAllOf). Reads only what was read.
   */
  thenReads?(state: StateView): RecordKey[];
  /** The force the command is decided for (its workstation's): its audit entries are that force's. None: null in them. */
  force: ForceCode | null;
  /**
   * Decides the command against the current records, inside the storage transaction. `nextSerial` draws the next
   * number of a named counter (incident references), rolled back with the rest if nothing is written. `holding`
   * answers for any key, declared or not (a storage that must read a key first may decide again once it has).
   */
  decide(state: StateView, nextSerial: (counter: string) => number, holding?: Holding): Decision;
  /**
   * A refused decision told which of the records the command read were erased, each (by `kind:id`) with what the
   * command's force's own log says of its erasure (ServerStorage.erasureOf; a record its log has no erasure entry on
   * is left out): the decision again, in words that say so (a command queued offline on an incident erased meanwhile
   * is told who erased it and when, not that it "does not exist"). Asked only when some record read was erased.
   */
  erased?(decision: Decision, erasures: ReadonlyMap<string, ErasureSeen>): Decision;
  /**
   * Incidents whose every share the command reads too, found by their documents' `incidentId` whatever their ids, in
   * the same transaction (StateView.shareIdsOf lists them): a share under an id no rule derives any more (a kept view an
   * older build made, keyed by its transfer) is otherwise never read, and so never ended (server/commands/transfer-move.ts).
   */
  allSharesOf?: readonly string[];
  /**
   * Records the command's arguments name that it does not read (a command refused before the rules, for its ticket):
   * with `reads`, what the storage checks for an erased record before keeping a refused command's arguments.
   */
  named?: RecordKey[];
  /**
   * Entries the command brings whatever its decision (for one refused for its ticket, the auditor's `access-refused`),
   * chained after its own in its transaction: never a refusal stored without its entry, nor the reverse.
   */
  audit?: AuditDraft[];
  /**
   * A failed sign-in the command counts toward a lockout once applied (a wrong password refused at a workstation
   * while the server was out of reach: server/access/offline-refusals.ts), noted in the command's own transaction,
   * with the audit entries it brings: the count and the command's entries stand or fall together.
   */
  signInFailure?: SignInFailurePlan;
  /**
   * What the command revokes once applied (deactivating an account: its operator's sign-in tickets,
   * server/access/account-effects.ts), with the revocation's audit entries, in the command's own transaction: a
   * server stopped at any moment leaves either the account active with its tickets good, or deactivated with its
   * tickets revoked and the entry saying so, never deactivated with live tickets and no entry.
   */
  revokes?: { revocation: Revocation; audit: AuditDraft[] };
}

/** How an applied command counts a failed sign-in (see CommandPlan.signInFailure), decided inside its transaction. */
export interface SignInFailurePlan {
  /** The name the failure counts under (server/access/sign-in-lockout.ts failureKey), from the records read (declared in `reads`). */
  key(state: StateView): string;
  /**
   * Given the failures counted under that name so far (epoch ms, oldest first, this transaction's included): when
   * this one happened (ISO-8601 UTC) and the audit entries to chain after the command's own (the lockout it sets).
   */
  note(failures: readonly number[]): { at: string; audit: AuditDraft[] };
}

export type ProcessResult =
  /** `head` is the newest sequence after the command; it moved if the decision wrote records. */
  | { kind: 'processed'; outcome: CommandOutcome; head: number; wrote: boolean }
  /**
   * The command log already holds a command at this client's place, or under this command id: its outcome, and what
   * it was sent as, for the caller to tell a retry (the same command again) from another claiming its place or id.
   */
  | { kind: 'duplicate'; outcome: CommandOutcome; sent: LoggedCommand }
  | { kind: 'out_of_order'; expected: number };

/** One command of a workstation's push, as `process` takes it. */
export interface BatchCommand {
  envelope: CommandEnvelope;
  plan: CommandPlan;
  processedAt: string;
}

/** A command as the command log keeps it: `args` is its arguments' JSON text, `"null"` for one logged unread. */
export interface LoggedCommand {
  commandId: string;
  clientId: string;
  clientSeq: number;
  name: string;
  args: string;
  operator: string;
  issuedAt: string;
}

export interface EnrolledDevice {
  clientId: string;
  workstation: string;
  /**
   * The force the workstation was enrolled for: everything it receives and does is that force's (see
   * server/partition-filter.ts). Null only for a row no enrolment wrote, which then sees nothing and does nothing.
   */
  force: ForceCode | null;
  tokenHash: string;
  enrolledAt: string;
}

/**
 * An administrator's revocation. `device`: a workstation (its client id) whose device token stops working at once
 * and which may not enrol again; `tickets`: an operator whose sign-in tickets issued up to `revokedAt` stop working
 * (a new sign-in gives a good one). Revoking tickets again moves the time on.
 */
export interface Revocation {
  kind: 'device' | 'tickets';
  subject: string;
  revokedAt: string;
  reason: string;
}

/** A revoked workstation's revocation, with the workstation it was (its name and force), for the refusal's audit entry. */
export interface RevokedDevice extends Revocation {
  workstation: string;
  force: ForceCode | null;
}

/**
 * A question to the audit log as the storages answer it. `record`: entries about one record, newest (highest seq)
 * first. `operator`: one operator's entries done in [from, to) (ISO-8601 UTC) by the workstation's time
 * (issued_at: what was done offline is found at its own time) or recorded in it by the server's (recorded_at: a
 * workstation whose clock is hours wrong hides nothing from a question about the real period), newest workstation
 * time first, then highest seq; for `system`, every entry the system made, under each name it acts under
 * (shared/domain/automatic.ts: `system (automatically, while alice was signed in)` and the server's). `disclosures`: every `disclosure` entry, newest first.
 */
export type AuditSelection = (
  | { about: 'record'; recordKind: string; recordId: string }
  /** Entries about any of these records (an incident and its records, see auditRecordsOfIncident), newest first. */
  | { about: 'records'; records: RecordKey[] }
  | { about: 'operator'; operator: string; from: string; to: string }
  /** `otherForcesOnly`: without the audit log's own exports (command `audit.export`). */
  | { about: 'disclosures'; otherForcesOnly?: boolean }
) & {
  /**
   * The asking workstation's force: only its entries answer (DPA 2018 s.62: a force's log is its own). An entry
   * with no force, written before entries named theirs, is the first force's (FIRST_FORCE), as its records became.
   */
  force: ForceCode;
};

/** Where a page of an answer ended: its last entry's seq, and (operator questions, ordered by it) its issue time. */
export interface AuditPosition {
  seq: number;
  issuedAt: string;
}

/**
 * A records manager's erasure (shared/domain/erasure.ts): the record, the force erasing it (its owner, or refused),
 * and the erasure entries to write given what was erased (the target first), chained in the same transaction.
 */
export interface ErasureOrder {
  target: { kind: ErasableKind; id: string };
  force: ForceCode;
  /**
   * `references`: an incident's force and provisional references as it stood (none for other kinds), which the
   * erasure keeps (see incidentsWithReference) and its entry names. `altered`: another force's records the erasure
   * changed (erasure.ts keptAfterErasure), as they are written, whose entries go in their owners' logs. `others`:
   * the other forces that held something of what goes, with what their logs must still find by the target
   * (server/audit/erasure-audit.ts othersHolding), each given its own erasure entries.
   */
  audit(erased: RecordKey[], references: string[], altered: AnyRecord[], others: OtherForceHold[]): AuditDraft[];
  /**
   * Finds what would go, and why not, exactly as the erasure does, and writes nothing (the administrator's
   * confirmation: its counts are the erasure's). The outcome's `head` is then the head as it stands.
   */
  preview?: boolean;
}

/**
 * What an erasure did (or, previewed, would do): the erasing force's records written as withdrawals (the target
 * first), the number of other forces' records it changed (kept theirs, only a copy of the erased record cleared:
 * erasure.ts), the new head, and its records it handed to another force instead (erasure.ts lendersPart, as kept:
 * `keptBy` that force); or why it did nothing.
 */
export type ErasureOutcome = { erased: RecordKey[]; altered: number; head: number; handedOver: AnyRecord[] } | { refused: string };

/** Stored documents for the room's measures (see ServerStorage.measureRecords). */
export interface MeasureRecordDocs {
  contacts: unknown[];
  incidents: unknown[];
  assignments: unknown[];
}

/** Changes after `since` in sequence order, as the whole room may receive them (see ServerStorage.changes). */
export type ChangesPage = Pick<PullResponse, 'since' | 'upTo' | 'head' | 'changes' | 'hasMore'>;

/**
 * One client's part of a pull page (ServerStorage.progress), with the head of the same snapshot: a pull whose `since`
 * is at or past it has no changes to read (an idle pull; see server/pull-coalescer.ts).
 */
export type ClientProgress = Pick<PullResponse, 'lastClientSeq' | 'rejected' | 'head'>;

export interface PullQuery {
  since: number;
  clientId: string;
  afterClientSeq: number;
  limit: number;
}

/**
 * The central server's storage. The embedded SQLite file and PostgreSQL both implement it and pass the same
 * tests. One command is one transaction: its changes, their sequence numbers, the client's last clientSeq and, for
 * an applied command, its audit entries commit together, so a command is applied once however often it arrives,
 * and nothing is applied without its audit entries nor audited without being applied.
 *
 * The audit log is append-only by construction: `process` appends to it (server/audit/command-audit.ts says what),
 * `auditEntries` reads it, and nothing here changes or removes an entry; the databases refuse that too (triggers).
 */
/** A password as stored: its scrypt hash, and the force whose administrator or operators file set it (null: unknown). */
export interface StoredCredential {
  hash: string;
  force: string | null;
}

/**
 * processBatch's refusal of a batch planned against ticket revocations that have changed since (see ticketsAssumed):
 * nothing of it was processed. `revokedAt`: each named operator's latest, as the transaction read it (null for none).
 */
export class RevocationsMoved extends Error {
  constructor(readonly revokedAt: ReadonlyMap<string, string | null>) {
    super(`the tickets of ${[...revokedAt.keys()].join(', ')} were revoked since the push was planned`);
  }
}

/**
 * What a push was planned against and its transaction checks before processing anything (see processBatch):
 * `tickets`, when each operator's tickets were last revoked (ISO-8601, null for never), from the server's copy
 * (server/access/ticket-revocations.ts); `device`, the workstation whose token the push came with, from the server's
 * copy of the enrolled devices (server/access/enrolled-devices.ts).
 */
export interface BatchAssumptions {
  tickets?: ReadonlyMap<string, string | null>;
  device?: { clientId: string; tokenHash: string };
}

/**
 * processBatch's refusal of a push whose device token no longer admits its workstation, as the transaction read the
 * devices (an administrator revoked the workstation, or it enrolled again with a new token, here or at another
 * instance, since the server's copy was made): nothing of it was processed. The server asks the storage afresh, to
 * refuse the request with the reason (server/access/device-tokens.ts).
 */
export class DeviceWithdrawn extends Error {
  constructor(readonly clientId: string) {
    super(`workstation ${clientId}'s device token no longer admits it`);
  }
}

/** The operators whose tickets `held` (each one's latest revocation, null for none) shows otherwise than `assumed`; empty when none. */
export function revocationsMoved(assumed: ReadonlyMap<string, string | null> | undefined, held: (operator: string) => string | null): Map<string, string | null> {
  const moved = new Map<string, string | null>();
  for (const [operator, revokedAt] of assumed ?? []) {
    const now = held(operator);
    if (now !== revokedAt) moved.set(operator, now);
  }
  return moved;
}

export interface ServerStorage {
  readonly kind: 'sqlite' | 'postgres';
  process(envelope: CommandEnvelope, plan: CommandPlan, processedAt: string): Promise<ProcessResult>;
  /**
   * One workstation's pushed commands, in clientSeq order, processed as `process` would one after another but in one
   * transaction: one commit (one sync of the SQLite file), one turn of PostgreSQL's sequence lock and one pooled
   * connection for the batch, not one per command. After each command's result (and its index) `goOn` says whether to go on (a push
   * stops at a gap, or at a command id claimed by another command); the results are those processed, the last being
   * the one that stopped the batch. A command that fails (throws) stops the batch: the commands before it are
   * committed, and its error is thrown.
   *
   * `assumed.tickets`: when each operator's tickets were last revoked (ISO-8601, null for never) as the commands were
   * planned from a copy the server keeps (server/access/ticket-revocations.ts). Read again in the batch's transaction
   * before any of its commands is processed; if one differs (an administrator revoked them since, here or at another
   * instance), nothing of the batch is processed and RevocationsMoved is thrown, naming those operators, for the
   * commands to be planned again against what the storage holds now.
   *
   * `assumed.device`: the workstation the push's device token was taken to be, from the server's copy. Read again in
   * the transaction: if the token no longer admits that workstation (revoked, or replaced by a new enrolment), nothing
   * of the batch is processed and DeviceWithdrawn is thrown. So a copy never lets a revoked workstation write.
   */
  processBatch(commands: readonly BatchCommand[], goOn: (result: ProcessResult, index: number) => boolean, assumed?: BatchAssumptions): Promise<ProcessResult[]>;
  pull(query: PullQuery): Promise<PullResponse>;
  /**
   * The changes after `since`, at most `limit`, with the head, from one snapshot: what a pull page holds apart from
   * anything of one client. The live hub reads each batch it sends the room with this, once for every workstation.
   */
  changes(since: number, limit: number): Promise<ChangesPage>;
  head(): Promise<number>;
  /**
   * Calls back with the new head whenever records change through another server instance sharing this storage
   * (PostgreSQL LISTEN/NOTIFY: a poke only; the records table is the record). The embedded SQLite file has one
   * instance, so it never calls. Returns the unsubscribe function.
   */
  onExternalChange(listener: (head: number) => void): () => void;
  /** The highest clientSeq of this client processed so far (0 for a client never seen). */
  lastClientSeq(clientId: string): Promise<number>;
  /**
   * What a pull page holds of one client alone, from one snapshot: its progress and its refusals after
   * `afterClientSeq`, and the head as that snapshot has it (the rest of the page is `changes`, shared by every client
   * asking from the same point; see server/pull-coalescer.ts).
   */
  progress(clientId: string, afterClientSeq: number): Promise<ClientProgress>;

  // Access: what the server alone knows. None of it is ever a replicated record.
  /** A named secret of this server (the ticket signing key), made on first use and the same ever after. */
  secret(name: string): Promise<string>;
  /**
   * Records a workstation's device token (its hash); enrolling again replaces the old token. In the same
   * transaction, draws the next generation of provisional references for the workstation's name (see
   * server/access/reference-generations.ts), unique across every enrolment of that name. A client id already
   * enrolled for another force is not moved: the answer is `enrolledFor`, that force, and nothing is written.
   * `audit`: the enrolment's entries, given the generation drawn, chained in the same transaction: no token is
   * stored (nor an older one replaced, nor a generation drawn) without its entry, nor an entry without them.
   */
  enrolDevice(device: EnrolledDevice, audit?: (referenceGeneration: number) => AuditDraft[]): Promise<{ referenceGeneration: number } | { enrolledFor: ForceCode | null }>;
  /** The enrolled workstation with this token hash; null if none, or if that workstation has been revoked. */
  deviceByTokenHash(tokenHash: string): Promise<EnrolledDevice | null>;
  /** Every enrolment (client id) under a workstation name, revoked or not. */
  devicesNamed(workstation: string): Promise<EnrolledDevice[]>;
  /**
   * Records a revocation (see Revocation); one of tickets replaces the operator's earlier one. `audit`: its entries
   * (server/audit/access-audit.ts), appended in the same transaction.
   */
  revoke(revocation: Revocation, audit?: AuditDraft[]): Promise<void>;
  /** The revocation of this kind and subject, or null. */
  revocation(kind: Revocation['kind'], subject: string): Promise<Revocation | null>;
  /**
   * Which of these subjects have a revocation of this kind: one question for them all, so that checking every open
   * live channel costs the same for a room of 400 workstations as for one.
   */
  revokedAmong(kind: Revocation['kind'], subjects: readonly string[]): Promise<string[]>;
  /** The revocation of the workstation this device token was given to; null for a token unknown or not revoked. */
  revocationOfToken(tokenHash: string): Promise<RevokedDevice | null>;
  /**
   * Sets an operator's password hash, as set for `force` (the administrator's or the operators file's; null only in
   * tests of one force); `audit`: its entries (an administrator's reset), in the same transaction.
   */
  setCredential(operator: string, passwordHash: string, audit?: AuditDraft[], force?: string | null): Promise<void>;
  /** The operator's password hash and the force it was set for (server migration 12), or null for none. */
  credential(operator: string): Promise<StoredCredential | null>;
  /**
   * The operator's failed sign-ins (epoch ms, oldest first) since their count was last cleared: what
   * shared/domain/sign-in-lockout.ts decides a lockout from.
   */
  signInFailures(operator: string): Promise<number[]>;
  /**
   * Notes a failed sign-in (`at`, ISO-8601) with its audit entries (the failure, and the lockout it caused), together.
   * `entries` is given the failures stored before this one (epoch ms, oldest first), read in the same transaction
   * as the write: two refusals of one name at once each see the other's, so the lockout they cause is written once,
   * never twice and never not at all.
   */
  noteSignInFailure(operator: string, at: string, entries: (before: number[]) => AuditDraft[]): Promise<void>;
  /** Clears the count (a sign-in that succeeded; an administrator's unlock, with its audit entry), together. */
  clearSignInFailures(operator: string, audit?: AuditDraft[]): Promise<void>;
  /**
   * Audit entries after the given sequence number, oldest first, at most `limit` (a page at a time), their values
   * opened (null where an erasure deleted their record's key, `valuesErased`). Sequence numbers start at 1.
   */
  auditEntries(after: number, limit: number): Promise<AuditEntry[]>;
  /**
   * The same entries as stored, their values still sealed (server/audit/audit-seal.ts): what the chain's hashes are
   * over, for `npm run audit -- verify`. auditEntries gives them opened, as an auditor reads them.
   */
  auditChain(after: number, limit: number): Promise<AuditEntry[]>;
  /**
   * The rows of the index of what consultations showed (`audit_reveals`, server migration 13) naming an entry from
   * `fromSeq` to `toSeq` (both included), in sequence order: for `npm run audit -- verify`, which checks them against
   * the entries (server/audit/verify-reveals.ts). Read by the index on seq (server migration 14).
   */
  auditRevealRows(fromSeq: number, toSeq: number): Promise<RevealRow[]>;
  /**
   * Appends entries that no command carries (a question put to the audit log, an export of it) to the chain, in a
   * transaction of their own that takes the same turn as a command's, so no other entry is chained onto the same
   * one. Returns them as stored.
   */
  appendAuditEntries(drafts: AuditDraft[]): Promise<AuditEntry[]>;
  /**
   * The audit log's entries answering one question (see AuditSelection), newest first, at most `limit`, after the
   * entry `after` (the last of the page before; null for the first page). Uses the indexes of migration 6.
   */
  findAudit(selection: AuditSelection, after: AuditPosition | null, limit: number): Promise<AuditEntry[]>;
  /**
   * When the server first gave `operator` a sign-in ticket at the workstation `clientId` (its `ticket-issued` entry's
   * server time, ISO-8601), in `force`'s log; null when there is none. Every command of theirs from that workstation
   * carries a ticket, so none was done before it: an earlier workstation time is a clock not to be believed
   * (shared/domain/audit-clock.ts).
   */
  firstTicketAt(operator: string, clientId: string, force: ForceCode): Promise<string | null>;
  /**
   * Erases a record and those that go with it (shared/domain/erasure.ts), in one transaction: each is written as a
   * withdrawal (a change with no document, at a new sequence: every workstation holding it deletes it; commands and
   * pulls find nothing), the arguments of the commands that wrote or read them are cleared from the command log,
   * their audit values' keys are deleted (server/audit/audit-seal.ts: their entries stay, unreadable), an
   * incident's references are kept in `erased_references` (so a question by reference still finds its entries), and
   * the erasure entries are appended. Deleted bytes are overwritten in the SQLite file (secure_delete, then a
   * checkpoint of its write-ahead log); PostgreSQL frees them at its next vacuum.
   */
  erase(order: ErasureOrder): Promise<ErasureOutcome>;
  /** The audit values' keys of these records (`kind:id`), those that still exist (see server/audit/audit-seal.ts). */
  auditKeys(records: readonly string[]): Promise<Map<string, Buffer>>;
  /**
   * The incidents, of any force, whose force or provisional reference is this one, standing or erased, each with
   * its owning force (usually one; none if unknown; a force's own references are unique, but another force's
   * provisional reference may read the same). An erased incident's references are kept apart from its withdrawn
   * record, which names nothing any more (migration 10's `erased_references`). Who may learn of which is the
   * caller's to decide (server/audit/audit-routes.ts).
   */
  incidentsWithReference(reference: string): Promise<{ id: string; force: string | null }[]>;
  /**
   * The records whose audit entries answer "who looked at or changed this incident": while it stands, the incident
   * and its deployments, log entries, calls, shares, unit loans and offers to another force (by their documents'
   * `incidentId`: a lender's acceptance is about the incident too); once erased, the incident and
   * every record erased with it, as the erasure entry in `force`'s log names them (an erasure older than that list:
   * the incident alone). The incident first; just the incident when it is unknown.
   */
  auditRecordsOfIncident(incidentId: string, force: ForceCode): Promise<RecordKey[]>;
  /**
   * The newest erasure entry on this record in `force`'s log (server/audit/erasure-audit.ts: who, when, and its
   * `after`, which names the incident's references and what went with it), or null when `force` erased nothing of
   * that id. Erasure entries are never sealed, so `after` is readable after the erasure.
   */
  erasureOf(record: RecordKey, force: ForceCode): Promise<{ operator: string; recordedAt: string; after: string | null } | null>;
  /** The current document of one record, or null. */
  record(key: RecordKey): Promise<unknown>;
  /**
   * Every record of one kind last changed after `after`, in sequence order, with the head, from one snapshot: what
   * the server's book of shares catches up from (server/shares/share-book.ts).
   */
  recordsOfKind(kind: RecordKind, after: number): Promise<{ head: number; records: RecordChange[] }>;
  /**
   * An incident and the records that belong to it (its deployments and log entries: documents naming it as their
   * `incidentId`), each with the sequence that last changed it: what a share hands to the other force at once, or
   * withdraws from it. Empty for an incident unknown.
   */
  recordsOfIncident(incidentId: string): Promise<RecordChange[]>;
  /**
   * The conflicts about any of the records named (by id: a conflict's `target.id`), each with the sequence that last
   * changed it: what a share revoked or cut to view sends again to the force it was with, its copy of the owner's
   * record cut (server/shares/share-delivery.ts). Documents as stored; empty for none.
   */
  conflictsAbout(targetIds: readonly string[]): Promise<RecordChange[]>;
  /**
   * The records the room's measures over [from, to) (ISO-8601 UTC) may need (shared/measures/room-measures.ts):
   * incidents open at some moment of it (created before `to`, not closed before `from`), their assignments, and the
   * contacts that rang in it or are linked to those incidents. Documents as stored, unparsed. Instants are compared
   * to the second, so a few just outside the span may come too: the measures place each one exactly.
   */
  measureRecords(from: string, to: string, force: ForceCode): Promise<MeasureRecordDocs>;
  close(): Promise<void>;
}

/** How many rounds of thenReads a plan is given: a chain of records, one leading to the next, is never deeper. */
export const MAX_READ_ROUNDS = 4;

/**
 * The keys a plan reads once `state` (the records of `keys`) is known: `keys` with what its thenReads newly names,
 * or null when it names nothing new (or has no thenReads). A storage reads the wider keys in the same transaction
 * and asks again, at most MAX_READ_ROUNDS times, before deciding.
 */
export function widerReads(plan: Pick<CommandPlan, 'thenReads'>, keys: readonly RecordKey[], state: StateView): RecordKey[] | null {
  if (!plan.thenReads) return null;
  const known = new Set(keys.map(keyString));
  const more = plan.thenReads(state).filter((key) => !known.has(keyString(key)));
  return more.length === 0 ? null : [...keys, ...more];
}

/**
 * A refused decision in the words of the erasures of the records it read (CommandPlan.erased): `erased`, the keys read
 * that were erased; `erasureOf`, what the command's force's log says of one (null for none). Any other decision, or a
 * plan that gives no such words, is returned as it is.
 */
export function inErasureWords(decision: Decision, plan: Pick<CommandPlan, 'erased' | 'force'>, erased: readonly RecordKey[], erasureOf: (key: RecordKey, force: ForceCode) => ErasureSeen | null): Decision {
  if (decision.status !== 'rejected' || !plan.erased || !plan.force || erased.length === 0) return decision;
  const seen = new Map<string, ErasureSeen>();
  for (const key of erased) {
    const erasure = erasureOf(key, plan.force);
    if (erasure) seen.set(keyString(key), erasure);
  }
  return seen.size === 0 ? decision : plan.erased(decision, seen);
}

/**
 * A refused decision as it is kept when records it names were erased (both storages): in the words of the erasures of
 * the records it read (inErasureWords), and without its arguments where its force held what went (heldErasure).
 * `erasedRead`: the keys read that were erased; `erasedNamed`: those and the erased keys its arguments name
 * (CommandPlan.named); `erasureOf`: what a force's own log says of a record's erasure, or null.
 */
export function refusedAfterErasure(decision: Decision, plan: Pick<CommandPlan, 'erased' | 'force'>, erasedRead: readonly RecordKey[], erasedNamed: readonly RecordKey[], erasureOf: (key: RecordKey, force: ForceCode) => ErasureSeen | null, commandId: string): Decision {
  const worded = inErasureWords(decision, plan, erasedRead, erasureOf);
  return heldErasure(plan.force, erasedNamed, erasureOf) ? withoutErasedArguments(worded, commandId) : worded;
}

/**
 * Whether the force a refused command was decided for held any of the erased records it names (`erased`): its own log
 * has the erasure's entry on one (the erasing force's log has one on every record that went; another force's on the
 * incident and the records its people wrote on, server/audit/erasure-audit.ts othersHolding), or the plan names no
 * force. Then the refusal's record keeps no arguments, as the erasure cleared those of the commands before it. A force
 * that never held what went (a crafted push naming another force's erased record) is answered as for an id the
 * server never had, its arguments kept: nothing tells it the id was a record, nor that it was erased.
 */
export function heldErasure(force: ForceCode | null, erased: readonly RecordKey[], erasureOf: (key: RecordKey, force: ForceCode) => ErasureSeen | null): boolean {
  return force === null || erased.some((key) => erasureOf(key, force) !== null);
}

/**
 * A refused decision as it is kept when a record the command names has been erased: the refusal's (or conflict's)
 * record for the room carries no arguments, as the erasure cleared them from those before it (their personal data,
 * a log entry's text say, must not come back through a command that waited in an outbox). Its name, operator, time
 * and reason stay; only its workstation holds the arguments. Any other decision is returned as it is.
 */
export function withoutErasedArguments(decision: Decision, commandId: string): Decision {
  if (decision.status !== 'rejected') return decision;
  const changes = decision.changes.map((change): AnyRecord => {
    if (change.id !== commandId) return change;
    if (change.kind === 'refusal') return { ...change, doc: { ...change.doc, args: null } };
    if (change.kind === 'conflict') return { ...change, doc: { ...change.doc, args: null } };
    return change;
  });
  return { ...decision, changes };
}
