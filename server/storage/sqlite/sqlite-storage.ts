import { mkdirSync } from 'node:fs';
import { StoredVersions } from '../../change-json';
import { dirname } from 'node:path';
import { measureDocs } from '../measure-docs';
import type { RejectionCode, StateView } from '../../../shared/commands/types';
import { keyString, parseRecord, type RecordDocs, type RecordKind } from '../../../shared/domain/records';
import type { CommandEnvelope, CommandOutcome, PullResponse, RecordChange } from '../../../shared/sync/protocol';
import { openSqlite, type Db } from '../../../node-common/sqlite';
import { storeFaultOf, type StoreFault } from '../../../node-common/store-faults';
import { WalUpkeep } from '../../../node-common/wal-upkeep';
import { StorageUnavailableError } from '../storage-unavailable';
import { MAX_READ_ROUNDS, widerReads, type AuditPosition, type AuditSelection, type BatchCommand, type ChangesPage, type ClientProgress, type CommandPlan, type EnrolledDevice, type ErasureOrder, type ErasureOutcome, type LoggedCommand, type MeasureRecordDocs, type ProcessResult, type PullQuery, type Revocation, type RevokedDevice, type ServerStorage, type SignInFailurePlan, type StoredCredential, refusedAfterErasure, RevocationsMoved, revocationsMoved, DeviceWithdrawn, type BatchAssumptions } from '../storage';
import { newRecordKey, openEntries, sealDrafts, sealedRecords, type RecordKeyBytes } from '../../audit/audit-seal';
import { erasureProblem, type ErasureSeen } from '../../../shared/domain/erasure';
import { ErasureSearch } from '../../../shared/domain/erasure-search';
import { cutAfterDeleting } from '../../../node-common/wal-upkeep';
import { generationCounter, generationsBeforeCounting } from '../../access/reference-generations';
import type { AnyRecord, RecordKey } from '../../../shared/domain/records';
import { randomBytes } from 'node:crypto';
import { serverSqliteMigrations } from './migrations';
import { chainEntries, type AuditDraft, type AuditEntry } from '../../audit/audit-chain';
import { auditDrafts, recordsNamedByFact } from '../../audit/command-audit';
import { SYSTEM_AUTHOR } from '../../../shared/domain/automatic';
import { erasedRecordsOf, othersHolding } from '../../audit/erasure-audit';
import { referencesOf } from '../erased-references';
import type { RevealRow } from '../../audit/verify-reveals';
import { FIRST_FORCE, type ForceCode } from '../../../shared/domain/force';

/**
 * An incident and its deployments and log entries (by the primary key's kind, then by the index of their incidentId,
 * migration 8), with `@id` the incident's id. Exported so that a test can ask SQLite how it runs it.
 */
export const SQLITE_RECORDS_OF_INCIDENT = `
  SELECT seq, kind, id, doc FROM records WHERE kind = 'incident' AND id = @id
  UNION ALL
  SELECT seq, kind, id, doc FROM records WHERE kind IN ('assignment', 'logEntry') AND json_extract(doc, '$.incidentId') = @id
  ORDER BY seq`;

/** The embedded default: one SQLite file, zero set-up. */
export class SqliteStorage implements ServerStorage {
  readonly kind = 'sqlite' as const;
  private readonly statements;
  private upkeep: WalUpkeep | null = null;
  /** Commands (single, or a push's batch) waiting for the next group commit (see process). */
  private group: GroupEntry[] = [];
  private readonly groupCommits = { transactions: 0, commands: 0 };
  /** Record versions as read, reused by every pull and live batch that reads them again (server/change-json.ts). */
  private readonly stored = new StoredVersions();

