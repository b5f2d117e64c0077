import { z } from 'zod';
import { ForceConfig } from '../domain/force-config';
import { Name, Uuid } from '../domain/ids';
import { Incident, LogEntry } from '../domain/incident';
import { Instant } from '../domain/time';

/** What the renderer sees of a record: the document, and whether the server has yet to confirm it. */
export const IncidentView = Incident.extend({ pending: z.boolean() });
export type IncidentView = z.infer<typeof IncidentView>;

export const LogEntryView = LogEntry.extend({ pending: z.boolean() });
export type LogEntryView = z.infer<typeof LogEntryView>;

export const ConnectionState = z.enum(['connecting', 'online', 'offline']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const SyncStatus = z.object({
  connection: ConnectionState,
  /** When the workstation last lost the server; null while online. */
  offlineSince: Instant.nullable(),
  /** Commands confirmed locally that the server has not yet processed. */
  pending: z.number().int().nonnegative(),
  /** Commands the server refused for good, waiting for an operator to read why. */
  deadLetters: z.number().int().nonnegative(),
  lastSyncedAt: Instant.nullable(),
  /** The last error met talking to the server, for the status bar's tooltip. */
  lastError: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const Session = z.object({
  operator: Name,
  workstation: Name,
  clientId: Uuid,
  host: z.enum(['electron', 'browser']),
  serverUrl: z.string(),
});
export type Session = z.infer<typeof Session>;

export { ForceConfig };
