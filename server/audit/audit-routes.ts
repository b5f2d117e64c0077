import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { describeIssues } from '../../shared/validation';
import type { Role } from '../../shared/domain/operator';
import {
  AUDIT_EXPORT_MAX,
  AuditExportRequest,
  AuditQueryRequest,
  type AuditEntryView,
  type AuditExportResponse,
  type AuditQueryResponse,
  type AuditQuestion,
  type AuditSubject,
} from '../../shared/sync/audit-protocol';
import { auditEntryClock, CLOCK_SKEW_MS } from '../../shared/domain/audit-clock';
import { HttpError } from '../http/read-body';
import { admitAsker } from '../access/check-asker';
import { rulesOfForce, type ServerRules } from '../commands/plan-command';
import { consultationThenReads, everHeld } from '../commands/consultation-check';
import type { StateView } from '../../shared/commands/types';
import type { AuditPosition, AuditSelection, EnrolledDevice, ServerStorage } from '../storage/storage';
import type { RecordKey } from '../../shared/domain/records';
import { canonicalJson, type AuditDraft, type AuditEntry, type AuditKind } from './audit-chain';
import { auditCsv, auditFileName } from './audit-csv';
import { AUDIT_LOG_RECORD, operatorSubject, recordLabels, recordSubject } from './audit-labels';
import { consultationHow } from './audit-how';
import { FIRST_FORCE, type ForceCode } from '../../shared/domain/force';
import { auditRecordWords, codeNamesOf } from '../../shared/domain/audit-words';

/** Who may put questions to the audit log. An auditor may do nothing else; a supervisor may do this too. */
export const AUDIT_READERS: readonly Role[] = ['auditor', 'supervisor'];

export { AUDIT_LOG_RECORD };

export interface AuditRouteDeps {
  storage: ServerStorage;
  rules: ServerRules;
  log: Logger;
  /** The enrolled workstation asking, for its operator. */
  device: EnrolledDevice;
  ticketSecret: string;
}

/**
 * One page of the answer to an auditor's question (shared/sync/audit-protocol.ts). The question is written to the
 * audit log as a `consultation` of the `audit-log` before any of the answer is read, so nobody sees the log without
 * leaving a trace in it. Refusals: 403 for a ticket that is not good or an operator who is neither a supervisor nor
 * an auditor, before the question is read; then 400 for a malformed question or cursor; nothing is written for a refusal.
 */
export async function handleAuditQuery(body: unknown, deps: AuditRouteDeps): Promise<AuditQueryResponse> {
  await checkReader(body, 'audit query', deps);
  const parsed = AuditQueryRequest.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `audit query: ${describeIssues(parsed.error)}`);
  const request = parsed.data;
  const after = request.cursor === null ? null : readCursor(request.cursor);
  const { selection, records } = await resolve(request.question, deps.storage, askingForce(deps.device), deps.rules);
  await deps.storage.appendAuditEntries([
    draft(request, deps, 'consultation', 'audit.query', subjectOf(request.question, records), { question: request.question, reason: request.reason, limit: request.limit, cursor: request.cursor }),
  ]);
  const subject = await aboutAsKnown(request.question, records, deps.storage, askingForce(deps.device));
  if (!selection) return { entries: [], nextCursor: null, records, labels: {}, ...(subject ? { subject } : {}) };
  const found = await deps.storage.findAudit(selection, after, request.limit + 1);
  const page = found.slice(0, request.limit);
  const last = page.at(-1);
  const labels = await recordLabels(page, deps.storage, askingForce(deps.device));
  const views = await viewsOf(page, deps.storage, askingForce(deps.device));
  return { entries: views, nextCursor: found.length > request.limit && last ? writeCursor(last) : null, records, labels, ...(subject ? { subject } : {}) };
}

/**
 * The whole answer to a question as a CSV file (server/audit/audit-csv.ts), written to the audit log as a
 * `disclosure` of the `audit-log`: the recipient is the operator who asked for the file (it leaves the system with
 * them), with the purpose they gave, the number of entries and the file's SHA-256, so the file disclosed can be
 * recognised later. More than AUDIT_EXPORT_MAX entries is refused (413) with the advice to narrow the question.
 */
