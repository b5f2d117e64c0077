import { Incident, LogEntry } from './incident';

/**
 * The replicated records. The server sends documents of these kinds, never table rows, so that a renamed column
 * on one side cannot break a workstation of another version.
 */
export const recordSchemas = {
  incident: Incident,
  logEntry: LogEntry,
} as const;

export type RecordKind = keyof typeof recordSchemas;
export const recordKinds = Object.keys(recordSchemas) as RecordKind[];

export interface RecordDocs {
  incident: Incident;
  logEntry: LogEntry;
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

export function parseRecord(kind: string, id: string, doc: unknown): AnyRecord {
  if (!(kind in recordSchemas)) throw new Error(`unknown record kind "${kind}"`);
  const k = kind as RecordKind;
  return { kind: k, id, doc: recordSchemas[k].parse(doc) } as AnyRecord;
}
