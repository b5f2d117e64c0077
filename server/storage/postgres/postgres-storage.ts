import { randomUUID } from 'node:crypto';
import { StoredVersions } from '../../change-json';
import { DatabaseError, Pool, type PoolClient, type QueryResult } from 'pg';
import type { StateView } from '../../../shared/commands/types';
import type { Logger } from 'pino';
import { keyString, parseRecord } from '../../../shared/domain/records';
import type { CommandEnvelope, CommandOutcome, PullResponse, RecordChange } from '../../../shared/sync/protocol';
import { MAX_READ_ROUNDS, widerReads, type AuditPosition, type AuditSelection, type BatchCommand, type ChangesPage, type ClientProgress, type CommandPlan, type Decision, type EnrolledDevice, type ErasureOrder, type ErasureOutcome, type MeasureRecordDocs, type ProcessResult, type PullQuery, type Revocation, type RevokedDevice, type ServerStorage, type StoredCredential, refusedAfterErasure, RevocationsMoved, revocationsMoved, DeviceWithdrawn, type BatchAssumptions } from '../storage';
import { openEntries, sealedRecords } from '../../audit/audit-seal';
import { erasureProblem, type ErasureSeen } from '../../../shared/domain/erasure';
import { ErasureSearch } from '../../../shared/domain/erasure-search';
import { measureDocs } from '../measure-docs';
import { referencesOf } from '../erased-references';
import { generationCounter, generationsBeforeCounting } from '../../access/reference-generations';
import type { RecordKey, RecordKind } from '../../../shared/domain/records';
import { randomBytes } from 'node:crypto';
import { ChangeListener } from './change-listener';
import { migratePostgres } from './migrate';
import { PokeRelay } from './poke-relay';
import { serverPostgresMigrations } from './migrations';
import { connectionConfig, redactDatabaseUrl } from './pg-config';
import { chainEntries, type AuditDraft, type AuditEntry } from '../../audit/audit-chain';
import { othersHolding } from '../../audit/erasure-audit';
import type { RevealRow } from '../../audit/verify-reveals';
import type { ForceCode } from '../../../shared/domain/force';
import {
  appendAudit,
  findAudit,
  readFirstTicketAt,
  keepErasedReferences,
  readAuditRecordsOfIncident,
  readMeasureRecords,
  readAuditAfter,
  readAuditBasis,
  readAuditKeys, readRevealRows,
  sealWithKeys,
  readLoggedAt,
  storable,
  readBatchBasis,
  BEGIN_AND_LOCK_SEQUENCE,
  toLogged,
  toOutcome,
  readChangesAndHead,
  readProgressAndRejected,
  readClientProgress,
  readCounters,
  readHead,
  readIncidentsWithReference,
  readErasureOf,
  readSharesOfIncidents,
  readForcesWritingOn,
  text,
  writeCounters,
  writeRecords,
  type RecordRow,
} from './statements';
import { failureKind, inTransaction, ONE_STATEMENT } from './transactions';
import { BatchWrites } from './batch-writes';
import { gatedConnections } from './connection-gate';

/** The channel every instance sharing a database LISTENs on. The payload is a poke, never data. */
const CHANNEL = 'cordon_changes';

export interface PostgresStorageOptions {
  log: Logger;
  /** Pool size per server instance (default 10). Writers take turns anyway; readers use the rest. */
  maxConnections?: number;
}

/**
 * An incident and its deployments and log entries (by the primary key, then by the index of their incidentId,
 * migration 8), with `$1` the incident's id. Exported so that a test can ask PostgreSQL how it runs it.
 */
export const POSTGRES_RECORDS_OF_INCIDENT = `
  SELECT seq, kind, id, doc FROM records WHERE kind = 'incident' AND id = $1
  UNION ALL
  SELECT seq, kind, id, doc FROM records WHERE kind IN ('assignment', 'logEntry') AND (doc::jsonb ->> 'incidentId') = $1
  ORDER BY seq`;

/**
 * The central record in PostgreSQL, shared by any number of server instances. Semantics mirror SqliteStorage
 * exactly, and both pass the same tests (tests/integration/server-storage.test.ts).
 *
 * The global sequence: every transaction that processes a command first locks the 'seq' row of counters
 * (SELECT … FOR UPDATE) and keeps it until it commits. So commands are processed one at a time across all instances,
 * and the sequence numbers a transaction takes are above every committed one and below every later one: sequence
 * order is commit order. That is what makes a client's cursor safe. With a SEQUENCE or an unlocked counter, seq N+1
 * could commit while N is still in flight; a reader at that moment would move its cursor past N and never see it.
 * PostgreSQL releases the row lock only after the commit is visible to new snapshots, so the next writer cannot
 * commit first. Writers run in READ COMMITTED: each statement after the lock sees everything committed before it,
 * so the decision is made against the current records. One writer at a time is the same discipline as SQLite's
 * immediate transactions; a group of commands holds the lock for two round trips to the database (the batch's read
 * sent behind the lock, its COMMIT behind its write; more only when a command reads further), ample for a control
 * room's rate of commands. The row lock is chosen over an advisory lock because the transaction updates
 * that row anyway, and it needs no agreed lock number. The named counters (incident references) need no lock of
 * their own: only a holder of the sequence lock reads or writes them.
 * Refusals take the lock too: it also serialises two instances handed the same client's command at once (a resend
 * racing the original), so the clientSeq check and the log row cannot be raced.
 */
