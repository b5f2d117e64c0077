import type { IncidentView, LogEntryView, View } from '../../shared/contract/views';
import type { Assignment } from '../../shared/domain/assignment';
import type { Conflict } from '../../shared/domain/conflict';
import { inReadingOrder, type Incident, type LogEntry } from '../../shared/domain/incident';
import type { Unit } from '../../shared/domain/unit';
import type { Operator } from '../../shared/domain/operator';
import type { Contact, Task } from '../../shared/domain/contact';
import type { Marker } from '../../shared/domain/marker';
import type { Refusal } from '../../shared/domain/refusal';
import type { Loan } from '../../shared/domain/loan';
import type { Share } from '../../shared/domain/share';
import type { Arrangement } from '../../shared/domain/arrangement';
import type { Transfer } from '../../shared/domain/transfer';
import { keyString, recordKinds, type AnyRecord, type RecordDocs, type RecordKey, type RecordKind } from '../../shared/domain/records';
import type { StateView } from '../../shared/commands/types';
import type { Db } from '../../node-common/sqlite';
import type { Statement } from 'better-sqlite3';

type Columns<K extends RecordKind> = Record<string, (doc: RecordDocs[K]) => string | number | null>;

/**
 * Where each kind of record lives in the workstation's view: its table, and the columns kept beside the whole
 * document for sorting and filtering.
 */
const TABLES: { [K in RecordKind]: { table: string; columns: Columns<K> } } = {
  incident: {
    table: 'incidents',
    columns: {
      reference: (d) => d.reference,
      provisional_reference: (d) => d.provisionalReference,
      status: (d) => d.status,
      grade: (d) => d.grade,
      created_at: (d) => d.createdAt,
    },
  },
  logEntry: { table: 'incident_log', columns: { incident_id: (d) => d.incidentId, at: (d) => d.at } },
  unit: { table: 'units', columns: {} },
  assignment: { table: 'assignments', columns: { unit_id: (d) => d.unitId, incident_id: (d) => d.incidentId, status: (d) => d.status } },
  conflict: { table: 'conflicts', columns: { status: (d) => d.status, detected_at: (d) => d.detectedAt } },
  operator: { table: 'operators', columns: {} },
  contact: { table: 'contacts', columns: { state: (d) => d.state, received_at: (d) => d.receivedAt, caller_number: (d) => d.callerNumber } },
  task: { table: 'tasks', columns: { state: (d) => d.state } },
  marker: { table: 'markers', columns: {} },
  refusal: { table: 'refusals', columns: { status: (d) => d.status, refused_at: (d) => d.refusedAt } },
  loan: { table: 'loans', columns: { status: (d) => d.status, requested_at: (d) => d.requestedAt } },
  share: { table: 'shares', columns: { incident_id: (d) => d.incidentId } },
  arrangement: { table: 'arrangements', columns: { status: (d) => d.status } },
  transfer: { table: 'transfers', columns: { incident_id: (d) => d.incidentId, status: (d) => d.status } },
};

interface KindStatements {
  upsert: Statement;
  remove: Statement;
  get: Statement;
  markPending: Statement;
}

/** The records as the operator sees them: the server's copy with this workstation's pending commands on top. */
export class ViewRecords implements StateView {
  private readonly byKind: Record<RecordKind, KindStatements>;
  private readonly queries;

