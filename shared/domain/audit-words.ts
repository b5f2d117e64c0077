import { commandWords } from '../commands/command-words';
import { recordKinds } from './records';
import type { WallClock } from './wall-clock';

/**
 * How the audit log is put into words for the people who read it (the audit window, an exported file): what each
 * kind of entry says was done, what each kind of record is called, what each command that writes entries did. The
 * log itself keeps the codes (`alteration`, `logEntry`, `incident.update`); every code it can hold has words here,
 * and a unit test walks them all, so a kind added without words fails it.
 */

/**
 * Every kind of entry the audit log holds (server/audit/audit-chain.ts drafts them): a record created, a field of one
 * changed, an operator signed in (online or at a workstation that could not reach the server), a record looked at
 * (the audit log itself included), what a desk proposed or an operator chose before saving, two records put together
 * (a call attached to an incident, incidents linked or unlinked), a record disclosed (a share, a loan's or a
 * transfer's summary, an arrangement, an export of the audit log), a record erased (its personal data removed), and
 * what happens to accounts and workstations outside any command (server/audit/access-audit.ts): a password checked
 * by the server and the ticket it gave, a workstation enrolled or refused enrolment, a request refused at the device
 * check (a revoked workstation, a device token the server does not know).
 */
export const AUDIT_KINDS = [
  'collection',
  'alteration',
  'sign-in',
  'sign-out',
  'consultation',
  'moment',
  'combination',
  'disclosure',
  'erasure',
  'sign-in-failure',
  'lockout',
  'unlock',
  'password-set',
  'revocation',
  'ticket-issued',
  'enrolment',
  'enrolment-refused',
  'access-refused',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** What an entry of each kind says was done, as the answer's "What" column reads. */
export const AUDIT_KIND_WORDS: Record<AuditKind, string> = {
  collection: 'created',
  alteration: 'changed',
  'sign-in': 'signed in',
  'sign-out': 'signed out',
  consultation: 'looked at',
  moment: 'proposed or chose at the desk',
  combination: 'combined',
  disclosure: 'disclosed',
  erasure: 'erased',
  'sign-in-failure': 'failed to sign in',
  lockout: 'account locked out',
  unlock: 'account unlocked',
  'password-set': 'password set',
  revocation: 'revoked',
  'ticket-issued': 'password checked by the server',
  enrolment: 'workstation enrolled',
  'enrolment-refused': 'enrolment refused',
  'access-refused': 'access refused',
};

/**
 * A sign-in in words, by who checked the password: the server's own entry when it checked it and gave a ticket
 * (`ticket-issued`), and the workstation's (`operator.signedIn`, a `sign-in` entry at the workstation's time), online
 * or offline. An online sign-in has both, and they read as two halves of one act, not two sign-ins.
 */
export const SIGN_IN_WORDS = {
  /** The server's entry; the ticket's expiry follows, on the force's clock. */
  ticketIssued: 'password checked by the server, ticket issued until',
  /** The workstation's entry of a sign-in whose password the server checked. */
  online: 'signed in at the workstation (password checked by the server)',
  /** The workstation's entry of a sign-in made while the server was out of reach. */
  offline: 'signed in at the workstation while the server was out of reach (password checked against its own copy)',
} as const;

/**
 * Why the server refused a request at the device check, an enrolment, or an operator's request to ask or act, in words (server/access/refusal-tally.ts
 * writes the codes).
 */
export const ACCESS_REFUSAL_WORDS: Record<string, string> = {
  revoked: 'the workstation’s access was withdrawn',
  'unknown token': 'a device token this server does not know',
  'malformed token': 'a malformed device token',
  'no token': 'no device token',
  'wrong key': 'wrong enrolment key',
  'name taken': 'the workstation name is taken',
  'reserved client id': 'a client id reserved for the server',
  'another force': 'the workstation is enrolled for another force',
  'force not served': 'a force this server does not serve',
  malformed: 'a malformed request',
  // Entries written before a ticket's refusal said its cause carry this one for all of them.
  'sign-in not good': 'the operator’s sign-in was not good (expired, revoked or not this server’s)',
  'account deactivated': 'the operator’s account had been deactivated',
  'tickets revoked': 'the operator’s sign-in tickets had been revoked by an administrator',
  'sign-in expired': 'the operator’s sign-in had expired',
  'not active': 'the account is not active',
  role: 'the operator’s roles do not allow it',
  'operator of another force': 'the operator is of another force than the workstation',
  'as another workstation': 'a workstation asking as another',
  'wrong server mode': 'a live workstation at a training server, or a training one at a live server',
};

/** A refusal's code in words; the code itself for one without. */
export function accessRefusalWords(code: string): string {
  return ACCESS_REFUSAL_WORDS[code] ?? code;
}

/** The record kind of the entries that say the audit log itself was looked at or exported. */
export const AUDIT_LOG_RECORD = 'audit-log';

/**
 * What each kind of record an entry can be about is called: every replicated record (shared/domain/records.ts), what
 * a consultation can be of besides an incident (a caller's history by number, a place's, a search), an account's
 * entries' workstation, and the audit log itself.
 */
export const RECORD_KIND_WORDS: Record<string, string> = {
  incident: 'incident',
  logEntry: 'log entry',
  unit: 'unit',
  assignment: 'deployment',
  conflict: 'conflict',
  operator: 'operator',
  contact: 'call',
  task: 'call-back',
  marker: 'warning marker',
  refusal: 'refused command',
  loan: 'unit loan',
  share: 'share',
  arrangement: 'sharing arrangement',
  transfer: 'offer of an incident',
  caller: 'caller’s history',
  location: 'place’s history',
  search: 'search',
  workstation: 'workstation',
  [AUDIT_LOG_RECORD]: 'the audit log',
};

/** The kinds of record an entry can be about, for the test that each has words (see RECORD_KIND_WORDS). */
export const AUDITED_RECORD_KINDS: readonly string[] = [...recordKinds, 'caller', 'location', 'search', 'workstation', AUDIT_LOG_RECORD];

/**
 * The commands the server writes entries under that no workstation sends (server/audit/*.ts, server/access/*.ts),
 * in the words of commandWords ("ask the audit log"); the workstations' commands have theirs there.
 */
export const SERVER_COMMAND_WORDS: Record<string, string> = {
  'audit.query': 'ask the audit log',
  'audit.export': 'export an answer from the audit log',
  'records.erase': 'erase a record',
  'access.signIn': 'sign in',
  'access.admin': 'administer an account',
  'access.deactivate': 'deactivate an account',
  'access.revoke': 'revoke sign-in tickets or a workstation',
  'access.unlock': 'lift a lockout from the server’s machine',
  'access.enrol': 'enrol a workstation',
  'access.device': 'reach the server with a workstation’s device token',
  'access.ask': 'ask the server or act as an operator (audit log, measures, administration, review)',
};

/** A command an entry was written under, in words ("change an incident’s grade"); its name if it has none. */
export function auditCommandWords(name: string): string {
  return SERVER_COMMAND_WORDS[name] ?? commandWords(name);
}

/** An entry's kind in words; the code itself for one without (an entry written by a newer server). */
export function auditKindWords(kind: string): string {
  return (AUDIT_KIND_WORDS as Record<string, string>)[kind] ?? kind;
}

/** A record kind in words ("log entry"); the code itself for one without. */
export function recordKindWords(kind: string): string {
  return RECORD_KIND_WORDS[kind] ?? kind;
}

/**
 * The channels a consultation is recorded from, in words: how the record was looked at. The audit log's own
 * questions are consultations of it too.
 */
export const CONSULTATION_CHANNEL_WORDS: Record<string, string> = {
  'incidents.get': 'opened its detail',
  'incidents.find': 'found by a search by reference',
  'history.lookup': 'in a caller’s or a place’s history',
  'audit.query': 'a question to the audit log',
};

/**
 * Fields every record carries for the system's own bookkeeping (a version bumped by every change, the time of the last
 * change), which change with every command and say nothing a person needs: answers leave their alterations out. The
 * log keeps them, and an exported file has every entry.
 */
export const BOOKKEEPING_FIELDS: ReadonlySet<string> = new Set(['version', 'updatedAt']);

/** Whether an entry is an alteration of a bookkeeping field only (see BOOKKEEPING_FIELDS). */
export function isBookkeeping(entry: { kind: string; field: string | null }): boolean {
  return entry.kind === 'alteration' && entry.field !== null && BOOKKEEPING_FIELDS.has(entry.field);
}

/** A question as audit-protocol.ts asks it, as far as naming a record needs. */
type Asked = { about: string; reference?: string };

/**
 * The record an entry is about, for a reader: its name from the answer's labels (an incident's reference, a log
 * entry's incident: server/audit/audit-labels.ts), the reference asked about for the incident it found (even erased,
 * when the server has no document left to name it from), else its kind in words and its id.
 */
export function auditRecordWords(
  entry: { recordKind: string; recordId: string },
  labels: Readonly<Record<string, string>>,
  asked?: Asked,
  found: readonly { recordKind: string; recordId: string }[] = [],
): string {
  const label = labels[`${entry.recordKind}:${entry.recordId}`];
  if (label) return label;
  if (asked?.about === 'reference' && asked.reference && found.some((r) => r.recordKind === entry.recordKind && r.recordId === entry.recordId)) return `incident ${asked.reference}`;
  if (entry.recordKind === AUDIT_LOG_RECORD) return RECORD_KIND_WORDS[AUDIT_LOG_RECORD]!;
  return `${recordKindWords(entry.recordKind)} ${entry.recordId}`;
}

/** Fields of a record's document that hold another record's id, and that record's kind: an alteration names it in words. */
export const ID_FIELDS: Readonly<Record<string, string>> = {
  incidentId: 'incident',
  contactId: 'contact',
  assignmentId: 'assignment',
  shareId: 'share',
  loanId: 'loan',
  transferId: 'transfer',
  // An incident's related incidents (incident.link): a list of their ids.
  related: 'incident',
  otherId: 'incident',
};

/** A record's id as the system mints them (a UUID): never shown to a reader as it is. */
export const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The records a value of an alteration names by id, each with its kind as far as the field's name says it
 * (ID_FIELDS, at any depth: a call-back's `calls[].contactId`; a `{kind, id}` pair such as a conflict's target);
 * `null` for an id whose kind nothing says. For the answer's labels (server/audit/audit-labels.ts) to name them.
 */
export function idsInValue(value: unknown, field: string | null): { recordKind: string | null; recordId: string }[] {
  const found: { recordKind: string | null; recordId: string }[] = [];
  const walk = (item: unknown, key: string | null): void => {
    if (typeof item === 'string') {
      if (RECORD_ID.test(item)) found.push({ recordKind: (key && ID_FIELDS[key]) ?? null, recordId: item });
    } else if (Array.isArray(item)) {
      for (const each of item) walk(each, key);
    } else if (item !== null && typeof item === 'object') {
      const object = item as Record<string, unknown>;
      if (typeof object.kind === 'string' && typeof object.id === 'string' && RECORD_ID.test(object.id)) found.push({ recordKind: object.kind, recordId: object.id });
      for (const [name, each] of Object.entries(object)) if (!(name === 'id' && typeof object.kind === 'string')) walk(each, name);
    }
  };
  walk(value, field);
  return found;
}

/** An instant as the audit log keeps them (ISO-8601 UTC). */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/;

/** What the words for an alteration's value are read with: the force's clock, and the answer's names of records. */
export interface ValueContext {
  wall: WallClock;
  /** The answer's names of records by `kind:id` (server/audit/audit-labels.ts). */
  labels: Readonly<Record<string, string>>;
  /** The force's names of its codes, by field (codeNamesOf): a grade, an incident type, a closing code. */
  names?: CodeNames;
}

/** The force's names of the codes a record's fields hold, by field name, then by code: `grade` → `1` → "Emergency (1)". */
export type CodeNames = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * The names of the codes in the force's configuration (its grades, incident types, closing codes), by the fields
 * that hold them, each as "name (code)": a reader knows "Emergency", an analyst matching a file to the log the code.
 */
export function codeNamesOf(config: { grades: readonly { code: string; name: string }[]; incidentTypes: readonly { code: string; name: string }[]; closingCodes: readonly { code: string; name: string }[] }): CodeNames {
  const named = (codes: readonly { code: string; name: string }[]) => Object.fromEntries(codes.map(({ code, name }) => [code, name === code ? code : `${name} (${code})`]));
  const grades = named(config.grades);
  const types = named(config.incidentTypes);
  return { grade: grades, defaultGrade: grades, type: types, incidentType: types, closingCode: named(config.closingCodes) };
}

/**
 * A value of an alteration (canonical JSON, as the log keeps it) in words, for the audit window and the exported
 * file alike: never JSON, never a record's id. Nothing (null, an empty list or map) is "(none)"; an instant is on the
 * force's clock; a code is in words (codeWords); another record's id is its name from the answer's labels (an
 * incident's reference), or its kind "not named here" where the answer cannot name it (erased, another force's); a
 * list is its items, comma-separated; a map is each of its fields in words, `field: value`, semicolon-separated (an
 * empty or null field left out). Text that is not JSON is shown as it is.
 */
export function valueWords(json: string | null, field: string | null, context: ValueContext): string {
  if (json === null) return '(none)';
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  return wordsOf(value, field, context, 0);
}

function wordsOf(value: unknown, key: string | null, context: ValueContext, depth: number): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (INSTANT.test(value)) return context.wall.dateTimeZoned(Date.parse(value));
    if (RECORD_ID.test(value)) return recordIdWords(value, (key && ID_FIELDS[key]) ?? null, context.labels);
    const named = key ? context.names?.[key]?.[value] : undefined;
    return named ?? codeWords(value);
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => wordsOf(item, key, context, depth + 1)).filter((words) => words !== '(none)');
    return items.length === 0 ? '(none)' : items.join(', ');
  }
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // A risk assessment as a supervisor reads one: who assessed, when, each answer; not its fields one by one.
    if (key === 'thrive' && Array.isArray(object.answers)) return assessmentWords(object, context);
    // A record named as a pair (a conflict's target): its name.
    if (typeof object.kind === 'string' && typeof object.id === 'string' && Object.keys(object).length === 2) {
      return RECORD_ID.test(object.id) ? recordIdWords(object.id, object.kind, context.labels) : `${recordKindWords(object.kind)} ${object.id}`;
    }
    const parts = Object.entries(object)
      .map(([name, each]) => [name, wordsOf(each, name, context, depth + 1)] as const)
      .filter(([, words]) => words !== '(none)')
      .map(([name, words]) => `${fieldWords(name)}: ${words}`);
    if (parts.length === 0) return '(none)';
    // A map inside another is set apart, so that its fields are not read as its parent's.
    return depth > 0 ? `(${parts.join('; ')})` : parts.join('; ');
  }
  return String(value);
}

