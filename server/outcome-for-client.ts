import type { CommandOutcome, PullResponse, RecordChange } from '../shared/sync/protocol';

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

/** Record kinds a workstation before the given schema version cannot read, and is not sent. */
const NEWER_KINDS: { kind: string; since: number }[] = [{ kind: 'refusal', since: 3 }];

/**
 * A pull page as a workstation of the given schema version can read it: its refusals in codes it knows, and no
 * records of kinds newer than it (it would refuse the whole page, and stop there, for one it cannot parse). The
 * cursor still moves past them.
 */
export function pageForClient(page: PullResponse, schemaVersion: number): PullResponse {
  const unknown = new Set(NEWER_KINDS.filter((k) => schemaVersion < k.since).map((k) => k.kind));
  return {
    ...page,
    changes: (unknown.size ? page.changes.filter((change) => !unknown.has(change.kind)) : page.changes).map((change) => changeForClient(change, schemaVersion)),
    rejected: page.rejected.map((outcome) => outcomeForClient(outcome, schemaVersion)),
  };
}