  private constructor(
    private readonly db: Db,
    private readonly dir: string | undefined,
    private readonly deferCommit: (commit: () => void) => void,
  ) {
    this.statements = {
      lastClientSeq: db.prepare(`SELECT last_client_seq AS n FROM clients WHERE client_id = ?`),
      loggedOutcome: db.prepare(`SELECT ${LOGGED_COLUMNS} FROM command_log WHERE client_id = ? AND client_seq = ?`),
      loggedById: db.prepare(`SELECT ${LOGGED_COLUMNS} FROM command_log WHERE command_id = ?`),
      record: db.prepare(`SELECT doc FROM records WHERE kind = ? AND id = ?`),
      upsertRecord: db.prepare(`
        INSERT INTO records (kind, id, seq, doc) VALUES (?, ?, ?, ?)
        ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq, doc = excluded.doc`),
      counter: db.prepare(`SELECT value FROM counters WHERE name = ?`),
      setCounter: db.prepare(`INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`),
      upsertClient: db.prepare(`
        INSERT INTO clients (client_id, last_client_seq, workstation, last_seen_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (client_id) DO UPDATE SET last_client_seq = excluded.last_client_seq,
          workstation = excluded.workstation, last_seen_at = excluded.last_seen_at`),
      logCommand: db.prepare(`
        INSERT INTO command_log (command_id, client_id, client_seq, name, args, operator, workstation, issued_at,
          processed_at, status, code, reason, seq)
        VALUES (@commandId, @clientId, @clientSeq, @name, @args, @operator, @workstation, @issuedAt, @processedAt,
          @status, @code, @reason, @seq)`),
      changesSince: db.prepare(`SELECT seq, kind, id, doc FROM records WHERE seq > ? ORDER BY seq LIMIT ?`),
      recordsOfKind: db.prepare(`SELECT seq, kind, id, doc FROM records WHERE kind = ? AND seq > ? ORDER BY seq`),
      // By the primary key's kind: an incident, then its deployments and log entries (read by their incident).
      recordsOfIncident: db.prepare(SQLITE_RECORDS_OF_INCIDENT),
      // A scan of the conflicts (few, and asked only when a share is revoked or cut to view).
      conflictsAbout: db.prepare(`SELECT seq, kind, id, doc FROM records WHERE kind = 'conflict' AND doc <> 'null' AND json_extract(doc, '$.target.id') IN (SELECT value FROM json_each(?)) ORDER BY seq`),
      // Asked on every request (the device token), every push (tickets revoked) and every few seconds per live channel:
      // prepared once, not compiled again each time.
      deviceByTokenHash: db.prepare(`
        SELECT client_id AS clientId, workstation, force, token_hash AS tokenHash, enrolled_at AS enrolledAt FROM devices
        WHERE token_hash = ? AND NOT EXISTS (SELECT 1 FROM revocations WHERE kind = 'device' AND subject = devices.client_id)`),
      revocationOfToken: db.prepare(`
        SELECT r.kind, r.subject, r.revoked_at AS revokedAt, r.reason, d.workstation, d.force FROM devices d
        JOIN revocations r ON r.kind = 'device' AND r.subject = d.client_id WHERE d.token_hash = ?`),
      revocation: db.prepare(`SELECT kind, subject, revoked_at AS revokedAt, reason FROM revocations WHERE kind = ? AND subject = ?`),
      revoke: db.prepare(`
        INSERT INTO revocations (kind, subject, revoked_at, reason) VALUES (@kind, @subject, @revokedAt, @reason)
        ON CONFLICT (kind, subject) DO UPDATE SET revoked_at = excluded.revoked_at, reason = excluded.reason`),
      revokedAmong: db.prepare(`SELECT subject FROM revocations WHERE kind = ? AND subject IN (SELECT value FROM json_each(?))`),
      auditHead: db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`),
      auditKey: db.prepare(`SELECT key FROM audit_keys WHERE record_kind = ? AND record_id = ?`),
      addAuditKey: db.prepare(`INSERT INTO audit_keys (record_kind, record_id, key) VALUES (?, ?, ?)`),
      // What an erasure reads and clears (see erase).
      mentioning: db.prepare(`SELECT kind, id, doc FROM records WHERE instr(doc, ?) > 0 AND doc <> 'null'`),
      dropAuditKey: db.prepare(`DELETE FROM audit_keys WHERE record_kind = ? AND record_id = ?`),
      clearArgs: db.prepare(`
        UPDATE command_log SET args = 'null' WHERE args <> 'null' AND (command_id = @id
          OR command_id IN (SELECT command_id FROM audit_log WHERE record_kind = @kind AND record_id = @id))`),
      appendAudit: db.prepare(`
        INSERT INTO audit_log (seq, recorded_at, issued_at, operator, workstation, client_id, force, command_id, command,
          kind, record_kind, record_id, field, before, after, prev_hash, hash)
        VALUES (@seq, @recordedAt, @issuedAt, @operator, @workstation, @clientId, @force, @commandId, @command,
          @kind, @recordKind, @recordId, @field, @before, @after, @prevHash, @hash)`),
      revealRows: db.prepare(`SELECT seq, record_kind AS recordKind, record_id AS recordId FROM audit_reveals WHERE seq BETWEEN ? AND ? ORDER BY seq, record_kind, record_id`),
      appendReveal: db.prepare(`INSERT OR IGNORE INTO audit_reveals (record_kind, record_id, seq) VALUES (?, ?, ?)`),
      // The consultations that showed a record (migration 13): its own index range, each entry's force checked on it.
      auditRevealing: db.prepare(`${AUDIT_SELECT} WHERE seq IN (SELECT v.seq FROM audit_reveals v JOIN audit_log a ON a.seq = v.seq
        WHERE v.record_kind = ? AND v.record_id = ? AND COALESCE(a.force, ?) = ? AND v.seq < ? ORDER BY v.seq DESC LIMIT ?) ORDER BY seq DESC`),
      auditAfter: db.prepare(`
        SELECT seq, recorded_at AS recordedAt, issued_at AS issuedAt, operator, workstation, client_id AS clientId, force,
          command_id AS commandId, command, kind, record_kind AS recordKind, record_id AS recordId, field, before, after,
          prev_hash AS prevHash, hash
        FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`),
      // The auditor's questions (migration 6's indexes); the page's last entry is passed in for the next page.
      auditAboutRecord: db.prepare(`${AUDIT_SELECT} WHERE record_kind = ? AND record_id = ? AND ${AUDIT_OF_FORCE} AND seq < ? ORDER BY seq DESC LIMIT ?`),
      // An operator's entries in a span come from two ranges (see AuditSelection): those done in it by the
      // workstation's time (audit_log_operator_issued), and those the server recorded in it whose workstation time is
      // outside it (audit_log_operator_recorded, migration 15, holding issued_at so the rest are passed over in the
      // index), each a page at most, merged by findSealed.
      auditByOperator: db.prepare(`${AUDIT_SELECT} INDEXED BY audit_log_operator_issued
        WHERE operator = ? AND ${AUDIT_OF_FORCE} AND issued_at >= ? AND issued_at < ? AND (issued_at, seq) < (?, ?) ORDER BY issued_at DESC, seq DESC LIMIT ?`),
      auditByOperatorRecorded: db.prepare(`${AUDIT_SELECT} INDEXED BY audit_log_operator_recorded
        WHERE operator = ? AND ${AUDIT_OF_FORCE} AND recorded_at >= ? AND recorded_at < ? AND (issued_at < ? OR issued_at >= ?)
          AND (? IS NULL OR (issued_at, seq) < (?, ?)) ORDER BY issued_at DESC, seq DESC LIMIT ?`),
      // The system, asked about by its name: `system` and every name it acts under (`system (automatically, …)`),
      // which sort between `system (` and `system )`: two ranges of the same index.
      auditBySystem: db.prepare(`${AUDIT_SELECT}
        WHERE (operator = ? OR (operator >= ? AND operator < ?)) AND ${AUDIT_OF_FORCE} AND issued_at >= ? AND issued_at < ? AND (issued_at, seq) < (?, ?) ORDER BY issued_at DESC, seq DESC LIMIT ?`),
      auditBySystemRecorded: db.prepare(`${AUDIT_SELECT}
        WHERE (operator = ? OR (operator >= ? AND operator < ?)) AND ${AUDIT_OF_FORCE} AND recorded_at >= ? AND recorded_at < ? AND (issued_at < ? OR issued_at >= ?)
          AND (? IS NULL OR (issued_at, seq) < (?, ?)) ORDER BY issued_at DESC, seq DESC LIMIT ?`),
      // When the server first gave an operator a ticket at a workstation: the entries on the operator's record (few:
      // their sign-ins and account changes), oldest first, by audit_log_record_seq.
      // (Not audit_log_kind_seq, which the planner would take, walking every sign-in of every operator from the first.)
      firstTicketAt: db.prepare(`SELECT recorded_at AS recordedAt FROM audit_log INDEXED BY audit_log_record_seq
        WHERE record_kind = 'operator' AND record_id = ? AND kind = 'ticket-issued' AND client_id = ? AND ${AUDIT_OF_FORCE} ORDER BY seq LIMIT 1`),
      auditOfKind: db.prepare(`${AUDIT_SELECT} WHERE kind = ? AND ${AUDIT_OF_FORCE} AND seq < ? ORDER BY seq DESC LIMIT ?`),
      auditDisclosuresToForces: db.prepare(`${AUDIT_SELECT} WHERE kind = 'disclosure' AND command <> 'audit.export' AND ${AUDIT_OF_FORCE} AND seq < ? ORDER BY seq DESC LIMIT ?`),
      // The room's measures (ServerStorage.measureRecords): instants compared to the second, as stored text.
      measureRecords: db.prepare(`
        WITH span_incidents AS (
          SELECT id, doc FROM records WHERE kind = 'incident' AND json_extract(doc, '$.force') = @force
            AND substr(json_extract(doc, '$.createdAt'), 1, 19) <= @to
            AND (json_extract(doc, '$.closedAt') IS NULL OR substr(json_extract(doc, '$.closedAt'), 1, 19) >= @from))
        SELECT 'incident' AS kind, doc FROM span_incidents
        UNION ALL SELECT 'assignment', doc FROM records
          WHERE kind = 'assignment' AND json_extract(doc, '$.force') = @force AND json_extract(doc, '$.incidentId') IN (SELECT id FROM span_incidents)
        UNION ALL SELECT 'contact', doc FROM records
          WHERE kind = 'contact' AND json_extract(doc, '$.force') = @force AND (substr(json_extract(doc, '$.receivedAt'), 1, 19) BETWEEN @from AND @to
            OR json_extract(doc, '$.incidentId') IN (SELECT id FROM span_incidents))`),
      incidentsWithReference: db.prepare(`
        SELECT id, json_extract(doc, '$.force') AS force FROM records WHERE kind = 'incident' AND json_extract(doc, '$.reference') = @reference
        UNION SELECT id, json_extract(doc, '$.force') FROM records WHERE kind = 'incident' AND json_extract(doc, '$.provisionalReference') = @reference
        UNION SELECT incident_id, force FROM erased_references WHERE reference = @reference`),
      keepErasedReference: db.prepare(`INSERT INTO erased_references (force, reference, incident_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),
      // An incident's deployments, log entries and calls (migrations 9 and 10's indexes of their incidentId), and its shares, loans and offers.
      recordsAboutIncident: db.prepare(`
        SELECT kind, id FROM records WHERE kind IN ('assignment', 'logEntry') AND json_extract(doc, '$.incidentId') = @id
        UNION ALL SELECT kind, id FROM records WHERE kind = 'contact' AND json_extract(doc, '$.incidentId') = @id
        UNION ALL SELECT kind, id FROM records WHERE kind IN ('share', 'loan', 'transfer') AND json_extract(doc, '$.incidentId') = @id`),
      // The force that erased a record (its owner): a look at it arriving after the erasure is still the owner's business.
      // The first: the erasing force's entries come first in an erasure's act, before those of the forces that held it.
      erasureForce: db.prepare(`SELECT force FROM audit_log WHERE record_kind = ? AND record_id = ? AND kind = 'erasure' ORDER BY seq LIMIT 1`),
      // The forces whose people changed a record (an entry other than a look or an erasure on it): see othersHolding.
      forcesWritingOn: db.prepare(`SELECT DISTINCT COALESCE(force, ?) AS force FROM audit_log WHERE record_kind = ? AND record_id = ? AND kind NOT IN ('consultation', 'erasure')`),
      // An incident's shares, whatever their ids (CommandPlan.allSharesOf): a few per incident.
      sharesOfIncident: db.prepare(`SELECT id FROM records WHERE kind = 'share' AND json_extract(doc, '$.incidentId') = ? ORDER BY seq`),
      erasureOf: db.prepare(`SELECT operator, recorded_at AS recordedAt, after FROM audit_log WHERE record_kind = ? AND record_id = ? AND kind = 'erasure' AND ${AUDIT_OF_FORCE} ORDER BY seq DESC LIMIT 1`),
      rejectedAfter: db.prepare(`
        SELECT command_id, client_seq, status, code, reason, seq FROM command_log
        WHERE client_id = ? AND client_seq > ? AND status = 'rejected' ORDER BY client_seq`),
    };
  }

