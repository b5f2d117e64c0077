import { recordKindWords } from '../../shared/domain/audit-words';
import { randomUUID } from 'node:crypto';
import { isRecordKind, type AnyRecord, type RecordKey } from '../../shared/domain/records';
import { ownerOf } from '../../shared/domain/partition';
import { erasedFrom } from '../../shared/domain/erasure';
import { serverAuthor } from '../../shared/domain/automatic';
import { canonicalJson, type AuditDraft } from './audit-chain';
import { SERVER_CLIENT_ID } from '../commands/system-commands';

/** Who erased what, where and why (see erasureDrafts). */
export interface ErasureAct {
  by: string;
  workstation: string;
  clientId: string;
  force: string | null;
  /** Server time, ISO-8601 UTC. */
  at: string;
  reason: string;
}

/**
 * What the target's erasure entry carries (`after`, canonical JSON): why; how many records went (the target
 * included); the target's references (an incident's force and provisional references, none for other kinds); and
 * which records went with it, so a question about the incident after its erasure still finds their entries, whose
 * records no longer say whose they were. References and ids are the force's own serial names for the record, no
 * personal data: the ids stay in every entry anyway, and a reference is how a complaint or a court names the incident.
 */
export interface ErasureTargetDetail {
  reason: string;
  records: number;
  references: string[];
  erased: RecordKey[];
  /**
   * The erasing force's records about the incident that the erasure handed to another force instead of erasing them
   * (erasure.ts lendersPart: a lent unit's deployment, a loan answered, `keptBy` that force): the erasing force's own
   * entries about them are still its account of what its people did, and a question about the incident must still
   * reach them once the incident names nothing. Absent when none.
   */
  handedOver?: RecordKey[];
}

/** What each other record's erasure entry carries: why, and the target it went with (by kind, id and references). */
export interface ErasedWithDetail {
  reason: string;
  with: { kind: string; id: string; references: string[] };
}

/**
 * The audit entries of one erasure (shared/domain/erasure.ts): one `erasure` entry on each record erased, so a
 * question about any of them finds it, all under one id (`commandId`, the act) and the command `records.erase`.
 * The target's `after` is an ErasureTargetDetail; each other's an ErasedWithDetail. Metadata only: the records' own
 * values are what was erased. `references`: the target incident's references as it stood. `erased` holds the erasing
 * force's records only, and those of a transferred incident's former owner that passed with it (erasure.ts
 * erasureRound), so its log names nothing of another force's but what it owned with the incident; `altered`: another
 * force's records the erasure changed, each with an entry in its owner's log (keptRecordDrafts).
 */
export function erasureDrafts(act: ErasureAct, erased: readonly RecordKey[], references: readonly string[] = [], altered: readonly AnyRecord[] = [], others: readonly OtherForceHold[] = []): AuditDraft[] {
  const [target] = erased;
  if (!target) return [];
  const commandId = randomUUID();
  const refs = [...references];
  const handed = altered.filter((record) => act.force !== null && erasedFrom(record.doc) === act.force);
  return [
    ...erasureEntries(act, commandId, target, erased, refs, handed),
    ...handedOverDrafts(act, commandId, handed),
    ...keptRecordDrafts(act, commandId, altered),
    ...others.flatMap((other) => heldErasureDrafts(act, commandId, target, other)),
  ];
}

/**
 * In the erasing force's own log, an entry on each of its records the erasure handed to another force (lendersPart):
 * who, when and to which force (`keptBy`), so its log says where its record of the loan or deployment went, and a
 * question about the record finds that it left its desks.
 */
function handedOverDrafts(act: ErasureAct, commandId: string, handed: readonly AnyRecord[]): AuditDraft[] {
  const by = { operator: act.by, workstation: act.workstation, clientId: act.clientId, force: act.force };
  return handed.map((record) => alterationByErasure(act, commandId, record, by));
}

/** An alteration an erasure made to a record it did not erase (keptRecordDrafts, handedOverDrafts), in the log of `by.force`. */
function alterationByErasure(act: ErasureAct, commandId: string, record: AnyRecord, by: Pick<AuditDraft, 'operator' | 'workstation' | 'clientId' | 'force'>): AuditDraft {
  return {
    recordedAt: act.at,
    issuedAt: act.at,
    ...by,
    commandId,
    command: 'records.erase',
    kind: 'alteration',
    recordKind: record.kind,
    recordId: record.id,
    // A conflict's copy of the erased record cleared; or the lender's part of it, its owner's from now (keptBy).
    ...(record.kind === 'conflict' ? { field: 'theirs', before: null, after: 'null' } : { field: 'keptBy', before: null, after: canonicalJson(ownerOf(record)) }),
  };
}

