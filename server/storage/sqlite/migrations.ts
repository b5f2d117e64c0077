import type { Migration } from '../../../node-common/sqlite';
import { FIRST_FORCE } from '../../../shared/domain/force';

/**
 * The central record: every record's newest document with the sequence that last changed it, each client's last
 * processed command, and the log of every command processed (the audit trail of who did what, when).
 */
const centralRecord: Migration = {
  version: 1,
  name: '0001-central-record',
  up(db) {
    db.exec(`
      CREATE TABLE records (
        kind TEXT NOT NULL,
        id   TEXT NOT NULL,
        seq  INTEGER NOT NULL UNIQUE,
        doc  TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      ) STRICT;

      CREATE TABLE clients (
        client_id       TEXT PRIMARY KEY,
        last_client_seq INTEGER NOT NULL,
        workstation     TEXT NOT NULL,
        last_seen_at    TEXT NOT NULL
      ) STRICT;

      CREATE TABLE command_log (
        command_id   TEXT PRIMARY KEY,
        client_id    TEXT NOT NULL,
        client_seq   INTEGER NOT NULL,
        name         TEXT NOT NULL,
        args         TEXT NOT NULL,
        operator     TEXT NOT NULL,
        workstation  TEXT NOT NULL,
        issued_at    TEXT NOT NULL,
        processed_at TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
        code         TEXT,
        reason       TEXT,
        seq          INTEGER,
        UNIQUE (client_id, client_seq)
      ) STRICT;

      CREATE TABLE counters (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
      INSERT INTO counters (name, value) VALUES ('seq', 0);
    `);
  },
};

/** What the server alone knows: its secrets, enrolled workstations (token hashes) and operators' password hashes. */
const access: Migration = {
  version: 2,
  name: '0002-access',
  up(db) {
    db.exec(`
      CREATE TABLE secrets (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE devices (
        client_id   TEXT PRIMARY KEY,
        workstation TEXT NOT NULL,
        token_hash  TEXT NOT NULL UNIQUE,
        enrolled_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE credentials (
        operator      TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL
      ) STRICT;
    `);
  },
};

/**
 * The audit log (server/audit/audit-chain.ts): one row per entry, each carrying the hash of the one before it.
 * Append-only: the triggers refuse any UPDATE or DELETE, whoever runs it, so no code path can change the record of
 * what was done; one who removes the triggers to edit the file is found by `npm run audit -- verify`. Values before
 * and after are canonical JSON text, NULL where a field was absent; `force` is NULL until forces own records.
 */
