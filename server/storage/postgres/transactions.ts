import { DatabaseError, type PoolClient, type QueryResult } from 'pg';
import type { Connections } from './connection-gate';
import { StorageUnavailableError } from '../storage-unavailable';

const ATTEMPTS = 4;

/**
 * inTransaction's `begin` for work that is a single statement: a transaction of its own with one snapshot, so no
 * BEGIN and COMMIT are sent, and it costs one round trip to the database instead of three.
 */
export const ONE_STATEMENT = null;

/**
 * How a failure of PostgreSQL work is handled: `contention` is run again at once; `broken` (the connection failed)
 * again after a pause; `busy` (waited too long already) is given up for now; all three end as a 503 when they
 * persist. `other` is a bug or a refusal by the database, and fails the request as it is.
 */
export type FailureKind = 'contention' | 'broken' | 'busy' | 'other';

/**
 * Runs `work` in one transaction on one pooled connection. A serialization failure or a deadlock is retried at once,
 * a broken connection after a short pause (the pool drops a connection that a PostgreSQL restart broke, and the
 * next one is fresh); when the retries run out, PostgreSQL cannot be reached, or the work already waited its limit,
 * the caller gets a StorageUnavailableError, which the server answers with 503. Running a command's transaction
 * again is safe even if the first attempt's commit went through unseen: the second finds the command in the log
 * and answers from there.
 * `begin` ONE_STATEMENT (null): `work` is a single statement, sent alone. `begin` may be several statements sent as
 * one simple query (BEGIN_AND_LOCK_SEQUENCE): `work` is given their results (`begun`), an array for several.
 */
export async function inTransaction<T>(connections: Connections, begin: string | null, work: (client: PoolClient, begun: QueryResult | QueryResult[] | null) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: PoolClient | undefined;
    try {
      client = await connections.acquire();
      // A connection that breaks between two statements emits 'error'; the next statement fails with it anyway,
      // and an 'error' event nobody listens to would end the process.
      client.on('error', ignore);
      const begun = begin === null ? null : ((await client.query(begin)) as QueryResult | QueryResult[]);
      const result = await work(client, begun);
      if (begin !== null) await client.query('COMMIT');
      client.off('error', ignore);
      connections.release(client);
      return result;
    } catch (error) {
      if (client) await discard(connections, client, error);
      const kind = failureKind(error);
      if (kind === 'other') throw error;
      if (kind === 'busy' || attempt >= ATTEMPTS) {
        throw new StorageUnavailableError(`PostgreSQL: ${(error as Error).message}`, { cause: error });
      }
      // Contention clears as soon as the other transaction ends; a restarting server needs a moment.
      await pause(kind === 'contention' ? Math.random() * 10 : 50 * attempt);
    }
  }
}

/** Rolls back a failed transaction. A broken connection, or one that cannot even roll back, is destroyed, not pooled. */
async function discard(connections: Connections, client: PoolClient, error: unknown): Promise<void> {
  client.off('error', ignore);
  if (failureKind(error) === 'broken') {
    connections.release(client, error instanceof Error ? error : new Error(String(error)));
    return;
  }
  try {
    await client.query('ROLLBACK');
    connections.release(client);
  } catch (rollbackError) {
    connections.release(client, rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError)));
  }
}

export function failureKind(error: unknown): FailureKind {
  if (error instanceof DatabaseError) {
    const code = error.code ?? '';
    // serialization_failure, deadlock_detected
    if (code === '40001' || code === '40P01') return 'contention';
    // 08: connection exception; 57P0x: the server is shutting down, crashed or starting.
    if (code.startsWith('08') || /^57P0[1-4]$/.test(code)) return 'broken';
    // 53: insufficient resources (too many connections, disk full); 55P03: lock_timeout, another transaction held
    // the sequence too long; 57014: statement cancelled.
    if (code.startsWith('53') || code === '55P03' || code === '57014') return 'busy';
    return 'other';
  }
  if (error instanceof Error) {
    // The pool had no connection free in time, or PostgreSQL did not answer a connection in time.
    if (/timeout exceeded when trying to connect|timeout expired|due to connection timeout/i.test(error.message)) return 'busy';
    // Errors of the socket itself (ECONNREFUSED, ECONNRESET, EPIPE…) and of a pg client whose connection ended.
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return 'broken';
    if (/Connection terminated|not queryable|Connection ended/i.test(error.message)) return 'broken';
  }
  return 'other';
}

function ignore(): void {}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
