import { randomUUID } from 'node:crypto';
import { planCommand, type ServerRules } from '../../server/commands/plan-command';
import type { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { registerBenchOperators } from './bench-access';

/** How many workstations a seeded control room has. */
export const ROOM = 20;

/**
 * A control room of twenty workstations writing straight into the server's storage: each command goes through the
 * server's own rules and storage (planCommand, storage.process: one command, one transaction), as a push would,
 * without HTTP, so the records are the real thing. Workstation n is client n with operator op-n.
 */
export class SeedingRoom {
  private readonly clients = Array.from({ length: ROOM }, () => randomUUID());
  private readonly seqs = Array.from({ length: ROOM }, () => 0);

  private constructor(
    private readonly storage: SqliteStorage,
    private readonly rules: ServerRules,
  ) {}

  static async open(storage: SqliteStorage, rules: ServerRules): Promise<SeedingRoom> {
    await registerBenchOperators(storage, rules, Array.from({ length: ROOM }, (_, i) => `op-${i + 1}`));
    return new SeedingRoom(storage, rules);
  }

  /** Issues a command from workstation `who` (0-based) at `issuedAtMs`; the server's new head, or a clear failure. */
  async issue(who: number, name: string, args: unknown, issuedAtMs: number): Promise<number> {
    const envelope: CommandEnvelope = {
      commandId: randomUUID(),
      clientId: this.clients[who]!,
      clientSeq: (this.seqs[who] = this.seqs[who]! + 1),
      name,
      args,
      issuedAt: new Date(issuedAtMs).toISOString(),
      operator: `op-${who + 1}`,
      ticket: '',
      workstation: `WS-${who + 1}`,
      schemaVersion: SCHEMA_VERSION,
    };
    const result = await this.storage.process(envelope, planCommand(envelope, this.rules), envelope.issuedAt);
    if (result.kind !== 'processed' || result.outcome.status !== 'applied') throw new Error(`seeding ${name}: ${JSON.stringify(result)}`);
    return result.head;
  }
}