/**
 * A risk assessment (THRIVE, shared/domain/thrive.ts) in words: "assessed by carol at 2026-12-01 10:05 GMT:
 * danger-now yes (Knife), injured no", and "; out of date: grade changed to 1" where it is marked stale.
 */
function assessmentWords(assessment: Record<string, unknown>, context: ValueContext): string {
  const answers = (assessment.answers as unknown[])
    .filter((a): a is { questionId: string; answer: string; note?: string } => typeof a === 'object' && a !== null && typeof (a as { questionId?: unknown }).questionId === 'string')
    .map((a) => `${a.questionId} ${a.answer}${a.note ? ` (${a.note})` : ''}`);
  const at = typeof assessment.assessedAt === 'string' && INSTANT.test(assessment.assessedAt) ? ` at ${context.wall.dateTimeZoned(Date.parse(assessment.assessedAt))}` : '';
  const by = typeof assessment.assessedBy === 'string' ? ` by ${assessment.assessedBy}` : '';
  const stale = assessment.stale === true ? `; out of date${typeof assessment.staleBecause === 'string' && assessment.staleBecause ? `: ${assessment.staleBecause}` : ''}` : '';
  return `assessed${by}${at}: ${answers.length > 0 ? answers.join(', ') : 'no answers'}${stale}`;
}

