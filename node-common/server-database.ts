import { resolve } from 'node:path';
import { UsageError } from './args';

/** The options that name the central server's database, shared by the server and the tools that read its data. */
export const SERVER_DATABASE_OPTIONS = {
  data: { type: 'string' },
  'database-url': { type: 'string' },
} as const;

export const SERVER_DATABASE_USAGE = `  --data FILE           the embedded SQLite database file (default ./cordon-server.sqlite)
  --database-url URL    PostgreSQL instead (postgres://USER@HOST:PORT/DB), which several servers may share; also
                        from CORDON_DATABASE_URL, which keeps a password out of the process list (so do PGPASSWORD
                        and ~/.pgpass)`;

export interface ServerDatabase {
  /** The SQLite file, resolved; with PostgreSQL, where it would be (the enrolment key file is kept beside it). */
  dataFile: string;
  /** PostgreSQL instead of the SQLite file. */
  databaseUrl?: string;
}

/**
 * The database the options name: an explicit --data wins over a URL in the environment; both options at once is a
 * usage error. `env` is the process environment (CORDON_DATABASE_URL).
 */
export function serverDatabaseOf(values: { data?: string; 'database-url'?: string }, env: NodeJS.ProcessEnv, usage: string): ServerDatabase {
  if (values['database-url'] && values.data) throw new UsageError(`--data and --database-url name two databases: choose one\n${usage}`);
  const databaseUrl = values['database-url'] ?? (values.data ? undefined : env.CORDON_DATABASE_URL);
  return { dataFile: resolve(values.data ?? 'cordon-server.sqlite'), ...(databaseUrl ? { databaseUrl } : {}) };
}