  constructor(db: Db) {
    this.byKind = Object.fromEntries(recordKinds.map((kind) => [kind, prepareKind(db, kind)])) as Record<RecordKind, KindStatements>;
    this.queries = {
      openIncidents: db.prepare(`SELECT doc, pending FROM incidents WHERE status = 'open' ORDER BY created_at DESC`),
      allIncidents: db.prepare(`SELECT doc, pending FROM incidents ORDER BY created_at DESC`),
      findIncidents: db.prepare(`
        SELECT doc, pending FROM incidents
        WHERE reference LIKE @prefix ESCAPE '\\' OR provisional_reference LIKE @prefix ESCAPE '\\'
        ORDER BY created_at DESC LIMIT @limit`),
      // Lines of one moment (an incident's opening line and first note, lines typed within a millisecond) keep the
      // order they were written in here, which is the server's order for lines pulled from it; an id is random.
      // With the server's sequence of each line on the server (none while it is not): the order the log is read in.
      logOf: db.prepare(`${LOG_WITH_SEQ} WHERE l.incident_id = ? ORDER BY l.at, l.rowid`),
      units: db.prepare(`SELECT doc, pending FROM units ORDER BY id`),
      operators: db.prepare(`SELECT doc, pending FROM operators ORDER BY id`),
      assignmentsOf: db.prepare(`SELECT doc, pending FROM assignments WHERE incident_id = ? ORDER BY json_extract(doc, '$.assignedAt')`),
      activeAssignments: db.prepare(`SELECT doc, pending FROM assignments WHERE status <> 'cleared'`),
      openConflicts: db.prepare(`SELECT doc, pending FROM conflicts WHERE status = 'open' ORDER BY detected_at`),
      openConflictsBy: db.prepare(`SELECT doc, pending FROM conflicts WHERE status = 'open' AND json_extract(doc, '$.operator') = ? ORDER BY detected_at`),
      openConflictCount: db.prepare(`SELECT count(*) AS n FROM conflicts WHERE status = 'open'`).pluck(),
      openConflictCountBy: db.prepare(`SELECT count(*) AS n FROM conflicts WHERE status = 'open' AND json_extract(doc, '$.operator') = ?`).pluck(),
      liveContacts: db.prepare(`SELECT doc, pending FROM contacts WHERE state IN ('ringing', 'answered') ORDER BY received_at`),
      contactsSince: db.prepare(`SELECT doc, pending FROM contacts WHERE received_at >= ? AND caller_number IS NOT NULL ORDER BY received_at DESC`),
      incidentsSince: db.prepare(`SELECT doc, pending FROM incidents WHERE created_at >= ? ORDER BY created_at DESC`),
      // Answered calls on no incident and with no disposal: every one being taken, and any left so within the days given.
      unrecordedContacts: db.prepare(`
        SELECT doc, pending FROM contacts
        WHERE (state = 'answered' OR (state = 'completed' AND received_at >= ?))
          AND json_extract(doc, '$.incidentId') IS NULL AND json_extract(doc, '$.disposal') IS NULL
        ORDER BY received_at`),
      disposedContacts: db.prepare(`
        SELECT doc, pending FROM contacts WHERE state = 'completed' AND received_at >= ? AND json_extract(doc, '$.disposal') IS NOT NULL
        ORDER BY received_at DESC`),
      openTasks: db.prepare(`SELECT doc, pending FROM tasks WHERE state = 'open' ORDER BY json_extract(doc, '$.createdAt')`),
      tasks: db.prepare(`SELECT doc, pending FROM tasks`),
      contactsOf: db.prepare(`SELECT doc, pending FROM contacts WHERE json_extract(doc, '$.incidentId') = ?`),
      markers: db.prepare(`SELECT doc, pending FROM markers`),
      waitingRefusals: db.prepare(`SELECT doc, pending FROM refusals WHERE status = 'waiting' ORDER BY refused_at`),
      loans: db.prepare(`SELECT doc, pending FROM loans ORDER BY status <> 'requested', requested_at DESC`),
      arrangements: db.prepare(`SELECT doc, pending FROM arrangements ORDER BY status <> 'proposed', json_extract(doc, '$.updatedAt') DESC`),
      transfers: db.prepare(`SELECT doc, pending FROM transfers ORDER BY status <> 'offered', json_extract(doc, '$.offeredAt') DESC`),
      sharesOf: db.prepare(`SELECT doc, pending FROM shares WHERE incident_id = ? ORDER BY json_extract(doc, '$.at') DESC`),
    };
  }

  get<K extends RecordKind>(kind: K, id: string): RecordDocs[K] | undefined {
    const row = this.byKind[kind].get.get(id) as DocRow | undefined;
    return row ? (JSON.parse(row.doc) as RecordDocs[K]) : undefined;
  }

  write(record: AnyRecord): void {
    const spec = TABLES[record.kind] as { columns: Columns<RecordKind> };
    const values: Record<string, string | number | null> = { id: record.id, doc: JSON.stringify(record.doc) };
    for (const [column, read] of Object.entries(spec.columns)) values[column] = read(record.doc);
    this.byKind[record.kind].upsert.run(values);
  }