/**
 * A change to a risk assessment that only marks it out of date (a grade, type or place changed since; the incident
 * reopened), in words: the assessment is the same one, so it is not said twice. Null for any other change.
 */
export function assessmentMarkedWords(beforeJson: string | null, afterJson: string | null): string | null {
  try {
    const [before, after] = [JSON.parse(beforeJson ?? 'null'), JSON.parse(afterJson ?? 'null')] as (Record<string, unknown> | null)[];
    if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return null;
    const same = (key: string) => JSON.stringify(before[key]) === JSON.stringify(after[key]);
    if (!same('answers') || !same('assessedAt') || !same('assessedBy')) return null;
    if (after.stale === true) return `marked out of date${typeof after.staleBecause === 'string' && after.staleBecause ? ` (${after.staleBecause})` : ''}`;
    return 'marked current';
  } catch {
    return null;
  }
}

/** Another record's id in words: its name in the answer's labels, else its kind (or "a record") not named here. */
function recordIdWords(id: string, kind: string | null, labels: Readonly<Record<string, string>>): string {
  const named = kind ? labels[`${kind}:${id}`] : Object.entries(labels).find(([key]) => key.endsWith(`:${id}`))?.[1];
  if (named) return named;
  const what = kind ? recordKindWords(kind) : 'record';
  return `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} not named here`;
}

/**
 * The words for the fields of records that an alteration names, where the field's own name is not a word a reader
 * would use; any other is split where its name is ("closedAt" → "closed at").
 */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  incidentId: 'incident',
  contactId: 'call',
  unitId: 'unit',
  callerName: 'caller’s name',
  callerNumber: 'caller’s number',
  thrive: 'risk assessment (THRIVE)',
  assignedBy: 'deployed by',
  answeredBy: 'answered by',
  createdBy: 'created by',
  closingCode: 'closing code',
  sharedWith: 'shared with',
  how: 'how',
};

/** A record's field in words, for an alteration ("caller’s name", "closed at"). */
export function fieldWords(field: string): string {
  return FIELD_WORDS[field] ?? field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

/**
 * A code among a record's values in words: `by_hand` → "by hand", `at_scene` → "at scene". Only codes (lower case
 * letters and underscores) are changed, never free text.
 */
export function codeWords(value: string): string {
  return /^[a-z]+(_[a-z]+)+$/.test(value) ? value.replace(/_/g, ' ') : value;
}
