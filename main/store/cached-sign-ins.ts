import type { Operator } from '../../shared/domain/operator';
import type { Db } from '../../node-common/sqlite';

export interface CachedSignIn {
  operator: string;
  /** This workstation's own scrypt hash of the password (salted here), never the server's. */
  verifier: string;
  ticket: string;
  expiresAt: string;
  profile: Operator;
  signedInAt: string;
}

/** What lets an operator who signed in here before sign in again while the server is out of reach. */
export class CachedSignIns {
  private readonly upsert;
  private readonly select;

  constructor(db: Db) {
    this.upsert = db.prepare(`
      INSERT INTO cached_sign_ins (operator, verifier, ticket, expires_at, profile, signed_in_at)
      VALUES (@operator, @verifier, @ticket, @expiresAt, @profile, @signedInAt)
      ON CONFLICT (operator) DO UPDATE SET verifier = excluded.verifier, ticket = excluded.ticket,
        expires_at = excluded.expires_at, profile = excluded.profile, signed_in_at = excluded.signed_in_at`);
    this.select = db.prepare(`SELECT operator, verifier, ticket, expires_at AS expiresAt, profile, signed_in_at AS signedInAt FROM cached_sign_ins WHERE operator = ?`);
  }

  remember(entry: CachedSignIn): void {
    this.upsert.run({ ...entry, profile: JSON.stringify(entry.profile) });
  }

  find(operator: string): CachedSignIn | undefined {
    const row = this.select.get(operator) as (Omit<CachedSignIn, 'profile'> & { profile: string }) | undefined;
    return row ? { ...row, profile: JSON.parse(row.profile) as Operator } : undefined;
  }
}
