import { applyCommand, parseCommand, readsOf } from '../../shared/commands/registry';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { AnyRecord } from '../../shared/domain/records';
import { forceReference, referenceDay } from '../../shared/domain/reference';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import type { CommandPlan, Decision } from '../storage/storage';

export interface ServerRules {
  config: ForceConfig;
  /** The force's time zone: incident reference days follow local midnight. */
  timeZone: string;
  now(): number;
}

/**
 * The server's authoritative handling of one command: the same pure rules the workstation ran, against the
 * server's records, plus what only the server may do: give a new incident its force reference.
 */
export function planCommand(envelope: CommandEnvelope, rules: ServerRules): CommandPlan {
  const parsed = parseCommand(envelope.name, envelope.args);
  if (!parsed.ok) {
    const refusal: Decision = { status: 'rejected', code: 'invalid', reason: parsed.reason, changes: [] };
    return { reads: [], decide: () => refusal };
  }
  const ctx = {
    issuedAt: envelope.issuedAt,
    actor: { operator: envelope.operator, workstation: envelope.workstation, clientId: envelope.clientId },
    config: rules.config,
  };
  return {
    reads: readsOf(parsed.command),
    decide(state, nextSerial) {
      // A command the rules cannot process is refused, with the reason, rather than failing the request: otherwise
      // the workstation would resend it for ever and every command behind it would wait.
      try {
        const result = applyCommand(parsed.command, ctx, state);
        if (!result.ok) return { status: 'rejected', code: result.code, reason: result.reason, changes: [] };
        const day = referenceDay(rules.now(), rules.timeZone);
        const changes = result.changes.map((change): AnyRecord => {
          if (change.kind !== 'incident' || change.doc.reference !== null) return change;
          const serial = nextSerial(`incident-reference:${day}`);
          return { ...change, doc: { ...change.doc, reference: forceReference(rules.config.force.code, day, serial) } };
        });
        return { status: 'applied', changes };
      } catch (error) {
        return { status: 'rejected', code: 'invalid', reason: `the server could not apply this command: ${(error as Error).message}`, changes: [] };
      }
    },
  };
}
