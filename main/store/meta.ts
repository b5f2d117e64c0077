import type { Db } from '../../node-common/sqlite';

/** Small named values of the workstation's file: its client id, counters, the pull cursor. */
export class Meta {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare(`SELECT value FROM meta WHERE key = ?`);
    this.upsert = db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  }

  get(key: string): string | undefined {
    return (this.select.get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string | number): void {
    this.upsert.run(key, String(value));
  }

  getNumber(key: string, fallback = 0): number {
    const value = this.get(key);
    return value === undefined ? fallback : Number(value);
  }

  /** Returns the value after adding one; callers run it inside their own transaction. */
  increment(key: string): number {
    const next = this.getNumber(key) + 1;
    this.set(key, next);
    return next;
  }
}
