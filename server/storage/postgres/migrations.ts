import type { NumberedMigration } from '../../../node-common/migration-checks';
import { FIRST_FORCE } from '../../../shared/domain/force';

/** One step of the PostgreSQL schema. Applied once, in its own transaction, recorded in schema_migrations. */
export interface PostgresMigration extends NumberedMigration {
  sql: string;
}

/**
 * The central record, as in the SQLite file (server/storage/sqlite/migrations.ts): every record's newest document
 * with the sequence that last changed it, each client's last processed command, the log of every command, and
 * named counters ('seq' is the global sequence). Documents and arguments are kept as the JSON text the server
 * wrote, not jsonb: jsonb refuses a \u0000 in a string, which would turn one odd log line into a request failing
 * for ever, and it reorders keys, which SQLite does not.
 */
const centralRecord: PostgresMigration = {
  version: 1,
  name: '0001-central-record',
  sql: `
    CREATE TABLE records (
      kind TEXT NOT NULL,
      id   TEXT NOT NULL,
      seq  BIGINT NOT NULL UNIQUE,
      doc  TEXT NOT NULL,
      PRIMARY KEY (kind, id)
    );

    CREATE TABLE clients (
      client_id       TEXT PRIMARY KEY,
      last_client_seq BIGINT NOT NULL,
      workstation     TEXT NOT NULL,
      last_seen_at    TEXT NOT NULL
    );

    CREATE TABLE command_log (
      command_id   TEXT PRIMARY KEY,
      client_id    TEXT NOT NULL,
      client_seq   BIGINT NOT NULL,
      name         TEXT NOT NULL,
      args         TEXT NOT NULL,
      operator     TEXT NOT NULL,
      workstation  TEXT NOT NULL,
      issued_at    TEXT NOT NULL,
      processed_at TEXT NOT NULL,
      status       TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
      code         TEXT,
      reason       TEXT,
      seq          BIGINT,
      UNIQUE (client_id, client_seq)
    );

    CREATE TABLE counters (
      name  TEXT PRIMARY KEY,
      value BIGINT NOT NULL
    );
    INSERT INTO counters (name, value) VALUES ('seq', 0);
  `,
};

/** What the server alone knows: its secrets, enrolled workstations (token hashes), operators' password hashes. */
const access: PostgresMigration = {
  version: 2,
  name: '0002-access',
  sql: `
    CREATE TABLE secrets (
      name  TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    CREATE TABLE devices (
      client_id   TEXT PRIMARY KEY,
      workstation TEXT NOT NULL,
      token_hash  TEXT NOT NULL UNIQUE,
      enrolled_at TEXT NOT NULL
    );

    CREATE TABLE credentials (
      operator      TEXT PRIMARY KEY,
      password_hash TEXT NOT NULL
    );
  `,
};

/**
 * The audit log, as in the SQLite file (server/storage/sqlite/migrations.ts): one row per entry, each carrying the
 * hash of the one before. Append-only: the triggers refuse UPDATE, DELETE and TRUNCATE from any session, so no code
 * path can change the record of what was done; one who drops them to edit the table is found by
 * `npm run audit -- verify`.
 */
const auditLog: PostgresMigration = {
  version: 3,
  name: '0003-audit-log',
  sql: `
    CREATE TABLE audit_log (
      seq          BIGINT PRIMARY KEY,
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
    );
    CREATE INDEX audit_log_record ON audit_log (record_kind, record_id);

    CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the audit log is append-only: its entries are never changed or removed (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$;
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
  `,
};

/** Administrators' revocations of workstations and of operators' sign-in tickets (see storage.ts, Revocation). */
const revocations: PostgresMigration = {
  version: 4,
  name: '0004-revocations',
  sql: `
    CREATE TABLE revocations (
      kind       TEXT NOT NULL,
      subject    TEXT NOT NULL,
      revoked_at TEXT NOT NULL,
      reason     TEXT NOT NULL,
      PRIMARY KEY (kind, subject)
    );
  `,
};

