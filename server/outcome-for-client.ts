import type { CommandOutcome, RecordChange } from '../shared/sync/protocol';

/**
 * An outcome as a workstation of the given schema version can read it. Before version 2 a command refused for its
 * sign-in ticket was `forbidden` (refused for good); the command log keeps the true code, `unauthenticated`.
 */
export function outcomeForClient(outcome: CommandOutcome, schemaVersion: number): CommandOutcome {
  if (schemaVersion >= 2 || outcome.status !== 'rejected' || outcome.code !== 'unauthenticated') return outcome;
  return { ...outcome, code: 'forbidden' };
}

/**
 * A record as a workstation of the given schema version can read it. Before version 3 a task could only be a
 * call-back to ring: a task for a withheld or unknown number goes to it as one, its reason saying it cannot be rung
 * (the fields added since, it drops unread).
 */
export function changeForClient(change: RecordChange, schemaVersion: number): RecordChange {
  if (schemaVersion >= 3 || change.kind !== 'task' || !change.doc) return change;
  const doc = change.doc as { kind?: string; reason?: string };
  if (doc.kind !== 'no_call_back') return change;
  return { ...change, doc: { ...doc, kind: 'call_back', reason: `${doc.reason ?? ''} (cannot be rung back)` } };
}
