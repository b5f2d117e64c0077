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
  switch (entry.recordKind) {
    case 'search':
      return `search for '${entry.recordId}'`;
    case 'caller':
      return `caller history of ${entry.recordId}`;
    case 'location':
      return `location history of ${entry.recordId}`;
  }
  const after = readObject(entry.after);
  if (typeof after?.byForce === 'string') {
    return after.how === 'opened' ? `opened by force ${after.byForce}` : `shown to force ${after.byForce} in the answer to a search or a history`;
  }
  if (entry.recordKind === 'incident') return "opened the incident's detail";
  return null;
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
