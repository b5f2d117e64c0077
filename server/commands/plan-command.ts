import { applyCommand, parseCommand, readsOf } from '../../shared/commands/registry';
import type { ApplyResult, StateView } from '../../shared/commands/types';
import type { Conflict } from '../../shared/domain/conflict';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { AnyRecord, RecordKey } from '../../shared/domain/records';
import { forceReference, referenceDay } from '../../shared/domain/reference';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import type { CommandPlan, Decision } from '../storage/storage';

export interface ServerRules {
  /** The force's configuration; its time zone decides reference days (they follow the force's midnight). */
  config: ForceConfig;
  now(): number;
}

/**
 * The server's authoritative handling of one command: the same pure rules the workstation ran, against the
 * server's records, plus what only the server may do: give a new incident its force reference, and turn a lost
 * race into a conflict record that the operator and supervisors will see.
 */
/** A plan that refuses without looking at anything: for commands turned away before the rules (a bad ticket). */
export function refusalPlan(code: 'forbidden' | 'invalid' | 'unauthenticated', reason: string): CommandPlan {
  const decision: Decision = { status: 'rejected', code, reason, changes: [] };
  return { reads: [], decide: () => decision };
}

export function planCommand(envelope: CommandEnvelope, rules: ServerRules, options: { trusted?: boolean } = {}): CommandPlan {
  const parsed = parseCommand(envelope.name, envelope.args);
  if (!parsed.ok) return refusalPlan('invalid', parsed.reason);
  const ctx = {
    issuedAt: envelope.issuedAt,
    actor: { operator: envelope.operator, workstation: envelope.workstation, clientId: envelope.clientId },
    config: rules.config,
    ...(options.trusted ? { trusted: true } : {}),
  };
  return {
    reads: readsOf(parsed.command, envelope.operator),
    decide(state, nextSerial) {
      // A command the rules cannot process is refused, with the reason, rather than failing the request: otherwise
      // the workstation would resend it for ever and every command behind it would wait.
      try {
        const result: ApplyResult = applyCommand(parsed.command, ctx, state);
        if (!result.ok) {
          const changes = result.code === 'conflict' && result.target ? [conflictRecord(envelope, result.reason, result.target, state, rules)] : [];
          return { status: 'rejected', code: result.code, reason: result.reason, changes };
        }
        return { status: 'applied', changes: withForceReferences(result.changes, rules, nextSerial) };
      } catch (error) {
        return { status: 'rejected', code: 'invalid', reason: `the server could not apply this command: ${(error as Error).message}`, changes: [] };
      }
    },
  };
}

/** New incidents get the next reference of the day in the force's time zone; the rest pass unchanged. */
function withForceReferences(changes: AnyRecord[], rules: ServerRules, nextSerial: (counter: string) => number): AnyRecord[] {
  return changes.map((change): AnyRecord => {
    if (change.kind !== 'incident' || change.doc.reference !== null) return change;
    const day = referenceDay(rules.now(), rules.config.force.timeZone);
    const serial = nextSerial(`incident-reference:${day}`);
    return { ...change, doc: { ...change.doc, reference: forceReference(rules.config.force.code, day, serial) } };
  });
}

function conflictRecord(envelope: CommandEnvelope, reason: string, target: RecordKey, state: StateView, rules: ServerRules): AnyRecord {
  const conflict: Conflict = {
    id: envelope.commandId,
    commandName: envelope.name,
    args: envelope.args,
    operator: envelope.operator,
    workstation: envelope.workstation,
    clientId: envelope.clientId,
    issuedAt: envelope.issuedAt,
    detectedAt: new Date(rules.now()).toISOString(),
    reason,
    target,
    theirs: state.get(target.kind, target.id) ?? null,
    status: 'open',
    resolution: null,
    resolvedBy: null,
    resolvedAt: null,
    version: 1,
  };
  return { kind: 'conflict', id: conflict.id, doc: conflict };
}
