import type { PoolClient } from 'pg';
import type { StateView } from '../../../shared/commands/types';
import { keyString, type AnyRecord, type RecordDocs, type RecordKey, type RecordKind } from '../../../shared/domain/records';
import { chainEntries, type AuditDraft, type AuditEntry } from '../../audit/audit-chain';
import { auditDrafts, recordsNamedByFact } from '../../audit/command-audit';
import type { ForceCode } from '../../../shared/domain/force';
import type { CommandEnvelope } from '../../../shared/sync/protocol';
import type { Revocation } from '../storage';
import type { TransactionEnd } from './transactions';
import { keysToSeal, newRecordKey, sealDrafts } from '../../audit/audit-seal';
import { readAuditBasis, readErasedOwners, readOrMakeKeys, storable, text, writeBatch, type BatchBasis, type BatchWrite, type CommandLogRow, type LoggedRow, type RecordRow } from './statements';

/**
 * What one batch of commands (a push) has written so far, held in memory under the sequence lock and written at the
 * batch's end, a statement per table (see PostgresStorage.processBatch). Each command reads through it: a record the
 * batch wrote is read as the batch left it, any other from the database once; so each command is decided against
 * exactly what it would see had every command before it committed on its own.
 */
export class BatchWrites {
  /** The sequence as the batch has moved it. */
  head: number;
  /** Each client's last clientSeq as the batch has moved it. */
  readonly progress = new Map<string, number>();
  /** Records to write, by key: the later write of one record keeps its document and its number. */
  private readonly rows = new Map<string, RecordRow>();
  /** Records' documents (JSON text) as the batch stands, by key; null for one known not to exist. */
  private readonly known = new Map<string, string | null>();
  /** Applied commands whose audit entries are drafted at the end (see auditLater). */
  private readonly audits: { envelope: CommandEnvelope; processedAt: string; records: AnyRecord[]; force: ForceCode | null; before: Map<string, string | null | undefined>; unseen: readonly RecordKey[]; also: AuditDraft[] }[] = [];
  /** Entries commands of the batch bring whatever their decisions (CommandPlan.audit), chained after the rest. */
  private readonly also: AuditDraft[] = [];
  /** Failed sign-ins the batch's commands count (CommandPlan.signInFailure), written with the rest. */
  private readonly failures: { key: string; at: string }[] = [];
  /** Revocations the batch's applied commands make (CommandPlan.revokes: a deactivation's), written with the rest. */
  private readonly revocations: Revocation[] = [];
  /** Failed sign-ins stored before the batch, by key, as read once (see signInFailures). */
  private readonly failuresBefore = new Map<string, number[]>();
  /** The newest audit entry as the batch stands; undefined until read. */
  private auditHead: { seq: number; hash: string } | null | undefined = undefined;
  /** Serials drawn by commands that wrote records (kept only with those, as one command at a time would). */
  private readonly drawn = new Map<string, number>();
  private readonly logged: CommandLogRow[] = [];
  private readonly loggedNow = new Map<string, LoggedRow>();
  /** Commands of the batch whose arguments the command log does not keep (see write: a look at a record erased since). */
  private readonly argsCleared = new Set<string>();
  /**
   * Audit keys of records read under the lock, by key string: the key, or null for a record that has none (so one is
   * made when an entry needs it, and written with the batch). A record not in here was not read: its key is asked for.
   */
  private readonly auditKeys = new Map<string, Buffer | null>();
  /** Records known to have been erased (withdrawn, their documents null), by key. */
  private readonly erased = new Set<string>();

  /**
   * `head`: the sequence when the batch took the lock; `basis`: what was read for the batch up front (readBatchBasis):
   * the log's commands with the batch's command ids, the counters read so far (added to as the batch reads and draws
   * more), its clients' progress, the records its commands declared (`keys`) and the audit chain's head.
   */
  constructor(head: number, basis: BatchBasis, keys: readonly RecordKey[]) {
    this.head = head;
    this.loggedBefore = basis.logged;
    this.counters = basis.counters;
    for (const [clientId, last] of basis.progress) this.progress.set(clientId, last);
    // An erased record (a withdrawal: its document null) is no record to a command.
    for (const key of keys) {
      const doc = basis.docs.get(keyString(key));
      this.known.set(keyString(key), doc === undefined || doc === 'null' ? null : doc);
      this.auditKeys.set(keyString(key), basis.auditKeys.get(keyString(key)) ?? null);
      if (doc === 'null') this.erased.add(keyString(key));
    }
    this.auditHead = basis.auditHead;
  }

