import type { ForceCode } from '../shared/domain/force';
import { ARRANGEMENTS_SINCE_VERSION, isWithdrawal, OTHER_FORCES_SINCE_VERSION, TRANSFER_SHARES_SINCE_VERSION, type RecordChange } from '../shared/sync/protocol';
import { OWN_RECORDS_ONLY, WITHOUT_SHARE_BOOK, type Delivery } from './shares/share-delivery';
import { visibleChanges } from './partition-filter';

/**
 * A workstation the server sends changes to, by pull or over its live channel: who it is and which schema version
 * it speaks. The one description of a connection that deciding what it receives may use.
 */
export interface Recipient {
  clientId: string;
  schemaVersion: number;
  /** The force the workstation was enrolled for (null: none, and it receives nothing). */
  force: ForceCode | null;
}

/** Record kinds a workstation before the given schema version cannot read, and is not sent. */
const NEWER_KINDS: { kind: string; since: number }[] = [
  { kind: 'refusal', since: 3 },
  { kind: 'loan', since: OTHER_FORCES_SINCE_VERSION },
  { kind: 'share', since: OTHER_FORCES_SINCE_VERSION },
  { kind: 'arrangement', since: ARRANGEMENTS_SINCE_VERSION },
  { kind: 'transfer', since: ARRANGEMENTS_SINCE_VERSION },
];

/**
 * The changes this workstation receives of those committed: the one place that decides it, for a pull page and a
 * live batch alike, so the partition of the room between forces is applied here once: only what the workstation's
 * force may see, as it may see it (server/partition-filter.ts), with the records a share in them hands over or
 * withdraws right after it (server/shares/share-delivery.ts). Records of kinds newer than the workstation are left out (it would refuse the whole page, and stop there, for one it cannot
 * parse), and the others are put in words it knows. Leaving a change out never moves a cursor: the page or batch
 * still covers its range.
 */
export function changesFor(recipient: Recipient, changes: readonly RecordChange[], delivery: Delivery = WITHOUT_SHARE_BOOK): RecordChange[] {
  const unknown = new Set(NEWER_KINDS.filter((k) => recipient.schemaVersion < k.since).map((k) => k.kind));
  // A workstation that cannot read a withdrawal is never given another force's record, which it could not be told
  // to delete: its own force's records only.
  const shared = recipient.schemaVersion >= OTHER_FORCES_SINCE_VERSION ? delivery : OWN_RECORDS_ONLY;
  const now = shared.now ? changes.map((change) => shared.now!(change)) : changes;
  const visible = visibleChanges(recipient.force, now, shared.shares).flatMap((change) =>
    (change.kind === 'share' || change.kind === 'loan' || change.kind === 'transfer') && recipient.force !== null ? [change, ...shared.after(change.seq, recipient.force)] : [change],
  );
  // Nor a withdrawal (an erased record): it could not read one. It keeps what it holds until it is upgraded.
  const readable = recipient.schemaVersion >= OTHER_FORCES_SINCE_VERSION ? visible : visible.filter((change) => !isWithdrawal(change));
  return (unknown.size ? readable.filter((change) => !unknown.has(change.kind)) : readable).map((change) => changeForClient(change, recipient.schemaVersion));
}

/**
 * Recipients with the same audience receive the same changes of any batch (changesFor gives them the same answer),
 * so the live hub reads, filters and serialises a batch once per audience, not once per workstation. Whatever
 * changesFor comes to depend on must be part of this key.
 */
export function audienceOf(recipient: Recipient): string {
  return `${recipient.force ?? '-'}:v${Math.min(recipient.schemaVersion, NEWEST_DIFFERENCE)}`;
}

/** The newest schema version from which workstations are sent something different (a kind, or words: changeForClient). */
const NEWEST_DIFFERENCE = Math.max(TRANSFER_SHARES_SINCE_VERSION, ...NEWER_KINDS.map((k) => k.since));

/**
 * A record as a workstation of the given schema version can read it. Before version 10 a share left by a transfer is
 * sent as one made by hand (the words it knows). Before version 3 a task could only be a
 * call-back to ring: a task for a withheld or unknown number goes to it as one, its reason saying it cannot be rung
 * (the fields added since, it drops unread).
 */
export function changeForClient(change: RecordChange, schemaVersion: number): RecordChange {
  // Before 10, a share is made automatically, by hand or by an arrangement: the view a transfer left is one by hand.
  if (schemaVersion < TRANSFER_SHARES_SINCE_VERSION && change.kind === 'share' && (change.doc as { how?: string } | null)?.how === 'transfer') {
    return { ...change, doc: { ...(change.doc as object), how: 'by_hand' } };
  }
  if (schemaVersion >= 3 || change.kind !== 'task' || !change.doc) return change;
  const doc = change.doc as { kind?: string; reason?: string };
  if (doc.kind !== 'no_call_back') return change;
  return { ...change, doc: { ...doc, kind: 'call_back', reason: `${doc.reason ?? ''} (cannot be rung back)` } };
}