export async function handleAuditExport(body: unknown, deps: AuditRouteDeps): Promise<AuditExportResponse> {
  await checkReader(body, 'audit export', deps);
  const parsed = AuditExportRequest.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `audit export: ${describeIssues(parsed.error)}`);
  const request = parsed.data;
  const { selection, records } = await resolve(request.question, deps.storage, askingForce(deps.device), deps.rules);
  const entries: AuditEntry[] = [];
  let after: AuditPosition | null = null;
  while (selection) {
    const page = await deps.storage.findAudit(selection, after, 5000);
    entries.push(...page);
    if (entries.length > AUDIT_EXPORT_MAX) throw new HttpError(413, `the answer has more than ${AUDIT_EXPORT_MAX} entries, too many for one file: ask about a shorter span`);
    const last = page.at(-1);
    if (page.length < 5000 || !last) break;
    after = last;
  }
  const training = deps.rules.training === true;
  // Each record by its name, as the window shows it (the same labels, read once per record however long the file).
  const labels = await recordLabels(entries, deps.storage, askingForce(deps.device));
  const recordName = (entry: AuditEntryView) => auditRecordWords(entry, labels, request.question, records);
  const csv = auditCsv(await viewsOf(entries, deps.storage, askingForce(deps.device)), deps.rules.config.force.timeZone, { training, recordName, labels, names: codeNamesOf(deps.rules.config) });
  const subject = subjectOf(request.question, records);
  // Named as people know what it is about (an incident by its reference, not its id), as the window heads it.
  const fileName = uniqueFileName(deps.storage, auditFileName(fileSubject(request.question, subject, await aboutAsKnown(request.question, records, deps.storage, askingForce(deps.device))), new Date(deps.rules.now()).toISOString(), training));
  const sha256 = createHash('sha256').update(csv, 'utf8').digest('hex');
  await deps.storage.appendAuditEntries([
    draft(request, deps, 'disclosure', 'audit.export', subject, { question: request.question, recipient: request.operator, purpose: request.purpose, rows: entries.length, fileName, sha256 }),
  ]);
  deps.log.info({ operator: request.operator, workstation: deps.device.workstation, rows: entries.length, subject }, 'audit log exported');
  return { fileName, csv, rows: entries.length };
}

/** The file names this server has given its exports, by storage: so no two are named alike (uniqueFileName). */
const namesGiven = new WeakMap<ServerStorage, Set<string>>();

/**
 * `name`, or, where this server has given it already, the same with "-2", "-3" … before its ".csv": an export is
 * named by its subject and the server's time to the millisecond, and a training server's clock can stand still
 * (the exercise paused), so two exports of one answer would otherwise share a name and the second overwrite the first
 * in the downloads folder. A live server's clock moves, so its names are unique however many servers share the log.
 */
function uniqueFileName(storage: ServerStorage, name: string): string {
  const given = namesGiven.get(storage) ?? new Set<string>();
  namesGiven.set(storage, given);
  let unique = name;
  for (let n = 2; given.has(unique); n++) unique = name.replace(/\.csv$/, `-${n}.csv`);
  given.add(unique);
  return unique;
}

/**
 * The ticket must be good for this operator at this workstation now, and the operator an active supervisor or
 * auditor: checked before the rest of the request is read (admitAsker), so anyone else is refused as such.
 */
async function checkReader(body: unknown, what: string, deps: AuditRouteDeps): Promise<void> {
  await admitAsker(body, what, { ...deps, now: deps.rules.now() }, AUDIT_READERS, 'may not look at the audit log: only a supervisor or an auditor may');
}

/**
 * The force whose log the workstation may read: its own (DPA 2018 s.62: one force's supervisors and auditors see
 * nothing of who looked at or changed another's records). A workstation of no force may read none.
 */
function askingForce(device: EnrolledDevice): ForceCode {
  if (device.force === null) throw new HttpError(403, 'this workstation belongs to no force, so it may read no audit log: enrol it again for its force');
  return device.force;
}

/**
 * The storage's question, limited to the asking force's entries, and for a reference the force's incidents it names
 * (none: nothing to read). A question about an incident, by id or by reference, is about the incident and its records
 * (incidentSelection), before its erasure and after it alike.
 */
async function resolve(question: AuditQuestion, storage: ServerStorage, force: ForceCode, rules: ServerRules): Promise<{ selection: AuditSelection | null; records: { recordKind: string; recordId: string }[] }> {
  switch (question.about) {
    case 'record':
      return {
        selection: question.recordKind === 'incident' ? await incidentSelection(question.recordId, storage, force) : { about: 'record', recordKind: question.recordKind, recordId: question.recordId, force },
        records: [{ recordKind: question.recordKind, recordId: question.recordId }],
      };
    case 'reference': {
      // Standing incidents' references, and erased ones' (kept by the erasure: their records name nothing any more).
      const found = await incidentsAskedAbout(question.reference, storage, force, rules);
      const records = found.map(({ id }) => ({ recordKind: 'incident', recordId: id }));
      // References are unique by construction (server/access/reference-generations.ts); the first stands for all.
      const first = found[0];
      if (!first) return { selection: null, records };
      return { selection: first.records ? { about: 'records', records: first.records, force } : await incidentSelection(first.id, storage, force), records };
    }
    case 'operator':
      // Written as the log writes them (toISOString), so text order is time order at the span's ends.
      return { selection: { about: 'operator', operator: question.operator, from: new Date(question.from).toISOString(), to: new Date(question.to).toISOString(), force }, records: [] };
    case 'disclosures':
      return { selection: { about: 'disclosures', force, otherForcesOnly: question.to === 'other-forces' }, records: [] };
  }
}

