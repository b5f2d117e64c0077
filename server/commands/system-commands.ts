import { randomUUID } from 'node:crypto';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import type { ServerStorage } from '../storage/storage';
import { planCommand, type ServerRules } from './plan-command';

/** The server's own identity when it issues commands. No workstation can enrol under it. */
export const SERVER_CLIENT_ID = '00000000-0000-4000-8000-00000000c0d0';

/**
 * Runs commands of the server's own (bringing configured units and operators into service, an exercise's starting
 * state) through the same path as any workstation's, so what they make are records like any other: sequenced,
 * replicated, in the audit log. Each is issued now unless it says when (`issuedAt`, ISO UTC: an exercise's incident
 * opened before its start). Returns how many changed something.
 */
export async function runSystemCommands(storage: ServerStorage, rules: ServerRules, commands: { name: string; args: unknown; issuedAt?: string }[]): Promise<number> {
  let changed = 0;
  for (const { name, args, issuedAt } of commands) {
    // Several instances sharing PostgreSQL may start together and number their own commands from the same point:
    // the one that loses a number takes the next and tries again.
    for (let attempt = 1; ; attempt++) {
      const now = new Date(rules.now()).toISOString();
      const envelope: CommandEnvelope = {
        commandId: randomUUID(),
        clientId: SERVER_CLIENT_ID,
        clientSeq: (await storage.lastClientSeq(SERVER_CLIENT_ID)) + 1,
        name,
        args,
        issuedAt: issuedAt ?? now,
        operator: 'system',
        ticket: '',
        workstation: 'central server',
        schemaVersion: SCHEMA_VERSION,
      };
      const result = await storage.process(envelope, planCommand(envelope, rules, { trusted: true }), now);
      if (result.kind === 'processed' && result.outcome.status === 'applied') {
        if (result.wrote) changed += 1;
        break;
      }
      if (result.kind === 'processed' && result.outcome.status === 'rejected') {
        throw new Error(`the server's own ${name} of ${rules.config.force.code} was refused: ${result.outcome.reason}`);
      }
      if (result.kind === 'processed' || attempt >= 20) throw new Error(`the server's own ${name} failed: ${JSON.stringify(result)}`);
    }
  }
  return changed;
}

/** Brings every unit of the force's configuration into service; units already there as configured are left alone. */
export function registerForceUnits(storage: ServerStorage, rules: ServerRules): Promise<number> {
  return runSystemCommands(storage, rules, rules.config.units.map((unit) => ({ name: 'unit.register', args: unit })));
}
