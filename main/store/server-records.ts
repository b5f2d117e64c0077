import { parseRecord, type AnyRecord, type RecordKey } from '../../shared/domain/records';
import type { Db } from '../../node-common/sqlite';

/** The server's confirmed documents as last pulled: what the view is rebuilt from. */
export class ServerRecords {
  private readonly upsert;
  private readonly select;
  private readonly remove;

  constructor(db: Db) {
    this.upsert = db.prepare(`
      INSERT INTO server_records (kind, id, seq, doc) VALUES (?, ?, ?, ?)
      ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq, doc = excluded.doc`);
    this.select = db.prepare(`SELECT kind, id, doc FROM server_records WHERE kind = ? AND id = ?`);
    this.remove = db.prepare(`DELETE FROM server_records WHERE kind = ? AND id = ?`);
  }

  /** Forgets the server's copy of a record withdrawn from this workstation (a share revoked, a lent unit returned): nothing of it is kept. */
  withdraw(key: RecordKey): void {
    this.remove.run(key.kind, key.id);
  }

  put(record: AnyRecord, seq: number): void {
    this.upsert.run(record.kind, record.id, seq, JSON.stringify(record.doc));
  }

  get(key: RecordKey): AnyRecord | undefined {
    const row = this.select.get(key.kind, key.id) as { kind: string; id: string; doc: string } | undefined;
    return row ? parseRecord(row.kind, row.id, JSON.parse(row.doc)) : undefined;
  }
}
