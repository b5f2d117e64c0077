import { isRecordKind, type RecordKind } from '../../shared/domain/records';
import { erasedRecordLabel, erasedRecordName } from './erasure-audit';
import { labelNeeds, recordLabel } from '../../shared/domain/record-label';
import type { ForceCode } from '../../shared/domain/force';
import type { ServerStorage } from '../storage/storage';
import type { AuditSubject } from '../../shared/sync/audit-protocol';
import { Operator } from '../../shared/domain/operator';
import type { AuditEntry } from './audit-chain';
import { AUDIT_LOG_RECORD, idsInValue } from '../../shared/domain/audit-words';

export { AUDIT_LOG_RECORD };

/**
 * Names for the records a page of an answer is about (shared/domain/record-label.ts), by `kind:id`, read from the
 * records as they stand now: an incident by its reference, a log entry or a call by its incident's; the other record
 * of a combination too. Records that
 * cannot be named (erased, unknown, another force's) are left out, and the answer shows their kind and id. A page is
 * at most AUDIT_PAGE_MAX entries, so at most a few hundred documents are read, each once.
 */
export async function recordLabels(entries: readonly Pick<AuditEntry, 'recordKind' | 'recordId' | 'kind' | 'field' | 'before' | 'after'>[], storage: ServerStorage, force: ForceCode): Promise<Record<string, string>> {
  const docs = new Map<string, Promise<unknown>>();
  const read = (kind: string, id: string): Promise<unknown> => {
    const name = `${kind}:${id}`;
    let doc = docs.get(name);
    if (!doc && isRecordKind(kind)) docs.set(name, (doc = storage.record({ kind, id })));
    return doc ?? Promise.resolve(null);
  };
  const labelOf = async (kind: string, id: string): Promise<string | null> => {
    const doc = await read(kind, id);
    const needs = labelNeeds(kind, doc);
    return recordLabel(kind, doc, force, {
      incident: needs.incidentId ? await read('incident', needs.incidentId) : undefined,
      unit: needs.unitId ? await read('unit', needs.unitId) : undefined,
    });
  };
  // An erased record (its document withdrawn) by the reference its erasure kept, where the asking force erased it.
  const erasedLabelOf = async (kind: string, id: string): Promise<string | null> => {
    if ((await read(kind, id)) !== null) return null;
    const erasure = await storage.erasureOf({ kind: kind as RecordKind, id }, force);
    return erasure ? erasedRecordLabel(kind, erasure.after) : null;
  };
  const labels: Record<string, string> = {};
  // The records the entries are about, and the other record each combination names (the incident a call was
  // attached to, the incident linked), so an answer says "attached to incident DMO-…", not a uuid.
  const named = entries.flatMap((entry) => [{ recordKind: entry.recordKind, recordId: entry.recordId }, ...combinedWith(entry), ...alteredTo(entry)]);
  for (const { recordKind, recordId } of named) {
    const name = `${recordKind}:${recordId}`;
    if (name in labels) continue;
    if (isRecordKind(recordKind)) {
      const label = (await labelOf(recordKind, recordId)) ?? (await erasedLabelOf(recordKind, recordId));
      if (label) labels[name] = label;
    } else if (recordKind === AUDIT_LOG_RECORD) {
      // A question to the audit log is on the record it asked about, as `kind:id` (server/audit/audit-routes.ts).
      const split = recordId.indexOf(':');
      const label = split > 0 ? ((await labelOf(recordId.slice(0, split), recordId.slice(split + 1))) ?? (isRecordKind(recordId.slice(0, split)) ? await erasedLabelOf(recordId.slice(0, split), recordId.slice(split + 1)) : null)) : null;
      if (label) labels[name] = `the audit log, about ${label}`;
    }
  }
  return labels;
}

/**
 * The records an alteration's values name by id (a call put on an incident: its `incidentId`; an incident's related
 * incidents; a call-back's calls), so they read as words (shared/domain/audit-words.ts, idsInValue). An id whose kind
 * the field does not say is left unnamed.
 */
function alteredTo(entry: Pick<AuditEntry, 'kind' | 'field' | 'before' | 'after'>): { recordKind: string; recordId: string }[] {
  if (entry.kind !== 'alteration') return [];
  return [entry.before, entry.after].flatMap((value) => {
    try {
      return idsInValue(value ? JSON.parse(value) : null, entry.field).filter((id): id is { recordKind: string; recordId: string } => id.recordKind !== null);
    } catch {
      return [];
    }
  });
}

/** The other record a combination entry names (`after`: `{"action":…,"other":{"id":…,"kind":…}}`), if it is one. */
function combinedWith(entry: Pick<AuditEntry, 'kind' | 'after'>): { recordKind: string; recordId: string }[] {
  if (entry.kind !== 'combination' || !entry.after) return [];
  try {
    const other = (JSON.parse(entry.after) as { other?: { kind?: unknown; id?: unknown } } | null)?.other;
    return other && typeof other.kind === 'string' && typeof other.id === 'string' ? [{ recordKind: other.kind, recordId: other.id }] : [];
  } catch {
    return [];
  }
}

/**
 * What a question about a record is about, as people know it, for the answer's heading and the file's name: the
 * record's name (an incident by its reference, as recordLabels names it), or once the asking force erased it, the
 * name its erasure kept and who erased it and when. Null for a record the force cannot name (unknown, another
 * force's, a call erased alone: the heading keeps its kind and id), but an erasure is said even then.
 */
export async function recordSubject(kind: string, id: string, storage: ServerStorage, force: ForceCode): Promise<AuditSubject | null> {
  if (!isRecordKind(kind)) return null;
  const doc = await storage.record({ kind, id });
  if (doc !== null) {
    const needs = labelNeeds(kind, doc);
    const name = recordLabel(kind, doc, force, {
      incident: needs.incidentId ? await storage.record({ kind: 'incident', id: needs.incidentId }) : undefined,
      unit: needs.unitId ? await storage.record({ kind: 'unit', id: needs.unitId }) : undefined,
    });
    return name ? { name, erased: null } : null;
  }
  const erasure = await storage.erasureOf({ kind, id }, force);
  return erasure ? { name: erasedRecordName(kind, erasure.after), erased: { at: erasure.recordedAt, by: erasure.operator } } : null;
}

/**
 * Who a question about an operator is about, as people know them: their display name, where they are an operator of
 * the asking force (another force's people are not its to name). Null otherwise (a name no account has, the system).
 */
export async function operatorSubject(name: string, storage: ServerStorage, force: ForceCode): Promise<AuditSubject | null> {
  const operator = Operator.safeParse(await storage.record({ kind: 'operator', id: name }));
  return operator.success && operator.data.force === force && operator.data.displayName !== name ? { name: operator.data.displayName, erased: null } : null;
}
