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
 * What `work` may ask of its transaction beyond its statements: to send COMMIT right behind its last one.
 * `commitWith(last)`: `last` is a statement already sent (a promise of tx.query, or of a function that sends its one
 * statement before its first await); COMMIT goes out behind it on the same connection without waiting for its answer
 * (the pool's connections pipeline: see PostgresStorage.open), and the transaction is not committed again after
 * `work`. Resolves to `last`'s result once both are answered; when `last` fails, PostgreSQL answers the COMMIT of the
 * aborted transaction with a rollback, and `last`'s error is thrown.
 */
export interface TransactionEnd {
  commitWith<R>(last: Promise<R>): Promise<R>;
}

/**
 * Runs `work` in one transaction on one pooled connection. A serialization failure or a deadlock is retried at once,
 * a broken connection after a short pause (the pool drops a connection that a PostgreSQL restart broke, and the
 * next one is fresh); when the retries run out, PostgreSQL cannot be reached, or the work already waited its limit,
 * the caller gets a StorageUnavailableError, which the server answers with 503. Running a command's transaction
 * again is safe even if the first attempt's commit went through unseen: the second finds the command in the log
 * and answers from there.
 * `begin` ONE_STATEMENT (null): `work` is a single statement, sent alone. `begin` may be several statements sent as
 * one simple query (BEGIN_AND_LOCK_SEQUENCE): `work` is given their results (`begun`), an array for several.
 *
 * Round trips (issue 15: each costs the server and the database a wake-up, and holds the sequence lock): `begin` is
 * sent with whatever `work` sends before its first await, in one write, and PostgreSQL runs them in order, so the
 * first statement of `work` costs no round trip of its own. `begun` is a promise for that reason: a statement that
 * needs its results awaits it. When `begin` fails (the sequence lock not had in time), its error is the one that
 * counts; what `work` sent behind it fails too, inside the aborted transaction, and is not heard.
 */
export async function inTransaction<T>(
  connections: Connections,
  begin: string | null,
  work: (client: PoolClient, begun: Promise<QueryResult | QueryResult[] | null>, end: TransactionEnd) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: PoolClient | undefined;
    try {
      client = await connections.acquire();
      // A connection that breaks between two statements emits 'error'; the next statement fails with it anyway,
      // and an 'error' event nobody listens to would end the process.
      client.on('error', ignore);
      let committed = false;
      const end: TransactionEnd = {
        async commitWith<R>(last: Promise<R>): Promise<R> {
          if (begin === null) return last;
          committed = true;
          const commit = client!.query('COMMIT');
          // Heard below; marked heard now, lest a broken connection fail it before `last` is awaited to the end.
          commit.catch(ignore);
          let result: R;
          try {
            result = await last;
          } catch (error) {
            // Answered after `last` (in order on the connection): the aborted transaction's rollback.
            await commit.catch(ignore);
            throw error;
          }
          await commit;
          return result;
        },
      };
      const stream = streamOf(client);
      stream?.cork();
      let begun: Promise<QueryResult | QueryResult[] | null>;
      let working: Promise<T>;
      try {
        begun = begin === null ? Promise.resolve(null) : (client.query(begin) as Promise<QueryResult | QueryResult[]>);
        working = work(client, begun, end);
        // Heard below, after `begun`: marked heard now, lest it fail meanwhile and be taken for an unheard failure.
        working.catch(ignore);
      } finally {
        stream?.uncork();
      }
      try {
        await begun;
      } catch (error) {
        // Everything `work` sent fails in the aborted transaction: it ends before the rollback is sent.
        await working.then(ignore, ignore);
        throw error;
      }
      const result = await working;
      if (begin !== null && !committed) await client.query('COMMIT');
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

/**
 * The socket under a pg client, to hold its writes back while several statements are handed to it (pg corks it so
 * for the messages of one statement); null when it has none to be found (another client class).
 */
function streamOf(client: PoolClient): { cork(): void; uncork(): void } | null {
  const stream = (client as unknown as { connection?: { stream?: { cork?: unknown; uncork?: unknown } } }).connection?.stream;
  return stream && typeof stream.cork === 'function' && typeof stream.uncork === 'function' ? (stream as { cork(): void; uncork(): void }) : null;
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
