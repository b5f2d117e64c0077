import type { AuditEntryView, AuditQuestion, AuditSubject } from '../sync/audit-protocol';
import type { WallClock } from './wall-clock';
import { signOutWords } from '../commands/operator-signed-out';
import { accessRefusalWords, assessmentMarkedWords, auditCommandWords, auditKindWords, auditRecordWords, codeWords, CONSULTATION_CHANNEL_WORDS, fieldWords, isBookkeeping, recordKindWords, SIGN_IN_WORDS, valueWords, type CodeNames } from './audit-words';

export { isBookkeeping };

/** Commands whose entry's kind says all there is (a look, a moment, a sign-in): their name adds nothing. */
const SAID_BY_KIND = new Set(['record.consulted', 'moment.recorded', 'operator.signedIn', 'operator.signedOut', 'operator.signInRefused', 'access.signIn', 'access.enrol', 'access.device']);

/** What an entry says was done, in words: its kind, and the command that did it ("changed: change an incident’s grade"). */
export function whatWords(entry: Pick<AuditEntryView, 'kind' | 'command'>): string {
  const kind = auditKindWords(entry.kind);
  return SAID_BY_KIND.has(entry.command) ? kind : `${kind}: ${auditCommandWords(entry.command)}`;
}

/** An incident id as the system mints them (a UUID): what the reference field takes besides a reference. */
const INCIDENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The question the incident field asks: by the incident's id when it holds one (an auditor may have only the id,
 * from an export or another entry), else by its reference. Null for nothing typed.
 */
export function incidentQuestion(typed: string): AuditQuestion | null {
  const text = typed.trim();
  if (!text) return null;
  return INCIDENT_ID.test(text) ? { about: 'record', recordKind: 'incident', recordId: text.toLowerCase() } : { about: 'reference', reference: text };
}

/**
 * The record an entry is about, for a reader: its name from the answer's labels (an incident's reference, a log
 * entry's incident), the reference asked about for the incident it found (even erased, when the server has no
 * document left to name it from), else its kind in words and id (shared/domain/audit-words.ts).
 */
export function recordWords(entry: Pick<AuditEntryView, 'recordKind' | 'recordId'>, labels: Readonly<Record<string, string>>, asked: AuditQuestion, found: readonly { recordKind: string; recordId: string }[]): string {
  return auditRecordWords(entry, labels, asked, found);
}

/**
 * An entry's detail, in words, never JSON: a change as field: before → after; a look as the reason given (what the
 * question asks first: why), then how it was looked at; a combination as what it was put with, by its name where the
 * answer's `labels` give one; a desk's moment as what was proposed or chosen; a disclosure as to whom, what and why;
 * an erasure as who erased it, why, and what went with it; an account's entry as what happened to it. Anything
 * else as what it carries, key by key.
 */
export function entryDetail(entry: AuditEntryView, wall: WallClock, labels: Readonly<Record<string, string>> = {}, names?: CodeNames): string {
  if (entry.kind === 'collection') return collectionWords(entry);
  // The field in words after an erasure too ("closing code", never `closingCode`).
  if (entry.valuesErased) return entry.field ? `${fieldWords(entry.field)}: values erased with the record` : 'values erased with the record';
  if (entry.kind === 'alteration') {
    // The field in words, and each value in words (shared/domain/audit-words.ts): another record by its name.
    const value = (json: string | null) => valueWords(json, entry.field, { wall, labels, ...(names ? { names } : {}) });
    const field = entry.field ? fieldWords(entry.field) : '';
    // A risk assessment only marked out of date (a grade changed) is the same assessment: said once, as what happened.
    const marked = entry.field === 'thrive' ? assessmentMarkedWords(entry.before, entry.after) : null;
    if (marked) return `${field}: ${marked}`;
    const [before, after] = [value(entry.before), value(entry.after)];
    // A change that reads the same both sides (nothing → an empty map, as every close writes its reserved units) is
    // said as a supervisor would: nothing changed that a reader could see.
    if (before === after) return before === '(none)' ? `${field}: none before or after` : `${field}: ${before}, as before`;
    return `${field}: ${before} → ${after}`;
  }
  const carried = carriedObject(entry.after);
  const words = carried ? detailWords(entry, carried, wall, labels, names) : null;
  if (words) return words;
  if (carried) return valueWords(entry.after, null, { wall, labels, ...(names ? { names } : {}) });
  return entry.after ?? '';
}