export class PostgresStorage implements ServerStorage {
  readonly kind = 'postgres' as const;
  private readonly listeners = new Set<(head: number) => void>();
  private readonly relay = new PokeRelay(randomUUID(), (head) => this.emit(head));
  /** Counter names drawn recently (one incident-reference counter per day): read with the records, up front. */
  private readonly recentCounters = new Set<string>();
  /** Record versions as read, reused by every pull and live batch that reads them again (server/change-json.ts). */
  private readonly stored = new StoredVersions();
  private listener: ChangeListener | null = null;
  /** The pool's connections, a turn at a time (see gatedConnections): a burst waits its turn, never a pool timeout. */
  private readonly connections: ReturnType<typeof gatedConnections>;

  private constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
    poolSize: number,
  ) {
    this.connections = gatedConnections(pool, poolSize);
  }

  /** Connects, migrates (refusing a database newer than this build) and starts listening for other instances. */
  static async open(databaseUrl: string, options: PostgresStorageOptions): Promise<PostgresStorage> {
    const config = connectionConfig(databaseUrl);
    const size = options.maxConnections ?? 10;
    // Pipelined: a statement handed to a connection while another is answered goes out at once, behind it (a
    // transaction's first statement with its BEGIN, its COMMIT with its last: see inTransaction). Statements that
    // wait for each other's answers, as all others do, are sent as before.
    const pool = new Pool({ ...config, max: size, idleTimeoutMillis: 30_000, pipeline: true });
    // An idle connection that PostgreSQL closes (a restart) is reported here; unheard, it would end the process.
    pool.on('error', (error) => options.log.warn({ err: error }, 'PostgreSQL connection lost; the pool will open another'));
    const storage = new PostgresStorage(pool, options.log, size);
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, serverPostgresMigrations);
      } finally {
        client.release();
      }
      storage.listener = await ChangeListener.start({
        // Named apart from the pool's connections, to be found in pg_stat_activity.
        config: { ...config, application_name: 'cordon-server-listen' },
        channel: CHANNEL,
        log: options.log,
        onNotification: (payload) => storage.relay.heard(payload),
        onReconnected: (head) => storage.relay.listeningAgain(head),
      });
    } catch (error) {
      await pool.end().catch(() => {});
      throw new Error(`cannot open the PostgreSQL storage at ${redactDatabaseUrl(databaseUrl)}: ${(error as Error).message}`, { cause: error });
    }
    return storage;
  }

  async process(envelope: CommandEnvelope, plan: CommandPlan, processedAt: string): Promise<ProcessResult> {
    const [result] = await this.processBatch([{ envelope, plan, processedAt }], () => true);
    return result!;
  }

  /**
   * A push's commands in one transaction, with the other pushes waiting meanwhile (a group commit, as on SQLite): the
   * sequence lock taken once, one commit and one notification for the group, a few statements for all its commands.
   * Under a room's drained outboxes what bounds the rate is the round trips to the database, one transaction at a
   * time across the instances; grouping divides them by the pushes in a group. Each push's commands stop as its
   * `goOn` says. A command whose rules throw stops its own push only (those before it stand, and the push gets its
   * error); a fault of the database in a group of several sends each push again in a transaction of its own, so one
   * push's fault is not another's; in a push alone, the commands before the one that failed are committed, and its
   * error thrown.
   */
  async processBatch(commands: readonly BatchCommand[], goOn: (result: ProcessResult, index: number) => boolean, assumed: BatchAssumptions = {}): Promise<ProcessResult[]> {
    if (commands.length === 0) return [];
    return new Promise<ProcessResult[]>((resolve, reject) => {
      this.pushesWaiting.push({ commands, goOn, assumed, resolve, reject });
      void this.commitGroups();
    });
  }

  /** Pushes waiting for the next group (see processBatch). */
  private pushesWaiting: GroupedPush[] = [];
  private committingGroups = false;

  /** Commits groups of the pushes waiting, one transaction at a time, until none waits. */
  private async commitGroups(): Promise<void> {
    if (this.committingGroups) return;
    this.committingGroups = true;
    try {
      while (this.pushesWaiting.length > 0) {
        let take = 0;
        for (let commands = 0; take < this.pushesWaiting.length && (take === 0 || commands + this.pushesWaiting[take]!.commands.length <= MAX_GROUP_COMMANDS); take += 1) commands += this.pushesWaiting[take]!.commands.length;
        const group = this.pushesWaiting.slice(0, take);
        this.pushesWaiting = this.pushesWaiting.slice(take);
        await this.commitGroup(group);
      }
    } finally {
      this.committingGroups = false;
    }
  }

  private async commitGroup(group: readonly GroupedPush[]): Promise<void> {
    const failed = { at: 0 };
    try {
      const answers = await this.processInOneTransaction(group, failed);
      group.forEach((push, i) => {
        const answer = answers[i]!;
        if (answer.fault) push.reject(answer.fault.error);
        else push.resolve(answer.results);
      });
    } catch (error) {
      if (failureKind(error) === 'other' && group.length > 1) {
        for (const push of group) await this.commitGroup([push]);
        return;
      }
      if (failureKind(error) === 'other' && failed.at > 0) {
        const [push] = group;
        await this.processInOneTransaction([{ ...push!, commands: push!.commands.slice(0, failed.at) }], { at: 0 }).catch(() => undefined);
      }
      for (const push of group) push.reject(error);
    }
  }

  /**
   * processBatch's transaction for a group of pushes; `failed.at` is left at the index of the command that threw,
   * if one did. What the group writes is held until its end and written then, a statement per table (records,
   * audit entries, counters, command log, the clients' progress): each command reads what those before it wrote
   * from what is held (BatchWrites), so it is decided exactly as it would be one transaction after another, and a
   * command costs the database nothing of its own beyond its share of a few statements.
   */
  private processInOneTransaction(group: readonly GroupedPush[], failed: { at: number }): Promise<{ results: ProcessResult[]; fault?: { error: unknown } }[]> {
    let committing: number | null = null;
    const commands = group.flatMap((push) => push.commands);
    return inTransaction(this.connections, BEGIN_AND_LOCK_SEQUENCE, async (tx, begun, end) => {
      // A retry after a failed COMMIT: whether that commit happened is unknown, so its notification must not be lost.
      if (committing !== null) this.relay.commitUncertain(committing);
      committing = null;
      // Every record the group's commands declare they read, and those they may write beside (for their audit
      // entries: see CommandPlan.writes), with the rest a batch reads up front, in one question. Sent with the BEGIN
      // and the lock, before their answer: PostgreSQL starts it once the lock is had, so it sees every command
      // committed before (see lockedSequence).
      const keys = commands.flatMap((c) => [...c.plan.reads, ...(c.plan.writes ?? [])]);
      const reading = readBatchBasis(tx, {
        commandIds: commands.map((c) => c.envelope.commandId),
        counters: [...this.recentCounters],
        clientIds: [...new Set(commands.map((c) => c.envelope.clientId))],
        keys,
        // The ticket revocations and devices the pushes were planned against, read again here: no round trip of their own.
        ticketsOf: [...new Set(group.flatMap((push) => [...(push.assumed.tickets?.keys() ?? [])]))],
        devicesOf: group.flatMap((push) => (push.assumed.device ? [push.assumed.device.tokenHash] : [])),
      });
      // Heard below; marked heard now, for when the lock is not had (its error is the one that counts).
      reading.catch(() => undefined);
      const { head: before } = lockedSequence(await begun);
      const basis = await reading;
      const batch = new BatchWrites(before, basis, keys);
      const answers: { results: ProcessResult[]; fault?: { error: unknown } }[] = [];
      for (const push of group) {
        const answer: { results: ProcessResult[]; fault?: { error: unknown } } = { results: [] };
        answers.push(answer);
        const device = push.assumed.device;
        if (device && basis.admittedDevices.get(device.tokenHash) !== device.clientId) {
          // Its token no longer admits its workstation: nothing of it is processed.
          answer.fault = { error: new DeviceWithdrawn(device.clientId) };
          continue;
        }
        const moved = revocationsMoved(push.assumed.tickets, (operator) => basis.ticketsRevokedAt.get(operator) ?? null);
        if (moved.size > 0) {
          // Planned against revocations that have changed: nothing of it is processed; it is planned again.
          answer.fault = { error: new RevocationsMoved(moved) };
          continue;
        }
        for (const [index, command] of push.commands.entries()) {
          failed.at = index;
          let result: ProcessResult;
          try {
            result = await this.processOne(tx, command, batch);
          } catch (error) {
            // A fault of the database aborts the transaction (inTransaction retries it, or gives up); a fault of the
            // rules leaves it usable (nothing of the command was held): the commands before it are written below.
            if (failureKind(error) !== 'other' || error instanceof DatabaseError) throw error;
            answer.fault = { error };
            break;
          }
          answer.results.push(result);
          if (!push.goOn(result, index)) break;
        }
      }
      failed.at = 0;
      let notify: { channel: string; payload: string } | null = null;
      if (batch.head !== before) {
        // Delivered to every listening instance when, and only if, this transaction commits: once for the group.
        notify = { channel: CHANNEL, payload: this.relay.payload(batch.head) };
        // Before the statement that sends it, so before COMMIT: the notification can arrive before the COMMIT's answer does.
        committing = batch.head;
        this.relay.committing(batch.head);
      }
      // The COMMIT sent behind the batch's last statement, not after its answer.
      await batch.write(tx, before, notify, end);
      return answers;
    }).catch((error: unknown) => {
      if (committing !== null) this.relay.commitUncertain(committing);
      throw error;
    });
  }

  /** One command of a batch, the sequence lock held, against the records as the batch has left them. */
  private async processOne(tx: PoolClient, { envelope, plan, processedAt }: BatchCommand, batch: BatchWrites): Promise<ProcessResult> {
    const { clientId } = envelope;
    if (!batch.progress.has(clientId)) batch.progress.set(clientId, await readClientProgress(tx, clientId));
    const last = batch.progress.get(clientId)!;
    if (envelope.clientSeq <= last) {
      const logged = batch.loggedAt(clientId, envelope.clientSeq) ?? (await readLoggedAt(tx, clientId, envelope.clientSeq));
      if (!logged) throw new Error(`command ${envelope.clientSeq} of client ${clientId} was processed but is not in the log`);
      return { kind: 'duplicate', outcome: toOutcome(logged), sent: toLogged(logged) };
    }
    if (envelope.clientSeq > last + 1) return { kind: 'out_of_order', expected: last + 1 };
    // A command id the log holds already, at another place: never applied twice, never a second row under one id.
    const taken = batch.loggedById(envelope.commandId);
    if (taken) return { kind: 'duplicate', outcome: toOutcome(taken), sent: toLogged(taken) };

    // Every share of the incidents the plan asks for (CommandPlan.allSharesOf), whatever its id, read with the rest.
    const shares = await readSharesOfIncidents(tx, plan.allSharesOf ?? []);
    const withShares = (view: StateView): StateView => (shares.size === 0 ? view : { ...view, shareIdsOf: (incidentId) => shares.get(incidentId) ?? [] });
    const reads = [...plan.reads, ...[...shares.values()].flat().map((id) => ({ kind: 'share' as const, id }))];
    let state = withShares(await batch.state(tx, reads));
    let read = reads;
    // What the records read lead to (a share's incident, its units), read in turn in this transaction.
    for (let round = 0, keys = reads; round < MAX_READ_ROUNDS; round += 1) {
      const wider = widerReads(plan, keys, state);
      if (!wider) break;
      keys = wider;
      read = wider;
      state = withShares(await batch.state(tx, keys));
    }
    const { decision: decided, drawn } = await this.decide(tx, plan, state, batch);
    // A refused command naming a record erased while it waited keeps no arguments, in the log or its refusal's record.
    let decision = decided;
    if (decided.status === 'rejected') {
      const named = [...read, ...(plan.named ?? [])];
      await batch.learn(tx, named);
      const erasedNamed = named.filter((key) => batch.isErased(key));
      if (erasedNamed.length > 0) {
        // Said as erased, by whom and when, where the command's force's log has the erasure of a record it read.
        const erased = read.filter((key) => batch.isErased(key));
        const seen = new Map<string, ErasureSeen | null>();
        if (plan.force) for (const key of erasedNamed) seen.set(keyString(key), await readErasureOf(tx, key, plan.force));
        const erasureOf = (key: RecordKey) => seen.get(keyString(key)) ?? null;
        // Its refusal's record keeps no arguments only where its force held what went; the log of commands keeps none.
        decision = refusedAfterErasure(decided, plan, erased, erasedNamed, erasureOf, envelope.commandId);
        batch.clearArgs(envelope.commandId);
      }
    }
    // Records written twice by one command keep the later document and the later number, as in SQLite.
    const records = decision.changes.map((change) => parseRecord(change.kind, change.id, change.doc));
    // The failed sign-in it counts (a wrong password refused offline), held with the batch as its records are, its
    // lockout entry chained after the command's own: the count stands or falls with the command and its entries.
    let counted: AuditDraft[] = [];
    if (decision.status === 'applied' && plan.signInFailure) {
      const key = plan.signInFailure.key(state);
      const { at, audit } = plan.signInFailure.note(await batch.signInFailures(tx, key));
      batch.noteSignInFailure(key, at);
      counted = audit;
    }
    // Its audit entries compare each record with what it was before this command: drafted when the batch is written.
    // A deactivation's revocation of the account's tickets (CommandPlan.revokes), written with the batch, its entry
    // after the command's own: the deactivation, the revocation and the entry stand or fall together.
    if (decision.status === 'applied' && plan.revokes) {
      batch.revoke(plan.revokes.revocation);
      counted = [...counted, ...plan.revokes.audit];
    }
    if (decision.status === 'applied') batch.auditLater(envelope, processedAt, records, plan.force, decision.unseen, counted);
    if (plan.audit) batch.auditAlso(plan.audit);
    const head = batch.writeRecords(records);
    // Serials drawn are kept only with the records that carry them, as in SQLite.
    if (records.length > 0) for (const [name, value] of drawn) batch.drawCounter(name, value);
    const outcome: CommandOutcome =
      decision.status === 'applied'
        ? { commandId: envelope.commandId, clientSeq: envelope.clientSeq, status: 'applied', seq: head }
        : { commandId: envelope.commandId, clientSeq: envelope.clientSeq, status: 'rejected', code: decision.code, reason: text(decision.reason) };
    batch.logCommand({ envelope, outcome, processedAt });
    return { kind: 'processed', outcome, head, wrote: records.length > 0 };
  }

  async pull(query: PullQuery): Promise<PullResponse> {
    // One snapshot for the changes, the head and the client's progress and refusals: a reader never sees a head
    // above the changes it was given, nor progress without the refusals that are part of it.
    // Both statements and the COMMIT go out with the BEGIN, in one write: one round trip for the pull.
    return inTransaction(this.connections, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx, _begun, end): Promise<PullResponse> => {
      const [changes, progress] = await end.commitWith(Promise.all([readChangesAndHead(tx, query.since, query.limit + 1, this.stored), readProgressAndRejected(tx, query.clientId, query.afterClientSeq)]));
      return { ...changesPage(query.since, query.limit, changes), ...progress };
    });
  }

  async changes(since: number, limit: number): Promise<ChangesPage> {
    // One statement, one snapshot, one round trip: every pull of the room and every live batch reads this.
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => changesPage(since, limit, await readChangesAndHead(tx, since, limit + 1, this.stored)));
  }

  async head(): Promise<number> {
    return inTransaction(this.connections, ONE_STATEMENT, readHead);
  }

  async auditEntries(after: number, limit: number): Promise<AuditEntry[]> {
    return inTransaction(this.connections, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
      const stored = await readAuditAfter(tx, after, limit);
      return openEntries(stored, await readAuditKeys(tx, sealedRecords(stored)));
    });
  }

  async auditChain(after: number, limit: number): Promise<AuditEntry[]> {
    return inTransaction(this.connections, ONE_STATEMENT, (tx) => readAuditAfter(tx, after, limit));
  }

  async appendAuditEntries(drafts: AuditDraft[]): Promise<AuditEntry[]> {
    // The sequence lock, as a command takes it (with the BEGIN): every appender holds it, so two cannot chain onto the same entry.
    return inTransaction(this.connections, BEGIN_AND_LOCK_SEQUENCE, async (tx) => {
      const { head } = await readAuditBasis(tx, []);
      const entries = chainEntries(head, await sealWithKeys(tx, drafts.map(storable)));
      await appendAudit(tx, entries);
      return entries;
    });
  }

  async findAudit(selection: AuditSelection, after: AuditPosition | null, limit: number): Promise<AuditEntry[]> {
    return inTransaction(this.connections, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
      const found = await findAudit(tx, selection, after, limit);
      return openEntries(found, await readAuditKeys(tx, sealedRecords(found)));
    });
  }

  async auditRevealRows(fromSeq: number, toSeq: number): Promise<RevealRow[]> {
    return inTransaction(this.connections, ONE_STATEMENT, (tx) => readRevealRows(tx, fromSeq, toSeq));
  }

  async auditKeys(records: readonly string[]): Promise<Map<string, Buffer>> {
    return inTransaction(this.connections, ONE_STATEMENT, (tx) => readAuditKeys(tx, records));
  }

  async erase(order: ErasureOrder): Promise<ErasureOutcome> {
    let committing: number | null = null;
    const outcome = await inTransaction(this.connections, 'BEGIN', async (tx): Promise<ErasureOutcome> => {
      if (committing !== null) this.relay.commitUncertain(committing);
      committing = null;
      // The sequence lock, as a command takes it: nothing writes the records or the chain meanwhile.
      const { rows: locked } = await tx.query<{ value: number }>(`SELECT value FROM counters WHERE name = 'seq' FOR UPDATE`);
      let head = Number(locked[0]?.value ?? 0);
      const stored = async (kind: string, id: string): Promise<unknown> => {
        const { rows } = await tx.query<{ doc: string }>('SELECT doc FROM records WHERE kind = $1 AND id = $2', [kind, id]);
        return rows[0] ? (JSON.parse(rows[0].doc) as unknown) : undefined;
      };
      const { kind, id } = order.target;
      const doc = await stored(kind, id);
      const incidentId = kind === 'contact' ? (doc as { incidentId?: string | null } | null | undefined)?.incidentId : null;
      const problem = erasureProblem(kind, id, doc, order.force, incidentId ? ((await stored('incident', incidentId)) as { status?: unknown } | null) : null);
      if (problem) return { refused: problem };
      const search = new ErasureSearch(order.target, order.force);
      while (search.frontier.length > 0) {
        const { rows } = await tx.query<RecordRow>(`SELECT r.kind, r.id, r.seq, r.doc FROM records r, unnest($1::text[]) AS m(id) WHERE r.doc <> 'null' AND strpos(r.doc, m.id) > 0`, [search.frontier]);
        search.round(
          rows.flatMap((row) => {
            try {
              return [parseRecord(row.kind, row.id, JSON.parse(row.doc))];
            } catch {
              return [];
            }
          }),
        );
      }
      const { erased, found, kept, handedOver, altered, blocked } = search.plan();
      if (blocked) return { refused: blocked };
      if (order.preview) return { erased, altered: altered.length, handedOver, head };
      const references = referencesOf(kind, doc);
      await keepErasedReferences(tx, order.force, id, references);
      const kinds = erased.map((key) => key.kind);
      const ids = erased.map((key) => key.id);
      const seqs = erased.map(() => ++head);
      // Another force's records stay, changed only where they held a copy of what went (a new version each).
      await writeRecords(tx, [
        ...erased.map((key, i) => ({ kind: key.kind, id: key.id, seq: seqs[i]!, doc: 'null' })),
        ...altered.map((record) => ({ kind: record.kind, id: record.id, seq: ++head, doc: JSON.stringify(record.doc) })),
      ]);
      await writeCounters(tx, new Map([['seq', head]]));
      await tx.query(
        `UPDATE command_log SET args = 'null' WHERE args <> 'null' AND (command_id = ANY($2::text[])
           OR command_id IN (SELECT a.command_id FROM audit_log a JOIN unnest($1::text[], $2::text[]) AS e(kind, id) ON a.record_kind = e.kind AND a.record_id = e.id))`,
        [kinds, ids],
      );
      // The erasure's own entries say why; they are not sealed (they hold no personal data, and must stay
      // readable); the entries on another force's records altered are, like any alteration's.
      const { head: auditHead } = await readAuditBasis(tx, []);
      // Other forces that held something of what went: their logs still find their own entries by the target.
      const others = othersHolding(order.force, order.target, doc, found, [...kept, ...handedOver], await readForcesWritingOn(tx, erased));
      await appendAudit(tx, chainEntries(auditHead, await sealWithKeys(tx, order.audit(erased, references, altered, others).map(storable))));
      // After the erasure entries: audit_keys lets a key go only for a record whose erasure is in the log (migration 11).
      await tx.query(`DELETE FROM audit_keys k USING unnest($1::text[], $2::text[]) AS e(kind, id) WHERE k.record_kind = e.kind AND k.record_id = e.id`, [kinds, ids]);
      await tx.query('SELECT pg_notify($1, $2)', [CHANNEL, this.relay.payload(head)]);
      committing = head;
      this.relay.committing(head);
      return { erased, altered: altered.length, head, handedOver };
    }).catch((error: unknown) => {
      if (committing !== null) this.relay.commitUncertain(committing);
      throw error;
    });
    return outcome;
  }

  async incidentsWithReference(reference: string): Promise<{ id: string; force: string | null }[]> {
    return inTransaction(this.connections, ONE_STATEMENT, (tx) => readIncidentsWithReference(tx, reference));
  }

  async firstTicketAt(operator: string, clientId: string, force: ForceCode): Promise<string | null> {
    return inTransaction(this.connections, ONE_STATEMENT, (tx) => readFirstTicketAt(tx, operator, clientId, force));
  }

  async erasureOf(record: RecordKey, force: ForceCode): Promise<{ operator: string; recordedAt: string; after: string | null } | null> {
    return inTransaction(this.connections, ONE_STATEMENT, (tx) => readErasureOf(tx, record, force));
  }

  async auditRecordsOfIncident(incidentId: string, force: ForceCode): Promise<RecordKey[]> {
    return inTransaction(this.connections, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (tx) => readAuditRecordsOfIncident(tx, incidentId, force));
  }

  async lastClientSeq(clientId: string): Promise<number> {
    return inTransaction(this.connections, ONE_STATEMENT, (tx) => readClientProgress(tx, clientId));
  }

  async progress(clientId: string, afterClientSeq: number): Promise<ClientProgress> {
    // One statement, one snapshot: never progress without the refusals that are part of it.
    return inTransaction(this.connections, ONE_STATEMENT, (tx) => readProgressAndRejected(tx, clientId, afterClientSeq));
  }

  async secret(name: string): Promise<string> {
    return inTransaction(this.connections, 'BEGIN', async (tx) => {
      // Two instances starting at once both try to make it; the first insert wins and both read the winner.
      await tx.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32).toString('base64url')]);
      const { rows } = await tx.query<{ value: string }>('SELECT value FROM secrets WHERE name = $1', [name]);
      return rows[0]!.value;
    });
  }

  async enrolDevice(device: EnrolledDevice, audit: (referenceGeneration: number) => AuditDraft[] = () => []): Promise<{ referenceGeneration: number } | { enrolledFor: string | null }> {
    return inTransaction(this.connections, 'BEGIN', async (tx) => {
      // Locked, so two enrolments of one client id for different forces cannot both pass the check.
      const { rows: enrolled } = await tx.query<{ force: string | null }>('SELECT force FROM devices WHERE client_id = $1 FOR UPDATE', [device.clientId]);
      if (enrolled[0] && enrolled[0].force !== device.force) return { enrolledFor: enrolled[0].force };
      const { rows: others } = await tx.query<{ workstation: string }>('SELECT workstation FROM devices WHERE client_id <> $1', [device.clientId]);
      await tx.query(
        `INSERT INTO devices (client_id, workstation, token_hash, enrolled_at, force) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (client_id) DO UPDATE SET workstation = excluded.workstation, token_hash = excluded.token_hash, enrolled_at = excluded.enrolled_at`,
        [device.clientId, device.workstation, device.tokenHash, device.enrolledAt, device.force],
      );
      // One statement draws the generation: two servers enrolling the same name at once queue on the counter's
      // row, so each gets its own.
      const first = generationsBeforeCounting(device.workstation, others.map((row) => row.workstation)) + 1;
      const { rows } = await tx.query<{ value: string }>(
        'INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value',
        [generationCounter(device.workstation), first],
      );
      const referenceGeneration = Number(rows[0]!.value);
      await this.chainAudit(tx, audit(referenceGeneration));
      return { referenceGeneration };
    });
  }

  async deviceByTokenHash(tokenHash: string): Promise<EnrolledDevice | null> {
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => {
      const { rows } = await tx.query<EnrolledDevice>({ name: 'cordon_device_by_token', text: `SELECT client_id AS "clientId", workstation, force, token_hash AS "tokenHash", enrolled_at AS "enrolledAt" FROM devices
         WHERE token_hash = $1 AND NOT EXISTS (SELECT 1 FROM revocations WHERE kind = 'device' AND subject = devices.client_id)`, values: [tokenHash] });
      return rows[0] ?? null;
    });
  }

  async devicesNamed(workstation: string): Promise<EnrolledDevice[]> {
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => {
      const { rows } = await tx.query<EnrolledDevice>(
        'SELECT client_id AS "clientId", workstation, force, token_hash AS "tokenHash", enrolled_at AS "enrolledAt" FROM devices WHERE workstation = $1 ORDER BY enrolled_at',
        [workstation],
      );
      return rows;
    });
  }

  async revoke(revocation: Revocation, audit: AuditDraft[] = []): Promise<void> {
    await inTransaction(this.connections, 'BEGIN', async (tx) => {
      await tx.query(
        `INSERT INTO revocations (kind, subject, revoked_at, reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, subject) DO UPDATE SET revoked_at = excluded.revoked_at, reason = excluded.reason`,
        [revocation.kind, revocation.subject, revocation.revokedAt, revocation.reason],
      );
      await this.chainAudit(tx, audit);
    });
  }

  async revocationOfToken(tokenHash: string): Promise<RevokedDevice | null> {
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => {
      const { rows } = await tx.query<RevokedDevice>(
        `SELECT r.kind, r.subject, r.revoked_at AS "revokedAt", r.reason, d.workstation, d.force FROM devices d
         JOIN revocations r ON r.kind = 'device' AND r.subject = d.client_id WHERE d.token_hash = $1`,
        [tokenHash],
      );
      return rows[0] ?? null;
    });
  }

  async revocation(kind: Revocation['kind'], subject: string): Promise<Revocation | null> {
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => {
      const { rows } = await tx.query<Revocation>({ name: 'cordon_revocation', text: 'SELECT kind, subject, revoked_at AS "revokedAt", reason FROM revocations WHERE kind = $1 AND subject = $2', values: [kind, subject] });
      return rows[0] ?? null;
    });
  }

  async revokedAmong(kind: Revocation['kind'], subjects: readonly string[]): Promise<string[]> {
    if (subjects.length === 0) return [];
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => {
      const { rows } = await tx.query<{ subject: string }>({ name: 'cordon_revoked_among', text: 'SELECT subject FROM revocations WHERE kind = $1 AND subject = ANY($2::text[])', values: [kind, [...subjects]] });
      return rows.map((row) => row.subject);
    });
  }

  async setCredential(operator: string, passwordHash: string, audit: AuditDraft[] = [], force: string | null = null): Promise<void> {
    await inTransaction(this.connections, 'BEGIN', async (tx) => {
      await tx.query(
        'INSERT INTO credentials (operator, password_hash, force) VALUES ($1, $2, $3) ON CONFLICT (operator) DO UPDATE SET password_hash = excluded.password_hash, force = excluded.force',
        [operator, passwordHash, force],
      );
      await this.chainAudit(tx, audit);
    });
  }

  async signInFailures(operator: string): Promise<number[]> {
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => {
      const { rows } = await tx.query<{ at: string }>('SELECT failed_at AS at FROM sign_in_failures WHERE operator = $1 ORDER BY failed_at', [operator]);
      return rows.map((row) => Date.parse(row.at));
    });
  }

  async noteSignInFailure(operator: string, at: string, entries: (before: number[]) => AuditDraft[]): Promise<void> {
    await inTransaction(this.connections, 'BEGIN', async (tx) => {
      // The sequence lock first, as the audit chain will take it: a failure of the same name noted at the same time
      // waits here, and then reads this one.
      await tx.query(`SELECT value FROM counters WHERE name = 'seq' FOR UPDATE`);
      const { rows } = await tx.query<{ at: string }>('SELECT failed_at AS at FROM sign_in_failures WHERE operator = $1 ORDER BY failed_at', [text(operator)]);
      await tx.query('INSERT INTO sign_in_failures (operator, failed_at) VALUES ($1, $2)', [text(operator), at]);
      await this.chainAudit(tx, entries(rows.map((row) => Date.parse(row.at))));
    });
  }

  async clearSignInFailures(operator: string, audit: AuditDraft[] = []): Promise<void> {
    await inTransaction(this.connections, 'BEGIN', async (tx) => {
      await tx.query('DELETE FROM sign_in_failures WHERE operator = $1', [text(operator)]);
      await this.chainAudit(tx, audit);
    });
  }

  /**
   * Entries for what happened outside a command (server/audit/access-audit.ts), chained on from the newest in the
   * caller's transaction. It takes the sequence lock first, as every appender does, so no two chain onto one entry.
   */
  private async chainAudit(tx: PoolClient, drafts: AuditDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    await tx.query(`SELECT value FROM counters WHERE name = 'seq' FOR UPDATE`);
    const { head } = await readAuditBasis(tx, []);
    await appendAudit(tx, chainEntries(head, await sealWithKeys(tx, drafts.map(storable))));
  }

  async credential(operator: string): Promise<StoredCredential | null> {
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => {
      const { rows } = await tx.query<StoredCredential>('SELECT password_hash AS hash, force FROM credentials WHERE operator = $1', [operator]);
      return rows[0] ?? null;
    });
  }

  async record(key: RecordKey): Promise<unknown> {
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => {
      const { rows } = await tx.query<{ doc: string }>('SELECT doc FROM records WHERE kind = $1 AND id = $2', [key.kind, key.id]);
      return rows[0] ? (JSON.parse(rows[0].doc) as unknown) : null;
    });
  }

  async recordsOfKind(kind: RecordKind, after: number): Promise<{ head: number; records: RecordChange[] }> {
    // Both statements and the COMMIT go out with the BEGIN, in one write (one snapshot, one round trip).
    return inTransaction(this.connections, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx, _begun, end) => {
      const [head, { rows }] = await end.commitWith(Promise.all([readHead(tx), tx.query<RecordRow>('SELECT seq, kind, id, doc FROM records WHERE kind = $1 AND seq > $2 ORDER BY seq', [kind, after])]));
      return { head, records: rows.map((row) => ({ seq: row.seq, kind: row.kind, id: row.id, doc: JSON.parse(row.doc) as unknown })) };
    });
  }

  async recordsOfIncident(incidentId: string): Promise<RecordChange[]> {
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => {
      const { rows } = await tx.query<RecordRow>(POSTGRES_RECORDS_OF_INCIDENT, [incidentId]);
      return rows.map((row) => ({ seq: row.seq, kind: row.kind, id: row.id, doc: JSON.parse(row.doc) as unknown }));
    });
  }

  async conflictsAbout(targetIds: readonly string[]): Promise<RecordChange[]> {
    if (targetIds.length === 0) return [];
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => {
      // A scan of the conflicts (few, and asked only when a share is revoked or cut to view).
      const { rows } = await tx.query<RecordRow>(
        `SELECT seq, kind, id, doc FROM records WHERE kind = 'conflict' AND doc <> 'null' AND (doc::jsonb -> 'target' ->> 'id') = ANY($1::text[]) ORDER BY seq`,
        [[...targetIds]],
      );
      return rows.map((row) => ({ seq: row.seq, kind: row.kind, id: row.id, doc: JSON.parse(row.doc) as unknown }));
    });
  }

  async measureRecords(from: string, to: string, force: ForceCode): Promise<MeasureRecordDocs> {
    return inTransaction(this.connections, ONE_STATEMENT, async (tx) => measureDocs(await readMeasureRecords(tx, from.slice(0, 19), to.slice(0, 19), force)));
  }

  onExternalChange(listener: (head: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.listener?.close();
    await this.pool.end().catch(() => {});
  }

  /** Whether this instance currently hears the others (for tests). */
  get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  /**
   * `decide` is synchronous, so what it reads is read before it runs: the records the command declares, and the
   * counters. Which counter a command draws is known only inside `decide` (the reference counter names the day),
   * so the names drawn recently are read up front, and if a decision draws one not read, the counter is read and
   * the command decided again. That is sound because a decision depends only on the records and serials it is
   * given, and the sequence lock keeps both still meanwhile. `state`: the records as the batch has left them;
   * `counters`: the batch's, as read or drawn so far (added to here).
   */
  private async decide(tx: PoolClient, plan: CommandPlan, state: StateView, batch: BatchWrites): Promise<{ decision: Decision; drawn: Map<string, number> }> {
    const counters = batch.counters;
    for (let pass = 1; pass <= 4; pass++) {
      const drawn = new Map<string, number>();
      const unread = new Set<string>();
      const nextSerial = (name: string) => {
        if (!counters.has(name)) unread.add(name);
        const current = drawn.get(name) ?? counters.get(name) ?? 0;
        drawn.set(name, current + 1);
        return current + 1;
      };
      // What holds a key the command wrote but did not declare is read, and the command decided again, as a counter is.
      const unknown: RecordKey[] = [];
      const holding = (key: RecordKey): unknown => {
        const held = batch.holding(key);
        if (held === 'unread') unknown.push(key);
        return held === 'unread' ? undefined : held;
      };
      const decision = plan.decide(state, nextSerial, holding);
      if (unread.size === 0 && unknown.length === 0) return { decision, drawn };
      for (const name of unread) this.rememberCounter(name);
      if (unread.size > 0) for (const [name, value] of await readCounters(tx, [...unread])) counters.set(name, value);
      if (unknown.length > 0) await batch.learn(tx, unknown);
    }
    throw new Error('a command kept drawing counters or writing records it had not before');
  }

  private rememberCounter(name: string): void {
    this.recentCounters.delete(name);
    this.recentCounters.add(name);
    // Yesterday's and today's reference counters, with room to spare.
    for (const oldest of this.recentCounters) {
      if (this.recentCounters.size <= 8) break;
      this.recentCounters.delete(oldest);
    }
  }

  private emit(head: number): void {
    for (const listener of this.listeners) {
      try {
        listener(head);
      } catch (error) {
        this.log.error({ err: error }, 'a change listener failed');
      }
    }
  }
}