  /**
   * Opens the file (created if missing), or an in-memory copy of a serialized one (the fault simulation's crashes).
   * `deferCommit`: how the commit of the commands that arrived together is put off until they have all arrived
   * (default setImmediate: after the requests read in this turn); the fault simulation passes its virtual clock's.
   */
  static open(file: string | Buffer, options: { deferCommit?: (commit: () => void) => void } = {}): SqliteStorage {
    const onDisk = typeof file === 'string' && file !== ':memory:';
    if (onDisk) mkdirSync(dirname(file), { recursive: true });
    const storage = new SqliteStorage(openSqlite(file, serverSqliteMigrations), onDisk ? dirname(file) : undefined, options.deferCommit ?? ((commit) => void setImmediate(commit)));
    if (onDisk) {
      storage.upkeep = new WalUpkeep(storage.db, file);
      storage.upkeep.start();
    }
    return storage;
  }

  /**
   * Applies or refuses one command, answered once it is durable. Commands that arrive together (from any
   * workstations, in the same turn of the event loop) are committed together: each in a savepoint of its own, so one
   * that fails leaves the others as they are, and all in one transaction, so the file is synced (synchronous=FULL)
   * once for the group, not once per command. The sync blocks the server's only thread for milliseconds (more on a
   * busy disk), and paying it once per command was what capped the commands a second one server could take; the
   * commands that arrive meanwhile form the next group. A command's answer still waits for its group's commit.
   */
  async process(envelope: CommandEnvelope, plan: CommandPlan, processedAt: string): Promise<ProcessResult> {
    return this.grouped(1, () => this.processNow(envelope, plan, processedAt));
  }

  /**
   * A push's commands in order, all in one entry of the group commit (see process): one commit for the batch and
   * for whatever else arrived with it. A command that throws stops the batch: its savepoint is rolled back, those
   * before it stand, and the error is thrown once the group has committed.
   */
  async processBatch(commands: readonly BatchCommand[], goOn: (result: ProcessResult, index: number) => boolean, assumed: BatchAssumptions = {}): Promise<ProcessResult[]> {
    if (commands.length === 0) return [];
    const outcome = await this.grouped(commands.length, () => {
      const results: ProcessResult[] = [];
      // The device and the ticket revocations the commands were planned against, read again in the group's transaction.
      if (assumed.device) {
        const device = this.statements.deviceByTokenHash.get(assumed.device.tokenHash) as EnrolledDevice | undefined;
        if (device?.clientId !== assumed.device.clientId) return { results, error: null, moved: null, withdrawn: assumed.device.clientId };
      }
      const moved = revocationsMoved(assumed.tickets, (operator) => (this.statements.revocation.get('tickets', operator) as Revocation | undefined)?.revokedAt ?? null);
      if (moved.size > 0) return { results, error: null, moved, withdrawn: null };
      for (const { envelope, plan, processedAt } of commands) {
        let result: ProcessResult;
        try {
          result = this.processNow(envelope, plan, processedAt);
        } catch (error) {
          // The database gave up the whole transaction (a full disk can): nothing of the group stands.
          if (!this.db.inTransaction) throw error;
          return { results, error: { error }, moved: null, withdrawn: null };
        }
        results.push(result);
        if (!goOn(result, results.length - 1)) break;
      }
      return { results, error: null, moved: null, withdrawn: null };
    });
    if (outcome.error) throw this.unavailable(outcome.error.error);
    if (outcome.withdrawn !== null) throw new DeviceWithdrawn(outcome.withdrawn);
    if (outcome.moved) throw new RevocationsMoved(outcome.moved);
    return outcome.results;
  }

