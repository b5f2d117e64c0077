import { z } from 'zod';
import { Name, Uuid } from './ids';
import { Instant } from './time';
import { plainText } from './text';
import { IncidentLocation } from './location';
import { ThriveAssessment } from './thrive';

export const IncidentStatus = z.enum(['open', 'closed']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** A log line: free text as the operator wrote it, never edited afterwards. */
export const LogText = plainText({ min: 1, max: 4000, multiline: true, empty: 'the log entry is empty' });

/**
 * Descriptive fields: anyone may correct them, the later change (in the server's order) wins per field, and the
 * value it overwrote is kept in the incident's log.
 */
export const DescriptiveFields = z
  .object({
    location: IncidentLocation,
    description: plainText({ max: 2000, multiline: true }),
    callerName: plainText({ max: 120 }),
    callerNumber: plainText({ max: 40 }),
  })
  .partial();
export type DescriptiveFields = z.infer<typeof DescriptiveFields>;
export const descriptiveFieldLabels: Record<keyof DescriptiveFields, string> = {
  location: 'Location',
  description: 'Description',
  callerName: 'Caller name',
  callerNumber: 'Caller number',
};

export const Incident = z.object({
  id: Uuid,
  /** The force reference, assigned by the central server when it applies the creation; null until then. */
  reference: z.string().nullable(),
  /** Minted by the workstation alone (its name and a counter) so an incident has a name even offline. */
  provisionalReference: z.string(),
  type: z.string(),
  location: IncidentLocation,
  description: z.string(),
  callerName: z.string(),
  callerNumber: z.string(),
  grade: z.string(),
  /** When the current grade was set: the attendance clock runs from here. */
  gradedAt: Instant,
  /** A downgrade asked for and waiting for a supervisor: the grade does not change until one confirms it. */
  pendingDowngrade: z.object({ grade: z.string(), reason: z.string(), requestedBy: Name, requestedAt: Instant }).nullable(),
  thrive: ThriveAssessment.nullable(),
  /** Incidents linked as related (both sides record the link). */
  related: z.array(Uuid),
  status: IncidentStatus,
  /** The operator who has taken charge of the incident, if anyone has. */
  owner: Name.nullable(),
  /** Units committed to it now (their call signs); it cannot close while any remain. */
  activeUnits: z.array(z.string()),
  /** When the first unit arrived at scene: the attendance clock stops here. */
  attendedAt: Instant.nullable().default(null),
  closingCode: z.string().nullable(),
  closedAt: Instant.nullable(),
  closedBy: Name.nullable(),
  createdAt: Instant,
  createdBy: Name,
  createdAtWorkstation: Name,
  updatedAt: Instant,
  /** Bumped by every change; contended actions compare against it. */
  version: z.number().int().positive(),
});
export type Incident = z.infer<typeof Incident>;

export const LogEntryKind = z.enum(['note', 'system']);

export const LogEntry = z.object({
  id: Uuid,
  incidentId: Uuid,
  kind: LogEntryKind,
  text: LogText,
  author: Name,
  workstation: Name,
  /** When the operator wrote it (the workstation's clock): the time a log reader cares about. */
  at: Instant,
});
export type LogEntry = z.infer<typeof LogEntry>;

/** The reference to show: the force reference once the server has given one, the provisional one until then. */
export function displayReference(incident: Pick<Incident, 'reference' | 'provisionalReference'>): string {
  return incident.reference ?? incident.provisionalReference;
}