  delete(key: RecordKey): void {
    this.byKind[key.kind].remove.run(key.id);
  }

  /** Recomputes whether each record still carries an effect the server has not confirmed. */
  refreshPending(keys: Iterable<RecordKey>): void {
    for (const key of keys) this.byKind[key.kind].markPending.run({ kind: key.kind, id: key.id });
  }

  view<K extends RecordKind>(kind: K, id: string): View<RecordDocs[K]> | undefined {
    const row = this.byKind[kind].get.get(id) as DocRow | undefined;
    return row ? toView<RecordDocs[K]>(row) : undefined;
  }

  incident(id: string): IncidentView | undefined {
    return this.view('incident', id);
  }

  logEntry(id: string): LogEntryView | undefined {
    return this.view('logEntry', id);
  }

  incidents(status: 'open' | 'all'): IncidentView[] {
    return rows<Incident>(status === 'open' ? this.queries.openIncidents.all() : this.queries.allIncidents.all());
  }

  /** Incidents whose force or provisional reference starts with the text given (case as stored). */
  findIncidents(referencePrefix: string, limit: number): IncidentView[] {
    const escaped = referencePrefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    return rows<Incident>(this.queries.findIncidents.all({ prefix: `${escaped}%`, limit }));
  }

  /** The incident's log in reading order (inReadingOrder: as the server accepted it, paper lines at their paper times). */
  logOf(incidentId: string): LogEntryView[] {
    return inReadingOrder(rows<LogEntry>(this.queries.logOf.all(incidentId)));
  }

  /** Every unit loan this force asked for or was asked for: those waiting for an answer first, then the newest. */
  loans(): View<Loan>[] {
    return rows<Loan>(this.queries.loans.all());
  }

  units(): View<Unit>[] {
    return rows<Unit>(this.queries.units.all());
  }

  /** Every operator account this workstation knows, by name (for the force administrator). */
  operators(): View<Operator>[] {
    return rows<Operator>(this.queries.operators.all());
  }

  /** Deployments and reservations not yet cleared: what every unit is doing and will do. */
  activeAssignments(): View<Assignment>[] {
    return rows<Assignment>(this.queries.activeAssignments.all());
  }

  assignmentsOf(incidentId: string): View<Assignment>[] {
    return rows<Assignment>(this.queries.assignmentsOf.all(incidentId));
  }

  /** The open conflicts, oldest first: every one, or (`author` given) only those that operator's commands made. */
  openConflicts(author?: string): View<Conflict>[] {
    return rows<Conflict>(author === undefined ? this.queries.openConflicts.all() : this.queries.openConflictsBy.all(author));
  }

  /** How many conflicts are open: all, or (`author` given) that operator's (see openConflicts). */
  openConflictCount(author?: string): number {
    return (author === undefined ? this.queries.openConflictCount.get() : this.queries.openConflictCountBy.get(author)) as number;
  }

  /** Calls ringing or being taken, in the order they came. */
  liveContacts(): View<Contact>[] {
    return rows<Contact>(this.queries.liveContacts.all());
  }

  /** Contacts with a caller number, received since the instant given, newest first. */
  contactsSince(since: string): View<Contact>[] {
    return rows<Contact>(this.queries.contactsSince.all(since));
  }

  /** Every incident, open or closed, created since the instant given, newest first. */
  incidentsSince(since: string): IncidentView[] {
    return rows<Incident>(this.queries.incidentsSince.all(since));
  }

  /** Answered calls on no incident and with no disposal: those still live, and those completed since `since`; oldest first. */
  unrecordedContacts(since: string): View<Contact>[] {
    return rows<Contact>(this.queries.unrecordedContacts.all(since));
  }

  /** Calls ended without an incident, with their disposal, received since the instant given; newest first. */
  disposedContacts(since: string): View<Contact>[] {
    return rows<Contact>(this.queries.disposedContacts.all(since));
  }

  openTasks(): View<Task>[] {
    return rows<Task>(this.queries.openTasks.all());
  }

