import { SYSTEM_AUTHOR } from '../../../shared/domain/automatic';
import type { StoredVersions } from '../../change-json';
import type { PoolClient } from 'pg';
import type { RejectionCode } from '../../../shared/commands/types';
import type { RecordKey } from '../../../shared/domain/records';
import type { CommandEnvelope, CommandOutcome, RecordChange } from '../../../shared/sync/protocol';
import type { LoggedCommand } from '../storage';
import type { AuditDraft, AuditEntry } from '../../audit/audit-chain';
import { keysToSeal, newRecordKey, sealDrafts } from '../../audit/audit-seal';
import type { AuditPosition, AuditSelection } from '../storage';
import { FIRST_FORCE } from '../../../shared/domain/force';
import { erasedRecordsOf } from '../../audit/erasure-audit';
import type { RevealRow } from '../../audit/verify-reveals';

// The statements of the PostgreSQL storage, each run inside the transaction it is given.

const LOGGED_COLUMNS = 'command_id, client_id, client_seq, status, code, reason, seq, name, args, operator, issued_at';

export interface LoggedRow extends OutcomeRow {
  client_id: string;
  name: string;
  args: string;
  operator: string;
  issued_at: string;
}

export function toLogged(row: LoggedRow): LoggedCommand {
  return { commandId: row.command_id, clientId: row.client_id, clientSeq: Number(row.client_seq), name: row.name, args: row.args, operator: row.operator, issuedAt: row.issued_at };
}

/** Counters by name; one never drawn reads as 0. */
export async function readCounters(tx: PoolClient, names: string[]): Promise<Map<string, number>> {
  const values = new Map<string, number>(names.map((name) => [name, 0]));
  if (names.length === 0) return values;
  const { rows } = await tx.query<{ name: string; value: number }>({ name: 'cordon_counters', text: 'SELECT name, value FROM counters WHERE name = ANY($1::text[])', values: [names] });
  for (const row of rows) values.set(row.name, row.value);
  return values;
}

export async function readHead(tx: PoolClient): Promise<number> {
  const { rows } = await tx.query<{ value: number }>({ name: 'cordon_head', text: `SELECT value FROM counters WHERE name = 'seq'`, values: [] });
  return rows[0]?.value ?? 0;
}

export async function readClientProgress(tx: PoolClient, clientId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>({ name: 'cordon_client_progress', text: 'SELECT last_client_seq AS n FROM clients WHERE client_id = $1', values: [clientId] });
  return rows[0]?.n ?? 0;
}

export interface RecordRow {
  kind: string;
  id: string;
  seq: number;
  /** The document as JSON text. */
  doc: string;
}

/** Inserts or replaces records, one statement for all of a command's. */
export async function writeRecords(tx: PoolClient, rows: RecordRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO records (kind, id, seq, doc)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])
     ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq, doc = excluded.doc`,
    [rows.map((r) => r.kind), rows.map((r) => r.id), rows.map((r) => r.seq), rows.map((r) => r.doc)],
  );
}

export async function writeCounters(tx: PoolClient, counters: Map<string, number>): Promise<void> {
  await tx.query(
    `INSERT INTO counters (name, value) SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    [[...counters.keys()], [...counters.values()]],
  );
}

/**
 * The changes after `since` (at most `limit`) and the head, in one statement and so one snapshot: a reader never
 * sees a head above the changes it was given. The head comes on every row (an uncorrelated subquery, read once),
 * and on a row of its own with no change when there is none.
 */
export async function readChangesAndHead(tx: PoolClient, since: number, limit: number, stored: StoredVersions): Promise<{ head: number; changes: RecordChange[] }> {
  const { rows } = await tx.query<{ head: number } & { [K in keyof RecordRow]: RecordRow[K] | null }>({ name: 'cordon_changes_and_head', text: `SELECT h.head, c.seq, c.kind, c.id, c.doc
     FROM (SELECT coalesce((SELECT value FROM counters WHERE name = 'seq'), 0) AS head) h
     LEFT JOIN LATERAL (SELECT seq, kind, id, doc FROM records WHERE seq > $1 ORDER BY seq LIMIT $2) c ON true
     ORDER BY c.seq`, values: [since, limit] });
  const changes: RecordChange[] = [];
  for (const row of rows) if (row.seq !== null) changes.push(stored.change(row as RecordRow));
  return { head: rows[0]?.head ?? 0, changes };
}

/**
 * A client's last clientSeq and its refused commands after `afterClientSeq`, with the head, in one statement and so
 * one snapshot: never progress without the refusals that are part of it, nor above the head it came with (a pull
 * whose cursor is at that head has nothing else to read).
 */