/** The detail of an entry carrying an object, by its kind; null for a shape not known here (shown key by key). */
function detailWords(entry: AuditEntryView, carried: Record<string, unknown>, wall: WallClock, labels: Readonly<Record<string, string>>, names?: CodeNames): string | null {
  const text = (key: string) => (typeof carried[key] === 'string' && carried[key] ? (carried[key] as string) : null);
  const reason = text('reason') ? `reason: ${text('reason')}` : null;
  const join = (...parts: (string | null)[]) => parts.filter((part): part is string => part !== null).join('; ');
  switch (entry.kind) {
    case 'erasure':
      return erasureWords(entry.operator, carried);
    case 'sign-in':
      // The workstation's own entry; the server's, for a password it checked, is `ticket-issued` beside it.
      return carried.mode === 'offline' ? SIGN_IN_WORDS.offline : SIGN_IN_WORDS.online;
    case 'sign-out': {
      // The workstation's entry, sent through its outbox: its time there is when the operator left the desk, or when
      // the workstation signed them out, and why (shared/commands/operator-signed-out.ts).
      const forced = carried.forced as { cause?: unknown; by?: unknown } | undefined;
      return signOutWords(forced && typeof forced.cause === 'string' ? { cause: forced.cause, by: typeof forced.by === 'string' ? forced.by : null } : null);
    }
    case 'ticket-issued': {
      const until = text('ticketUntil');
      return `${SIGN_IN_WORDS.ticketIssued} ${until ? auditTime(wall, until) : '(unknown)'}`;
    }
    case 'enrolment':
      return join(`enrolled for force ${text('force') ?? '(none)'}`, text('clientId') ? `client id ${text('clientId')}` : null);
    case 'enrolment-refused':
    case 'access-refused': {
      // The first attempt from a source in a minute is an entry of its own; the rest that minute one entry with their
      // count and span (server/access/refusal-tally.ts).
      const count = typeof carried.count === 'number' ? carried.count : 1;
      const from = text('from');
      const to = text('to');
      // To the second, with the zone's mark, as the answers' other instants have it.
      const at = (instant: string) => `${wall.timeWithSeconds(Date.parse(instant))} ${wall.mark(Date.parse(instant))}`;
      const times = from && to ? `${count} more attempt${count === 1 ? '' : 's'} between ${wall.date(Date.parse(from))} ${at(from)} and ${at(to)}` : null;
      const what = entry.kind === 'enrolment-refused' ? 'enrolment refused' : `${text('request') ?? 'request'} refused`;
      return join(`${what}: ${accessRefusalWords(text('reason') ?? '')}`, text('claimed') ? `claimed ${text('claimed')}` : null, text('source') ? `from ${text('source')}` : null, times, text('typed') ? `names typed: ${text('typed')}` : null, text('said'));
    }
    case 'consultation': {
      const why = reason ?? 'no reason asked';
      // How it was looked at, as the server put it (server/audit/audit-how.ts: "opened the incident's detail", "search
      // for 'Portswood'", "opened by force NBR"), said once: the channel's words below would say it again.
      if (entry.how) return join(entry.how, why);
      const channel = text('channel');
      const how = channel ? (CONSULTATION_CHANNEL_WORDS[channel] ?? channel) : null;
      if (text('byForce')) return join(`looked at by force ${text('byForce')}${text('how') ? ` (${text('how')})` : ''}${how ? `, ${how}` : ''}`, why);
      return how ? `${why} (${how})` : why;
    }
    case 'combination': {
      const other = carried.other as { kind?: unknown; id?: unknown } | undefined;
      if (!other || typeof other.kind !== 'string' || typeof other.id !== 'string') return null;
      const name = labels[`${other.kind}:${other.id}`] ?? `${recordKindWords(other.kind)} ${other.id}`;
      if (carried.action === 'attach') return entry.recordKind === 'contact' ? `attached to ${name}` : `${name} attached to it`;
      if (carried.action === 'link') return `linked with ${name}`;
      if (carried.action === 'unlink') return `unlinked from ${name}`;
      return null;
    }
    case 'moment':
      if (carried.what === 'proposed') {
        const units = Array.isArray(carried.units) ? carried.units.filter((unit): unit is string => typeof unit === 'string') : [];
        return units.length ? `units proposed, best first: ${units.join(', ')}` : 'no suitable unit to propose';
      }
      if (carried.what === 'located') {
        const location = carried.location as { text?: unknown; source?: unknown } | undefined;
        return `call located at ${typeof location?.text === 'string' ? location.text : 'a place'}${typeof location?.source === 'string' ? ` (${location.source})` : ''}`;
      }
      // By the force's name for the grade, its code in brackets (codeNamesOf), where the answer has the force's names.
      if (carried.what === 'graded') return `grade chosen on the form: ${typeof carried.grade === 'string' ? (names?.grade?.[carried.grade] ?? carried.grade) : String(carried.grade)}`;
      return null;
    case 'disclosure': {
      if (entry.command === 'audit.export') {
        const rows = typeof carried.rows === 'number' ? carried.rows : 0;
        return join(`${rows} ${rows === 1 ? 'entry' : 'entries'} exported to ${text('fileName') ?? 'a file'}, taken by ${text('recipient') ?? entry.operator}`, text('purpose') ? `purpose: ${text('purpose')}` : null);
      }
      const to = text('recipient');
      // The tier and how in words ("view, by hand"), never the code.
      if (carried.action === 'share') return join(`shared with force ${to}${text('tier') ? ` (${codeWords(text('tier')!)}${text('how') ? `, ${codeWords(text('how')!)}` : ''})` : ''}`, reason);
      if (carried.action === 'revoke') return join(`share with force ${to} revoked`, reason);
      if (typeof carried.action === 'string') return join(`${carried.action}: ${text('owner') ?? ''} to ${to ?? ''}${text('incidentType') ? `, ${text('incidentType')} incidents` : ''}`, reason);
      if (to && text('what')) return join(`to force ${to}: ${text('what')}`, reason);
      return null;
    }
    case 'sign-in-failure': {
      // A refusal during a lockout says until when, on the force's clock like the lockout's own entry.
      // One refused at a workstation while the server was out of reach says so (`where`).
      const until = text('until');
      const where = text('where');
      return `failed sign-in${reason ? `: ${text('reason')}` : ''}${until ? ` until ${auditTime(wall, until)}` : ''}${where ? ` (${where})` : ''}`;
    }
    case 'lockout': {
      // A lock the workstation set offline names where (and the rule, when the server's count of it locked too).
      const until = text('until');
      const where = text('where');
      const after = typeof carried.failures === 'number' ? ` after ${String(carried.failures)} failed sign-ins within ${String(carried.withinMinutes)} minutes` : '';
      const counted = text('counted');
      // One lock set at the workstation and counted at the server too: the workstation's end of it, where it differs.
      const there = text('untilAtWorkstation');
      const thereWords = there && until && auditTime(wall, there) !== auditTime(wall, until) ? `; the workstation's lock until ${auditTime(wall, there)}` : '';
      return `locked out${after}${until ? `, until ${auditTime(wall, until)}` : ''}${where ? ` (${where}${thereWords})` : ''}${counted ? ` (${counted})` : ''}`;
    }
    case 'unlock':
      return join(carried.wasLocked === false ? 'unlocked (it was not locked)' : 'unlocked', typeof carried.failuresForgotten === 'number' ? `${carried.failuresForgotten} failed sign-ins forgotten` : null, reason);
    case 'password-set':
      return carried.first === true ? 'first password set by an administrator' : 'password reset by an administrator';
    case 'revocation': {
      const what = carried.revoked === 'tickets' ? 'sign-in tickets revoked' : carried.revoked === 'device' || entry.recordKind === 'workstation' ? 'workstation revoked' : 'revoked';
      return join(what, reason);
    }
    default:
      return null;
  }
}

