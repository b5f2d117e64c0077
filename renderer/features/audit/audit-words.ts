import type { AuditEntryView, AuditQuestion } from '../../../shared/sync/audit-protocol';
import type { WallClock } from '../../../shared/domain/wall-clock';

/** What the entries say was done, in words. */
export const KIND_WORDS: Record<string, string> = {
  collection: 'created',
  alteration: 'changed',
  consultation: 'looked at',
  disclosure: 'disclosed',
  combination: 'combined',
  erasure: 'erased',
  'sign-in': 'signed in',
};

/** An incident id as the system mints them (a UUID): what the reference field takes besides a reference. */
const INCIDENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The question the incident field asks: by the incident's id when it holds one (an auditor may have only the id,
 * from an export or another entry), else by its reference. Null for nothing typed.
 */
export function incidentQuestion(typed: string): AuditQuestion | null {
  const text = typed.trim();
  if (!text) return null;
  return INCIDENT_ID.test(text) ? { about: 'record', recordKind: 'incident', recordId: text.toLowerCase() } : { about: 'reference', reference: text };
}

/**
 * The record an entry is about, for a reader: its name from the answer's labels (an incident's reference, a log
 * entry's incident), the reference asked about for the incident it found (even erased, when the server has no
 * document left to name it from), else its kind and id.
 */
export function recordWords(entry: Pick<AuditEntryView, 'recordKind' | 'recordId'>, labels: Readonly<Record<string, string>>, asked: AuditQuestion, found: readonly { recordKind: string; recordId: string }[]): string {
  const label = labels[`${entry.recordKind}:${entry.recordId}`];
  if (label) return label;
  if (asked.about === 'reference' && found.some((r) => r.recordKind === entry.recordKind && r.recordId === entry.recordId)) return `incident ${asked.reference}`;
  return `${entry.recordKind} ${entry.recordId}`;
}

/**
 * An entry's detail: a change as field: before → after; a look as the reason given (what the question asks first:
 * why), then how it was looked at; a combination as what it was put with; an erasure as who erased it, why, and what
 * went with it; anything else as what it carries (a recipient, a question).
 */
export function entryDetail(entry: AuditEntryView, wall: WallClock): string {
  if (entry.valuesErased) return entry.field ? `${entry.field}: values erased with the record` : 'values erased with the record';
  if (entry.kind === 'alteration') return `${entry.field ?? ''}: ${shownValue(entry.before, wall)} → ${shownValue(entry.after, wall)}`;
  const carried = carriedObject(entry.after);
  if (entry.kind === 'erasure' && carried) return erasureWords(entry.operator, carried);
  if (entry.kind === 'sign-in' && carried) return carried.mode === 'offline' ? 'signed in offline (checked at the workstation)' : 'signed in with the server';
  if (entry.kind === 'consultation' && carried) {
    const why = typeof carried.reason === 'string' && carried.reason ? `reason: ${carried.reason}` : 'no reason asked';
    return typeof carried.channel === 'string' ? `${why} (${carried.channel})` : why;
  }
  if (entry.kind === 'combination' && carried) {
    const other = carried.other as { kind?: unknown; id?: unknown } | undefined;
    if (typeof carried.action === 'string' && other) return `${carried.action} with ${String(other.kind)} ${String(other.id)}`;
  }
  if (carried) return Object.entries(carried).map(([key, value]) => `${key}: ${shownValue(JSON.stringify(value), wall)}`).join('; ');
  return entry.after ?? '';
}

/**
 * An erasure entry (server/audit/erasure-audit.ts) in words: on the record erased, by whom, why and how many records
 * went with it; on a record that went with another, which one (by its reference where the entry names it).
 */
export function erasureWords(by: string, carried: Record<string, unknown>): string {
  const why = typeof carried.reason === 'string' && carried.reason ? `reason: ${carried.reason}` : 'no reason recorded';
  const target = carried.with as { kind?: unknown; id?: unknown; references?: unknown } | undefined;
  if (target && typeof target === 'object') {
    const references = Array.isArray(target.references) ? target.references.filter((r): r is string => typeof r === 'string') : [];
    const name = references[0] ?? String(target.id);
    return `erased by ${by} with ${target.kind === 'contact' ? 'the call' : `the ${String(target.kind)}`} ${name}; ${why}`;
  }
  const others = typeof carried.records === 'number' ? carried.records - 1 : 0;
  const went = others > 0 ? `${others} other record${others === 1 ? '' : 's'} (log entries, deployments, calls…) erased with it` : 'nothing else erased with it';
  return `erased by ${by}; ${why}; ${went}`;
}

/** An instant as the audit log keeps it (ISO-8601 UTC). */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/;

/** A value as canonical JSON, for a reader: an instant on the force's clocks, text as it is, nothing as (none). */
function shownValue(json: string | null, wall: WallClock): string {
  if (json === null) return '(none)';
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'string') return INSTANT.test(value) ? wall.dateTime(Date.parse(value)) : value;
    return value === null ? '(none)' : json;
  } catch {
    return json;
  }
}

/** An entry's `after` as the object it encodes (canonical JSON), or null when it is not one. */
function carriedObject(after: string | null): Record<string, unknown> | null {
  if (!after) return null;
  try {
    const value: unknown = JSON.parse(after);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
