import type { IncidentView, LogEntryView } from '../../shared/contract/views';
import type { Incident, LogEntry } from '../../shared/domain/incident';
import { keyString, type AnyRecord, type RecordDocs, type RecordKey, type RecordKind } from '../../shared/domain/records';
import type { StateView } from '../../shared/commands/types';
import type { Db } from './sqlite';

/**
 * The records as the operator sees them. Each kind has its table; the document is stored whole and the columns
 * beside it are for sorting and filtering only.
 */
export class ViewRecords implements StateView {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      upsertIncident: db.prepare(`
        INSERT INTO incidents (id, reference, provisional_reference, status, grade, created_at, doc)
        VALUES (@id, @reference, @provisionalReference, @status, @grade, @createdAt, @doc)
        ON CONFLICT (id) DO UPDATE SET reference = excluded.reference,
          provisional_reference = excluded.provisional_reference, status = excluded.status,
          grade = excluded.grade, created_at = excluded.created_at, doc = excluded.doc`),
      upsertLogEntry: db.prepare(`
        INSERT INTO incident_log (id, incident_id, at, doc) VALUES (@id, @incidentId, @at, @doc)
        ON CONFLICT (id) DO UPDATE SET incident_id = excluded.incident_id, at = excluded.at, doc = excluded.doc`),
      deleteIncident: db.prepare(`DELETE FROM incidents WHERE id = ?`),
      deleteLogEntry: db.prepare(`DELETE FROM incident_log WHERE id = ?`),
      getIncident: db.prepare(`SELECT doc, pending FROM incidents WHERE id = ?`),
      getLogEntry: db.prepare(`SELECT doc, pending FROM incident_log WHERE id = ?`),
      listOpen: db.prepare(`SELECT doc, pending FROM incidents WHERE status = 'open' ORDER BY created_at DESC`),
      listAll: db.prepare(`SELECT doc, pending FROM incidents ORDER BY created_at DESC`),
      logOf: db.prepare(`SELECT doc, pending FROM incident_log WHERE incident_id = ? ORDER BY at, id`),
      markIncidentPending: db.prepare(`
        UPDATE incidents SET pending = EXISTS (SELECT 1 FROM outbox_touch t JOIN outbox o USING (client_seq)
          WHERE o.state = 'pending' AND t.kind = 'incident' AND t.id = incidents.id) WHERE id = ?`),
      markLogEntryPending: db.prepare(`
        UPDATE incident_log SET pending = EXISTS (SELECT 1 FROM outbox_touch t JOIN outbox o USING (client_seq)
          WHERE o.state = 'pending' AND t.kind = 'logEntry' AND t.id = incident_log.id) WHERE id = ?`),
    };
  }

  get<K extends RecordKind>(kind: K, id: string): RecordDocs[K] | undefined {
    const row = this.row(kind, id);
    return row ? (JSON.parse(row.doc) as RecordDocs[K]) : undefined;
  }

  write(record: AnyRecord): void {
    if (record.kind === 'incident') {
      const doc = record.doc;
      this.statements.upsertIncident.run({
        id: doc.id,
        reference: doc.reference,
        provisionalReference: doc.provisionalReference,
        status: doc.status,
        grade: doc.grade,
        createdAt: doc.createdAt,
        doc: JSON.stringify(doc),
      });
    } else {
      const doc = record.doc;
      this.statements.upsertLogEntry.run({ id: doc.id, incidentId: doc.incidentId, at: doc.at, doc: JSON.stringify(doc) });
    }
  }

  delete(key: RecordKey): void {
    if (key.kind === 'incident') this.statements.deleteIncident.run(key.id);
    else this.statements.deleteLogEntry.run(key.id);
  }

  /** Recomputes whether each record still carries an effect the server has not confirmed. */
  refreshPending(keys: Iterable<RecordKey>): void {
    for (const key of keys) {
      if (key.kind === 'incident') this.statements.markIncidentPending.run(key.id);
      else this.statements.markLogEntryPending.run(key.id);
    }
  }

  incident(id: string): IncidentView | undefined {
    const row = this.row('incident', id);
    return row ? toView<Incident>(row) : undefined;
  }

  logEntry(id: string): LogEntryView | undefined {
    const row = this.row('logEntry', id);
    return row ? toView<LogEntry>(row) : undefined;
  }

  incidents(status: 'open' | 'all'): IncidentView[] {
    const statement = status === 'open' ? this.statements.listOpen : this.statements.listAll;
    return (statement.all() as DocRow[]).map((row) => toView<Incident>(row));
  }

  logOf(incidentId: string): LogEntryView[] {
    return (this.statements.logOf.all(incidentId) as DocRow[]).map((row) => toView<LogEntry>(row));
  }

  /** The current documents of the given records, split by kind, for the change events windows listen to. */
  viewsOf(keys: Iterable<RecordKey>): { incidents: IncidentView[]; entries: LogEntryView[] } {
    const incidents: IncidentView[] = [];
    const entries: LogEntryView[] = [];
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(keyString(key))) continue;
      seen.add(keyString(key));
      if (key.kind === 'incident') {
        const view = this.incident(key.id);
        if (view) incidents.push(view);
      } else {
        const view = this.logEntry(key.id);
        if (view) entries.push(view);
      }
    }
    return { incidents, entries };
  }

  private row(kind: RecordKind, id: string): DocRow | undefined {
    const statement = kind === 'incident' ? this.statements.getIncident : this.statements.getLogEntry;
    return statement.get(id) as DocRow | undefined;
  }
}

interface DocRow {
  doc: string;
  pending: number;
}

function toView<T>(row: DocRow): T & { pending: boolean } {
  return { ...(JSON.parse(row.doc) as T), pending: row.pending === 1 };
}
