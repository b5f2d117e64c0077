import type { Pool, PoolClient } from 'pg';
import { Turns } from '../../turns';

/** Where a transaction gets its connection, and gives it back (with the error that broke it: then it is destroyed). */
export interface Connections {
  acquire(): Promise<PoolClient>;
  release(client: PoolClient, error?: Error): void;
}

/**
 * The pool's connections, handed out a turn at a time: at most the pool's size are asked of it at once, so a request
 * never waits in the pool's own queue, whose wait is bounded by connectionTimeoutMillis (meant for PostgreSQL not
 * answering a new connection) and failed a burst of requests with "timeout exceeded when trying to connect". Here
 * they wait their turn instead; the pool's timeout is left to the connecting itself.
 */
export function gatedConnections(pool: Pool, size: number): Connections & { readonly turns: Turns } {
  const turns = new Turns(size);
  const giveBacks = new WeakMap<PoolClient, () => void>();
  return {
    turns,
    async acquire() {
      const giveBack = await turns.take();
      try {
        const client = await pool.connect();
        giveBacks.set(client, giveBack);
        return client;
      } catch (error) {
        giveBack();
        throw error;
      }
    },
    release(client, error) {
      const giveBack = giveBacks.get(client);
      giveBacks.delete(client);
      client.release(error);
      giveBack?.();
    },
  };
}
