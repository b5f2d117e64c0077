import type { MeasureRecordDocs } from './storage';

/** Rows of (kind, stored JSON text) sorted into the measures' records, parsed. */
export function measureDocs(rows: readonly { kind: string; doc: string }[]): MeasureRecordDocs {
  const docs: MeasureRecordDocs = { contacts: [], incidents: [], assignments: [] };
  for (const row of rows) {
    const doc = JSON.parse(row.doc) as unknown;
    if (row.kind === 'contact') docs.contacts.push(doc);
    else if (row.kind === 'incident') docs.incidents.push(doc);
    else if (row.kind === 'assignment') docs.assignments.push(doc);
  }
  return docs;
}