export async function readProgressAndRejected(tx: PoolClient, clientId: string, afterClientSeq: number): Promise<{ head: number; lastClientSeq: number; rejected: CommandOutcome[] }> {
  const { rows } = await tx.query<{ head: number; last_client_seq: number } & { [K in keyof OutcomeRow]: OutcomeRow[K] | null }>({ name: 'cordon_progress_and_rejected', text: `SELECT p.head, p.last_client_seq, r.command_id, r.client_seq, r.status, r.code, r.reason, r.seq
     FROM (SELECT coalesce((SELECT value FROM counters WHERE name = 'seq'), 0) AS head,
                  coalesce((SELECT last_client_seq FROM clients WHERE client_id = $1), 0) AS last_client_seq) p
     LEFT JOIN LATERAL (SELECT command_id, client_seq, status, code, reason, seq FROM command_log
                        WHERE client_id = $1 AND client_seq > $2 AND status = 'rejected' ORDER BY client_seq) r ON true
     ORDER BY r.client_seq`, values: [clientId, afterClientSeq] });
  const rejected = rows.filter((row) => row.command_id !== null).map((row) => toOutcome(row as OutcomeRow));
  return { head: rows[0]?.head ?? 0, lastClientSeq: rows[0]?.last_client_seq ?? 0, rejected };
}

/**
 * PostgreSQL text cannot hold U+0000, which SQLite stores. A command name or reason carrying one (a broken or
 * hostile client) must still be logged and answered, or the workstation would resend it for ever; the answer to
 * a resend comes from the log, so the first answer carries the same replacement.
 */
export function text(value: string): string {
  return value.replaceAll('\u0000', '\uFFFD');
}

export interface OutcomeRow {
  command_id: string;
  client_seq: number;
  status: 'applied' | 'rejected';
  code: RejectionCode | null;
  reason: string | null;
  seq: number | null;
}

export function toOutcome(row: OutcomeRow): CommandOutcome {
  return row.status === 'applied'
    ? { commandId: row.command_id, clientSeq: row.client_seq, status: 'applied', seq: row.seq ?? 0 }
    : { commandId: row.command_id, clientSeq: row.client_seq, status: 'rejected', code: row.code ?? 'invalid', reason: row.reason ?? '' };
}

/**
 * What an applied command's audit entries are drafted from, in one round trip (the sequence lock is held
 * meanwhile): the documents of the records it writes as they stand (by key string; absent where a record does not
 * exist yet), the audit keys those records have (by key string; absent where none was made), and the newest audit
 * entry's place and hash (null for an empty log). Read under the sequence lock, which every appender and every maker
 * of a key holds, so no other entry can be chained onto the same one, nor another key made for one of these records.
 */
export async function readAuditBasis(tx: PoolClient, keys: RecordKey[]): Promise<{ docs: Map<string, unknown>; auditKeys: Map<string, Buffer>; head: { seq: number; hash: string } | null }> {
  const { rows } = await tx.query<{ what: string; kind: string | null; id: string | null; doc: string | null; seq: number | null; hash: string | null }>({ name: 'cordon_audit_basis', text: `SELECT 'record' AS what, r.kind, r.id, r.doc, NULL::bigint AS seq, NULL::text AS hash FROM records r
       JOIN unnest($1::text[], $2::text[]) AS k(kind, id) ON r.kind = k.kind AND r.id = k.id
     UNION ALL SELECT 'key', a.record_kind, a.record_id, encode(a.key, 'hex'), NULL, NULL FROM audit_keys a
       JOIN unnest($1::text[], $2::text[]) AS k(kind, id) ON a.record_kind = k.kind AND a.record_id = k.id
     UNION ALL
     (SELECT 'audit', NULL, NULL, NULL, seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1)`, values: [keys.map((k) => k.kind), keys.map((k) => k.id)] });
  const docs = new Map<string, unknown>();
  const auditKeys = new Map<string, Buffer>();
  let head: { seq: number; hash: string } | null = null;
  for (const row of rows) {
    if (row.what === 'audit') head = { seq: row.seq!, hash: row.hash! };
    else if (row.what === 'key') auditKeys.set(`${row.kind}:${row.id}`, Buffer.from(row.doc!, 'hex'));
    else if (row.doc !== null) docs.set(`${row.kind}:${row.id}`, JSON.parse(row.doc) as unknown);
  }
  return { docs, auditKeys, head };
}

const AUDIT_COLUMNS = [
  'seq', 'recorded_at', 'issued_at', 'operator', 'workstation', 'client_id', 'force', 'command_id', 'command',
  'kind', 'record_kind', 'record_id', 'field', 'before', 'after', 'prev_hash', 'hash',
] as const;

/** The audit entries' columns as arrays, in AUDIT_COLUMNS' order, for `unnest`. */
function auditArrays(entries: readonly AuditEntry[]): (string | number | null)[][] {
  const values = (pick: (e: AuditEntry) => string | number | null) => entries.map(pick);
  return [
    values((e) => e.seq), values((e) => e.recordedAt), values((e) => e.issuedAt), values((e) => e.operator),
    values((e) => e.workstation), values((e) => e.clientId), values((e) => e.force), values((e) => e.commandId),
    values((e) => e.command), values((e) => e.kind), values((e) => e.recordKind), values((e) => e.recordId),
    values((e) => e.field), values((e) => e.before), values((e) => e.after), values((e) => e.prevHash), values((e) => e.hash),
  ];
}

/** What each consultation showed (migration 13), as arrays of kinds, ids and seqs for `unnest`. */
function revealArrays(entries: readonly AuditEntry[]): [string[], string[], number[]] {
  const reveals = entries.flatMap((e) => (e.reveals ?? []).map((record) => ({ kind: text(record.kind), id: text(record.id), seq: e.seq })));
  return [reveals.map((r) => r.kind), reveals.map((r) => r.id), reveals.map((r) => r.seq)];
}