/** The kinds of log line (shared/domain/incident.ts, LogEntryKind), as a collection entry says what was collected. */
const LOG_LINE_WORDS: Record<string, string> = { note: 'a note typed by the operator', system: 'a line the console wrote of what was done' };

/**
 * What a collection entry says was collected: the new record's kind in words, and for a log entry the kind of line
 * and how it came (server/audit/command-audit.ts writes it; never the line's text). An erased record's entry says
 * what kind of record was made and that its values went with it; one written before collections said more, its kind.
 */
function collectionWords(entry: AuditEntryView): string {
  const made = `new ${recordKindWords(entry.recordKind)}`;
  if (entry.valuesErased) return `${made} (what it held was erased with it)`;
  const carried = carriedObject(entry.after);
  if (!carried || typeof carried.line !== 'string') return made;
  const how = carried.relay === 'terminal' ? ', from a unit’s terminal' : carried.relay === 'telephony' ? ', from the telephony switch' : '';
  const paper = carried.backEntered === true ? ', written on paper and entered afterwards' : '';
  const closed = carried.afterClosure === true ? ', after the incident was closed' : '';
  return `${made}: ${LOG_LINE_WORDS[carried.line] ?? carried.line}${how}${paper}${closed}`;
}

/**
 * An erasure entry (server/audit/erasure-audit.ts) in words: on the record erased, by whom, why and how many records
 * went with it; on a record that went with another, which one (by its reference where the entry names it).
 */
