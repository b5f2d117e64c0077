import { isDeepStrictEqual } from 'node:util';
import { isRecordKind, keyString, type AnyRecord, type RecordKey } from '../../shared/domain/records';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import { operatorSignedIn } from '../../shared/commands/operator-signed-in';
import { operatorSignedOut } from '../../shared/commands/operator-signed-out';
import { operatorSignInRefused, type SignInRefusedArgs } from '../../shared/commands/operator-sign-in-refused';
import { recordConsulted, type ConsultedArgs } from '../../shared/commands/record-consulted';
import { recordMoment, type MomentArgs } from '../../shared/commands/moment-recorded';
import { canonicalJson, type AuditDraft } from './audit-chain';
import { automaticAuthor, madeAutomatically, serverAuthor } from '../../shared/domain/automatic';
import { derivedId } from '../../shared/domain/derived-id';

const SIGNED_IN = operatorSignedIn.name;
const SIGNED_OUT = operatorSignedOut.name;
const CONSULTED = recordConsulted.name;
const MOMENT = recordMoment.name;
const SIGN_IN_REFUSED = operatorSignInRefused.name;

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
 * The audit entries of one applied command: a sign-in for `operator.signedIn`, a consultation for
 * `record.consulted`, a moment for `moment.recorded`, a collection for each record it created, an alteration for each top-level field of a
 * record's document it changed, with the value before and after, and a combination on each of two records it put
 * together or apart (see combinations). `before` gives each record's document as it stood before the command (undefined: the record did not
 * exist). A field is compared by value, not by the order of its keys; a record written again unchanged yields
 * nothing. `force` is the issuing workstation's force, written on every entry (null: a plan that named none), but
 * for a look at another force's record (see lookedAtByAnotherForce). `before` also gives the documents of the
 * records a consultation looked at (auditReads names them): null for one erased since, whose owner `erasedOwner`
 * gives (the force of its erasure entry; null: none), so a look made offline before an erasure and arriving after
 * it still reaches the owner's log. `unseen`: records of another force the looking force never held
 * (server/commands/consultation-check.ts): no entry in their owner's log.
 */
