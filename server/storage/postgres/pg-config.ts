import { TypeOverrides, type ClientConfig } from 'pg';

const INT8_OID = 20;

/**
 * Sequences, clientSeqs and counters are BIGINT, which pg hands over as strings lest a value pass 2^53. Ours never
 * will (a change a millisecond for 285,000 years), so they arrive as numbers.
 */
const types = new TypeOverrides();
types.setTypeParser(INT8_OID, (value: string) => Number(value));

/** How every connection to the database is made: the pool's and the change listener's. */
export function connectionConfig(databaseUrl: string): ClientConfig {
  return {
    connectionString: databaseUrl,
    types,
    application_name: 'cordon-server',
    // A stopped or unreachable database fails the request quickly (503) rather than holding it.
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
    // An instance that vanishes (network cut) in the middle of a command must not hold the sequence for ever: the
    // database ends its transaction, and a command waiting too long for the sequence gives up with a 503.
    idle_in_transaction_session_timeout: 10_000,
    lock_timeout: 10_000,
  };
}

/** The URL without its password, for logs and errors. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    for (const key of [...url.searchParams.keys()]) {
      if (/password|secret|key/i.test(key)) url.searchParams.set(key, '***');
    }
    return url.toString();
  } catch {
    return '(a database URL that could not be parsed)';
  }
}