  /** Runs `run` (worth `commands` commands) in the next group commit; resolves once that has committed. */
  private grouped<T>(commands: number, run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.group.push({ commands, run, resolve: resolve as (value: unknown) => void, reject });
      if (this.group.length === 1) this.deferCommit(() => this.commitGroup());
    });
  }

  /**
   * Commits the commands waiting (see process), and answers each: its result, or what stopped it. At most
   * MAX_GROUP_COMMANDS in one transaction: a room's drained outboxes arrive at once, thousands of commands, and one
   * transaction of them all would hold the server's only thread for seconds (no health check, no live channel
   * answered meanwhile). The rest form the next group, committed on a later turn once other work has had its go.
   */
  private commitGroup(): void {
    if (this.group.length === 0) return;
    let take = 0;
    for (let commands = 0; take < this.group.length && (take === 0 || commands + this.group[take]!.commands <= MAX_GROUP_COMMANDS); take += 1) commands += this.group[take]!.commands;
    const group = this.group.slice(0, take);
    this.group = this.group.slice(take);
    if (this.group.length > 0) this.deferCommit(() => this.commitGroup());
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.writing(() =>
        this.db.transaction(() => {
          for (const command of group) {
            try {
              results.push({ ok: true, value: command.run() });
            } catch (error) {
              // Its savepoint is rolled back and the others stand, unless the database gave up the whole transaction
              // (a full disk can): then nothing of the group was written, and every command of it is answered so.
              if (!this.db.inTransaction) throw error;
              results.push({ ok: false, error });
            }
          }
        }).immediate(),
      );
    } catch (error) {
      for (const command of group) command.reject(error);
      return;
    }
    this.groupCommits.transactions += 1;
    this.groupCommits.commands += group.reduce((n, entry) => n + entry.commands, 0);
    group.forEach((command, i) => {
      const result = results[i]!;
      if (result.ok) command.resolve(result.value);
      else command.reject(this.unavailable(result.error));
    });
  }

  /** Commands processed, and the transactions that committed them (fewer when commands arrive together). */
  get commits(): { transactions: number; commands: number } {
    return { ...this.groupCommits };
  }

  /** One command in a savepoint of its group's transaction (see process). */
  private processNow(envelope: CommandEnvelope, plan: CommandPlan, processedAt: string): ProcessResult {
    return this.db.transaction((): ProcessResult => {
      const ordered = this.checkOrder(envelope.clientId, envelope.clientSeq, envelope.commandId);
      if (ordered) return ordered;

      // Only the records the command declares, as PostgreSQL (which reads them before deciding) allows: a command
      // whose reads() is incomplete fails here too, not only in production.
      // Every share of the incidents the plan asks for (CommandPlan.allSharesOf), whatever its id, declared with the reads.
      const shares = new Map<string, string[]>();
      for (const incidentId of plan.allSharesOf ?? []) shares.set(incidentId, (this.statements.sharesOfIncident.all(incidentId) as { id: string }[]).map((row) => row.id));
      const reads = [...plan.reads, ...[...shares.values()].flat().map((id) => ({ kind: 'share' as const, id }))];
      const declared = new Set(reads.map(keyString));
      const state: StateView = {
        shareIdsOf: (incidentId) => shares.get(incidentId) ?? [],
        get: <K extends RecordKind>(kind: K, id: string): RecordDocs[K] | undefined => {
          if (!declared.has(keyString({ kind, id }))) throw new Error(`the command read ${kind}:${id}, which its reads() does not declare`);
          const row = this.statements.record.get(kind, id) as { doc: string } | undefined;
          // An erased record (a withdrawal, no document) is no record to a command.
          return row && row.doc !== 'null' ? (JSON.parse(row.doc) as RecordDocs[K]) : undefined;
        },
      };
      // What the records read lead to (a share's incident, its units), declared in turn.
      let read = reads;
      for (let round = 0, keys = reads; round < MAX_READ_ROUNDS; round += 1) {
        const wider = widerReads(plan, keys, state);
        if (!wider) break;
        keys = wider;
        read = wider;
        for (const key of keys) declared.add(keyString(key));
      }
      const drawn = new Map<string, number>();
      const nextSerial = (counter: string) => {
        const current = drawn.get(counter) ?? this.counter(counter);
        drawn.set(counter, current + 1);
        return current + 1;
      };
      // Any key, declared or not: what holds it, an erased record's withdrawal included (CommandPlan.decide).
      const holding = (key: RecordKey): unknown => {
        const row = this.statements.record.get(key.kind, key.id) as { doc: string } | undefined;
        return row ? (JSON.parse(row.doc) as unknown) : undefined;
      };
      const decided = plan.decide(state, nextSerial, holding);
      // A refused command naming a record erased while it waited keeps no arguments in the server's log of commands.
      const erasedNamed = decided.status === 'rejected' ? [...read, ...(plan.named ?? [])].filter((key) => this.isErased(key)) : [];
      const refusedErased = erasedNamed.length > 0;
      const erasureOf = (key: RecordKey, force: ForceCode) => (this.statements.erasureOf.get(key.kind, key.id, FIRST_FORCE, force) as ErasureSeen | undefined) ?? null;
      // Said as erased, by whom and when; its refusal's record without arguments only where its force held what went.
      const erasedRead = erasedNamed.filter((key) => read.some((own) => own.kind === key.kind && own.id === key.id));
      const decision = refusedErased ? refusedAfterErasure(decided, plan, erasedRead, erasedNamed, erasureOf, envelope.commandId) : decided;
      // The failed sign-in it counts, under the name the records read give (before this command writes any).
      const failureKey = decision.status === 'applied' && plan.signInFailure ? plan.signInFailure.key(state) : null;

      const records = decision.changes.map((change) => parseRecord(change.kind, change.id, change.doc));
      // Read against the records as they stand before this command writes any.
      if (decision.status === 'applied') this.appendAudit(envelope, processedAt, records, plan.force, decision.unseen);
      const before = this.counter('seq');
      let head = before;
      for (const record of records) {
        head += 1;
        this.statements.upsertRecord.run(record.kind, record.id, head, JSON.stringify(record.doc));
      }
      if (head !== before) {
        this.statements.setCounter.run('seq', head);
        for (const [name, value] of drawn) this.statements.setCounter.run(name, value);
      }
      const outcome: CommandOutcome =
        decision.status === 'applied'
          ? { commandId: envelope.commandId, clientSeq: envelope.clientSeq, status: 'applied', seq: head }
          : { commandId: envelope.commandId, clientSeq: envelope.clientSeq, status: 'rejected', code: decision.code, reason: decision.reason };
      // A look or a moment naming a record erased while it waited: logged (the audit entry above is owed), but its
      // arguments are not kept, as the erasure cleared those of the commands before it.
      const namesErased = decision.status === 'applied' && recordsNamedByFact(envelope).some((key) => this.statements.erasureForce.get(key.kind, key.id) !== undefined);
      this.logCommand(namesErased || refusedErased ? { ...envelope, args: null } : envelope, outcome, processedAt);
      // In this command's savepoint: the count and its lockout entry stand or fall with the command and its entries.
      if (failureKey !== null) this.noteFailureNow(failureKey, plan.signInFailure!);
      // Likewise a deactivation's revocation of the account's tickets, and its entry (CommandPlan.revokes).
      if (decision.status === 'applied' && plan.revokes) {
        this.statements.revoke.run(plan.revokes.revocation);
        this.chainAudit(plan.revokes.audit);
      }
      if (plan.audit) this.chainAudit(plan.audit);
      return { kind: 'processed', outcome, head, wrote: head !== before };
    })();
  }

  async pull(query: PullQuery): Promise<PullResponse> {
    // One read transaction: the changes, the head and the client's progress come from the same snapshot.
    return this.db.transaction((): PullResponse => {
      const head = this.counter('seq');
      const rows = this.statements.changesSince.all(query.since, query.limit + 1) as { seq: number; kind: string; id: string; doc: string }[];
      const hasMore = rows.length > query.limit;
      const page = hasMore ? rows.slice(0, query.limit) : rows;
      const rejected = (this.statements.rejectedAfter.all(query.clientId, query.afterClientSeq) as OutcomeRow[]).map(toOutcome);
      return {
        since: query.since,
        upTo: hasMore ? (page.at(-1)?.seq ?? query.since) : Math.max(head, query.since),
        head,
        changes: page.map((row) => this.stored.change(row)),
        hasMore,
        lastClientSeq: this.clientProgress(query.clientId),
        rejected,
      };
    }).deferred();
  }

  async changes(since: number, limit: number): Promise<ChangesPage> {
    return this.db.transaction((): ChangesPage => {
      const head = this.counter('seq');
      const rows = this.statements.changesSince.all(since, limit + 1) as { seq: number; kind: string; id: string; doc: string }[];
      const hasMore = rows.length > limit;
      const page = hasMore ? rows.slice(0, limit) : rows;
      return {
        since,
        upTo: hasMore ? (page.at(-1)?.seq ?? since) : Math.max(head, since),
        head,
        changes: page.map((row) => this.stored.change(row)),
        hasMore,
      };
    }).deferred();
  }

  async head(): Promise<number> {
    return this.counter('seq');
  }

  async recordsOfKind(kind: RecordKind, after: number): Promise<{ head: number; records: RecordChange[] }> {
    return this.db.transaction(() => ({
      head: this.counter('seq'),
      records: (this.statements.recordsOfKind.all(kind, after) as RecordRow[]).map(toChange),
    })).deferred();
  }

  async recordsOfIncident(incidentId: string): Promise<RecordChange[]> {
    return (this.statements.recordsOfIncident.all({ id: incidentId }) as RecordRow[]).map(toChange);
  }

  async conflictsAbout(targetIds: readonly string[]): Promise<RecordChange[]> {
    if (targetIds.length === 0) return [];
    return (this.statements.conflictsAbout.all(JSON.stringify(targetIds)) as RecordRow[]).map(toChange);
  }

  async auditEntries(after: number, limit: number): Promise<AuditEntry[]> {
    const stored = await this.auditChain(after, limit);
    return openEntries(stored, await this.auditKeys(sealedRecords(stored)));
  }

  async auditChain(after: number, limit: number): Promise<AuditEntry[]> {
    return this.statements.auditAfter.all(after, limit) as AuditEntry[];
  }

  async auditRevealRows(fromSeq: number, toSeq: number): Promise<RevealRow[]> {
    return this.statements.revealRows.all(fromSeq, toSeq) as RevealRow[];
  }

  async appendAuditEntries(drafts: AuditDraft[]): Promise<AuditEntry[]> {
    return this.writing(() =>
      this.db.transaction(() => {
        const head = (this.statements.auditHead.get() as { seq: number; hash: string } | undefined) ?? null;
        const entries = chainEntries(head, this.sealed(drafts));
        this.writeAudit(entries);
        return entries;
      }).immediate(),
    );
  }

  async findAudit(selection: AuditSelection, after: AuditPosition | null, limit: number): Promise<AuditEntry[]> {
    const found = this.findSealed(selection, after, limit);
    return openEntries(found, await this.auditKeys(sealedRecords(found)));
  }

  async auditKeys(records: readonly string[]): Promise<Map<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    for (const name of records) {
      const split = name.indexOf(':');
      const row = this.statements.auditKey.get(name.slice(0, split), name.slice(split + 1)) as { key: Buffer } | undefined;
      if (row) keys.set(name, row.key);
    }
    return keys;
  }

  async erase(order: ErasureOrder): Promise<ErasureOutcome> {
    const outcome = this.writing(() =>
      this.db.transaction((): ErasureOutcome => {
        const stored = (kind: string, id: string): unknown => {
          const row = this.statements.record.get(kind, id) as { doc: string } | undefined;
          return row ? (JSON.parse(row.doc) as unknown) : undefined;
        };
        const { kind, id } = order.target;
        const doc = stored(kind, id);
        const incidentId = kind === 'contact' ? (doc as { incidentId?: string | null } | null | undefined)?.incidentId : null;
        const problem = erasureProblem(kind, id, doc, order.force, incidentId ? (stored('incident', incidentId) as { status?: unknown } | null) : null);
        if (problem) return { refused: problem };
        const search = new ErasureSearch(order.target, order.force);
        while (search.frontier.length > 0) {
          search.round(search.frontier.flatMap((mentioned) => (this.statements.mentioning.all(mentioned) as RecordRow[]).flatMap(parsedOrNone)));
        }
        const { erased, found, kept, handedOver, altered, blocked } = search.plan();
        if (blocked) return { refused: blocked };
        if (order.preview) return { erased, altered: altered.length, handedOver, head: this.counter('seq') };
        const references = referencesOf(kind, doc);
        for (const reference of references) this.statements.keepErasedReference.run(order.force, reference, id);
        let head = this.counter('seq');
        for (const key of erased) {
          head += 1;
          this.statements.upsertRecord.run(key.kind, key.id, head, 'null');
          this.statements.clearArgs.run({ kind: key.kind, id: key.id });
        }
        // Another force's records stay, changed only where they held a copy of what went (a new version each).
        for (const record of altered) {
          head += 1;
          this.statements.upsertRecord.run(record.kind, record.id, head, JSON.stringify(record.doc));
        }
        this.statements.setCounter.run('seq', head);
        // The erasure's own entries say why; they are not sealed (they hold no personal data, and must stay
        // readable); the entries on another force's records altered are, like any alteration's.
        const auditHead = (this.statements.auditHead.get() as { seq: number; hash: string } | undefined) ?? null;
        // Other forces that held something of what went: their logs still find their own entries by the target.
        const written = new Map<string, Set<string>>();
        for (const key of erased) {
          const forces = (this.statements.forcesWritingOn.all(FIRST_FORCE, key.kind, key.id) as { force: string }[]).map((row) => row.force);
          if (forces.length > 0) written.set(keyString(key), new Set(forces));
        }
        const others = othersHolding(order.force, order.target, doc, found, [...kept, ...handedOver], written);
        this.writeAudit(chainEntries(auditHead, this.sealed(order.audit(erased, references, altered, others))));
        // After the erasure entries: audit_keys lets a key go only for a record whose erasure is in the log (migration 11).
        for (const key of erased) this.statements.dropAuditKey.run(key.kind, key.id);
        return { erased, altered: altered.length, head, handedOver };
      }).immediate(),
    );
    // Overwritten in the file (secure_delete); the write-ahead log still holds the pages as they were until it is
    // checkpointed and cut. A reader holding it back leaves the cut owed, for the upkeep's next round it allows.
    if ('erased' in outcome && !order.preview) cutAfterDeleting(this.db);
    return outcome;
  }

  private findSealed(selection: AuditSelection, after: AuditPosition | null, limit: number): AuditEntry[] {
    const beforeSeq = after?.seq ?? Number.MAX_SAFE_INTEGER;
    switch (selection.about) {
      case 'record':
      case 'records': {
        const records = selection.about === 'record' ? [{ kind: selection.recordKind, id: selection.recordId }] : selection.records;
        // Each record's own range of audit_log_record_seq, and of audit_reveals (the consultations that showed it), a
        // page's worth at most each, merged newest first, each entry once: one statement over all of them could be
        // planned as a walk down the whole log by seq.
        const found = new Map<number, AuditEntry>();
        for (const key of records) {
          for (const entry of this.statements.auditAboutRecord.all(key.kind, key.id, FIRST_FORCE, selection.force, beforeSeq, limit) as AuditEntry[]) found.set(entry.seq, entry);
          for (const entry of this.statements.auditRevealing.all(key.kind, key.id, FIRST_FORCE, selection.force, beforeSeq, limit) as AuditEntry[]) found.set(entry.seq, entry);
        }
        return [...found.values()].sort((a, b) => b.seq - a.seq).slice(0, limit);
      }
      case 'operator': {
        const { from, to } = selection;
        const who = selection.operator === SYSTEM_AUTHOR ? [SYSTEM_AUTHOR, `${SYSTEM_AUTHOR} (`, `${SYSTEM_AUTHOR} )`] : [selection.operator];
        const [done, recorded] = selection.operator === SYSTEM_AUTHOR ? [this.statements.auditBySystem, this.statements.auditBySystemRecorded] : [this.statements.auditByOperator, this.statements.auditByOperatorRecorded];
        // Done in the span by the workstation's time: the first page starts just before `to` (excluded), as every
        // entry issued at `to` sorts after (to, 0).
        const byWorkstation = done.all(...who, FIRST_FORCE, selection.force, from, to, after?.issuedAt ?? to, after ? beforeSeq : 0, limit) as AuditEntry[];
        // Recorded in the span by the server, done outside it by the workstation's time (a wrong clock, or done
        // offline before the span): ordered among the rest by the workstation's time all the same.
        const byServer = recorded.all(...who, FIRST_FORCE, selection.force, from, to, from, to, after?.issuedAt ?? null, after?.issuedAt ?? null, beforeSeq, limit) as AuditEntry[];
        return [...byWorkstation, ...byServer].sort(newestIssuedFirst).slice(0, limit);
      }
      case 'disclosures':
        // To other forces only: without the audit log's exports, each a disclosure to the reader who took it.
        if (selection.otherForcesOnly) return this.statements.auditDisclosuresToForces.all(FIRST_FORCE, selection.force, beforeSeq, limit) as AuditEntry[];
        return this.statements.auditOfKind.all('disclosure', FIRST_FORCE, selection.force, beforeSeq, limit) as AuditEntry[];
    }
  }

  async incidentsWithReference(reference: string): Promise<{ id: string; force: string | null }[]> {
    return this.statements.incidentsWithReference.all({ reference }) as { id: string; force: string | null }[];
  }

  async auditRecordsOfIncident(incidentId: string, force: ForceCode): Promise<RecordKey[]> {
    return this.db.transaction((): RecordKey[] => {
      const incident: RecordKey = { kind: 'incident', id: incidentId };
      const row = this.statements.record.get('incident', incidentId) as { doc: string } | undefined;
      if (!row) return [incident];
      if (row.doc !== 'null') return [incident, ...(this.statements.recordsAboutIncident.all({ id: incidentId }) as RecordKey[])];
      const erasure = this.statements.erasureOf.get('incident', incidentId, FIRST_FORCE, force) as { after: string | null } | undefined;
      return erasedRecordsOf(erasure?.after ?? null) ?? [incident];
    }).deferred();
  }

  async firstTicketAt(operator: string, clientId: string, force: ForceCode): Promise<string | null> {
    return (this.statements.firstTicketAt.get(operator, clientId, FIRST_FORCE, force) as { recordedAt: string } | undefined)?.recordedAt ?? null;
  }

  async erasureOf(record: RecordKey, force: ForceCode): Promise<{ operator: string; recordedAt: string; after: string | null } | null> {
    return (this.statements.erasureOf.get(record.kind, record.id, FIRST_FORCE, force) as { operator: string; recordedAt: string; after: string | null } | undefined) ?? null;
  }

  /** An applied command's audit entries, chained on from the newest, inside its transaction (before its records are written). */
  private appendAudit(envelope: CommandEnvelope, processedAt: string, records: AnyRecord[], force: string | null, unseen: readonly RecordKey[] = []): void {
    const before = (record: { kind: string; id: string }) => {
      const row = this.statements.record.get(record.kind, record.id) as { doc: string } | undefined;
      return row ? (JSON.parse(row.doc) as unknown) : undefined;
    };
    const head = (this.statements.auditHead.get() as { seq: number; hash: string } | undefined) ?? null;
    const erasedOwner = (record: { kind: string; id: string }) => (this.statements.erasureForce.get(record.kind, record.id) as { force: string | null } | undefined)?.force ?? null;
    this.writeAudit(chainEntries(head, this.sealed(auditDrafts(envelope, processedAt, records, before, force, erasedOwner, unseen))));
  }

  /** Chained entries written, each with what it revealed (migration 13's audit_reveals), in the caller's transaction. */
  private writeAudit(entries: readonly AuditEntry[]): void {
    for (const entry of entries) {
      this.statements.appendAudit.run(entry);
      for (const record of entry.reveals ?? []) this.statements.appendReveal.run(record.kind, record.id, entry.seq);
    }
  }

  /** Drafts with their values sealed under their records' keys, made here when a record has none yet (in the caller's transaction). */
  private sealed(drafts: AuditDraft[]): AuditDraft[] {
    return sealDrafts(drafts, (kind, id): RecordKeyBytes => {
      const row = this.statements.auditKey.get(kind, id) as { key: Buffer } | undefined;
      if (row) return row.key;
      const key = newRecordKey();
      // An entry about a record erased already (a look made offline before the erasure, arriving after it): sealed
      // under a key nobody keeps, so its values are as unreadable as the erasure made the record's other entries'.
      if ((this.statements.record.get(kind, id) as { doc: string } | undefined)?.doc === 'null') return key;
      this.statements.addAuditKey.run(kind, id, key);
      return key;
    });
  }

  async secret(name: string): Promise<string> {
    return this.db.transaction(() => {
      const row = this.db.prepare(`SELECT value FROM secrets WHERE name = ?`).get(name) as { value: string } | undefined;
      if (row) return row.value;
      const value = randomBytes(32).toString('base64url');
      this.db.prepare(`INSERT INTO secrets (name, value) VALUES (?, ?)`).run(name, value);
      return value;
    }).immediate();
  }

  async enrolDevice(device: EnrolledDevice, audit: (referenceGeneration: number) => AuditDraft[] = () => []): Promise<{ referenceGeneration: number } | { enrolledFor: string | null }> {
    return this.writing(() =>
      this.db.transaction(() => {
        const enrolled = this.db.prepare(`SELECT force FROM devices WHERE client_id = ?`).get(device.clientId) as { force: string | null } | undefined;
        if (enrolled && enrolled.force !== device.force) return { enrolledFor: enrolled.force };
        const others = (this.db.prepare(`SELECT workstation FROM devices WHERE client_id <> ?`).all(device.clientId) as { workstation: string }[]).map((row) => row.workstation);
        this.db
          .prepare(`INSERT INTO devices (client_id, workstation, force, token_hash, enrolled_at) VALUES (@clientId, @workstation, @force, @tokenHash, @enrolledAt)
            ON CONFLICT (client_id) DO UPDATE SET workstation = excluded.workstation, token_hash = excluded.token_hash, enrolled_at = excluded.enrolled_at`)
          .run(device);
        const counter = generationCounter(device.workstation);
        const current = this.statements.counter.get(counter) as { value: number } | undefined;
        const referenceGeneration = (current?.value ?? generationsBeforeCounting(device.workstation, others)) + 1;
        this.statements.setCounter.run(counter, referenceGeneration);
        this.chainAudit(audit(referenceGeneration));
        return { referenceGeneration };
      }).immediate(),
    );
  }

  async deviceByTokenHash(tokenHash: string): Promise<EnrolledDevice | null> {
    return (this.statements.deviceByTokenHash.get(tokenHash) as EnrolledDevice | undefined) ?? null;
  }

  async devicesNamed(workstation: string): Promise<EnrolledDevice[]> {
    return this.db.prepare(`SELECT client_id AS clientId, workstation, force, token_hash AS tokenHash, enrolled_at AS enrolledAt FROM devices WHERE workstation = ? ORDER BY enrolled_at`).all(workstation) as EnrolledDevice[];
  }

  async revoke(revocation: Revocation, audit: AuditDraft[] = []): Promise<void> {
    this.writing(() =>
      this.db.transaction(() => {
        this.statements.revoke.run(revocation);
        this.chainAudit(audit);
      }).immediate(),
    );
  }

  async revocationOfToken(tokenHash: string): Promise<RevokedDevice | null> {
    return (this.statements.revocationOfToken.get(tokenHash) as RevokedDevice | undefined) ?? null;
  }

  async revocation(kind: Revocation['kind'], subject: string): Promise<Revocation | null> {
    return (this.statements.revocation.get(kind, subject) as Revocation | undefined) ?? null;
  }

  async revokedAmong(kind: Revocation['kind'], subjects: readonly string[]): Promise<string[]> {
    if (subjects.length === 0) return [];
    const rows = this.statements.revokedAmong.all(kind, JSON.stringify(subjects)) as { subject: string }[];
    return rows.map((row) => row.subject);
  }

  async setCredential(operator: string, passwordHash: string, audit: AuditDraft[] = [], force: string | null = null): Promise<void> {
    this.writing(() =>
      this.db.transaction(() => {
        this.db.prepare(`INSERT INTO credentials (operator, password_hash, force) VALUES (?, ?, ?) ON CONFLICT (operator) DO UPDATE SET password_hash = excluded.password_hash, force = excluded.force`).run(operator, passwordHash, force);
        this.chainAudit(audit);
      }).immediate(),
    );
  }

  async signInFailures(operator: string): Promise<number[]> {
    const rows = this.db.prepare(`SELECT failed_at AS at FROM sign_in_failures WHERE operator = ? ORDER BY failed_at`).all(operator) as { at: string }[];
    return rows.map((row) => Date.parse(row.at));
  }

  async noteSignInFailure(operator: string, at: string, entries: (before: number[]) => AuditDraft[]): Promise<void> {
    this.writing(() =>
      this.db.transaction(() => {
        const before = (this.db.prepare(`SELECT failed_at AS at FROM sign_in_failures WHERE operator = ? ORDER BY failed_at`).all(operator) as { at: string }[]).map((row) => Date.parse(row.at));
        this.db.prepare(`INSERT INTO sign_in_failures (operator, failed_at) VALUES (?, ?)`).run(operator, at);
        this.chainAudit(entries(before));
      }).immediate(),
    );
  }

  /** Whether this record was erased (a withdrawal, its document gone). */
  private isErased(key: RecordKey): boolean {
    return (this.statements.record.get(key.kind, key.id) as { doc: string } | undefined)?.doc === 'null';
  }

  /** A command's failed sign-in (CommandPlan.signInFailure), noted with its entries in the caller's transaction. */
  private noteFailureNow(key: string, plan: SignInFailurePlan): void {
    const failures = (this.db.prepare(`SELECT failed_at AS at FROM sign_in_failures WHERE operator = ? ORDER BY failed_at`).all(key) as { at: string }[]).map((row) => Date.parse(row.at));
    const { at, audit } = plan.note(failures);
    this.db.prepare(`INSERT INTO sign_in_failures (operator, failed_at) VALUES (?, ?)`).run(key, at);
    this.chainAudit(audit);
  }

  async clearSignInFailures(operator: string, audit: AuditDraft[] = []): Promise<void> {
    this.writing(() =>
      this.db.transaction(() => {
        this.db.prepare(`DELETE FROM sign_in_failures WHERE operator = ?`).run(operator);
        this.chainAudit(audit);
      }).immediate(),
    );
  }

  /** Entries for what happened outside a command (server/audit/access-audit.ts), chained on from the newest, in the caller's transaction. */
  private chainAudit(drafts: AuditDraft[]): void {
    if (drafts.length === 0) return;
    const head = (this.statements.auditHead.get() as { seq: number; hash: string } | undefined) ?? null;
    this.writeAudit(chainEntries(head, this.sealed(drafts)));
  }

  async credential(operator: string): Promise<StoredCredential | null> {
    return (this.db.prepare(`SELECT password_hash AS hash, force FROM credentials WHERE operator = ?`).get(operator) as StoredCredential | undefined) ?? null;
  }

  async record(key: RecordKey): Promise<unknown> {
    const row = this.statements.record.get(key.kind, key.id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as unknown) : null;
  }

  async measureRecords(from: string, to: string, force: ForceCode): Promise<MeasureRecordDocs> {
    const rows = this.statements.measureRecords.all({ from: from.slice(0, 19), to: to.slice(0, 19), force }) as { kind: string; doc: string }[];
    return measureDocs(rows);
  }

  onExternalChange(): () => void {
    return () => {}; // one file, one server process: every change is this instance's own
  }

  async close(): Promise<void> {
    this.upkeep?.stop();
    if (this.db.open) this.db.close();
  }

  /**
   * Runs a write. A full disk or another program holding the file is a passing state of the storage, not a bug:
   * it becomes StorageUnavailableError (503), and the workstation keeps the commands and sends them again.
   */
  private writing<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** A store fault as StorageUnavailableError; any other error as it is. */
  private unavailable(error: unknown): unknown {
    const fault = storeFaultOf(error, this.dir);
    return fault ? new StorageUnavailableError(UNAVAILABLE[fault], { cause: error }) : error;
  }

  /** Database handle for tests that inspect the file (integrity checks, counts). */
  get database(): Db {
    return this.db;
  }

  private checkOrder(clientId: string, clientSeq: number, commandId: string): ProcessResult | null {
    const last = this.clientProgress(clientId);
    if (clientSeq <= last) {
      const row = this.statements.loggedOutcome.get(clientId, clientSeq) as LoggedRow | undefined;
      if (!row) throw new Error(`command ${clientSeq} of client ${clientId} was processed but is not in the log`);
      return { kind: 'duplicate', outcome: toOutcome(row), sent: toLogged(row) };
    }
    if (clientSeq > last + 1) return { kind: 'out_of_order', expected: last + 1 };
    // A command id the log holds already, at another place: never applied twice, never a second row under one id.
    const taken = this.statements.loggedById.get(commandId) as LoggedRow | undefined;
    if (taken) return { kind: 'duplicate', outcome: toOutcome(taken), sent: toLogged(taken) };
    return null;
  }

  async lastClientSeq(clientId: string): Promise<number> {
    return this.clientProgress(clientId);
  }

  async progress(clientId: string, afterClientSeq: number): Promise<ClientProgress> {
    return this.db.transaction((): ClientProgress => ({
      head: this.counter('seq'),
      lastClientSeq: this.clientProgress(clientId),
      rejected: (this.statements.rejectedAfter.all(clientId, afterClientSeq) as OutcomeRow[]).map(toOutcome),
    })).deferred();
  }

  private clientProgress(clientId: string): number {
    return (this.statements.lastClientSeq.get(clientId) as { n: number } | undefined)?.n ?? 0;
  }

  private counter(name: string): number {
    return (this.statements.counter.get(name) as { value: number } | undefined)?.value ?? 0;
  }

  private logCommand(envelope: CommandEnvelope, outcome: CommandOutcome, processedAt: string): void {
    this.statements.logCommand.run({
      commandId: envelope.commandId,
      clientId: envelope.clientId,
      clientSeq: envelope.clientSeq,
      name: envelope.name,
      args: JSON.stringify(envelope.args ?? null),
      operator: envelope.operator,
      workstation: envelope.workstation,
      issuedAt: envelope.issuedAt,
      processedAt,
      status: outcome.status,
      code: outcome.status === 'rejected' ? outcome.code : null,
      reason: outcome.status === 'rejected' ? outcome.reason : null,
      seq: outcome.status === 'applied' ? outcome.seq : null,
    });
    this.statements.upsertClient.run(envelope.clientId, envelope.clientSeq, envelope.workstation, processedAt);
  }
}