/**
 * The head as the sequence was taken (see the class comment) by BEGIN_AND_LOCK_SEQUENCE, whose second statement
 * blocks until every other command's transaction has committed or rolled back. FOR UPDATE returns the row as the
 * last writer committed it, so the head is current; what else the batch reads is read in a statement of its own
 * (readBatchBasis): in READ COMMITTED a statement sees what was committed when it started, and the locking statement
 * started before the wait.
 */
function lockedSequence(begun: QueryResult | QueryResult[] | null): { head: number } {
  const locked = Array.isArray(begun) ? begun[1] : undefined;
  const row = locked?.rows[0] as { value: number } | undefined;
  if (!row) throw new Error(`the counters table has no 'seq' row: the database was not migrated by this build`);
  return { head: row.value };
}

/** A push waiting for its group's transaction (see PostgresStorage.processBatch). */
interface GroupedPush {
  commands: readonly BatchCommand[];
  goOn: (result: ProcessResult, index: number) => boolean;
  /** See ServerStorage.processBatch. */
  assumed: BatchAssumptions;
  resolve(results: ProcessResult[]): void;
  reject(error: unknown): void;
}

/** The most commands one group's transaction takes: a room's drained outboxes are committed in several. */
const MAX_GROUP_COMMANDS = 200;

/** A page of at most `limit` changes after `since`, from up to `limit + 1` read with the head (one more: whether there are more). */
function changesPage(since: number, limit: number, read: { head: number; changes: RecordChange[] }): ChangesPage {
  const hasMore = read.changes.length > limit;
  const page = hasMore ? read.changes.slice(0, limit) : read.changes;
  return { since, upTo: hasMore ? (page.at(-1)?.seq ?? since) : Math.max(read.head, since), head: read.head, changes: page, hasMore };
}