/**
 * The incidents a question by reference is about, for the asking force: its own incidents with that reference; else
 * another force's (one shared with it, say) about which the asking force's own log holds something (its people
 * opened it, or a search or history of theirs showed it), so an auditor asks by the reference their people saw and
 * hears of their own force's looks only (the selection is the asking force's log). Another force's incident the
 * asking force's log says nothing of is not found: its id is not the asking force's to learn. Each found incident
 * comes with its audit records when they were read here (another force's), so that they are not read again.
 */
async function incidentsAskedAbout(reference: string, storage: ServerStorage, force: ForceCode, rules: ServerRules): Promise<{ id: string; records?: RecordKey[] }[]> {
  const found = await storage.incidentsWithReference(reference);
  const own = found.filter((incident) => (incident.force ?? FIRST_FORCE) === force).map((incident) => ({ id: incident.id }));
  if (own.length > 0) return own;
  const seen: { id: string; records: RecordKey[] }[] = [];
  for (const incident of found) {
    // One the asking force never held is not found, whatever its log says: a look at its id may have been written by
    // a crafted push (taken as a look at an unknown record: server/commands/consultation-check.ts), and answering
    // would tell the asker that the reference is that id's.
    // Read once: what shows whether it was lent for or offered to this force, and what the question then selects.
    const records = await storage.auditRecordsOfIncident(incident.id, force);
    if (!(await everHeldBy(incident.id, records, force, storage, rules))) continue;
    if ((await storage.findAudit({ about: 'records', records, force }, null, 1)).length > 0) seen.push({ id: incident.id, records: [...records] });
  }
  return seen;
}

/**
 * Whether `force` ever held another force's incident (consultation-check.ts, everHeld), from the storage's records;
 * `records`: the incident's audit records (ServerStorage.auditRecordsOfIncident), among them its loans and offers.
 */
async function everHeldBy(incidentId: string, records: readonly RecordKey[], force: ForceCode, storage: ServerStorage, rules: ServerRules): Promise<boolean> {
  const asker = rulesOfForce(rules, force);
  const incident = await storage.record({ kind: 'incident', id: incidentId });
  // Erased: held if the erasure wrote its entries in this force's log too (server/audit/erasure-audit.ts
  // othersHolding: a share, loan or offer named it, or its people wrote on the incident); a look alone, which a
  // crafted push can write, is not holding, and the reference is not this force's to learn.
  if (incident === null) return (await storage.erasureOf({ kind: 'incident', id: incidentId }, force)) !== null;
  if (!asker || incident === undefined) return true;
  const docs = new Map<string, unknown>([[`incident:${incidentId}`, incident]]);
  const state: StateView = { get: (kind, id) => docs.get(`${kind}:${id}`) as never };
  for (const key of consultationThenReads([{ kind: 'incident', id: incidentId }], state, asker)) docs.set(`${key.kind}:${key.id}`, (await storage.record(key)) ?? undefined);
  if (everHeld({ kind: 'incident', id: incidentId }, incident as { incidentId?: unknown }, force, state, asker)) return true;
  // Asked to lend a unit for it, or offered it: the force's dispatcher was shown its reference with the request.
  for (const key of records) {
    if (key.kind !== 'loan' && key.kind !== 'transfer') continue;
    const doc = (await storage.record(key)) as { lender?: unknown; to?: unknown } | null | undefined;
    if (doc?.lender === force || doc?.to === force) return true;
  }
  return false;
}

/**
 * "Who looked at or changed this incident": the entries about the incident and about the records that belong to it
 * (a log line added or a unit deployed changes the incident; a call attached is part of it). While it stands, those
 * its records name; once erased, those its erasure entry names (erased with it), since the withdrawn records name
 * nothing: the same records either way, so the erasure takes nothing out of the answer but the values.
 */
async function incidentSelection(incidentId: string, storage: ServerStorage, force: ForceCode): Promise<AuditSelection> {
  return { about: 'records', records: await storage.auditRecordsOfIncident(incidentId, force), force };
}