  private readonly loggedBefore: Map<string, LoggedRow>;
  readonly counters: Map<string, number>;

  /** A command logged by this batch at a client's place, as the log will hold it; null if none. */
  loggedAt(clientId: string, clientSeq: number): LoggedRow | null {
    for (const row of this.loggedNow.values()) if (row.client_id === clientId && Number(row.client_seq) === clientSeq) return row;
    return null;
  }

  /** The command logged under this id, before the batch or by it; null if none. */
  loggedById(commandId: string): LoggedRow | null {
    return this.loggedBefore.get(commandId) ?? this.loggedNow.get(commandId) ?? null;
  }

  /** The records a command declared it reads, as the batch stands; asking for any other throws (a bug in its reads()). */
  async state(tx: PoolClient, keys: RecordKey[]): Promise<StateView> {
    await this.learn(tx, keys);
    const declared = new Set(keys.map(keyString));
    const known = this.known;
    return {
      get<K extends RecordKind>(kind: K, id: string): RecordDocs[K] | undefined {
        const key = keyString({ kind, id });
        if (!declared.has(key)) throw new Error(`the command read ${key}, which its reads() does not declare`);
        const doc = known.get(key);
        return doc == null ? undefined : (JSON.parse(doc) as RecordDocs[K]);
      },
    };
  }

  /**
   * An applied command's audit entries, drafted when the batch is written (write): each of its records compared with
   * what it was before this command, as the batch stood (a record the batch has not touched or read, as the
   * database has it, read then for all such at once).
   */
  auditLater(envelope: CommandEnvelope, processedAt: string, records: readonly AnyRecord[], force: ForceCode | null, unseen: readonly RecordKey[] = [], also: readonly AuditDraft[] = []): void {
    const before = new Map<string, string | null | undefined>(records.map((record) => [keyString(record), this.known.get(keyString(record))]));
    // A log line's incident as the batch stood, for whether it was closed when the line was written: the command read
    // it (its rules do), so it is known, and need not be read again when the batch is written.
    for (const record of records) {
      if (record.kind !== 'logEntry') continue;
      const incident = keyString({ kind: 'incident', id: record.doc.incidentId });
      if (!before.has(incident) && this.known.has(incident)) before.set(incident, this.known.get(incident));
    }
    this.audits.push({ envelope, processedAt, records: [...records], force, before, unseen, also: [...also] });
  }

  /** The failed sign-ins counted under `key` (epoch ms, oldest first): those stored, read once, and the batch's own. */
  async signInFailures(tx: PoolClient, key: string): Promise<number[]> {
    if (!this.failuresBefore.has(key)) {
      const { rows } = await tx.query<{ at: string }>('SELECT failed_at AS at FROM sign_in_failures WHERE operator = $1 ORDER BY failed_at', [text(key)]);
      this.failuresBefore.set(key, rows.map((row) => Date.parse(row.at)));
    }
    const held = this.failures.filter((failure) => failure.key === key).map((failure) => Date.parse(failure.at));
    return [...this.failuresBefore.get(key)!, ...held].sort((a, b) => a - b);
  }

  /** Holds entries a command brings whatever its decision (CommandPlan.audit), written with the batch. */
  auditAlso(drafts: readonly AuditDraft[]): void {
    this.also.push(...drafts);
  }

  /** Holds a failed sign-in a command counts (`at`, ISO-8601), written with the batch. */
  noteSignInFailure(key: string, at: string): void {
    this.failures.push({ key, at });
  }

  /**
   * What holds a key as the batch stands (storage.ts Holding): the document, null for an erased record, undefined for
   * none; `unread` for a key not learnt yet (learn it, then ask again).
   */
  holding(key: RecordKey): unknown {
    const known = this.known.get(keyString(key));
    if (known === undefined) return 'unread';
    if (known !== null) return JSON.parse(known) as unknown;
    return this.erased.has(keyString(key)) ? null : undefined;
  }

  /** Whether a record learnt (see learn) was erased: a withdrawal in the database, its document null. */
  isErased(key: RecordKey): boolean {
    return this.erased.has(keyString(key));
  }

