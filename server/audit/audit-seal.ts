import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isRecordKind } from '../../shared/domain/records';
import type { AuditDraft, AuditEntry } from './audit-chain';

/**
 * How the audit log keeps personal data it must be able to forget (crypto-shredding). An entry's `before` and
 * `after` (a field's values, what a consultation asked and why, a moment, a disclosure's summary) may hold a caller's
 * name or a log line, yet the log is append-only and each entry's hash covers them. So the values of an entry about a
 * replicated record are stored encrypted (AES-256-GCM) under a key of that record alone, kept in `audit_keys` beside
 * the log; the chain hashes the stored (encrypted) text, so it verifies with or without the key. Erasing the record
 * deletes its key: its entries stay, whole and chained, with who, when, which record, which field and what kind
 * (metadata), and their values can no longer be read by anyone, the database's owner included.
 *
 * Entries about things that are not records (a caller's history by number, a search, the audit log itself) or
 * about records never erased (accounts, units) are stored as they are.
 */

/** The prefix of a sealed value; anything else in `before`/`after` is an entry's plain value (entries before sealing). */
const SEALED = 'sealed:1:';

/** A record's key: 32 random bytes, made the first time an entry about the record is written. */
export type RecordKeyBytes = Buffer;

/**
 * Whether entries about this record kind are sealed: every replicated record's (shared/domain/records.ts) but an
 * operator's account and a unit, which are never erased (an account is deactivated; a unit is no one's personal data).
 */
export function sealsValuesOf(recordKind: string): boolean {
  return isRecordKind(recordKind) && recordKind !== 'operator' && recordKind !== 'unit';
}

export function newRecordKey(): RecordKeyBytes {
  return randomBytes(32);
}

/** Where a key is looked up: the entry's record, as `kind:id`. */
export function keyName(entry: Pick<AuditDraft, 'recordKind' | 'recordId'>): string {
  return `${entry.recordKind}:${entry.recordId}`;
}

/**
 * Drafts with their values sealed under their record's key (`keyFor` gets or makes it, in the caller's
 * transaction). The record's kind and id are the cipher's associated data, so a value moved to another record's
 * entry does not open.
 */
export function sealDrafts(drafts: readonly AuditDraft[], keyFor: (recordKind: string, recordId: string) => RecordKeyBytes): AuditDraft[] {
  return drafts.map((draft) => {
    if (!sealed(draft)) return draft;
    const key = keyFor(draft.recordKind, draft.recordId);
    return { ...draft, before: seal(draft.before, key, keyName(draft)), after: seal(draft.after, key, keyName(draft)) };
  });
}

/**
 * Whether sealDrafts seals this draft's values: an entry with a value, about a record whose entries are sealed, but an
 * erasure's and one kept plain (AuditDraft.keptPlain: a look at another force's record its force never held).
 */
function sealed(draft: AuditDraft): boolean {
  return draft.kind !== 'erasure' && !draft.keptPlain && sealsValuesOf(draft.recordKind) && (draft.before !== null || draft.after !== null);
}

/** The records (`kind:id`) whose keys sealDrafts asks for to seal these drafts, each once. */
export function keysToSeal(drafts: readonly AuditDraft[]): string[] {
  return [...new Set(drafts.filter(sealed).map(keyName))];
}

/** The records (`kind:id`) whose keys are needed to read these entries. */
export function sealedRecords(entries: readonly Pick<AuditEntry, 'recordKind' | 'recordId' | 'before' | 'after'>[]): string[] {
  return [...new Set(entries.filter((e) => isSealed(e.before) || isSealed(e.after)).map(keyName))];
}

/**
 * Entries as an auditor reads them: values opened with their record's key. Where the key is gone (the record was
 * erased) the values are null and `valuesErased` says so; the entry is otherwise as written.
 */
export function openEntries(entries: readonly AuditEntry[], keys: ReadonlyMap<string, RecordKeyBytes>): AuditEntry[] {
  return entries.map((entry) => {
    if (!isSealed(entry.before) && !isSealed(entry.after)) return entry;
    const key = keys.get(keyName(entry));
    if (!key) return { ...entry, before: null, after: null, valuesErased: true };
    return { ...entry, before: open(entry.before, key, keyName(entry)), after: open(entry.after, key, keyName(entry)) };
  });
}

export function isSealed(value: string | null): boolean {
  return value !== null && value.startsWith(SEALED);
}

function seal(value: string | null, key: RecordKeyBytes, record: string): string | null {
  if (value === null) return null;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(record, 'utf8'));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function open(value: string | null, key: RecordKeyBytes, record: string): string | null {
  if (value === null || !isSealed(value)) return value;
  const bytes = Buffer.from(value.slice(SEALED.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(record, 'utf8'));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