/** What a question was about, as its own entry's record id: the record, the operator, or all disclosures. */
function subjectOf(question: AuditQuestion, records: { recordKind: string; recordId: string }[]): string {
  switch (question.about) {
    case 'record':
      return `${question.recordKind}:${question.recordId}`;
    case 'reference':
      return records[0] ? `incident:${records[0].recordId}` : `reference:${question.reference}`;
    case 'operator':
      return `operator:${question.operator}`;
    case 'disclosures':
      return question.to === 'other-forces' ? 'disclosures-to-other-forces' : 'disclosures';
  }
}

/**
 * What a question is about as people know it (shared/sync/audit-protocol.ts, AuditSubject), for the heading of its
 * answer and its file's name: the incident or record asked about (by id, or the incident a reference found) by its
 * name, or who erased it and when; the operator by their display name. Null when the question's words say it all.
 */
async function aboutAsKnown(question: AuditQuestion, records: { recordKind: string; recordId: string }[], storage: ServerStorage, force: ForceCode): Promise<AuditSubject | null> {
  switch (question.about) {
    case 'record':
      return recordSubject(question.recordKind, question.recordId, storage, force);
    case 'reference':
      return records[0] ? recordSubject(records[0].recordKind, records[0].recordId, storage, force) : null;
    case 'operator':
      return operatorSubject(question.operator, storage, force);
    case 'disclosures':
      return null;
  }
}

/**
 * A file's subject for its name: a record by its name where it has one ("incident DMO-2026-000123", "-erased" once
 * erased), else as the question's own entry names it (`incident:<id>`, `operator:alice`, `disclosures`).
 */
function fileSubject(question: AuditQuestion, recorded: string, subject: AuditSubject | null): string {
  if (question.about === 'operator' || question.about === 'disclosures') return recorded;
  const name = subject?.name ?? (question.about === 'reference' ? `incident ${question.reference}` : recorded);
  return subject?.erased ? `${name} erased` : name;
}

/**
 * Entries as an answer shows them (view), each with its clock mark (shared/domain/audit-clock.ts): the two times
 * compared, and the workstation's time with the operator's first ticket at that workstation, read once for each
 * operator and workstation on the page.
 */
async function viewsOf(entries: readonly AuditEntry[], storage: ServerStorage, force: ForceCode): Promise<AuditEntryView[]> {
  const tickets = new Map<string, Promise<string | null>>();
  const firstTicket = (entry: AuditEntry): Promise<string | null> => {
    const key = JSON.stringify([entry.operator, entry.clientId]);
    let found = tickets.get(key);
    if (!found) tickets.set(key, (found = storage.firstTicketAt(entry.operator, entry.clientId, force)));
    return found;
  };
  return Promise.all(
    entries.map(async (entry) => {
      const shown = view(entry);
      // Only an entry whose two times differ needs the ticket's: within the skew nothing is marked either way.
      if (Math.abs(Date.parse(entry.issuedAt) - Date.parse(entry.recordedAt)) <= CLOCK_SKEW_MS) return shown;
      const clock = auditEntryClock(entry, await firstTicket(entry));
      return clock ? { ...shown, clock } : shown;
    }),
  );
}

function draft(request: { operator: string; issuedAt: string }, deps: AuditRouteDeps, kind: AuditKind, command: string, recordId: string, after: unknown): AuditDraft {
  return {
    recordedAt: new Date(deps.rules.now()).toISOString(),
    issuedAt: request.issuedAt,
    operator: request.operator,
    workstation: deps.device.workstation,
    clientId: deps.device.clientId,
    force: deps.device.force,
    commandId: randomUUID(),
    command,
    kind,
    recordKind: AUDIT_LOG_RECORD,
    recordId,
    field: null,
    before: null,
    after: canonicalJson(after),
  };
}

function view(entry: AuditEntry): AuditEntryView {
  const { seq, recordedAt, issuedAt, operator, workstation, force, command, kind, recordKind, recordId, field, before, after } = entry;
  const how = consultationHow(entry);
  return { seq, recordedAt, issuedAt, operator, workstation, force, command, kind, recordKind, recordId, field, before, after, ...(entry.valuesErased ? { valuesErased: true } : {}), ...(how ? { how } : {}) };
}

/** A page's end as an opaque token: its last entry's seq and issue time, base64url JSON. */
function writeCursor(entry: AuditPosition): string {
  return Buffer.from(JSON.stringify([entry.seq, entry.issuedAt])).toString('base64url');
}

function readCursor(cursor: string): AuditPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 2 || !Number.isSafeInteger(value[0]) || (value[0] as number) < 1 || typeof value[1] !== 'string') {
    throw new HttpError(400, 'audit query: cursor: not one this server gave; ask again from the first page');
  }
  return { seq: value[0] as number, issuedAt: value[1] as string };
}
