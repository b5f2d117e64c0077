import { isDeepStrictEqual } from 'node:util';
import { keyString, type AnyRecord } from '../../shared/domain/records';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import { operatorSignedIn } from '../../shared/commands/operator-signed-in';
import { canonicalJson, type AuditDraft } from './audit-chain';

const SIGNED_IN = operatorSignedIn.name;

/**
 * The records an applied command writes, each once: a record written twice by one command counts as its final
 * document (as the storages keep it), in the order the command first wrote each.
 */
export function finalChanges(changes: AnyRecord[]): AnyRecord[] {
  const byKey = new Map<string, AnyRecord>();
  for (const change of changes) byKey.set(keyString(change), change);
  const order = [...new Set(changes.map(keyString))];
  return order.map((key) => byKey.get(key)!);
}

/**
 * The audit entries of one applied command: a sign-in for `operator.signedIn`, a collection for each record it
 * created, an alteration for each top-level field of a record's document it changed, with the value before and
 * after. `before` gives each record's document as it stood before the command (undefined: the record did not
 * exist). A field is compared by value, not by the order of its keys; a record written again unchanged yields
 * nothing.
 */
export function auditDrafts(envelope: CommandEnvelope, processedAt: string, changes: AnyRecord[], before: (record: AnyRecord) => unknown): AuditDraft[] {
  const about = (record: { kind: string; id: string }) => ({
    recordedAt: processedAt,
    issuedAt: envelope.issuedAt,
    operator: envelope.operator,
    workstation: envelope.workstation,
    clientId: envelope.clientId,
    force: null,
    commandId: envelope.commandId,
    command: envelope.name,
    recordKind: record.kind,
    recordId: record.id,
  });
  // A sign-in changes no record, but who was at which workstation when is the first thing an audit asks.
  const drafts: AuditDraft[] =
    envelope.name === SIGNED_IN
      ? [{ ...about({ kind: 'operator', id: envelope.operator }), kind: 'sign-in', field: null, before: null, after: canonicalJson(envelope.args ?? null) }]
      : [];
  for (const record of finalChanges(changes)) {
    const old = before(record);
    if (old === undefined || old === null) {
      drafts.push({ ...about(record), kind: 'collection', field: null, before: null, after: null });
      continue;
    }
    const was = old as Record<string, unknown>;
    const now = record.doc as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort();
    for (const field of fields) {
      if (isDeepStrictEqual(was[field], now[field])) continue;
      drafts.push({ ...about(record), kind: 'alteration', field, before: valueText(was[field]), after: valueText(now[field]) });
    }
  }
  return drafts;
}

/** A field's value as canonical JSON; a field absent is null (SQL NULL), a field holding null is the text `null`. */
function valueText(value: unknown): string | null {
  return value === undefined ? null : canonicalJson(value);
}