export function auditDrafts(
  envelope: CommandEnvelope,
  processedAt: string,
  changes: AnyRecord[],
  before: (record: RecordRef) => unknown,
  force: string | null,
  erasedOwner: (record: RecordRef) => string | null = () => null,
  unseen: readonly RecordRef[] = [],
): AuditDraft[] {
  // Who the entries name: the operator, but the system for what the workstation or the server did on its own.
  const made = madeByServer(finalChanges(changes), before);
  const operator = madeAutomatically(envelope) ? automaticAuthor(envelope.operator) : envelope.operator;
  // A held command sent again at sign-in marks its own refusal sent again as it goes (redoOf, action `resent`): that
  // mark is the workstation's, as the `refusal.handle` it sends beside a held redo is; the command itself is theirs.
  const resentMark = envelope.redoOf?.action === 'resent' ? `refusal:${envelope.redoOf.refusalId}` : null;
  const about = (record: { kind: string; id: string }, by: RecordRef = record) => ({
    recordedAt: processedAt,
    issuedAt: envelope.issuedAt,
    operator: made.has(`${by.kind}:${by.id}`) ? serverAuthor(envelope.operator, envelope.name) : `${by.kind}:${by.id}` === resentMark ? automaticAuthor(envelope.operator) : operator,
    workstation: envelope.workstation,
    clientId: envelope.clientId,
    force,
    commandId: envelope.commandId,
    command: envelope.name,
    recordKind: record.kind,
    recordId: record.id,
  });
  // A sign-in or sign-out changes no record, but who was at which workstation when is the first thing an audit asks.
  const drafts: AuditDraft[] =
    envelope.name === SIGNED_IN
      ? [{ ...about({ kind: 'operator', id: envelope.operator }), kind: 'sign-in', field: null, before: null, after: canonicalJson(envelope.args ?? null) }]
      : envelope.name === SIGNED_OUT
        ? [{ ...about({ kind: 'operator', id: envelope.operator }), kind: 'sign-out', field: null, before: null, after: canonicalJson(envelope.args ?? null) }]
        : [];
  // A sign-in refused at the workstation while the server was away: the entries the server writes for a refusal of its
  // own (a `sign-in-failure` with its reason; the `lockout` it set comes with its count), on the name typed, saying
  // where it was decided; the workstation's time is the entry's issuedAt, the server's its recordedAt.
  if (envelope.name === SIGN_IN_REFUSED) {
    const { reason, lockedUntil } = envelope.args as SignInRefusedArgs;
    const on = about({ kind: 'operator', id: envelope.operator });
    const where = 'at the workstation, the server out of reach';
    drafts.push({ ...on, kind: 'sign-in-failure', field: null, before: null, after: canonicalJson({ reason, where, ...(reason === 'locked out' ? { until: lockedUntil } : {}) }) });
    // The lock this refusal set at the workstation is written with the server's count of it, as one entry
    // (server/access/offline-refusals.ts countingOfflineRefusal), not here as well.
  }
  // A consultation changes no record either: what was looked at, what was asked and why is the entry.
  if (envelope.name === CONSULTED) {
    const { recordKind, recordId, channel, query, reason, revealed } = envelope.args as ConsultedArgs;
    // Another force's record the looking force never held (Decision.unseen) is, to the owner's log, a record never seen;
    // and the look's own entry is kept plain, so that the owner's erasure of the record leaves it (AuditDraft.keptPlain).
    const never = new Set(unseen.map((record) => `${record.kind}:${record.id}`));
    drafts.push({ ...about({ kind: recordKind, id: recordId }), kind: 'consultation', field: null, before: null, after: canonicalJson({ channel, query, reason, revealed }), reveals: revealedOnce(recordKind, recordId, revealed), ...(never.has(`${recordKind}:${recordId}`) ? { keptPlain: true as const } : {}) });
    const docOf = (record: RecordRef) => (never.has(`${record.kind}:${record.id}`) ? undefined : before(record));
    drafts.push(...lookedAtByAnotherForce(envelope.args as ConsultedArgs, docOf, force, erasedOwner).map((look) => ({ ...about(look.record), force: look.owner, kind: 'consultation' as const, field: null, before: null, after: canonicalJson(look.after) })));
  }
  // A desk moment (units proposed, a call located or graded on the form) changes no record: the entry is the moment.
  if (envelope.name === MOMENT) {
    const moment = envelope.args as MomentArgs;
    const on = moment.what === 'proposed' ? { kind: 'incident', id: moment.incidentId } : { kind: 'contact', id: moment.contactId };
    drafts.push({ ...about(on), kind: 'moment', field: null, before: null, after: canonicalJson(moment) });
  }
  const combined: AuditDraft[] = [];
  for (const record of finalChanges(changes)) {
    const old = before(record);
    combined.push(...combinations(record, old).map(([one, action, other]) => ({ ...about(one), kind: 'combination' as const, field: null, before: null, after: canonicalJson({ action, other }) })));
    combined.push(...disclosures(record, old).map(([one, what]) => ({ ...about(one, record), kind: 'disclosure' as const, field: null, before: null, after: canonicalJson(what) })));
    if (old === undefined || old === null) {
      drafts.push({ ...about(record), kind: 'collection', field: null, before: null, after: collected(record, before) });
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
  // After the collections and alterations of the same command: what was put together, once the records are said.
  const written = [...drafts, ...combined];
  return [...written, ...inOwnersLogs(written, finalChanges(changes), before, force), ...loanDisclosures(finalChanges(changes), before, about), ...crossForceDisclosures(finalChanges(changes), before, about)];
}

/**
 * Each force's log records what happened to its records (DPA 2018 s.62), whoever's command it was: a collection,
 * alteration or combination on a record another force owns (a log line or deployment an assisting force wrote on
 * the owner's incident, a loan the lender answered, a lent unit the borrower returned, an incident moved by an
 * accepted offer) is written again in the owner's log, as the look at another force's record is
 * (lookedAtByAnotherForce), beside the entry in the issuing force's own log. The owner is the record's force as it
 * stood before the command (its force after, for a record the command created).
 */
function inOwnersLogs(written: readonly AuditDraft[], changes: readonly AnyRecord[], before: (record: RecordRef) => unknown, force: string | null): AuditDraft[] {
  const owners = new Map<string, string>();
  for (const record of changes) {
    const was = before(record) as { force?: unknown } | null | undefined;
    const owner = typeof was?.force === 'string' ? was.force : (record.doc as { force?: unknown }).force;
    if (typeof owner === 'string') owners.set(`${record.kind}:${record.id}`, owner);
  }
  return written.flatMap((draft) => {
    if (draft.kind !== 'collection' && draft.kind !== 'alteration' && draft.kind !== 'combination') return [];
    const owner = owners.get(`${draft.recordKind}:${draft.recordId}`);
    // A plan of no force (none such is a force's act) leaves its entries as they are.
    return force !== null && owner !== undefined && owner !== force ? [{ ...draft, force: owner }] : [];
  });
}

/**
 * The disclosures of a standing arrangement and of an offer of an incident (shared/domain/arrangement.ts, transfer.ts):
 * - an arrangement proposed, approved or withdrawn: an entry on the arrangement in each force's log (the owner's,
 *   whose incidents it discloses, and the partner's, who receives them), naming who approved or withdrew it;
 * - an incident offered: an entry on the incident in the offering force's log, naming the force offered it and the
 *   summary it was shown; accepted: another, for the whole incident and its history, which the new owner holds from
 *   then on.
 */
function crossForceDisclosures(changes: AnyRecord[], before: (record: AnyRecord) => unknown, about: (record: RecordRef) => Omit<AuditDraft, 'kind' | 'field' | 'before' | 'after'>): AuditDraft[] {
  const drafts: AuditDraft[] = [];
  for (const record of changes) {
    if (record.kind === 'arrangement') {
      const arrangement = record.doc;
      const was = before(record) as { status?: string } | undefined | null;
      if (was?.status === arrangement.status) continue;
      const what = {
        action: arrangement.status === 'proposed' ? 'arrangement proposed' : arrangement.status === 'active' ? 'arrangement approved by both forces' : 'arrangement withdrawn (shares it made stay until revoked)',
        owner: arrangement.force,
        recipient: arrangement.sharedWith,
        incidentType: arrangement.incidentType,
        tier: arrangement.tier,
        ownerApproval: arrangement.ownerApproval,
        partnerApproval: arrangement.partnerApproval,
        withdrawn: arrangement.withdrawn,
        reason: arrangement.reason,
      };
      for (const force of [arrangement.force, arrangement.sharedWith]) {
        drafts.push({ ...about(record), force, kind: 'disclosure', field: null, before: null, after: canonicalJson(what) });
      }
      continue;
    }
    if (record.kind !== 'transfer') continue;
    const transfer = record.doc;
    const was = before(record) as { status?: string } | undefined | null;
    const disclosed = !was ? 'the incident summary, offering ownership' : transfer.status === 'accepted' && was.status !== 'accepted' ? 'the whole incident and its history: ownership transferred' : null;
    if (!disclosed) continue;
    drafts.push({
      ...about({ kind: 'incident', id: transfer.incidentId }),
      force: transfer.force,
      kind: 'disclosure',
      field: null,
      before: null,
      after: canonicalJson({ recipient: transfer.to, what: disclosed, transfer: transfer.id, summary: transfer.incident, reason: transfer.reason, acceptedBy: transfer.answeredBy }),
    });
  }
  return drafts;
}

/**
 * The disclosures a unit loan makes of the borrower's incident to the lending force (shared/domain/loan.ts), each an
 * entry in the borrower's log (its data, whoever's command it was) on the incident, naming the recipient force: the
 * request puts the incident's summary before the lender's dispatchers; the acceptance discloses it again with the
 * deployment of the lender's unit on it, which the lender sees from then on (its statuses and receipts).
 */
function loanDisclosures(changes: AnyRecord[], before: (record: RecordRef) => unknown, about: (record: RecordRef) => Omit<AuditDraft, 'kind' | 'field' | 'before' | 'after'>): AuditDraft[] {
  const drafts: AuditDraft[] = [];
  for (const record of changes) {
    if (record.kind !== 'loan') continue;
    const loan = record.doc;
    const was = before(record) as { status?: string } | undefined | null;
    const disclosed = !was ? 'the incident summary, asking for a unit' : loan.status === 'accepted' && was.status !== 'accepted' ? `the incident summary and the deployment of its unit ${loan.callSign ?? ''}`.trim() : null;
    if (!disclosed) continue;
    drafts.push({
      ...about({ kind: 'incident', id: loan.incidentId }),
      force: loan.force,
      kind: 'disclosure',
      field: null,
      before: null,
      after: canonicalJson({ recipient: loan.lender, what: disclosed, loan: loan.id, summary: loan.incident, reason: loan.reason }),
    });
  }
  return drafts;
}

/**
 * The records whose documents auditDrafts needs beyond those the command writes: for a consultation, the record
 * looked at and those its answer revealed (replicated records only), to know whose they are.
 */
/**
 * The records a workstation's record of what happened there (a look, a desk's moment) names, which may have been
 * erased while it waited in an outbox: such a command is still applied and logged (the look is owed to the log), but
 * its arguments (what was asked, why, where the call was placed) are not kept in the server's command log once a
 * record it names is erased, as the erasure cleared those of the commands before it (README, Erasure).
 */
export function recordsNamedByFact(envelope: Pick<CommandEnvelope, 'name' | 'args'>): RecordKey[] {
  if (envelope.name === MOMENT) {
    const moment = envelope.args as MomentArgs;
    return [moment.what === 'proposed' ? { kind: 'incident', id: moment.incidentId } : { kind: 'contact', id: moment.contactId }];
  }
  return auditReads(envelope);
}

export function auditReads(envelope: Pick<CommandEnvelope, 'name' | 'args'>): RecordKey[] {
  if (envelope.name !== CONSULTED) return [];
  const { recordKind, recordId, revealed } = envelope.args as ConsultedArgs;
  return [{ kind: recordKind, id: recordId }, ...revealed].filter((ref): ref is RecordKey => isRecordKind(ref.kind));
}

/**
 * A look by one force at another's record (an incident shared with it; another force's call or incident in a
 * caller's or a place's history) is the owner's business too (DPA 2018 s.62: who has seen its record, and why): an
 * entry in the owning force's log on its record, naming the force that looked, the channel and the reason, beside
 * the looking force's own entry. Not the question asked nor what else it revealed: those are the looking force's.
 */
function lookedAtByAnotherForce(args: ConsultedArgs, docOf: (record: RecordRef) => unknown, force: string | null, erasedOwner: (record: RecordRef) => string | null): { record: RecordRef; owner: string; after: Record<string, unknown> }[] {
  const looks: { record: RecordRef; owner: string; after: Record<string, unknown> }[] = [];
  const seen = new Set<string>();
  for (const record of auditReads({ name: CONSULTED, args })) {
    const key = `${record.kind}:${record.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const doc = docOf(record) as { force?: unknown } | null | undefined;
    // Erased since (a withdrawal: its document null): the force that erased it owned it, and its log is still owed the look.
    const owner = doc === null ? erasedOwner(record) : doc?.force;
    if (typeof owner !== 'string' || owner === force) continue;
    const directly = record.kind === args.recordKind && record.id === args.recordId;
    looks.push({ record, owner, after: { byForce: force, channel: args.channel, reason: args.reason, how: directly ? 'opened' : 'in the answer to a search or a history' } });
  }
  return looks;
}

/**
 * The records the server made on its own while applying a command (server/commands/plan-command.ts,
 * arrangement-shares.ts): an incident shared automatically or by a standing arrangement, new in this command, and the
 * log line saying so. The operator whose command placed or retyped the incident did not share it; their entries
 * name the system. As `kind:id`.
 */
function madeByServer(changes: AnyRecord[], before: (record: RecordRef) => unknown): Set<string> {
  const made = new Set<string>();
  for (const record of changes) {
    if (record.kind !== 'share' || record.doc.how === 'by_hand' || before(record)) continue;
    made.add(`share:${record.id}`);
    made.add(`logEntry:${derivedId(record.id, 'shared')}`);
  }
  return made;
}

/**
 * What a consultation's answer showed, each record once, leaving out the record consulted itself (its entry is on it
 * already): the rows the storages index in `audit_reveals` for the entry.
 */
export function revealedOnce(recordKind: string, recordId: string, revealed: readonly RecordRef[]): RecordRef[] {
  const seen = new Set([`${recordKind}:${recordId}`]);
  const once: RecordRef[] = [];
  for (const { kind, id } of revealed) {
    const key = `${kind}:${id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    once.push({ kind, id });
  }
  return once;
}

/** A field's value as canonical JSON; a field absent is null (SQL NULL), a field holding null is the text `null`. */
function valueText(value: unknown): string | null {
  return value === undefined ? null : canonicalJson(value);
}

type RecordRef = { kind: string; id: string };

/**
 * The records a change puts together or apart, read from what changed rather than from the command's name, so
 * every command that does it is covered (`contact.attach`, `incident.create` from a call, `incident.link` and
 * `unlink`): a call given an incident (an entry on the call and one on the incident, each naming the other), an
 * incident's related incidents gained or lost (the link commands change both incidents, so each side gets its
 * entry). Each result is [the record the entry is on, what was done, the other record].
 */
function combinations(record: AnyRecord, old: unknown): [RecordRef, 'attach' | 'link' | 'unlink', RecordRef][] {
  const was = (old ?? {}) as Record<string, unknown>;
  const now = record.doc as Record<string, unknown>;
  const self = { kind: record.kind, id: record.id };
  if (record.kind === 'contact' && typeof now.incidentId === 'string' && now.incidentId !== was.incidentId) {
    const incident = { kind: 'incident', id: now.incidentId };
    return [
      [self, 'attach', incident],
      [incident, 'attach', self],
    ];
  }
  if (record.kind === 'incident' && Array.isArray(now.related)) {
    const before = new Set(Array.isArray(was.related) ? (was.related as string[]) : []);
    const after = new Set(now.related as string[]);
    return [
      ...[...after].filter((id) => !before.has(id)).map((id): [RecordRef, 'link', RecordRef] => [self, 'link', { kind: 'incident', id }]),
      ...[...before].filter((id) => !after.has(id)).map((id): [RecordRef, 'unlink', RecordRef] => [self, 'unlink', { kind: 'incident', id }]),
    ];
  }
  return [];
}

/**
 * A share made or revoked is a disclosure to another force (DPA 2018 s.62: with its recipient): one entry on the
 * incident disclosed, so "who has seen this incident" finds it, naming the force it went to, the tier, how it came
 * about and why. Read from the share record's change, so every way of sharing (by hand, automatic, an arrangement)
 * is covered alike.
 */
function disclosures(record: AnyRecord, old: unknown): [RecordRef, Record<string, unknown>][] {
  if (record.kind !== 'share') return [];
  const share = record.doc;
  const was = old as { revoked?: unknown; tier?: unknown } | undefined | null;
  const what = { recipient: share.sharedWith, tier: share.tier, how: share.how, share: share.id };
  const incident = { kind: 'incident', id: share.incidentId };
  // Made, given again after a revocation, or its tier changed: each a disclosure at the tier it now has.
  if (share.revoked === null && (!was || was.revoked || was.tier !== share.tier)) return [[incident, { action: 'share', ...what, reason: share.reason }]];
  if (share.revoked !== null && !was?.revoked) return [[incident, { action: 'revoke', ...what, reason: share.revoked.reason }]];
  return [];
}

/**
 * What a collection entry says was collected, beyond the record's kind: for a log entry, the kind of line (a note
 * typed, or a line the console wrote of an event) and how it came (a unit's terminal or the switch, written on paper
 * and entered afterwards), never its text; null for the other kinds, whose kind says it. Sealed like any value, so an
 * erased line's entry says only that a log entry was made.
 */
function collected(record: AnyRecord, before: (record: RecordRef) => unknown): string | null {
  if (record.kind !== 'logEntry') return null;
  const line = record.doc;
  // A line written once the incident was closed (a result, a note for the record): a change to a closed incident,
  // which its auditor may be asked about, so the entry says so.
  const closed = (before({ kind: 'incident', id: line.incidentId }) as { status?: unknown } | null | undefined)?.status === 'closed';
  return canonicalJson({ line: line.kind, ...(line.relay ? { relay: line.relay.kind } : {}), ...(line.backEntered ? { backEntered: true } : {}), ...(closed ? { afterClosure: true } : {}) });
}