export function erasureWords(by: string, carried: Record<string, unknown>): string {
  // In another force's log (server/audit/erasure-audit.ts heldErasureDrafts): the erasing force's reason is its own.
  const byForce = typeof carried.byForce === 'string' ? carried.byForce : null;
  const why = byForce ? `force ${byForce} erased it; its reason is that force's` : typeof carried.reason === 'string' && carried.reason ? `reason: ${carried.reason}` : 'no reason recorded';
  const target = carried.with as { kind?: unknown; id?: unknown; references?: unknown } | undefined;
  if (target && typeof target === 'object') {
    const references = Array.isArray(target.references) ? target.references.filter((r): r is string => typeof r === 'string') : [];
    const name = references[0] ?? String(target.id);
    return `erased by ${by} with ${target.kind === 'contact' ? 'the call' : `the ${String(target.kind)}`} ${name}; ${why}`;
  }
  const others = typeof carried.records === 'number' ? carried.records - 1 : 0;
  const went = byForce
    ? `${others > 0 ? `${others} other record${others === 1 ? '' : 's'} this log has entries about` : 'no other record this log has entries about'} erased with it`
    : others > 0 ? `${others} other record${others === 1 ? '' : 's'} (log entries, deployments, calls…) erased with it` : 'nothing else erased with it';
  return `erased by ${by}; ${why}; ${went}`;
}

/**
 * An instant of an entry (when it was done, when it was recorded) as the answer shows it: the force's date and time
 * with BST or GMT always written, since the reader may be in another season than the entry, or looking from a
 * machine on another zone; what is not a time is shown as it is.
 */
export function auditTime(wall: WallClock, instant: string): string {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? instant : wall.dateTimeZoned(ms);
}

/**
 * What an answer answers, as its heading: whose entries, over what span (its ends with their zone's mark). A record
 * asked about is named as people know it where the answer's `subject` names it (an incident by its reference, even
 * when asked by its id), and one erased says by whom and when; an operator by their display name beside the name
 * asked (shared/sync/audit-protocol.ts, AuditSubject).
 */
export function describeQuestion(asked: AuditQuestion, wall: WallClock, subject?: AuditSubject): string {
  const erased = subject?.erased ? ` (erased by ${subject.erased.by} on ${auditTime(wall, subject.erased.at)})` : '';
  if (asked.about === 'reference') {
    // Asked by a provisional reference, the incident's name now (its force reference) beside it.
    const now = subject?.name && subject.name !== `incident ${asked.reference}` ? `, now ${subject.name}` : '';
    return `Who looked at or changed ${asked.reference}${now}${erased}`;
  }
  if (asked.about === 'operator') return `What ${asked.operator}${subject?.name ? ` (${subject.name})` : ''} looked at or did from ${auditTime(wall, asked.from)} to ${auditTime(wall, asked.to)}`;
  if (asked.about === 'disclosures') return asked.to === 'other-forces' ? 'Every disclosure to another force' : 'Every disclosure, with the audit log’s own exports';
  const name = subject?.name ?? `${recordKindWords(asked.recordKind)} ${asked.recordId}`;
  return `Who looked at or changed ${name}${erased}`;
}

/** An entry's `after` as the object it encodes (canonical JSON), or null when it is not one. */
function carriedObject(after: string | null): Record<string, unknown> | null {
  if (!after) return null;
  try {
    const value: unknown = JSON.parse(after);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