/** A single command's or a push's batch's work, waiting for the group commit. */
interface GroupEntry {
  /** How many commands it processes (a batch's length; 1 for one command). */
  commands: number;
  run: () => unknown;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * The most commands one group commit takes (see commitGroup): a few tens of milliseconds of the server's thread,
 * however many arrived at once.
 */
const MAX_GROUP_COMMANDS = 200;

/** An operator's answer's order (see AuditSelection): newest workstation time first, then highest seq. */
function newestIssuedFirst(a: AuditEntry, b: AuditEntry): number {
  return a.issuedAt < b.issuedAt ? 1 : a.issuedAt > b.issuedAt ? -1 : b.seq - a.seq;
}

const AUDIT_SELECT = `
  SELECT seq, recorded_at AS recordedAt, issued_at AS issuedAt, operator, workstation, client_id AS clientId, force,
    command_id AS commandId, command, kind, record_kind AS recordKind, record_id AS recordId, field, before, after,
    prev_hash AS prevHash, hash
  FROM audit_log`;

/**
 * The asking force's entries only (two parameters: FIRST_FORCE, then the asking force's code): an entry of no force was written
 * before entries named theirs, and is the first force's, as its records became (migration 7).
 */
const AUDIT_OF_FORCE = `COALESCE(force, ?) = ?`;

const UNAVAILABLE: Record<StoreFault, string> = {
  disk_full: 'the disk holding the server database is full',
  locked: 'the server database is held by another program',
  io_error: 'the disk holding the server database could not be written',
};

interface OutcomeRow {
  command_id: string;
  client_seq: number;
  status: 'applied' | 'rejected';
  code: RejectionCode | null;
  reason: string | null;
  seq: number | null;
}

const LOGGED_COLUMNS = 'command_id, client_id, client_seq, status, code, reason, seq, name, args, operator, issued_at';

interface LoggedRow extends OutcomeRow {
  client_id: string;
  name: string;
  args: string;
  operator: string;
  issued_at: string;
}

function toLogged(row: LoggedRow): LoggedCommand {
  return { commandId: row.command_id, clientId: row.client_id, clientSeq: row.client_seq, name: row.name, args: row.args, operator: row.operator, issuedAt: row.issued_at };
}

function toOutcome(row: OutcomeRow): CommandOutcome {
  return row.status === 'applied'
    ? { commandId: row.command_id, clientSeq: row.client_seq, status: 'applied', seq: row.seq ?? 0 }
    : { commandId: row.command_id, clientSeq: row.client_seq, status: 'rejected', code: row.code ?? 'invalid', reason: row.reason ?? '' };
}

interface RecordRow {
  seq: number;
  kind: string;
  id: string;
  doc: string;
}

/** A stored record as a record, or nothing for a document that no longer parses (it cannot be a record an erasure must find). */
function parsedOrNone(row: RecordRow): AnyRecord[] {
  try {
    return [parseRecord(row.kind, row.id, JSON.parse(row.doc))];
  } catch {
    return [];
  }
}

function toChange(row: RecordRow): RecordChange {
  return { seq: row.seq, kind: row.kind, id: row.id, doc: JSON.parse(row.doc) as unknown };
}