const auditLog: Migration = {
  version: 3,
  name: '0003-audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq          INTEGER PRIMARY KEY,
        recorded_at  TEXT NOT NULL,
        issued_at    TEXT NOT NULL,
        operator     TEXT NOT NULL,
        workstation  TEXT NOT NULL,
        client_id    TEXT NOT NULL,
        force        TEXT,
        command_id   TEXT NOT NULL,
        command      TEXT NOT NULL,
        kind         TEXT NOT NULL,
        record_kind  TEXT NOT NULL,
        record_id    TEXT NOT NULL,
        field        TEXT,
        before       TEXT,
        after        TEXT,
        prev_hash    TEXT NOT NULL,
        hash         TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_record ON audit_log (record_kind, record_id);

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its entries are never changed'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its entries are never removed'); END;
    `);
  },
};

/** Administrators' revocations of workstations and of operators' sign-in tickets (see storage.ts, Revocation). */
const revocations: Migration = {
  version: 4,
  name: '0004-revocations',
  up(db) {
    db.exec(`
      CREATE TABLE revocations (
        kind       TEXT NOT NULL,
        subject    TEXT NOT NULL,
        revoked_at TEXT NOT NULL,
        reason     TEXT NOT NULL,
        PRIMARY KEY (kind, subject)
      ) STRICT;
    `);
  },
};

/**
 * Failed sign-ins since each operator's count was last cleared (a sign-in that succeeded, an administrator's
 * unlock): what the lockout is decided from (shared/domain/sign-in-lockout.ts). The audit log keeps them for good.
 */
const signInFailures: Migration = {
  version: 5,
  name: '0005-sign-in-failures',
  up(db) {
    db.exec(`
      CREATE TABLE sign_in_failures (
        operator  TEXT NOT NULL,
        failed_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sign_in_failures_operator ON sign_in_failures (operator, failed_at);
    `);
  },
};

/**
 * The indexes the auditor's questions need (server/audit/audit-routes.ts), so each answers from an index range on a
 * year's log rather than a scan: every entry about one record newest first; one operator's entries by the time they
 * were issued; every disclosure newest first. The record index gains `seq` (PostgreSQL does not keep equal keys in
 * seq order) and replaces the one of 0003; incidents are found by reference through expression indexes. Indexes
 * only: no entry is touched.
 */
const auditQuestions: Migration = {
  version: 6,
  name: '0006-audit-questions',
  up(db) {
    db.exec(`
      CREATE INDEX audit_log_record_seq ON audit_log (record_kind, record_id, seq);
      DROP INDEX audit_log_record;
      CREATE INDEX audit_log_operator_issued ON audit_log (operator, issued_at, seq);
      CREATE INDEX audit_log_kind_seq ON audit_log (kind, seq);
      CREATE INDEX records_incident_reference ON records (json_extract(doc, '$.reference')) WHERE kind = 'incident';
      CREATE INDEX records_incident_provisional ON records (json_extract(doc, '$.provisionalReference')) WHERE kind = 'incident';
    `);
  },
};

/**
 * Forces own records (shared/domain/partition.ts). Everything here before was the one force's, the demonstration
 * force's (DMO): each record's document names it, each enrolled workstation belongs to it (a workstation enrolled from
 * now on names its force; NULL, which no path writes, would see nothing), and its incident-reference counters take its
 * name, as each force now numbers its own incidents. Audit entries are never changed: those before keep force NULL.
 */
const forces: Migration = {
  version: 7,
  name: '0007-forces',
  up(db) {
    db.prepare(`UPDATE records SET doc = json_set(doc, '$.force', ?) WHERE json_type(doc, '$.force') IS NULL`).run(FIRST_FORCE);
    db.exec(`ALTER TABLE devices ADD COLUMN force TEXT`);
    db.prepare(`UPDATE devices SET force = ?`).run(FIRST_FORCE);
    db.prepare(
      `UPDATE counters SET name = 'incident-reference:' || ? || ':' || substr(name, 20) WHERE name LIKE 'incident-reference:%' AND name NOT LIKE 'incident-reference:%:%'`,
    ).run(FIRST_FORCE);
  },
};

/**
 * The keys under which each record's audit values are sealed (server/audit/audit-seal.ts): deleting a record's key
 * is what an erasure does to its entries, which stay as written. Entries written before this are not sealed.
 */
const auditKeys: Migration = {
  version: 8,
  name: '0008-audit-keys',
  up(db) {
    db.exec(`
      CREATE TABLE audit_keys (
        record_kind TEXT NOT NULL,
        record_id   TEXT NOT NULL,
        key         BLOB NOT NULL,
        PRIMARY KEY (record_kind, record_id)
      ) STRICT;
    `);
  },
};

/**
 * An incident's deployments and log entries found by their incident (recordsOfIncident: a share handing an incident
 * to the other force, or withdrawing it), through an index of the documents' `incidentId` rather than a scan of every
 * record of the platform. Of those two kinds only, as the query asks. An index only: no record is touched.
 */
const recordsByIncident: Migration = {
  version: 9,
  name: '0009-records-by-incident',
  up(db) {
    db.exec(`CREATE INDEX records_incident_id ON records (json_extract(doc, '$.incidentId')) WHERE kind IN ('assignment', 'logEntry')`);
  },
};

/**
 * What the audit log's questions about an incident need once it is erased, and while it stands:
 * - `erased_references`: an erased incident's force and provisional references, by force, written by the erasure
 *   (its record is withdrawn and names nothing any more), so that "who looked at DMO-2026-000123" still finds its
 *   entries and the erasure's. A reference is the force's serial name for the incident, not personal data, and the
 *   erasure entry names it too. Nothing deletes a row: the audit log it points into is kept for ever.
 * - an index of calls by their incident, beside migration 9's of deployments and log entries: a question about an
 *   incident finds its calls' entries too, as the erasure takes them with it.
 */
const auditAfterErasure: Migration = {
  version: 10,
  name: '0010-audit-after-erasure',
  up(db) {
    db.exec(`
      CREATE TABLE erased_references (
        force       TEXT NOT NULL,
        reference   TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        PRIMARY KEY (force, reference, incident_id)
      ) STRICT;
      CREATE INDEX records_contact_incident ON records (json_extract(doc, '$.incidentId')) WHERE kind = 'contact';
    `);
  },
};

/**
 * The audit values' keys kept as the audit log needs them: a key is never changed (the values sealed under it would
 * no longer open), and deleted only for a record whose erasure entry is already in the log, which the erasure writes
 * first in the same transaction. So no code path makes a record's audit values unreadable without the log saying who
 * erased it and why; one who removes the triggers to delete a key is found by `npm run audit -- verify`
 * (server/audit/verify-keys.ts).
 */
const auditKeysGuarded: Migration = {
  version: 11,
  name: '0011-audit-keys-guarded',
  up(db) {
    db.exec(`
      CREATE TRIGGER audit_keys_no_update BEFORE UPDATE ON audit_keys
      BEGIN SELECT RAISE(ABORT, 'an audit key is never changed: the values sealed under it would no longer open'); END;
      CREATE TRIGGER audit_keys_only_erased BEFORE DELETE ON audit_keys
      WHEN NOT EXISTS (SELECT 1 FROM audit_log WHERE record_kind = OLD.record_kind AND record_id = OLD.record_id AND kind = 'erasure')
      BEGIN SELECT RAISE(ABORT, 'an audit key is deleted only by an erasure of its record, whose entry is in the audit log'); END;
    `);
  },
};

/**
 * Each password names the force whose administrator (or operators file) set it. A password may be set before its
 * account exists (an administrator adding an operator sets it first, then the account follows through the outbox),
 * so without this one force's administrator could set a password for a name the other force later gives an
 * account, and sign in as it. A password set for another force than its account's is not that account's. Those
 * set before this belong to their account's force.
 */
const credentialForces: Migration = {
  version: 12,
  name: '0012-credential-forces',
  up(db) {
    db.exec(`
      ALTER TABLE credentials ADD COLUMN force TEXT;
      UPDATE credentials SET force = (SELECT json_extract(doc, '$.force') FROM records WHERE kind = 'operator' AND id = credentials.operator);
    `);
  },
};

/**
 * What a consultation showed, indexed (`audit_reveals`): one row per record a search's or a history's answer showed,
 * naming the audit entry (its seq) that says who looked, when and why. "Who looked at this incident" reads the rows of
 * the incident and its records beside their own entries, from an index range each, however long the log. Written in
 * the same transaction as the entry (the storages' append), and kept as the log is: never changed nor deleted (the
 * triggers). Entries written before this are indexed here from their `after`, which for a search's or a history's is
 * not sealed (it is on no record: server/audit/audit-seal.ts).
 */
const auditReveals: Migration = {
  version: 13,
  name: '0013-audit-reveals',
  up(db) {
    db.exec(`
      CREATE TABLE audit_reveals (
        record_kind TEXT NOT NULL,
        record_id   TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        PRIMARY KEY (record_kind, record_id, seq)
      ) STRICT, WITHOUT ROWID;
      INSERT OR IGNORE INTO audit_reveals (record_kind, record_id, seq)
        SELECT json_extract(r.value, '$.kind'), json_extract(r.value, '$.id'), a.seq
        FROM audit_log a, json_each(a.after, '$.revealed') r
        WHERE a.kind = 'consultation' AND a.after IS NOT NULL AND a.after NOT LIKE 'sealed:%' AND json_valid(a.after)
          AND json_type(a.after, '$.revealed') = 'array'
          AND NOT (json_extract(r.value, '$.kind') = a.record_kind AND json_extract(r.value, '$.id') = a.record_id);
      CREATE TRIGGER audit_reveals_no_update BEFORE UPDATE ON audit_reveals
      BEGIN SELECT RAISE(ABORT, 'what an audit entry revealed is never changed'); END;
      CREATE TRIGGER audit_reveals_no_delete BEFORE DELETE ON audit_reveals
      BEGIN SELECT RAISE(ABORT, 'what an audit entry revealed is never deleted: the audit log is kept for ever'); END;
    `);
  },
};

/**
 * `npm run audit -- verify` checks `audit_reveals` against the entries a page of the log at a time, by sequence
 * number (server/audit/verify-reveals.ts): an index on seq, so a year's log is read once, not the table per page.
 */
const auditRevealsBySeq: Migration = {
  version: 14,
  name: '0014-audit-reveals-by-seq',
  up(db) {
    db.exec(`CREATE INDEX audit_reveals_seq ON audit_reveals (seq)`);
  },
};

/**
 * "What did this operator do between two times" finds an entry by the server's time too, not only the
 * workstation's (a workstation's clock may be hours wrong): an operator's entries by the time the server recorded
 * them. The workstation's time is in the index too, so the entries it already finds by that time are passed over in
 * the index, and seq orders those recorded at the same instant.
 */
const auditOperatorRecorded: Migration = {
  version: 15,
  name: '0015-audit-operator-recorded',
  up(db) {
    db.exec(`CREATE INDEX audit_log_operator_recorded ON audit_log (operator, recorded_at, issued_at, seq)`);
  },
};

export const serverSqliteMigrations: readonly Migration[] = [centralRecord, access, auditLog, revocations, signInFailures, auditQuestions, forces, auditKeys, recordsByIncident, auditAfterErasure, auditKeysGuarded, credentialForces, auditReveals, auditRevealsBySeq, auditOperatorRecorded];
