import type { AuditEntry } from './audit-chain';

/**
 * How a consultation came to show what it showed, in words, for the answers and the CSV file: "opened the
 * incident's detail", "search for 'Portswood'", "caller history of 07700 900444", "location history of Crossways";
 * for a look by another force on the owner's record, which force and how. Read from the entry's record (a search's
 * or a history's is what was typed, not sealed: server/audit/audit-seal.ts) and, for another force's look, its
 * values. Null for an entry that is not a consultation of a record, or whose values an erasure made unreadable
 * where they are needed. The reason given stays where it is written: the entry's `after`.
 */
export function consultationHow(entry: Pick<AuditEntry, 'kind' | 'recordKind' | 'recordId' | 'after' | 'valuesErased'>): string | null {
  if (entry.kind !== 'consultation') return null;
  const after = readObject(entry.after);
  switch (entry.recordKind) {
    case 'search':
      return `search for '${entry.recordId}'`;
    case 'caller':
      return `caller history of ${asTyped(entry.recordId, after, 'callerNumber')}`;
    case 'location':
      return `location history of ${asTyped(entry.recordId, after, 'locationText')}`;
  }
  if (typeof after?.byForce === 'string') {
    return after.how === 'opened' ? `opened by force ${after.byForce}` : `shown to force ${after.byForce} in the answer to a search or a history`;
  }
  if (entry.recordKind === 'incident') return "opened the incident's detail";
  return null;
}

/**
 * A history's subject as the operator typed it (the look's query: main/core/handlers/call-handlers.ts), which is what
 * an auditor must see, and beside it the form the workstation looked it up by (the entry's record id: a number
 * without its spaces, a place in lower case) where that differs. The record id alone where the query is unreadable
 * (erased with its record, or written before queries were kept).
 */
function asTyped(recordId: string, after: Record<string, unknown> | null, field: 'callerNumber' | 'locationText'): string {
  const query = after?.query;
  const typed = query !== null && typeof query === 'object' ? (query as Record<string, unknown>)[field] : undefined;
  if (typeof typed !== 'string' || typed.trim() === '' || typed === recordId) return recordId;
  return `‘${typed}’ as typed (looked up as ${recordId})`;
}

function readObject(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
