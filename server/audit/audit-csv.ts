import { stringify } from 'csv-stringify/sync';
import { wallClock, type WallClock } from '../../shared/domain/wall-clock';
import type { AuditEntryView } from '../../shared/sync/audit-protocol';
import { TRAINING_MARK, TRAINING_WORD } from '../../shared/training/training-mark';
import { auditRecordWords, fieldWords, valueWords, type CodeNames } from '../../shared/domain/audit-words';
import { entryDetail } from '../../shared/domain/audit-answer-words';
import { auditClockWords } from '../../shared/domain/audit-clock';

/**
 * The columns of an exported answer, in order. Times twice: UTC ISO-8601 (what the log holds, unambiguous) and the
 * force's wall time with its zone's mark always written (BST or GMT), as the people reading the file think of it.
 */
const COLUMNS = [
  'seq',
  'recorded_at_utc',
  'recorded_at_local',
  'issued_at_utc',
  'issued_at_local',
  'operator',
  'workstation',
  'force',
  'kind',
  'command',
  'record_kind',
  'record_id',
  // The record by its name, as the audit window shows it ("log entry on DMO-20261201-0004"): the kind and id above
  // are exact but tell a reader nothing.
  'record',
  // In words, as the audit window shows them (shared/domain/audit-answer-words.ts): the field ("caller’s name"), its
  // values before and after ("Emergency (1)", "at scene", another record by its name), and for any other entry what
  // it says (a look's how and why, a disclosure's recipient).
  'field',
  'before',
  'after',
  // The same three exactly as the log holds them (a field's name, canonical JSON): what the chain's hashes cover and
  // what `npm run audit -- verify` checks, so an analyst can match a row to the log, filter by a code whatever a
  // force calls it, and ask the log again by a record's id. Last, so the columns before them stay where they were.
  'field_code',
  'before_code',
  'after_code',
  // Where the two times differ by more than the allowed skew, in words (shared/domain/audit-clock.ts): reached the
  // server late (done offline), or "doubtful clock: …" (the workstation's time after the server's, or before the
  // operator's first sign-in there). Last, so the columns before it stay where they were.
  'clock',
] as const;

/**
 * An audit answer as CSV text (RFC 4180: comma-separated, CRLF line ends, a field holding a comma, a quote or a line
 * break is quoted and its quotes doubled), a header line first. `timeZone` is the force's (IANA name). A field
 * beginning with = + - @ or a tab is prefixed with ' so that a spreadsheet opening the file does not run it as a
 * formula: the log holds text that callers and operators typed. The file starts with a UTF-8 byte order mark, by
 * which spreadsheets know the encoding (names and free text are not all ASCII). `options.training`: see AuditCsvOptions.
 */
export function auditCsv(entries: readonly AuditEntryView[], timeZone: string, options: AuditCsvOptions = {}): string {
  const wall = wallClock(timeZone);
  // A training server's file says so on every line, in a first column headed TRAINING: a spreadsheet sorted or
  // filtered, or a row pasted elsewhere, still carries the mark (shared/training/training-mark.ts), as printed forms
  // and exported reviews carry it on every page. A column, not a line of its own: the file stays one table.
  const mark = options.training ? [TRAINING_MARK] : [];
  const recordName = options.recordName ?? ((entry: AuditEntryView) => auditRecordWords(entry, {}));
  const rows = entries.map((entry) => [
    ...mark,
    entry.seq,
    entry.recordedAt,
    localTime(wall, entry.recordedAt),
    entry.issuedAt,
    localTime(wall, entry.issuedAt),
    entry.operator,
    entry.workstation,
    entry.force ?? '',
    entry.kind,
    entry.command,
    entry.recordKind,
    entry.recordId,
    recordName(entry),
    ...inWords(entry, wall, options),
    entry.field ?? '',
    // An erased record's values are gone for good; the file says so rather than leaving the cells blank. Only a
    // change has a value before: any other entry's before stays blank, erased or not.
    entry.valuesErased && entry.kind === 'alteration' ? '(erased)' : (entry.before ?? ''),
    entry.valuesErased ? '(erased)' : (entry.after ?? ''),
    entry.clock ? auditClockWords(entry.clock, wall) : '',
  ]);
  const columns = options.training ? [TRAINING_WORD, ...COLUMNS] : [...COLUMNS];
  return stringify(rows, { header: true, columns, record_delimiter: 'windows', escape_formulas: true, bom: true });
}

/**
 * An entry's field, before and after in words: for a change, the field and each value as the window words them; for
 * any other entry, no field or before, and its detail (entryDetail) as its after. An erased record's values stay
 * erased.
 */
function inWords(entry: AuditEntryView, wall: WallClock, options: AuditCsvOptions): [string, string, string] {
  const labels = options.labels ?? {};
  if (entry.kind !== 'alteration') return ['', '', entry.after === null && entry.kind !== 'collection' && !entry.valuesErased ? '' : entryDetail(entry, wall, labels, options.names)];
  const field = entry.field ? fieldWords(entry.field) : '';
  if (entry.valuesErased) return [field, '(erased)', '(erased)'];
  const context = { wall, labels, ...(options.names ? { names: options.names } : {}) };
  return [field, valueWords(entry.before, entry.field, context), valueWords(entry.after, entry.field, context)];
}

export interface AuditCsvOptions {
  /** The answer's names of records by `kind:id` (server/audit/audit-labels.ts), for values naming another record. */
  labels?: Readonly<Record<string, string>>;
  /** The force's names of its codes (shared/domain/audit-words.ts, codeNamesOf). */
  names?: CodeNames;
  /** Exported from a training server: every line carries the training mark (see auditCsv). */
  training?: boolean;
  /**
   * The `record` column: the record by its name (shared/domain/audit-words.ts, auditRecordWords, with the answer's
   * labels). Without it, the record's kind in words and its id.
   */
  recordName?: (entry: AuditEntryView) => string;
}

/** The file's name for an answer about `subject`, exported at `at` (ISO-8601); a training server's begins TRAINING-. */
export function auditFileName(subject: string, at: string, training: boolean): string {
  const name = `audit-${subject.replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 80)}-${at.replace(/[:.]/g, '-')}.csv`;
  return training ? `${TRAINING_WORD}-${name}` : name;
}

/** "2026-10-25 01:30:00 BST": the force's date and time with the zone's mark, always; empty for an unreadable time. */
export function localTime(wall: WallClock, instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return '';
  const time = wall.timeWithSeconds(ms);
  // `timeWithSeconds` marks the hour that comes twice itself; every other time gets its mark here.
  return `${wall.date(ms)} ${time}${wall.repeats(ms) ? '' : ` ${wall.mark(ms)}`}`;
}