  /** Revokes with the batch (a deactivated account's tickets), in its transaction. */
  revoke(revocation: Revocation): void {
    this.revocations.push(revocation);
  }

  /** The command log keeps no arguments of this command of the batch (a refused one naming a record erased since). */
  clearArgs(commandId: string): void {
    this.argsCleared.add(commandId);
  }

  /** Writes a command's records, each at the next number; returns the head after them. */
  writeRecords(records: readonly AnyRecord[]): number {
    for (const record of records) {
      this.head += 1;
      const key = keyString(record);
      const row = { kind: record.kind, id: record.id, seq: this.head, doc: JSON.stringify(record.doc) };
      this.rows.delete(key);
      this.rows.set(key, row);
      this.known.set(key, row.doc);
    }
    return this.head;
  }

  drawCounter(name: string, value: number): void {
    this.drawn.set(name, value);
    this.counters.set(name, value);
  }

  logCommand(row: CommandLogRow): void {
    const { envelope, outcome } = row;
    this.logged.push(row);
    this.progress.set(envelope.clientId, envelope.clientSeq);
    this.loggedNow.set(envelope.commandId, {
      command_id: envelope.commandId,
      client_id: envelope.clientId,
      client_seq: envelope.clientSeq,
      status: outcome.status,
      code: outcome.status === 'rejected' ? outcome.code : null,
      reason: outcome.status === 'rejected' ? outcome.reason : null,
      seq: outcome.status === 'applied' ? outcome.seq : null,
      name: text(envelope.name),
      args: JSON.stringify(envelope.args ?? null),
      operator: text(envelope.operator),
      issued_at: envelope.issuedAt,
    });
  }

  /**
   * Writes everything the batch holds, in the transaction it was decided in, with the notification (`notify`, for a
   * batch that moved the sequence): its audit entries drafted, sealed and chained first, then one statement for all.
   */
  async write(tx: PoolClient, before: number, notify: BatchWrite['notify'], end?: TransactionEnd): Promise<void> {
    let audit: AuditEntry[] = [];
    if (this.audits.length > 0 || this.also.length > 0) {
      // The records no command of the batch had known before writing them, as the database has them, and those its
      // audit entries name beyond what it wrote (auditReads: the record another force looked at): one question, and
      // none when every record was known (the chain's head was read with the batch's records).
      const unread = new Map<string, RecordKey>();
      for (const audit of this.audits) {
        for (const record of audit.records) if (audit.before.get(keyString(record)) === undefined) unread.set(keyString(record), { kind: record.kind, id: record.id });
        for (const key of recordsNamedByFact(audit.envelope)) if (!audit.before.has(keyString(key))) unread.set(keyString(key), key);
        // A log line's incident, for whether it was closed when the line was written (command-audit.ts collected).
        for (const record of audit.records) {
          if (record.kind !== 'logEntry') continue;
          const incident: RecordKey = { kind: 'incident', id: record.doc.incidentId };
          if (!audit.before.has(keyString(incident))) unread.set(keyString(incident), incident);
        }
      }
      const { docs, auditKeys, head } = unread.size > 0 || this.auditHead === undefined ? await readAuditBasis(tx, [...unread.values()]) : { docs: new Map<string, unknown>(), auditKeys: new Map<string, Buffer>(), head: null };
      for (const key of unread.keys()) if (!this.auditKeys.has(key)) this.auditKeys.set(key, auditKeys.get(key) ?? null);
      // Records looked at that were erased since (documents null): who owned them, from their erasure entries.
      const erased = this.audits.flatMap((audit) => recordsNamedByFact(audit.envelope)).filter((key) => docs.get(keyString(key)) === null);
      const owners = await readErasedOwners(tx, erased);
      // A look or a moment naming a record erased while it waited: logged, its audit entry written, but its arguments
      // not kept in the command log, as the erasure cleared those of the commands before it.
      for (const audit of this.audits) {
        if (recordsNamedByFact(audit.envelope).some((key) => owners.has(keyString(key)))) this.argsCleared.add(audit.envelope.commandId);
      }
      const erasedOwner = (record: { kind: string; id: string }) => owners.get(`${record.kind}:${record.id}`) ?? null;
      const drafts: AuditDraft[] = [];
      for (const { envelope, processedAt, records, force, before, unseen, also } of this.audits) {
        const beforeOf = (record: { kind: string; id: string }) => {
          const known = before.get(`${record.kind}:${record.id}`);
          return known === undefined ? docs.get(`${record.kind}:${record.id}`) : known === null ? undefined : (JSON.parse(known) as unknown);
        };
        drafts.push(...auditDrafts(envelope, processedAt, records, beforeOf, force, erasedOwner, unseen).map(storable), ...also.map(storable));
      }
      drafts.push(...this.also.map(storable));
      // Sealed under their records' keys, then chained: the chain hashes what is stored.
      audit = chainEntries(this.auditHead === undefined ? head : this.auditHead, await this.seal(tx, drafts));
    }
    if (this.failures.length > 0) {
      await tx.query('INSERT INTO sign_in_failures (operator, failed_at) SELECT * FROM unnest($1::text[], $2::text[])', [this.failures.map((f) => text(f.key)), this.failures.map((f) => f.at)]);
    }
    for (const revocation of this.revocations) {
      await tx.query(
        `INSERT INTO revocations (kind, subject, revoked_at, reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, subject) DO UPDATE SET revoked_at = excluded.revoked_at, reason = excluded.reason`,
        [revocation.kind, text(revocation.subject), revocation.revokedAt, text(revocation.reason)],
      );
    }
    // writeBatch sends its one statement at once; with `end`, the COMMIT follows it at once too.
    const writing = writeBatch(tx, {
      audit,
      records: [...this.rows.values()],
      counters: this.head !== before ? new Map([...this.drawn, ['seq', this.head]]) : new Map(),
      logged: this.argsCleared.size === 0 ? this.logged : this.logged.map((row) => (this.argsCleared.has(row.envelope.commandId) ? { ...row, envelope: { ...row.envelope, args: null } } : row)),
      keys: this.madeKeys,
      notify,
    });
    await (end ? end.commitWith(writing) : writing);
  }

