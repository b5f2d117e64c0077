import type { Db } from '../../node-common/sqlite';

/** Forms in progress, by key (one per window and form). */
export class Drafts {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      get: db.prepare(`SELECT data, saved_at AS savedAt FROM drafts WHERE key = ?`),
      save: db.prepare(`INSERT INTO drafts (key, data, saved_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at`),
      clear: db.prepare(`DELETE FROM drafts WHERE key = ?`),
    };
  }

  get(key: string): { data: unknown; savedAt: string } | null {
    const row = this.statements.get.get(key) as { data: string; savedAt: string } | undefined;
    return row ? { data: JSON.parse(row.data) as unknown, savedAt: row.savedAt } : null;
  }

  save(key: string, data: unknown, savedAt: string): void {
    this.statements.save.run(key, JSON.stringify(data ?? null), savedAt);
  }

  clear(key: string): void {
    this.statements.clear.run(key);
  }
}
