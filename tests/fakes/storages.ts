import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { handlePush } from '../../server/push';
import type { ServerRules } from '../../server/commands/plan-command';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { ServerStorage } from '../../server/storage/storage';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { demoConfig, silentLog } from './fixtures';
import { deviceOf } from './access';
import { issueTicket } from '../../server/access/tickets';
import { TICKET_SECRET } from '../../server/access/access-routes';
import type { TestPostgres } from './postgres';
import { unverifiedLocation } from '../../shared/domain/location';

/** A storage under test, with a look at its tables that the storage interface does not give. */
export interface OpenedStorage {
  storage: ServerStorage;
  /** `SELECT count(*) FROM <table>`. */
  count(table: 'records' | 'command_log' | 'clients' | 'audit_log'): Promise<number>;
  /** Runs one SQL statement on the database directly, as a person with a database client would (not through the storage). */
  execute(sql: string): Promise<void>;
  /**
   * Another instance on the same data, as another server process sharing the database would be (closed with this
   * one), or null where a storage has only one (an SQLite file belongs to one server process).
   */
  another(): Promise<ServerStorage | null>;
  close(): Promise<void>;
}

export interface StorageFactory {
  name: 'SQLite' | 'PostgreSQL';
  open(): Promise<OpenedStorage>;
}

export const sqliteFactory: StorageFactory = {
  name: 'SQLite',
  async open() {
    const storage = SqliteStorage.open(':memory:');
    return {
      storage,
      count: async (table) => (storage.database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
      execute: async (sql) => void storage.database.prepare(sql).run(),
      another: async () => null,
      close: () => storage.close(),
    };
  },
};

/** PostgreSQL on the given test cluster: a fresh database for each storage opened. */
export function postgresFactory(cluster: () => TestPostgres): StorageFactory {
  return {
    name: 'PostgreSQL',
    async open() {
      const url = await cluster().createDatabase();
      const storage = await PostgresStorage.open(url, { log: silentLog });
      const others: PostgresStorage[] = [];
      return {
        storage,
        count: (table) => queryNumber(url, `SELECT count(*)::int AS n FROM ${table}`),
        async execute(sql) {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            await client.query(sql);
          } finally {
            await client.end();
          }
        },
        async another() {
          const other = await PostgresStorage.open(url, { log: silentLog });
          others.push(other);
          return other;
        },
        async close() {
          for (const other of others) await other.close();
          await storage.close();
        },
      };
    },
  };
}

export async function queryNumber(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(sql);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

export const fixedRules: ServerRules = { config: demoConfig, now: () => Date.parse('2026-11-29T10:00:00Z') };

/**
 * `rules` with the server's clock at the latest time the pushed commands were issued at, or the rules' own where that
 * is later: the server of a test that stamps its commands, as a server whose clock agrees with the desks' (an online
 * desk's command reaches it as it is issued). A desk ahead of the server would be taken at the server's time
 * (server/commands/exercise-time.ts); a test of that sets the server's clock itself.
 */
export function serverAtStamps(rules: ServerRules, commands: readonly unknown[]): ServerRules {
  const stamps = commands.map((command) => Date.parse((command as { issuedAt?: string }).issuedAt ?? '')).filter((ms) => Number.isFinite(ms));
  const latest = Math.max(rules.now(), ...stamps);
  return { ...rules, now: () => latest };
}

/** An incident.create from the given client, by alice. Its ticket is left for `pushTo` to sign. */
export function createIncidentCommand(clientId: string, clientSeq: number, overrides: Partial<CommandEnvelope> = {}): CommandEnvelope {
  return {
    ticket: '',
    commandId: randomUUID(),
    clientId,
    clientSeq,
    name: 'incident.create',
    args: { incidentId: randomUUID(), provisionalReference: `WS-P${clientSeq}`, type: 'ASB', location: unverifiedLocation('Market Square'), grade: '3', firstLog: null },
    issuedAt: '2026-11-29T09:59:00.000Z',
    operator: 'alice',
    workstation: 'WS-A',
    schemaVersion: SCHEMA_VERSION,
    ...overrides,
  };
}

/**
 * A push as the HTTP route makes it, straight to the storage, from an enrolled workstation. A command with an
 * empty ticket gets the one its operator's sign-in would have given.
 */
export async function pushTo(storage: ServerStorage, clientId: string, commands: unknown[], extra: Record<string, unknown> = {}) {
  const ticketSecret = await storage.secret(TICKET_SECRET);
  const signed = commands.map((command) => {
    const c = command as Partial<CommandEnvelope>;
    return c.ticket === '' && c.operator ? { ...c, ticket: issueTicket(ticketSecret, { operator: c.operator, clientId: c.clientId ?? clientId, expiresAt: Number.MAX_SAFE_INTEGER }) } : command;
  });
  return handlePush({ clientId, schemaVersion: SCHEMA_VERSION, commands: signed, ...extra }, { storage, rules: serverAtStamps(fixedRules, commands), log: silentLog, device: deviceOf(clientId), ticketSecret, onApplied: () => {} });
}