  /** Every call-back task, open or done (for what an erasure takes with it). */
  tasks(): View<Task>[] {
    return rows<Task>(this.queries.tasks.all());
  }

  /** The calls attached to an incident. */
  contactsOf(incidentId: string): View<Contact>[] {
    return rows<Contact>(this.queries.contactsOf.all(incidentId));
  }

  markers(): View<Marker>[] {
    return rows<Marker>(this.queries.markers.all());
  }

  /** The room's refused commands nobody has handled yet, the oldest first. */
  waitingRefusals(): View<Refusal>[] {
    return rows<Refusal>(this.queries.waitingRefusals.all());
  }

  /** The shares of an incident this workstation holds (made by its force, or with it), revoked too, newest first. */
  arrangements(): View<Arrangement>[] {
    return rows<Arrangement>(this.queries.arrangements.all());
  }

  transfers(): View<Transfer>[] {
    return rows<Transfer>(this.queries.transfers.all());
  }

  sharesOf(incidentId: string): View<Share>[] {
    return rows<Share>(this.queries.sharesOf.all(incidentId));
  }

  /** The current documents of the given records, and which of them are gone, for the events windows listen to. */
  viewsOf(keys: Iterable<RecordKey>): { views: { [K in RecordKind]: View<RecordDocs[K]>[] }; removed: RecordKey[] } {
    const views = Object.fromEntries(recordKinds.map((kind) => [kind, []])) as unknown as { [K in RecordKind]: View<RecordDocs[K]>[] };
    const removed: RecordKey[] = [];
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(keyString(key))) continue;
      seen.add(keyString(key));
      const view = this.view(key.kind, key.id);
      if (view) (views[key.kind] as unknown[]).push(view);
      else removed.push(key);
    }
    return { views, removed };
  }
}

function prepareKind(db: Db, kind: RecordKind): KindStatements {
  const { table, columns } = TABLES[kind] as { table: string; columns: Columns<RecordKind> };
  const names = Object.keys(columns);
  const all = ['id', ...names, 'doc'];
  return {
    upsert: db.prepare(`
      INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map((c) => `@${c}`).join(', ')})
      ON CONFLICT (id) DO UPDATE SET ${[...names, 'doc'].map((c) => `${c} = excluded.${c}`).join(', ')}`),
    remove: db.prepare(`DELETE FROM ${table} WHERE id = ?`),
    // A log line with its sequence on the server, for the order its log is read in (inReadingOrder).
    get: db.prepare(kind === 'logEntry' ? `${LOG_WITH_SEQ} WHERE l.id = ?` : `SELECT doc, pending FROM ${table} WHERE id = ?`),
    // Not yet on the server: a pending command touches it, or one held for its operator to sign in again.
    markPending: db.prepare(`
      UPDATE ${table} SET pending = EXISTS (SELECT 1 FROM outbox_touch t JOIN outbox o USING (client_seq)
        WHERE (o.state = 'pending' OR (o.state = 'dead' AND o.reject_code = 'unauthenticated' AND o.handled_action IS NULL))
          AND t.kind = @kind AND t.id = ${table}.id) WHERE id = @id`),
  };
}

/**
 * An incident's log lines as the view shows them, each with the sequence the server wrote it at (`seq`: null for a
 * line not yet on the server), from the server's copy: the order a log is read in (shared/domain/incident.ts inReadingOrder).
 */
const LOG_WITH_SEQ = `SELECT l.doc AS doc, l.pending AS pending, s.seq AS seq FROM incident_log l LEFT JOIN server_records s ON s.kind = 'logEntry' AND s.id = l.id`;

interface DocRow {
  doc: string;
  pending: number;
  /** A log line's sequence on the server (LOG_WITH_SEQ); absent for other kinds, null for a line not on the server. */
  seq?: number | null;
}

function toView<T>(row: DocRow): View<T> {
  return { ...(JSON.parse(row.doc) as T), pending: row.pending === 1, ...(typeof row.seq === 'number' ? { seq: row.seq } : {}) };
}

function rows<T>(result: unknown[]): View<T>[] {
  return (result as DocRow[]).map((row) => toView<T>(row));
}
