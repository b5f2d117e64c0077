import { ForceCode } from './force';
import { z } from 'zod';
import { Name, Uuid } from './ids';
import { Instant } from './time';
import { plainText } from './text';
import { IncidentLocation } from './location';
import { ThriveAssessment } from './thrive';
import { derivedId } from './derived-id';
import { Relay } from './relay';
import { DispatchQueue } from './dispatch-queues';
import { BackEntered } from './back-entry';

export const IncidentStatus = z.enum(['open', 'closed']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** A log line: free text as the operator wrote it, never edited afterwards. */
export const LogText = plainText({ min: 1, max: 4000, multiline: true, empty: 'the log entry is empty' });

/**
 * Descriptive fields: anyone may correct them, the later change (in the server's order) wins per field, and the
 * value it overwrote is kept in the incident's log. Strict: any other field (the type, the grade, which have
 * commands and rules of their own) is refused with its name, never silently dropped.
 */
export const DescriptiveFields = z
  .object({
    location: IncidentLocation,
    description: plainText({ max: 2000, multiline: true }),
    callerName: plainText({ max: 120 }),
    callerNumber: plainText({ max: 40 }),
  })
  .partial()
  .strict();
export type DescriptiveFields = z.infer<typeof DescriptiveFields>;
export const descriptiveFieldLabels: Record<keyof DescriptiveFields, string> = {
  location: 'Location',
  description: 'Description',
  callerName: 'Caller name',
  callerNumber: 'Caller number',
};

/**
 * A closed incident opened again (a caller rang back, new information), with the closure it undid: a reopened
 * incident may close again with another code, and every closure stays on the record.
 */
export const Reopening = z.object({
  at: Instant,
  by: Name,
  reason: z.string(),
  /** The closure this reopening undid. */
  closingCode: z.string(),
  closedAt: Instant,
  closedBy: Name,
  /** When a unit had first arrived before the closure, if one had: the attendance clock starts afresh. */
  attendedAt: Instant.nullable(),
});
export type Reopening = z.infer<typeof Reopening>;

/**
 * The incident's wait for a dispatcher: since when (its creation, or its latest reopening), and who took it and when
 * (took ownership, or deployed or reserved a unit), if anyone has since.
 */
export const Handoff = z.object({ waitingSince: Instant, takenAt: Instant.nullable(), takenBy: Name.nullable() });
export type Handoff = z.infer<typeof Handoff>;

export const Incident = z.object({
  id: Uuid,
  /** The force that owns it (see shared/domain/partition.ts): who may see and change it. */
  force: ForceCode,
  /** The force reference, assigned by the central server when it applies the creation; null until then. */
  reference: z.string().nullable(),
  /** Minted by the workstation alone (its name and a counter) so an incident has a name even offline. */
  provisionalReference: z.string(),
  type: z.string(),
  /**
   * The type it was opened as (NSIR's opening category): kept when the type changes, as the closing category may
   * differ from it. Absent on incidents recorded before it was kept, whose type never changed.
   */
  openingType: z.string().optional(),
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
  /**
   * The dispatch queue that owns it: decided from its location as it is made and when the location changes. Absent
   * on incidents recorded before queues were kept (queueOf in dispatch-queues.ts gives theirs).
   */
  queue: DispatchQueue.optional(),
  /** Its wait for a dispatcher (see shared/dispatch/handoffs.ts). Absent on incidents recorded before it was kept. */
  handoff: Handoff.optional(),
  /** The operator who has taken charge of the incident, if anyone has. */
  owner: Name.nullable(),
  /** Units committed to it now (their call signs); it cannot close while any remain. */
  activeUnits: z.array(z.string()),
  /**
   * Reservations waiting on it (assignment ids): units booked for a scheduled appointment, not yet deployed. Closing
   * cancels each. Absent on incidents recorded before they were listed here.
   */
  reservations: z.array(Uuid).optional(),
  /**
   * The unit of each waiting reservation (assignment id to unit id), kept beside the list so a second reservation
   * of the same unit is seen when it is made. Absent on incidents recorded before it was kept.
   */
  reservedUnits: z.record(Uuid, z.string()).optional(),
  /** When the first unit arrived at scene: the attendance clock stops here. */
  attendedAt: Instant.nullable().default(null),
  closingCode: z.string().nullable(),
  closedAt: Instant.nullable(),
  closedBy: Name.nullable(),
  /** Every time it was reopened, oldest first, each with the closure it undid. Absent if never reopened. */
  reopenings: z.array(Reopening).optional(),
  /** When the call was taken: for an incident kept on paper while the system was down, the paper's time. */
  createdAt: Instant,
  createdBy: Name,
  createdAtWorkstation: Name,
  /**
   * Where it was opened, when that is another force than its owner now: set when ownership is first transferred
   * (shared/domain/transfer.ts) and kept through any later one. `createdBy`, `createdAtWorkstation`, the provisional
   * reference and `openingType` are that force's (its operator, its workstation, its type code), so the opening type
   * is carried here in words and by its common code too, for the new owner, whose scheme does not hold that code.
   * Absent on an incident never transferred: it was opened by its owner.
   */
  origin: z.object({ force: ForceCode, openingTypeName: z.string(), openingCommonCode: z.string().nullable() }).optional(),
  /**
   * Every accepted transfer of its ownership, oldest first (shared/domain/transfer.ts): from which force to which,
   * when, accepted by whom, the type it had at the force it left (that force's code) and the one it took at the next.
   * Read to give an incident transferred back the type it had there (mapIncidentType, `restored`) and to word a former
   * owner's refused command ("DMO transferred the incident to NBR at 10:42"). Absent on an incident never transferred.
   */
  handovers: z.array(z.object({ from: ForceCode, to: ForceCode, at: Instant, acceptedBy: Name, type: z.string(), became: z.string() })).optional(),
  /** An incident kept on paper during an outage and entered afterwards (shared/domain/back-entry.ts): who, when. */
  backEntered: BackEntered.optional(),
  updatedAt: Instant,
  /** Bumped by every change; contended actions compare against it. */
  version: z.number().int().positive(),
  /**
   * Present only on another force's incident as a share lets this force see it (shared/domain/share-cut.ts): the
   * share's tier, and the common priority its grade maps to, which is shown instead of a grade of another scheme;
   * the name the owning force gives its type (`typeName`, "Assault"), since the holder's configuration does not know
   * the other force's type codes (absent from a cut made before it was carried; null for a code the owner lacks).
   */
  sharedView: z
    .object({
      tier: z.enum(['view', 'assist']),
      commonPriority: z.number().int().min(1).max(5).nullable(),
      typeName: z.string().min(1).max(120).nullable().optional(),
    })
    .optional(),
});
export type Incident = z.infer<typeof Incident>;

export const LogEntryKind = z.enum(['note', 'system']);

export const LogEntry = z.object({
  id: Uuid,
  /** The force that owns it (see shared/domain/partition.ts): who may see and change it. */
  force: ForceCode,
  incidentId: Uuid,
  kind: LogEntryKind,
  text: LogText,
  /** Who wrote it: an operator; a relay's name (below); or `system` for a line the workstation wrote on its own. */
  author: Name,
  workstation: Name,
  /**
   * Present on a line the workstation wrote on its own (shared/domain/automatic.ts: a deadline's claim): who was
   * signed in there at the time. `author` is then `system`: the line is not that operator's act (DPA 2018 s.62).
   */
  signedIn: Name.optional(),
  /** When the operator wrote it (the workstation's clock): the time a log reader cares about. */
  at: Instant,
  /** Present when a unit's terminal (or the switch) said it, through `workstation`: `author` is then its name. */
  relay: Relay.optional(),
  /**
   * Present when the line was written on paper while the system was down and entered afterwards (see
   * shared/domain/back-entry.ts): `at` is then the time on the paper, and this says who entered it, where and when.
   */
  backEntered: BackEntered.optional(),
  /**
   * The force whose operator wrote it, where that is not the owning force: a force assisting through a share at the
   * assist tier (shared/domain/assist-writes.ts). The line is the incident's record, so its owner's; this says who.
   */
  byForce: ForceCode.optional(),
  /**
   * A system line as a force assisting through a share reads it (shared/domain/share-cut.ts logEntryCut): null, the
   * line as written; a string, the line in other words, without the caller's details (number, name, their account of
   * what happened) or the THRIVE answers it carries, which stay with the owning force. Written with the line by the
   * command that writes it (systemEntry), which knows what its words carry. Absent from a line written before this
   * was kept: its words were never sorted, so it goes to no other force. Never sent to another force itself.
   */
  sharedText: LogText.nullable().optional(),
});
export type LogEntry = z.infer<typeof LogEntry>;

/** The type an incident was opened as: its NSIR opening category, whatever its type has become since. */
export function openingTypeOf(incident: Pick<Incident, 'type' | 'openingType'>): string {
  return incident.openingType ?? incident.type;
}

/** The force an incident was opened in, whose operator and workstation created it: its owner unless transferred. */
/**
 * Since when the incident has been its owner's (ISO UTC): the acceptance of the latest transfer to it
 * (Incident.handovers), or its creation for one never transferred. What the owner's own clocks of waiting start from
 * (its queue's, its handoff's): the new owner could not take or deploy to it before (issue 12 m2).
 */
export function ownedSince(incident: Pick<Incident, 'force' | 'createdAt' | 'handovers'>): string {
  const came = [...(incident.handovers ?? [])].reverse().find((handover) => handover.to === incident.force);
  return came && Date.parse(came.at) > Date.parse(incident.createdAt) ? came.at : incident.createdAt;
}

export function openedBy(incident: Pick<Incident, 'force' | 'origin'>): string {
  return incident.origin?.force ?? incident.force;
}

/**
 * The provisional reference worth showing a force beside the incident's reference, or null: only to the force whose
 * workstation minted it (another force's workstation names mean nothing to its people, and a shared incident's
 * comes blank), and only once the force reference has replaced it as the incident's name.
 */
export function provisionalReferenceShownTo(incident: Pick<Incident, 'force' | 'origin' | 'reference' | 'provisionalReference'>, force: string): string | null {
  if (incident.reference === null || !incident.provisionalReference || openedBy(incident) !== force) return null;
  return incident.provisionalReference;
}

/** The reservations waiting on an incident (assignment ids). */
export function reservationsOf(incident: Pick<Incident, 'reservations'>): readonly string[] {
  // Read straight from storage, a document written before the list existed has none.
  return incident.reservations ?? [];
}

/** The waiting reservation (assignment id) that books this unit for the incident, if one does. */
export function reservationOfUnit(incident: Pick<Incident, 'reservations' | 'reservedUnits'>, unitId: string): string | null {
  const waiting = new Set(reservationsOf(incident));
  const found = Object.entries(incident.reservedUnits ?? {}).find(([assignmentId, unit]) => unit === unitId && waiting.has(assignmentId));
  return found?.[0] ?? null;
}

/** The id of the log line that records an incident's creation: derived, so every copy of the log has one such line. */
export function creationEntryId(incidentId: string): string {
  return derivedId(incidentId, 'created');
}

/**
 * The order a log is read in: by when each line was written, the creation's own line first among lines of the same
 * instant (an incident's first note is written in the same breath). Other lines of one instant compare equal, so a
 * stable sort keeps them in the order given: the order they were written in, which the workstation's store keeps
 * (lines typed within a millisecond, or a fake clock's six lines at one instant, in the order they were typed; an
 * order by their random ids shuffled them).
 */
export function compareLogEntries(a: Pick<LogEntry, 'id' | 'incidentId' | 'at'>, b: Pick<LogEntry, 'id' | 'incidentId' | 'at'>): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  const aFirst = a.id === creationEntryId(a.incidentId);
  const bFirst = b.id === creationEntryId(b.incidentId);
  if (aFirst !== bFirst) return aFirst ? -1 : 1;
  return 0;
}

