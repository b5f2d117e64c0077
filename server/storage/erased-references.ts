/**
 * The references an erasure keeps of the record it erases (ServerStorage.erase, migration 10's `erased_references`):
 * an incident's force reference and provisional reference, those it has; none for other kinds. `doc`: the
 * record's stored document as it stood before the erasure.
 */
export function referencesOf(kind: string, doc: unknown): string[] {
  if (kind !== 'incident' || doc === null || typeof doc !== 'object') return [];
  const { reference, provisionalReference } = doc as { reference?: unknown; provisionalReference?: unknown };
  return [...new Set([reference, provisionalReference].filter((ref): ref is string => typeof ref === 'string' && ref.length > 0))];
}