/**
 * What another force held of an erased record (othersHolding): the force; the target's references it was shown (an
 * incident's force reference); the erased records its own log has entries about (the target first: a log line its
 * assisting operator wrote on the incident, a deployment of its unit on it, a loan it answered); and its own records
 * about them that the erasure kept (erasure.ts: a conflict, a refused command, an offer it made).
 */
export interface OtherForceHold {
  force: string;
  references: string[];
  erased: RecordKey[];
  kept: RecordKey[];
}

/**
 * The target's erasure entry in another force's log carries this (`after`): which force erased it (its reason and
 * its people are that force's business, as keptRecordDrafts's are), the references that force was shown, and the
 * records the question "what did our people do about this incident" must still reach once the erased records name
 * nothing: those of the erased ones its own log has entries about, and its own records about them.
 */
export interface HeldErasureDetail {
  byForce: string;
  records: number;
  references: string[];
  erased: RecordKey[];
  kept: RecordKey[];
}

/**
 * The other forces that held something of what an erasure takes, each with what its log must still find by the
 * target (OtherForceHold). A force held it when a share, loan or offer erased with it named the force (it was shown
 * the incident), when it kept a share, loan or offer of its own about it, or when its own log has a collection,
 * alteration, combination or disclosure on one of the erased records (its people wrote on it: only an applied
 * command writes one). A look alone is not holding (a crafted push can write a look at any id, and a force that never
 * held the incident must learn nothing of it, not even that it was erased), and neither is a refused command kept.
 * `found`: the erased records besides the target; `kept`: other forces' records naming them (erasure.ts
 * erasureRound); `written`: for each erased record (`kind:id`), the forces whose logs have such an entry on it.
 */
export function othersHolding(force: string, target: RecordKey, targetDoc: unknown, found: readonly AnyRecord[], kept: readonly AnyRecord[], written: ReadonlyMap<string, ReadonlySet<string>>): OtherForceHold[] {
  const shown = new Set<string>();
  for (const record of found) {
    if (record.kind === 'share') shown.add(record.doc.sharedWith);
    if (record.kind === 'loan') shown.add(record.doc.lender);
    if (record.kind === 'transfer') shown.add(record.doc.to);
  }
  for (const record of kept) {
    if (record.kind === 'share' || record.kind === 'loan' || record.kind === 'transfer') shown.add(ownerOf(record) ?? '');
  }
  for (const forces of written.values()) for (const other of forces) shown.add(other);
  shown.delete(force);
  shown.delete('');
  const erased = [target, ...found.map(({ kind, id }) => ({ kind, id }))];
  const reference = target.kind === 'incident' ? (targetDoc as { reference?: unknown } | null)?.reference : undefined;
  return [...shown].sort().map((other) => ({
    force: other,
    references: typeof reference === 'string' && reference ? [reference] : [],
    erased: erased.filter((key, i) => i === 0 || written.get(`${key.kind}:${key.id}`)?.has(other)),
    kept: kept.filter((record) => ownerOf(record) === other).map(({ kind, id }) => ({ kind, id })),
  }));
}

/**
 * The erasure entries in another force's log (othersHolding): one on the target and one on each erased record its
 * log has entries about, under the act's id, made by the server because of the erasing force's act (named as
 * keptRecordDrafts names it), so that force's auditor asking about the incident, by its reference or its id, still
 * finds what its own people did about it, and its records' names say they were erased. Nothing of the erasing
 * force's beyond what the other force held: not the reason, not who erased it, not the records its log never named.
 */
function heldErasureDrafts(act: ErasureAct, commandId: string, target: RecordKey, other: OtherForceHold): AuditDraft[] {
  const by = { operator: serverAuthor(`force ${act.force ?? '?'}`, 'records.erase'), workstation: 'central server', clientId: SERVER_CLIENT_ID, force: other.force };
  return other.erased.map((key, i) =>
    erasureDraft(act.at, by, commandId, key, i === 0
      ? ({ byForce: act.force ?? '?', records: other.erased.length, references: other.references, erased: other.erased, kept: other.kept } satisfies HeldErasureDetail)
      : { byForce: act.force ?? '?', with: { kind: target.kind, id: target.id, references: other.references } }),
  );
}

function erasureEntries(act: ErasureAct, commandId: string, target: RecordKey, erased: readonly RecordKey[], refs: string[], handed: readonly AnyRecord[]): AuditDraft[] {
  const by = { operator: act.by, workstation: act.workstation, clientId: act.clientId, force: act.force };
  const handedOver = handed.map(({ kind, id }) => ({ kind, id }));
  return erased.map((key, i) =>
    erasureDraft(act.at, by, commandId, key, i === 0
      ? ({ reason: act.reason, records: erased.length, references: refs, erased: erased.map(({ kind, id }) => ({ kind, id })), ...(handedOver.length > 0 ? { handedOver } : {}) } satisfies ErasureTargetDetail)
      : ({ reason: act.reason, with: { kind: target.kind, id: target.id, references: refs } } satisfies ErasedWithDetail)),
  );
}

