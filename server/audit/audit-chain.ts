import { createHash } from 'node:crypto';
import type { AuditKind } from '../../shared/domain/audit-words';

/**
 * What an audit entry says happened: the kinds are listed, with their words, in shared/domain/audit-words.ts
 * (AUDIT_KINDS), so that every kind the log can hold has words for its readers.
 */
export type { AuditKind };

/** An audit entry as the server drafts it, before it has a place in the chain. */
export interface AuditDraft {
  /** Server time the command was applied (ISO-8601 UTC). */
  recordedAt: string;
  /** The workstation's time the operator issued it (ISO-8601 UTC), as the workstation said. */
  issuedAt: string;
  operator: string;
  workstation: string;
  clientId: string;
  /** The operator's force. Null until forces own records (issue 12); part of the hash already, so no format change then. */
  force: string | null;
  commandId: string;
  /** The command's name, e.g. `incident.update`. */
  command: string;
  kind: AuditKind;
  recordKind: string;
  recordId: string;
  /** The top-level field of the record's document that changed (alterations only). */
  field: string | null;
  /**
   * The field's value before and after, as canonical JSON text (alterations; null for a field absent). A sign-in's
   * `after` is how it was checked (`{"mode":"online"}`). A consultation's `after` is what was asked and why
   * (`{"channel":"incidents.get","query":{…},"reason":"…"|null,"revealed":[{"kind","id"}…]}`); a combination's
   * names the other record (`{"action":"attach"|"link"|"unlink","other":{"id","kind"}}`); a moment's is the
   * moment's arguments (`{"what":"proposed","incidentId","units":[…]}`, `{"what":"located","contactId","location"}`,
   * `{"what":"graded","contactId","grade"}`), on the incident or the call.
   */
  before: string | null;
  after: string | null;
  /**
   * The records a consultation's answer showed beyond the one consulted (a search's incidents, a history's calls),
   * each once: the storages index them in `audit_reveals` beside the entry, in the same transaction, so that "who
   * looked at this incident" finds the searches and histories that showed it (audit-routes.ts). Not part of the
   * hash: the same list is in `after` (`revealed`), which is.
   */
  reveals?: readonly { kind: string; id: string }[];
  /**
   * Kept as written, not sealed under the record's key (audit-seal.ts): a look at another force's record that the
   * looking force never held (server/commands/consultation-check.ts neverHeld). Its values are the looking force's own
   * words (what was asked and why), never the record's, so the owner's erasure of the record must not make them
   * unreadable: that would take the looking force's account of what its people did, and tell it that the id it
   * looked for was a real record of the other force. Not part of the hash, nor stored: it only steers sealing.
   */
  keptPlain?: true;
}

/** An entry in the chain: its place (1, 2, 3… with no gaps), the hash of the one before it, and its own hash. */
export interface AuditEntry extends AuditDraft {
  seq: number;
  /** SHA-256 (hex) of the entry before; GENESIS_HASH for the first. */
  prevHash: string;
  /** SHA-256 (hex) of this entry's canonical encoding, prevHash included. */
  hash: string;
  /**
   * Set only when an entry is read for an auditor: its values were sealed under a record's key that an erasure has
   * since deleted, so `before` and `after` read null (server/audit/audit-seal.ts). Not part of the hash.
   */
  valuesErased?: boolean;
}

/** What the first entry follows. */
export const GENESIS_HASH = '0'.repeat(64);

/** Names the encoding, so a later change of it is a new tag rather than a silent reinterpretation. */
const ENCODING = 'cordon-audit-1';

/**
 * The canonical encoding of an entry: a JSON array of its fields in a fixed order. Every value is a string, a
 * whole number or null, and JSON.stringify writes those one way only, so the same entry always gives the same bytes.
 */
export function encodeEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return JSON.stringify([
    ENCODING,
    entry.seq,
    entry.prevHash,
    entry.recordedAt,
    entry.issuedAt,
    entry.operator,
    entry.workstation,
    entry.clientId,
    entry.force,
    entry.commandId,
    entry.command,
    entry.kind,
    entry.recordKind,
    entry.recordId,
    entry.field,
    entry.before,
    entry.after,
  ]);
}

export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(encodeEntry(entry), 'utf8').digest('hex');
}

/**
 * Places drafts after the chain's newest entry (`head`, or null for an empty log): numbered on from it, each
 * carrying the hash of the one before.
 */
export function chainEntries(head: { seq: number; hash: string } | null, drafts: AuditDraft[]): AuditEntry[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return drafts.map((draft) => {
    seq += 1;
    const unhashed = { ...draft, seq, prevHash };
    const entry = { ...unhashed, hash: hashEntry(unhashed) };
    prevHash = entry.hash;
    return entry;
  });
}

/**
 * JSON with object keys sorted, so one value has one text whatever order its keys were built in (the rules spread
 * documents, PostgreSQL and SQLite return them as written). Numbers and strings are written as JSON.stringify
 * writes them, which is what RFC 8785 asks too.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as Record<string, unknown>).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}