/** `unnest` of the audit entries' arrays from parameter `$first` on, typed as AUDIT_COLUMNS are. */
function auditUnnest(first: number): string {
  const types = ['bigint', ...Array.from({ length: AUDIT_COLUMNS.length - 1 }, () => 'text')];
  return `unnest(${types.map((type, i) => `$${first + i}::${type}[]`).join(', ')})`;
}

/** Appends audit entries, one statement for all of a command's. Text is stored as hashed (see `text`: the caller replaces U+0000 first). */
export async function appendAudit(tx: PoolClient, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(`INSERT INTO audit_log (${AUDIT_COLUMNS.join(', ')}) SELECT * FROM ${auditUnnest(1)}`, auditArrays(entries));
  // What each consultation showed (migration 13), in the same transaction as its entry.
  const reveals = revealArrays(entries);
  if (reveals[0].length === 0) return;
  await tx.query(`INSERT INTO audit_reveals (record_kind, record_id, seq) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING`, reveals);
}

/** Audit entries after a sequence number, oldest first. */
export async function readAuditAfter(tx: PoolClient, after: number, limit: number): Promise<AuditEntry[]> {
  const { rows } = await tx.query<AuditEntry>(
    `SELECT seq, recorded_at AS "recordedAt", issued_at AS "issuedAt", operator, workstation, client_id AS "clientId", force,
       command_id AS "commandId", command, kind, record_kind AS "recordKind", record_id AS "recordId", field, before, after,
       prev_hash AS "prevHash", hash
     FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [after, limit],
  );
  return rows;
}

const AUDIT_SELECT = `
  SELECT seq, recorded_at AS "recordedAt", issued_at AS "issuedAt", operator, workstation, client_id AS "clientId", force,
    command_id AS "commandId", command, kind, record_kind AS "recordKind", record_id AS "recordId", field, before, after,
    prev_hash AS "prevHash", hash
  FROM audit_log`;

/**
 * One page of the answer to an auditor's question (see AuditSelection in storage.ts), newest first, after the entry
 * `after` ended the page before. Each reads a range of one of migration 6's indexes.
 */
export async function findAudit(tx: PoolClient, selection: AuditSelection, after: AuditPosition | null, limit: number): Promise<AuditEntry[]> {
  const beforeSeq = after?.seq ?? Number.MAX_SAFE_INTEGER;
  switch (selection.about) {
    case 'record':
    case 'records': {
      const records = selection.about === 'record' ? [{ kind: selection.recordKind, id: selection.recordId }] : selection.records;
      // Each record's own range of audit_log_record_seq, and of audit_reveals (the consultations that showed it), a
      // page's worth at most each (LATERAL), merged newest first, each entry once: one IN over all of them could be
      // planned as a walk down the whole log by seq.
      return (
        await tx.query<AuditEntry>(
          `SELECT DISTINCT ON (a.seq) a.* FROM unnest($1::text[], $2::text[]) AS r(kind, id)
           CROSS JOIN LATERAL (
             (${AUDIT_SELECT} WHERE record_kind = r.kind AND record_id = r.id AND seq < $3 AND COALESCE(force, $5) = $6 ORDER BY seq DESC LIMIT $4)
             UNION ALL
             (SELECT x.* FROM audit_reveals v CROSS JOIN LATERAL (${AUDIT_SELECT} WHERE seq = v.seq AND COALESCE(force, $5) = $6) x
               WHERE v.record_kind = r.kind AND v.record_id = r.id AND v.seq < $3 ORDER BY v.seq DESC LIMIT $4)
           ) a
           ORDER BY a.seq DESC LIMIT $4`,
          [records.map((key) => key.kind), records.map((key) => key.id), beforeSeq, limit, FIRST_FORCE, selection.force],
        )
      ).rows;
    }
    case 'operator': {
      // The system, asked about by its name: `system` and every name it acts under (`system (automatically, …)`),
      // by their beginning (not a range: the database's collation need not sort punctuation by code point).
      const who = selection.operator === SYSTEM_AUTHOR ? `(operator = $1 OR starts_with(operator, $1 || ' ('))` : 'operator = $1';
      const page = 'ORDER BY issued_at DESC, seq DESC LIMIT $5';
      const later = `($7::text IS NULL OR (issued_at, seq) < ($7, $4))`;
      // Three ranges, a page at most each, merged: done in the span by the workstation's time
      // (audit_log_operator_issued; the first page starts just before `to`, excluded: every entry issued at `to` sorts
      // after (to, 0)); and recorded in the span by the server but done before it, or after it, by the workstation's
      // time (audit_log_operator_recorded, migration 15: a clock hours wrong, or a look made offline before the span),
      // ordered among the rest by the workstation's time all the same.
      return (
        await tx.query<AuditEntry>(
          `SELECT * FROM (
             (${AUDIT_SELECT} WHERE ${who} AND issued_at >= $2 AND issued_at < $6 AND (issued_at, seq) < ($3, $4) AND COALESCE(force, $8) = $9 ${page})
             UNION ALL
             (${AUDIT_SELECT} WHERE ${who} AND recorded_at >= $2 AND recorded_at < $6 AND issued_at < $2 AND ${later} AND COALESCE(force, $8) = $9 ${page})
             UNION ALL
             (${AUDIT_SELECT} WHERE ${who} AND recorded_at >= $2 AND recorded_at < $6 AND issued_at >= $6 AND ${later} AND COALESCE(force, $8) = $9 ${page})
           ) found ORDER BY "issuedAt" DESC, seq DESC LIMIT $5`,
          [selection.operator, selection.from, after?.issuedAt ?? selection.to, after ? beforeSeq : 0, limit, selection.to, after?.issuedAt ?? null, FIRST_FORCE, selection.force],
        )
      ).rows;
    }
    case 'disclosures':
      // To other forces only: without the audit log's exports, each a disclosure to the reader who took it.
      return (
        await tx.query<AuditEntry>(`${AUDIT_SELECT} WHERE kind = 'disclosure' AND (NOT $5 OR command <> 'audit.export') AND seq < $1 AND COALESCE(force, $3) = $4 ORDER BY seq DESC LIMIT $2`, [
          beforeSeq,
          limit,
          FIRST_FORCE,
          selection.force,
          selection.otherForcesOnly === true,
        ])
      ).rows;
  }
}

/**
 * The ids of incidents with this force or provisional reference (migration 6's expression indexes), and of erased
 * incidents that had it (migration 10's erased_references).
 */
export async function readIncidentsWithReference(tx: PoolClient, reference: string): Promise<{ id: string; force: string | null }[]> {
  const { rows } = await tx.query<{ id: string; force: string | null }>(
    `SELECT id, doc::jsonb ->> 'force' AS force FROM records WHERE kind = 'incident' AND doc::jsonb ->> 'reference' = $1
     UNION SELECT id, doc::jsonb ->> 'force' FROM records WHERE kind = 'incident' AND doc::jsonb ->> 'provisionalReference' = $1
     UNION SELECT incident_id, force FROM erased_references WHERE reference = $1`,
    [reference],
  );
  return rows;
}

/**
 * For each of these records (`kind:id`), the forces whose people changed it: an entry in their log on it other than a
 * look or an erasure (server/audit/erasure-audit.ts othersHolding). Read by the index on the entries' records.
 */
export async function readForcesWritingOn(tx: PoolClient, keys: readonly RecordKey[]): Promise<Map<string, Set<string>>> {
  const written = new Map<string, Set<string>>();
  if (keys.length === 0) return written;
  const { rows } = await tx.query<{ record_kind: string; record_id: string; force: string }>(
    `SELECT DISTINCT a.record_kind, a.record_id, COALESCE(a.force, $3) AS force
     FROM unnest($1::text[], $2::text[]) AS k(kind, id)
     JOIN audit_log a ON a.record_kind = k.kind AND a.record_id = k.id AND a.kind NOT IN ('consultation', 'erasure')`,
    [keys.map((key) => key.kind), keys.map((key) => key.id), FIRST_FORCE],
  );
  for (const row of rows) {
    const name = `${row.record_kind}:${row.record_id}`;
    written.set(name, (written.get(name) ?? new Set()).add(row.force));
  }
  return written;
}

/** See ServerStorage.auditRecordsOfIncident: one snapshot, the incident first. */
export async function readAuditRecordsOfIncident(tx: PoolClient, incidentId: string, force: string): Promise<RecordKey[]> {
  const incident: RecordKey = { kind: 'incident', id: incidentId };
  const { rows: found } = await tx.query<{ doc: string }>(`SELECT doc FROM records WHERE kind = 'incident' AND id = $1`, [incidentId]);
  const row = found[0];
  if (!row) return [incident];
  if (row.doc !== 'null') {
    // Migrations 9 and 10's indexes of the documents' incidentId; the incident's shares, loans and offers (a few a
    // day) by the records' key, whose kind comes first.
    const { rows } = await tx.query<RecordKey>(
      `SELECT kind, id FROM records WHERE kind IN ('assignment', 'logEntry') AND doc::jsonb ->> 'incidentId' = $1
       UNION ALL SELECT kind, id FROM records WHERE kind = 'contact' AND doc::jsonb ->> 'incidentId' = $1
       UNION ALL SELECT kind, id FROM records WHERE kind IN ('share', 'loan', 'transfer') AND doc::jsonb ->> 'incidentId' = $1`,
      [incidentId],
    );
    return [incident, ...rows];
  }
  const { rows } = await tx.query<{ after: string | null }>(
    `SELECT after FROM audit_log WHERE record_kind = 'incident' AND record_id = $1 AND kind = 'erasure' AND COALESCE(force, $2) = $3 ORDER BY seq DESC LIMIT 1`,
    [incidentId, FIRST_FORCE, force],
  );
  return erasedRecordsOf(rows[0]?.after ?? null) ?? [incident];
}

/**
 * See ServerStorage.firstTicketAt: the entries on the operator's record, oldest first, in audit_log_record_seq's order
 * (so the planner walks that index, not every sign-in of every operator by audit_log_kind_seq).
 */
export async function readFirstTicketAt(tx: PoolClient, operator: string, clientId: string, force: string): Promise<string | null> {
  const { rows } = await tx.query<{ recordedAt: string }>(
    `SELECT recorded_at AS "recordedAt" FROM audit_log WHERE record_kind = 'operator' AND record_id = $1 AND kind = 'ticket-issued' AND client_id = $2 AND COALESCE(force, $3) = $4
     ORDER BY record_kind, record_id, seq LIMIT 1`,
    [operator, clientId, FIRST_FORCE, force],
  );
  return rows[0]?.recordedAt ?? null;
}

/** The ids of every share of each incident (CommandPlan.allSharesOf), whatever their ids, by incident: a few per incident. */
export async function readSharesOfIncidents(tx: PoolClient, incidentIds: readonly string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (incidentIds.length === 0) return found;
  for (const incidentId of incidentIds) found.set(incidentId, []);
  const { rows } = await tx.query<{ id: string; incidentId: string }>(`SELECT id, doc::jsonb ->> 'incidentId' AS "incidentId" FROM records WHERE kind = 'share' AND doc::jsonb ->> 'incidentId' = ANY($1::text[]) ORDER BY seq`, [[...incidentIds]]);
  for (const row of rows) found.get(row.incidentId)?.push(row.id);
  return found;
}

/** See ServerStorage.erasureOf. */
export async function readErasureOf(tx: PoolClient, record: RecordKey, force: string): Promise<{ operator: string; recordedAt: string; after: string | null } | null> {
  const { rows } = await tx.query<{ operator: string; recordedAt: string; after: string | null }>(
    `SELECT operator, recorded_at AS "recordedAt", after FROM audit_log WHERE record_kind = $1 AND record_id = $2 AND kind = 'erasure' AND COALESCE(force, $3) = $4 ORDER BY seq DESC LIMIT 1`,
    [record.kind, record.id, FIRST_FORCE, force],
  );
  return rows[0] ?? null;
}

/** The force that erased each of these records (its erasure entry's), by `kind:id`; none for a record not erased. */
export async function readErasedOwners(tx: PoolClient, keys: readonly RecordKey[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const { rows } = await tx.query<{ record_kind: string; record_id: string; force: string | null }>(
    `SELECT DISTINCT ON (a.record_kind, a.record_id) a.record_kind, a.record_id, a.force
     FROM unnest($1::text[], $2::text[]) AS k(kind, id)
     JOIN audit_log a ON a.record_kind = k.kind AND a.record_id = k.id AND a.kind = 'erasure'
     ORDER BY a.record_kind, a.record_id, a.seq`,
    [keys.map((key) => key.kind), keys.map((key) => key.id)],
  );
  return new Map(rows.filter((row) => row.force !== null).map((row) => [`${row.record_kind}:${row.record_id}`, row.force!]));
}

/** Keeps an erased incident's references (ServerStorage.erase), in the erasure's transaction. */
export async function keepErasedReferences(tx: PoolClient, force: string, incidentId: string, references: readonly string[]): Promise<void> {
  if (references.length === 0) return;
  await tx.query(`INSERT INTO erased_references (force, reference, incident_id) SELECT $1, r, $2 FROM unnest($3::text[]) AS r ON CONFLICT DO NOTHING`, [force, incidentId, [...references]]);
}

/** The room's measures (ServerStorage.measureRecords): `from` and `to` to the second, compared as the stored text. */
export async function readMeasureRecords(tx: PoolClient, from: string, to: string, force: string): Promise<{ kind: string; doc: string }[]> {
  const { rows } = await tx.query<{ kind: string; doc: string }>(
    `WITH span_incidents AS (
       SELECT id, doc FROM records WHERE kind = 'incident' AND doc::jsonb ->> 'force' = $3
         AND substr(doc::jsonb ->> 'createdAt', 1, 19) <= $2
         AND (doc::jsonb ->> 'closedAt' IS NULL OR substr(doc::jsonb ->> 'closedAt', 1, 19) >= $1))
     SELECT 'incident' AS kind, doc FROM span_incidents
     UNION ALL SELECT 'assignment', doc FROM records
       WHERE kind = 'assignment' AND doc::jsonb ->> 'force' = $3 AND doc::jsonb ->> 'incidentId' IN (SELECT id FROM span_incidents)
     UNION ALL SELECT 'contact', doc FROM records
       WHERE kind = 'contact' AND doc::jsonb ->> 'force' = $3 AND (substr(doc::jsonb ->> 'receivedAt', 1, 19) BETWEEN $1 AND $2
         OR doc::jsonb ->> 'incidentId' IN (SELECT id FROM span_incidents))`,
    [from, to, force],
  );
  return rows;
}

/**
 * Drafts with their values sealed under their records' keys (server/audit/audit-seal.ts), each record's key made
 * here if it has none (but an erased record's: see below): one round trip, under the sequence lock the caller holds (so no two make one record's key).
 */
export async function sealWithKeys(tx: PoolClient, drafts: AuditDraft[]): Promise<AuditDraft[]> {
  const keys = await readOrMakeKeys(tx, keysToSeal(drafts));
  // None made for a record erased already (a look made offline before the erasure, arriving after it): its entry is
  // sealed under a key nobody keeps, as unreadable as the erasure made the record's other entries.
  return sealDrafts(drafts, (kind, id) => keys.get(`${kind}:${id}`) ?? newRecordKey());
}

/**
 * These records' audit keys (`kind:id` each), each made here if it has none (but an erased record's: none is made,
 * and none is in the answer), in one round trip, under the sequence lock the caller holds (so no two make one key).
 */
export async function readOrMakeKeys(tx: PoolClient, wanted: readonly string[]): Promise<Map<string, Buffer>> {
  if (wanted.length === 0) return new Map();
  const kinds = wanted.map((name) => name.slice(0, name.indexOf(':')));
  const ids = wanted.map((name) => name.slice(name.indexOf(':') + 1));
  const { rows } = await tx.query<{ record_kind: string; record_id: string; key: Buffer }>({ name: 'cordon_seal_with_keys', text: `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS w(record_kind, record_id, hex)),
     made AS (INSERT INTO audit_keys (record_kind, record_id, key) SELECT w.record_kind, w.record_id, decode(w.hex, 'hex') FROM wanted w
       WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = w.record_kind AND r.id = w.record_id AND r.doc = 'null')
       ON CONFLICT (record_kind, record_id) DO NOTHING RETURNING record_kind, record_id, key)
     SELECT record_kind, record_id, key FROM made
     UNION ALL SELECT k.record_kind, k.record_id, k.key FROM audit_keys k JOIN wanted w ON k.record_kind = w.record_kind AND k.record_id = w.record_id`, values: [kinds, ids, wanted.map(() => newRecordKey().toString('hex'))] });
  return new Map(rows.map((row) => [`${row.record_kind}:${row.record_id}`, row.key]));
}

/** The keys of these records' audit values that still exist. */
/** `audit_reveals` rows naming entries `fromSeq`…`toSeq`, in sequence order (by the index on seq, migration 14). */
export async function readRevealRows(tx: PoolClient, fromSeq: number, toSeq: number): Promise<RevealRow[]> {
  const { rows } = await tx.query<{ seq: string | number; recordKind: string; recordId: string }>(
    `SELECT seq, record_kind AS "recordKind", record_id AS "recordId" FROM audit_reveals WHERE seq BETWEEN $1 AND $2 ORDER BY seq, record_kind, record_id`,
    [fromSeq, Math.min(toSeq, Number.MAX_SAFE_INTEGER)],
  );
  return rows.map((row) => ({ seq: Number(row.seq), recordKind: row.recordKind, recordId: row.recordId }));
}

export async function readAuditKeys(tx: PoolClient, records: readonly string[]): Promise<Map<string, Buffer>> {
  if (records.length === 0) return new Map();
  const { rows } = await tx.query<{ record_kind: string; record_id: string; key: Buffer }>(
    `SELECT k.record_kind, k.record_id, k.key FROM audit_keys k JOIN unnest($1::text[], $2::text[]) AS w(record_kind, record_id)
       ON k.record_kind = w.record_kind AND k.record_id = w.record_id`,
    [records.map((name) => name.slice(0, name.indexOf(':'))), records.map((name) => name.slice(name.indexOf(':') + 1))],
  );
  return new Map(rows.map((row) => [`${row.record_kind}:${row.record_id}`, row.key]));
}

/** The logged command at a client's place, or null. */
export async function readLoggedAt(tx: PoolClient, clientId: string, clientSeq: number): Promise<LoggedRow | null> {
  const { rows } = await tx.query<LoggedRow>(`SELECT ${LOGGED_COLUMNS} FROM command_log WHERE client_id = $1 AND client_seq = $2`, [clientId, clientSeq]);
  return rows[0] ?? null;
}

/** One command as the command log keeps it, to be written with others (writeBatch). */
export interface CommandLogRow {
  envelope: CommandEnvelope;
  outcome: CommandOutcome;
  processedAt: string;
}

/** The command log's rows as arrays, in the order of COMMAND_LOG_INSERT's columns, for `unnest`. */
function commandLogArrays(rows: readonly CommandLogRow[]): unknown[][] {
  const values = <T>(pick: (row: CommandLogRow) => T) => rows.map(pick);
  return [
    values((r) => r.envelope.commandId),
    values((r) => r.envelope.clientId),
    values((r) => r.envelope.clientSeq),
    values((r) => text(r.envelope.name)),
    values((r) => JSON.stringify(r.envelope.args ?? null)),
    values((r) => text(r.envelope.operator)),
    values((r) => text(r.envelope.workstation)),
    values((r) => r.envelope.issuedAt),
    values((r) => r.processedAt),
    values((r) => r.outcome.status),
    values((r) => (r.outcome.status === 'rejected' ? r.outcome.code : null)),
    values((r) => (r.outcome.status === 'rejected' ? r.outcome.reason : null)),
    values((r) => (r.outcome.status === 'applied' ? r.outcome.seq : null)),
  ];
}

const COMMAND_LOG_INSERT = `INSERT INTO command_log (command_id, client_id, client_seq, name, args, operator, workstation, issued_at,
       processed_at, status, code, reason, seq)`;

/** `unnest` of the command log's arrays from parameter `$first` on. */
function commandLogUnnest(first: number): string {
  const types = ['text', 'text', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint'];
  return `unnest(${types.map((type, i) => `$${first + i}::${type}[]`).join(', ')})`;
}

/** Each client's last command of the batch is its progress: client ids, clientSeqs, workstations, times. */
function progressArrays(rows: readonly CommandLogRow[]): unknown[][] {
  const last = new Map<string, CommandLogRow>();
  for (const row of rows) last.set(row.envelope.clientId, row);
  const kept = [...last.values()];
  return [[...last.keys()], kept.map((r) => r.envelope.clientSeq), kept.map((r) => text(r.envelope.workstation)), kept.map((r) => r.processedAt)];
}

const CLIENTS_UPSERT = (first: number) => `INSERT INTO clients (client_id, last_client_seq, workstation, last_seen_at)
     SELECT * FROM unnest($${first}::text[], $${first + 1}::bigint[], $${first + 2}::text[], $${first + 3}::text[])
     ON CONFLICT (client_id) DO UPDATE SET last_client_seq = excluded.last_client_seq,
       workstation = excluded.workstation, last_seen_at = excluded.last_seen_at`;

/**
 * The statement that takes the sequence (see PostgresStorage), sent with the BEGIN as one simple query: one round
 * trip opens the transaction and waits for the lock. Its second result's row is the head.
 *
 * Its third turns sequential scans off for the rest of the transaction. Everything a writing transaction reads is
 * found by a key (records, the command log, audit keys, devices, counters: each by its primary or a unique key),
 * and its statements are prepared, so each connection plans them once and keeps the plan. Planned while the tables
 * were small (a new database, its first minutes), that plan scans whole tables, and goes on scanning them as they
 * grow until autovacuum's next ANALYZE replaces it (issue 15's server-load benchmark, a new database at 168 commands/s
 * and 400 workstations: with a few thousand records, a group's read took 2.4 ms and its write 1.6 ms, most of it
 * scanning, and the database used 0.38-0.40 of the server's core; 0.26 without the scans). With them off the planner
 * takes the index wherever one serves, however small the table it sees; a read no index serves is still a scan.
 */
export const BEGIN_AND_LOCK_SEQUENCE = `BEGIN; SELECT value FROM counters WHERE name = 'seq' FOR UPDATE; SET LOCAL enable_seqscan = off`;

/** What a batch needs read once the sequence is held, in one statement (so one snapshot) and one round trip. */
export interface BatchBasis {
  /** The log's commands with the batch's command ids, by id. */
  logged: Map<string, LoggedRow>;
  /** The counters asked for (0 for one never drawn). */
  counters: Map<string, number>;
  /** The clients' last clientSeq (0 for a client never seen). */
  progress: Map<string, number>;
  /** The records asked for that exist, their documents as stored (JSON text; 'null' for an erased one), by key string. */
  docs: Map<string, string>;
  /** The newest audit entry's place and hash; null for an empty log. */
  auditHead: { seq: number; hash: string } | null;
  /** The audit keys of the records asked for that have one, by key string. */
  auditKeys: Map<string, Buffer>;
  /** When the tickets of each operator asked for were last revoked (ISO-8601), for those revoked ever. */
  ticketsRevokedAt: Map<string, string>;
  /** The workstation (client id) each device token hash asked for admits: enrolled under it, not revoked. */
  admittedDevices: Map<string, string>;
}

/**
 * Everything a batch of commands reads before its first decision, after the sequence lock and in a statement of its
 * own (in READ COMMITTED a statement sees what was committed when it started; the locking one started before the
 * wait): the logged commands with its command ids, the counters drawn recently, its clients' progress, the records
 * its commands declare they read with their audit keys, the audit chain's head, and the ticket revocations and device
 * tokens the pushes were planned against. One round trip where it was five.
 * Prepared (named): every command's transaction sends it.
 */
export async function readBatchBasis(tx: PoolClient, ask: { commandIds: string[]; counters: string[]; clientIds: string[]; keys: readonly RecordKey[]; ticketsOf?: readonly string[]; devicesOf?: readonly string[] }): Promise<BatchBasis> {
  const { rows } = await tx.query<{ what: string; a: string | null; b: string | null; n: number | null }>({
    name: 'cordon_batch_basis',
    text: `SELECT 'logged' AS what, row_to_json(l)::text AS a, NULL::text AS b, NULL::bigint AS n
             FROM (SELECT ${LOGGED_COLUMNS} FROM command_log WHERE command_id = ANY($1::text[])) l
           UNION ALL SELECT 'counter', name, NULL, value FROM counters WHERE name = ANY($2::text[])
           UNION ALL SELECT 'client', client_id, NULL, last_client_seq FROM clients WHERE client_id = ANY($3::text[])
           UNION ALL SELECT 'record', r.kind || ':' || r.id, r.doc, NULL FROM records r
             JOIN unnest($4::text[], $5::text[]) AS k(kind, id) ON r.kind = k.kind AND r.id = k.id
           UNION ALL SELECT 'key', a.record_kind || ':' || a.record_id, encode(a.key, 'hex'), NULL FROM audit_keys a
             JOIN unnest($4::text[], $5::text[]) AS k(kind, id) ON a.record_kind = k.kind AND a.record_id = k.id
           UNION ALL (SELECT 'audit', hash, NULL, seq FROM audit_log ORDER BY seq DESC LIMIT 1)
           UNION ALL SELECT 'tickets', subject, revoked_at, NULL FROM revocations WHERE kind = 'tickets' AND subject = ANY($6::text[])
           UNION ALL SELECT 'device', token_hash, client_id, NULL FROM devices WHERE token_hash = ANY($7::text[])
             AND NOT EXISTS (SELECT 1 FROM revocations WHERE kind = 'device' AND subject = devices.client_id)`,
    values: [ask.commandIds, ask.counters, ask.clientIds, ask.keys.map((k) => k.kind), ask.keys.map((k) => k.id), [...(ask.ticketsOf ?? [])], [...(ask.devicesOf ?? [])]],
  });
  const basis: BatchBasis = {
    logged: new Map(),
    counters: new Map(ask.counters.map((name) => [name, 0])),
    progress: new Map(ask.clientIds.map((id) => [id, 0])),
    docs: new Map(),
    auditHead: null,
    auditKeys: new Map(),
    ticketsRevokedAt: new Map(),
    admittedDevices: new Map(),
  };
  for (const row of rows) {
    if (row.what === 'logged') {
      const logged = JSON.parse(row.a!) as LoggedRow;
      basis.logged.set(logged.command_id, logged);
    } else if (row.what === 'counter') basis.counters.set(row.a!, row.n!);
    else if (row.what === 'client') basis.progress.set(row.a!, row.n!);
    else if (row.what === 'record') basis.docs.set(row.a!, row.b!);
    else if (row.what === 'audit') basis.auditHead = { seq: row.n!, hash: row.a! };
    else if (row.what === 'key') basis.auditKeys.set(row.a!, Buffer.from(row.b!, 'hex'));
    else if (row.what === 'tickets') basis.ticketsRevokedAt.set(row.a!, row.b!);
    else if (row.what === 'device') basis.admittedDevices.set(row.a!, row.b!);
  }
  return basis;
}

/** What a batch writes at its end (see writeBatch). */
export interface BatchWrite {
  audit: readonly AuditEntry[];
  records: readonly RecordRow[];
  counters: Map<string, number>;
  logged: readonly CommandLogRow[];
  /**
   * Audit keys made for the batch's entries, for records the batch read under the lock and found without one: each
   * kept, unless its record is erased (then none is kept, and what was sealed under it is as unreadable as the
   * erasure made the record's other entries).
   */
  keys: readonly { kind: string; id: string; key: Buffer }[];
  /** The notification to the other instances, delivered if and when the transaction commits; null for none. */
  notify: { channel: string; payload: string } | null;
}

/**
 * Everything a batch writes, in one statement and so one round trip (it was six or seven): the audit keys it made, its
 * audit entries and what they showed, its records, the counters it moved, its command log rows and its clients'
 * progress, and the notification. Each table is written by its own part of the statement (data-modifying WITH queries, each run once
 * and in full); none reads what another writes, and no row is written twice. Prepared (named): every command's
 * transaction sends it.
 */
export async function writeBatch(tx: PoolClient, write: BatchWrite): Promise<void> {
  const records = write.records;
  const values = [
    ...auditArrays(write.audit), // $1…$17
    ...revealArrays(write.audit), // $18…$20
    records.map((r) => r.kind), records.map((r) => r.id), records.map((r) => r.seq), records.map((r) => r.doc), // $21…$24
    [...write.counters.keys()], [...write.counters.values()], // $25, $26
    ...commandLogArrays(write.logged), // $27…$39
    ...progressArrays(write.logged), // $40…$43
    write.notify?.channel ?? null, write.notify?.payload ?? null, // $44, $45
    write.keys.map((k) => k.kind), write.keys.map((k) => k.id), write.keys.map((k) => k.key.toString('hex')), // $46…$48
  ];
  await tx.query({
    name: 'cordon_batch_write',
    text: `WITH audit AS (INSERT INTO audit_log (${AUDIT_COLUMNS.join(', ')}) SELECT * FROM ${auditUnnest(1)}),
       reveals AS (INSERT INTO audit_reveals (record_kind, record_id, seq) SELECT * FROM unnest($18::text[], $19::text[], $20::bigint[]) ON CONFLICT DO NOTHING),
       written AS (INSERT INTO records (kind, id, seq, doc) SELECT * FROM unnest($21::text[], $22::text[], $23::bigint[], $24::text[])
         ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq, doc = excluded.doc),
       moved AS (INSERT INTO counters (name, value) SELECT * FROM unnest($25::text[], $26::bigint[]) ON CONFLICT (name) DO UPDATE SET value = excluded.value),
       logged AS (${COMMAND_LOG_INSERT} SELECT * FROM ${commandLogUnnest(27)}),
       progress AS (${CLIENTS_UPSERT(40)}),
       keyed AS (INSERT INTO audit_keys (record_kind, record_id, key)
         SELECT k.kind, k.id, decode(k.hex, 'hex') FROM unnest($46::text[], $47::text[], $48::text[]) AS k(kind, id, hex)
         WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = k.kind AND r.id = k.id AND r.doc = 'null'))
     SELECT CASE WHEN $44::text IS NULL THEN NULL ELSE pg_notify($44::text, $45::text) END`,
    values,
  });
}

/** A draft's text as PostgreSQL can hold it (see `text`), before it is hashed, so the hash is of what is stored. */
export function storable(draft: AuditDraft): AuditDraft {
  return {
    ...draft,
    operator: text(draft.operator),
    workstation: text(draft.workstation),
    command: text(draft.command),
    issuedAt: text(draft.issuedAt),
  };
}