/** One erasure entry on `key`, at `at`, by whom the log names (the erasing force's people, or the server for another force's log), saying `after`. */
function erasureDraft(at: string, by: Pick<AuditDraft, 'operator' | 'workstation' | 'clientId' | 'force'>, commandId: string, key: RecordKey, after: unknown): AuditDraft {
  return { recordedAt: at, issuedAt: at, ...by, commandId, command: 'records.erase', kind: 'erasure', recordKind: key.kind, recordId: key.id, field: null, before: null, after: canonicalJson(after) };
}

/**
 * The entries, in each owning force's own log, for another force's records an erasure changed (shared/domain/erasure.ts
 * keptAfterErasure: a conflict's copy of the erased record cleared; lendersPart: a lent or assisting unit's deployment,
 * or a loan answered, kept by the unit's force from now, `after` that force). One alteration per record, on the field that
 * changed, under the same act id (`commandId`) as the erasure's entries: made by the server because of force F's
 * erasure, named as `system (automatically by the server, after force F's records.erase)` at `central server`, for
 * the erasing force's administrator, their workstation and their reason are that force's business, not this one's.
 * `before` is null and `after` the text `null`: the value cleared was the erased record's, which its erasure must
 * not leave in another log. Sealed like any alteration (the storage seals them under the record's key).
 */
export function keptRecordDrafts(act: ErasureAct, commandId: string, altered: readonly AnyRecord[]): AuditDraft[] {
  const byServer = { operator: serverAuthor(`force ${act.force ?? '?'}`, 'records.erase'), workstation: 'central server', clientId: SERVER_CLIENT_ID };
  return altered.map((record) => alterationByErasure(act, commandId, record, { ...byServer, force: ownerOf(record) }));
}

/**
 * The records a target's erasure entry (its `after`) says went with it, the target first, then (in another force's
 * log: HeldErasureDetail) that force's own records about them the erasure kept, and (in the erasing force's) its
 * records the erasure handed to another force (ErasureTargetDetail.handedOver); null when it names none (not an
 * erasure target's entry, or one written before erasure entries listed them).
 */
export function erasedRecordsOf(after: string | null): RecordKey[] | null {
  if (!after) return null;
  let value: unknown;
  try {
    value = JSON.parse(after);
  } catch {
    return null;
  }
  const { erased, kept, handedOver } = (value ?? {}) as { erased?: unknown; kept?: unknown; handedOver?: unknown };
  if (!Array.isArray(erased)) return null;
  return [...erased, ...(Array.isArray(kept) ? (kept as unknown[]) : []), ...(Array.isArray(handedOver) ? (handedOver as unknown[]) : [])].flatMap((key: unknown) => {
    const { kind, id } = (key ?? {}) as { kind?: unknown; id?: unknown };
    return typeof kind === 'string' && isRecordKind(kind) && typeof id === 'string' ? [{ kind, id }] : [];
  });
}

/**
 * An erased record's name in an audit answer, from its erasure entry's `after` (the references the erasure kept):
 * "incident DMO-2026-000123 (erased)", "log entry on DMO-2026-000123 (erased)"; null where the entry names no
 * reference (a call or a marker erased alone, an entry older than kept references), and the answer shows kind and id.
 * A reference is the force's serial name for the incident, not personal data (README, Erasure).
 */
export function erasedRecordLabel(kind: string, after: string | null): string | null {
  const name = erasedRecordName(kind, after);
  return name ? `${name} (erased)` : null;
}

/** An erased record's name without the mark (see erasedRecordLabel): "incident DMO-2026-000123", for a heading that says when it was erased. */
export function erasedRecordName(kind: string, after: string | null): string | null {
  let value: unknown;
  try {
    value = after ? JSON.parse(after) : null;
  } catch {
    return null;
  }
  const detail = (value ?? {}) as { references?: unknown; with?: { kind?: unknown; references?: unknown } };
  const first = (references: unknown) => (Array.isArray(references) && typeof references[0] === 'string' && references[0] ? references[0] : null);
  if (kind === 'incident') {
    const reference = first(detail.references);
    return reference ? `incident ${reference}` : null;
  }
  const reference = detail.with?.kind === 'incident' ? first(detail.with.references) : null;
  return reference ? `${recordKindWords(kind)} on ${reference}` : null;
}