/**
 * An incident's log in the order it is read (design: the server's sequence is the truth, wall clocks are for display):
 * - lines on the server (`seq`, the sequence the server wrote each at) in the order the server accepted them, each
 *   shown with the time it was written. A line written offline, or at a desk whose clock is behind, comes after what
 *   the server accepted before it (a lender's take-back of a unit, another desk's line), not before it by its time:
 *   the log reads as the room learnt things, and nobody's clock reorders it;
 * - lines not yet on the server (no `seq`) after them, in the order they were written (compareLogEntries), as the
 *   server will accept them after all it holds;
 * - a line entered from paper (`backEntered`) at its paper time, deliberately: before the first other line written
 *   after it (the paper's order is what happened during the outage, shared/domain/back-entry.ts); paper lines among
 *   themselves by their times.
 * Returns a new array; `entries` in any order.
 */
export function inReadingOrder<T extends Pick<LogEntry, 'id' | 'incidentId' | 'at' | 'backEntered'> & { seq?: number | undefined }>(entries: readonly T[]): T[] {
  const onServer = entries.filter((entry) => !entry.backEntered && entry.seq !== undefined).sort((a, b) => a.seq! - b.seq!);
  const waiting = entries.filter((entry) => !entry.backEntered && entry.seq === undefined).sort(compareLogEntries);
  const paper = entries.filter((entry) => entry.backEntered).sort(compareLogEntries);
  const ordered: T[] = [];
  let next = 0;
  for (const line of [...onServer, ...waiting]) {
    while (next < paper.length && paper[next]!.at <= line.at) ordered.push(paper[next++]!);
    ordered.push(line);
  }
  return [...ordered, ...paper.slice(next)];
}

/** The reference to show: the force reference once the server has given one, the provisional one until then. */
export function displayReference(incident: Pick<Incident, 'reference' | 'provisionalReference'>): string {
  return incident.reference ?? incident.provisionalReference;
}