/** Failed sign-ins since each operator's count was last cleared (see the SQLite migration of the same name). */
const signInFailures: PostgresMigration = {
  version: 5,
  name: '0005-sign-in-failures',
  sql: `
    CREATE TABLE sign_in_failures (
      operator  TEXT NOT NULL,
      failed_at TEXT NOT NULL
    );
    CREATE INDEX sign_in_failures_operator ON sign_in_failures (operator, failed_at);
  `,
};

/**
 * The indexes the auditor's questions need (server/audit/audit-routes.ts); see the SQLite migration of the same
 * number. The incidents' references are found through an expression index, so a reference question reads one row.
 */
const auditQuestions: PostgresMigration = {
  version: 6,
  name: '0006-audit-questions',
  sql: `
    CREATE INDEX audit_log_record_seq ON audit_log (record_kind, record_id, seq);
    DROP INDEX audit_log_record;
    CREATE INDEX audit_log_operator_issued ON audit_log (operator, issued_at, seq);
    CREATE INDEX audit_log_kind_seq ON audit_log (kind, seq);
    CREATE INDEX records_incident_reference ON records ((doc::jsonb ->> 'reference')) WHERE kind = 'incident';
    CREATE INDEX records_incident_provisional ON records ((doc::jsonb ->> 'provisionalReference')) WHERE kind = 'incident';
  `,
};

/**
 * Forces own records: see the SQLite migration of the same number. Documents are JSON text that jsonb could refuse
 * (a \u0000 in a string), so the force is written into the text, as the object's first member.
 */
const forces: PostgresMigration = {
  version: 7,
  name: '0007-forces',
  sql: `
    UPDATE records SET doc = '{"force":"${FIRST_FORCE}",' || substr(doc, 2) WHERE doc LIKE '{"%' AND position('"force":' in doc) = 0;
    ALTER TABLE devices ADD COLUMN force TEXT;
    UPDATE devices SET force = '${FIRST_FORCE}';
    UPDATE counters SET name = 'incident-reference:${FIRST_FORCE}:' || substr(name, 20)
      WHERE name LIKE 'incident-reference:%' AND name NOT LIKE 'incident-reference:%:%';
  `,
};

/** The keys of each record's sealed audit values: see the SQLite migration of the same number. */
const auditKeys: PostgresMigration = {
  version: 8,
  name: '0008-audit-keys',
  sql: `
    CREATE TABLE audit_keys (
      record_kind TEXT NOT NULL,
      record_id   TEXT NOT NULL,
      key         BYTEA NOT NULL,
      PRIMARY KEY (record_kind, record_id)
    );
  `,
};

/** An incident's deployments and log entries by their incident: see the SQLite migration of the same number. */
const recordsByIncident: PostgresMigration = {
  version: 9,
  name: '0009-records-by-incident',
  sql: `
    CREATE INDEX records_incident_id ON records ((doc::jsonb ->> 'incidentId')) WHERE kind IN ('assignment', 'logEntry');
  `,
};

/** An erased incident's references, and calls by their incident: see the SQLite migration of the same number. */
const auditAfterErasure: PostgresMigration = {
  version: 10,
  name: '0010-audit-after-erasure',
  sql: `
    CREATE TABLE erased_references (
      force       TEXT NOT NULL,
      reference   TEXT NOT NULL,
      incident_id TEXT NOT NULL,
      PRIMARY KEY (force, reference, incident_id)
    );
    CREATE INDEX records_contact_incident ON records ((doc::jsonb ->> 'incidentId')) WHERE kind = 'contact';
  `,
};

