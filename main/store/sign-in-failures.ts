import type { Db } from '../../node-common/sqlite';

/**
 * The wrong passwords this workstation counted while it checked sign-ins on its own (the server out of reach), by
 * the name typed: what its offline lockout is decided from (shared/domain/sign-in-lockout.ts lockoutState). A
 * successful sign-in of the name, here or through the server, clears them, as the server clears its own count.
 */
export class OfflineSignInFailures {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO sign_in_failures (operator, failed_at) VALUES (?, ?)`),
      select: db.prepare(`SELECT failed_at AS at FROM sign_in_failures WHERE operator = ? ORDER BY failed_at`),
      clear: db.prepare(`DELETE FROM sign_in_failures WHERE operator = ?`),
    };
  }

  /** Counts a wrong password for `operator` (the name typed) at `at` (ISO-8601). */
  note(operator: string, at: string): void {
    this.statements.insert.run(operator, at);
  }

  /** The failures counted for `operator`, epoch ms, oldest first. */
  times(operator: string): number[] {
    return (this.statements.select.all(operator) as { at: string }[]).map((row) => Date.parse(row.at));
  }

  clear(operator: string): void {
    this.statements.clear.run(operator);
  }
}
