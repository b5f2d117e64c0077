import { Assignment } from './assignment';
import { Conflict } from './conflict';
import { Incident, LogEntry } from './incident';
import { Operator } from './operator';
import { Contact, Task } from './contact';
import { Marker } from './marker';
import { Refusal } from './refusal';
import { Loan } from './loan';
import { Unit } from './unit';
import { Share } from './share';
import { Arrangement } from './arrangement';
import { Transfer } from './transfer';

/**
 * The replicated records. The server sends documents of these kinds, never table rows, so that a renamed column
 * on one side cannot break a workstation of another version.
 */
export const recordSchemas = {
  incident: Incident,
  logEntry: LogEntry,
  unit: Unit,
  assignment: Assignment,
  conflict: Conflict,
  operator: Operator,
  contact: Contact,
  task: Task,
  marker: Marker,
  refusal: Refusal,
  loan: Loan,
  share: Share,
  arrangement: Arrangement,
  transfer: Transfer,
} as const;

export type RecordKind = keyof typeof recordSchemas;
export const recordKinds = Object.keys(recordSchemas) as RecordKind[];

export interface RecordDocs {
  incident: Incident;
  logEntry: LogEntry;
  unit: Unit;
  assignment: Assignment;
  conflict: Conflict;
  operator: Operator;
  contact: Contact;
  task: Task;
  marker: Marker;
  refusal: Refusal;
  loan: Loan;
  share: Share;
  arrangement: Arrangement;
  transfer: Transfer;
}

export type RecordOf<K extends RecordKind> = { kind: K; id: string; doc: RecordDocs[K] };
export type AnyRecord = { [K in RecordKind]: RecordOf<K> }[RecordKind];

export interface RecordKey {
  kind: RecordKind;
  id: string;
}

export function keyString(key: RecordKey): string {
  return `${key.kind}:${key.id}`;
}

export function isRecordKind(kind: string): kind is RecordKind {
  return Object.hasOwn(recordSchemas, kind);
}

export function parseRecord(kind: string, id: string, doc: unknown): AnyRecord {
  if (!isRecordKind(kind)) throw new Error(`unknown record kind "${kind}"`);
  return { kind, id, doc: recordSchemas[kind].parse(doc) } as AnyRecord;
}

export function record<K extends RecordKind>(kind: K, doc: RecordDocs[K] & { id: string }): RecordOf<K> {
  return { kind, id: doc.id, doc };
}