/** The audit values' keys kept as the audit log needs them: see the SQLite migration of the same number. */
const auditKeysGuarded: PostgresMigration = {
  version: 11,
  name: '0011-audit-keys-guarded',
  sql: `
    CREATE FUNCTION audit_keys_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'an audit key is never changed: the values sealed under it would no longer open'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'audit keys are deleted only one record at a time, by erasures' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NOT EXISTS (SELECT 1 FROM audit_log WHERE record_kind = OLD.record_kind AND record_id = OLD.record_id AND kind = 'erasure') THEN
        RAISE EXCEPTION 'an audit key is deleted only by an erasure of its record, whose entry is in the audit log'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN OLD;
    END
    $$;
    CREATE TRIGGER audit_keys_guard BEFORE UPDATE OR DELETE ON audit_keys
      FOR EACH ROW EXECUTE FUNCTION audit_keys_guard();
    CREATE TRIGGER audit_keys_no_truncate BEFORE TRUNCATE ON audit_keys
      FOR EACH STATEMENT EXECUTE FUNCTION audit_keys_guard();
  `,
};

/** The force that set each password: see the SQLite migration of the same number. */
const credentialForces: PostgresMigration = {
  version: 12,
  name: '0012-credential-forces',
  sql: `
    ALTER TABLE credentials ADD COLUMN force TEXT;
    UPDATE credentials c SET force = r.doc::jsonb ->> 'force' FROM records r WHERE r.kind = 'operator' AND r.id = c.operator;
  `,
};

/** What a consultation showed, indexed beside the log and kept as it is: see the SQLite migration of the same number. */
const auditReveals: PostgresMigration = {
  version: 13,
  name: '0013-audit-reveals',
  sql: `
    CREATE TABLE audit_reveals (
      record_kind TEXT NOT NULL,
      record_id   TEXT NOT NULL,
      seq         BIGINT NOT NULL,
      PRIMARY KEY (record_kind, record_id, seq)
    );
    INSERT INTO audit_reveals (record_kind, record_id, seq)
      SELECT r.value ->> 'kind', r.value ->> 'id', a.seq
      FROM audit_log a
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN a.after IS NULL OR a.after LIKE 'sealed:%' THEN '[]'::jsonb
        ELSE COALESCE(a.after::jsonb -> 'revealed', '[]'::jsonb) END) AS r(value)
      WHERE a.kind = 'consultation' AND NOT (r.value ->> 'kind' = a.record_kind AND r.value ->> 'id' = a.record_id)
      ON CONFLICT DO NOTHING;

    CREATE FUNCTION audit_reveals_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'what an audit entry revealed is never changed or removed: the audit log is kept for ever (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$;
    CREATE TRIGGER audit_reveals_no_change BEFORE UPDATE OR DELETE ON audit_reveals
      FOR EACH ROW EXECUTE FUNCTION audit_reveals_refuse_change();
    CREATE TRIGGER audit_reveals_no_truncate BEFORE TRUNCATE ON audit_reveals
      FOR EACH STATEMENT EXECUTE FUNCTION audit_reveals_refuse_change();
  `,
};

/** As SQLite's migration 14: `audit_reveals` by seq, for verify's page-by-page check of it against the entries. */
const auditRevealsBySeq: PostgresMigration = {
  version: 14,
  name: '0014-audit-reveals-by-seq',
  sql: `CREATE INDEX audit_reveals_seq ON audit_reveals (seq);`,
};

/** As SQLite's migration 15: an operator's entries by the server's time, for the span questions. */
const auditOperatorRecorded: PostgresMigration = {
  version: 15,
  name: '0015-audit-operator-recorded',
  sql: `CREATE INDEX audit_log_operator_recorded ON audit_log (operator, recorded_at, issued_at, seq);`,
};

export const serverPostgresMigrations: readonly PostgresMigration[] = [centralRecord, access, auditLog, revocations, signInFailures, auditQuestions, forces, auditKeys, recordsByIncident, auditAfterErasure, auditKeysGuarded, credentialForces, auditReveals, auditRevealsBySeq, auditOperatorRecorded];
