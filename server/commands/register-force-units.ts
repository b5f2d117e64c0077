import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { randomUUID } from 'node:crypto';
import type { ServerStorage } from '../storage/storage';
import { planCommand, type ServerRules } from './plan-command';

/** The server's own identity when it issues commands (bringing configured units into service). */
export const SERVER_CLIENT_ID = '00000000-0000-4000-8000-00000000c0d0';

/**
 * Brings every unit of the force's configuration into service, through the same command path as any workstation,
 * so units are records like any other: sequenced, replicated and in the audit log. Units already there with the
 * same details are left as they are.
 */
export async function registerForceUnits(storage: ServerStorage, rules: ServerRules): Promise<number> {
  let clientSeq = await storage.lastClientSeq(SERVER_CLIENT_ID);
  let registered = 0;
  for (const unit of rules.config.units) {
    const now = new Date(rules.now()).toISOString();
    const envelope: CommandEnvelope = {
      commandId: randomUUID(),
      clientId: SERVER_CLIENT_ID,
      clientSeq: ++clientSeq,
      name: 'unit.register',
      args: unit,
      issuedAt: now,
      operator: 'system',
      workstation: 'central server',
      schemaVersion: SCHEMA_VERSION,
    };
    const result = await storage.process(envelope, planCommand(envelope, rules), now);
    if (result.kind !== 'processed' || result.outcome.status !== 'applied') {
      throw new Error(`could not register unit ${unit.callSign}: ${JSON.stringify(result)}`);
    }
    if (result.wrote) registered += 1;
  }
  return registered;
}