  /** Keys this batch made (see seal), written with the batch. */
  private readonly madeKeys: { kind: string; id: string; key: Buffer }[] = [];

  /**
   * Drafts sealed under their records' keys. A record read under the lock (with the batch's records, or with its audit
   * basis) is known to have its key or none; one with none gets a new key, kept by the batch's write (not for a record
   * erased: see BatchWrite.keys). Only the keys of records not read are asked for: a round trip that makes them,
   * which the commands of the incident lifecycle do not need.
   */
  private async seal(tx: PoolClient, drafts: AuditDraft[]): Promise<AuditDraft[]> {
    const wanted = keysToSeal(drafts);
    const unread = wanted.filter((name) => !this.auditKeys.has(name));
    // Not given for a record erased already (a look made offline before the erasure, arriving after it): see below.
    for (const [name, key] of await readOrMakeKeys(tx, unread)) this.auditKeys.set(name, key);
    for (const name of wanted) {
      if (this.auditKeys.get(name) !== null) continue;
      const key = newRecordKey();
      this.auditKeys.set(name, key);
      const at = name.indexOf(':');
      this.madeKeys.push({ kind: name.slice(0, at), id: name.slice(at + 1), key });
    }
    // A record erased already has no key kept: its entry is sealed under one nobody keeps, as unreadable as the
    // erasure made the record's other entries.
    return sealDrafts(drafts, (kind, id) => this.auditKeys.get(`${kind}:${id}`) ?? newRecordKey());
  }

  /** Reads the documents of records the batch does not know yet (and the newest audit entry, the first time): one question for them all. */
  async learn(tx: PoolClient, keys: readonly RecordKey[]): Promise<void> {
    const unknown = keys.filter((key) => !this.known.has(keyString(key)));
    if (unknown.length === 0 && this.auditHead !== undefined) return;
    const { docs, auditKeys, head } = await readAuditBasis(tx, unknown.map(({ kind, id }) => ({ kind, id })));
    for (const key of unknown) {
      const doc = docs.get(keyString(key));
      // An erased record (a withdrawal: its document null) is no record to a command.
      this.known.set(keyString(key), doc === undefined || doc === null ? null : JSON.stringify(doc));
      this.auditKeys.set(keyString(key), auditKeys.get(keyString(key)) ?? null);
      if (doc === null) this.erased.add(keyString(key));
    }
    if (this.auditHead === undefined) this.auditHead = head;
  }
}
