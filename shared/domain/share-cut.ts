import type { Assignment } from './assignment';
import type { CommonPriority } from './common-priority';
import { openedBy, type DescriptiveFields, type Incident, type LogEntry } from './incident';
import type { ShareTier } from './share';

/**
 * What another force sees of an incident shared with it: an allowlist, never a denylist. Only the fields named in
 * INCIDENT_SHOWN (and ASSIGNMENT_SHOWN for its deployments) are copied; every other field of the document is given
 * a blank that says nothing (WITHHELD), so a field added to the incident later reaches no other force until it is
 * named here, and a test fails until it is put in one list or the other. The grade is withheld (it is of the other
 * force's scheme): the common priority it maps to is carried instead (`sharedView`), which cross-force views show,
 * and with it the owning force's name for the incident's type (`sharedView.typeName`), worked out on the server,
 * which knows every force's configuration.
 *
 * Never in the cut, at any tier: caller details, the description, THRIVE, who owns it, its queue and handoff, its
 * related incidents; the log's text and warning markers are other records, which a view-tier holder is never sent
 * at all (shared/domain/share-policy.ts). Who created it, where, and the provisional reference its workstation
 * minted go only to the force it was opened in (an old owner keeping a view of an incident it transferred): they
 * are that force's own people and workstations (INCIDENT_SHOWN_TO_OPENER).
 */

/** The incident's fields another force may see, as they are: reference, type, location, status, times, units attending. */
export const INCIDENT_SHOWN = [
  'id',
  'force',
  'reference',
  'type',
  'location',
  'status',
  'gradedAt',
  'attendedAt',
  'closedAt',
  'createdAt',
  'updatedAt',
  'activeUnits',
  'version',
] as const satisfies readonly (keyof Incident)[];

type Shown = (typeof INCIDENT_SHOWN)[number];

/**
 * The blank each withheld field of the incident takes, so the cut is still an incident every workstation can read.
 * Fields that may be absent from a document (openingType, queue, handoff, reservations, reservedUnits, reopenings,
 * sharedView, backEntered) are withheld by being left out; they are listed in INCIDENT_LEFT_OUT.
 */
const WITHHELD = (owner: string): Required<Pick<Incident, Exclude<keyof Incident, Shown | OptionalField>>> => ({
  provisionalReference: '',
  description: '',
  callerName: '',
  callerNumber: '',
  grade: '',
  pendingDowngrade: null,
  thrive: null,
  related: [],
  owner: null,
  closingCode: null,
  closedBy: null,
  createdBy: owner,
  createdAtWorkstation: owner,
});

/** Optional fields of the incident that are withheld by leaving them out of the cut. */
export const INCIDENT_LEFT_OUT = ['openingType', 'queue', 'handoff', 'reservations', 'reservedUnits', 'reopenings', 'sharedView', 'backEntered', 'origin', 'handovers'] as const satisfies readonly (keyof Incident)[];
type OptionalField = (typeof INCIDENT_LEFT_OUT)[number];

/** Every field of the incident the cut withholds, by name (for tests and the README: nothing is withheld silently). */
export const INCIDENT_WITHHELD = Object.keys(WITHHELD('X')) as (keyof Incident)[];

/**
/**
 * The fields withheld from other forces that go, as they are, to the force the incident was opened in (openedBy), when
 * it holds a share of it: the old owner of a transferred incident still reads who of its own created it, where, and
 * the provisional reference its workstation gave it. Nothing of the new owner's.
 */
export const INCIDENT_SHOWN_TO_OPENER = ['createdBy', 'createdAtWorkstation', 'provisionalReference', 'origin'] as const satisfies readonly (keyof Incident)[];

/**
 * The incident as force `holder` sees it through a share, at either tier (the assist tier adds the log, not fields):
 * the allowlisted fields copied, the rest blank, in `sharedView` the common priority of its grade and the name the
 * owning force gives its type (its type code, allowlisted, means nothing in the holder's configuration; null when the
 * owner's configuration lacks the code); to the force it was opened in, also its creation as it was
 * (INCIDENT_SHOWN_TO_OPENER).
 */
export function incidentCut(incident: Incident, tier: ShareTier, commonPriority: CommonPriority | null, holder: string, typeName: string | null = null): Incident {
  const shown: Record<string, unknown> = {};
  for (const field of INCIDENT_SHOWN) shown[field] = incident[field];
  if (openedBy(incident) === holder) for (const field of INCIDENT_SHOWN_TO_OPENER) if (incident[field] !== undefined) shown[field] = incident[field];
  return { ...WITHHELD(incident.force), ...(shown as Pick<Incident, Shown>), sharedView: { tier, commonPriority, typeName } };
}

/** A deployment's fields another force may see: which unit, on which incident, its status and its times. */
export const ASSIGNMENT_SHOWN = ['id', 'force', 'unitId', 'incidentId', 'status', 'assignedAt', 'deployedAt', 'updatedAt', 'version'] as const satisfies readonly (keyof Assignment)[];

/** A deployment on a shared incident as the other force sees it: the unit and its status, not the messages and alarms. */
export function assignmentCut(assignment: Assignment): Assignment {
  const shown: Record<string, unknown> = {};
  for (const field of ASSIGNMENT_SHOWN) if (assignment[field] !== undefined) shown[field] = assignment[field];
  return {
    ...(shown as Pick<Assignment, (typeof ASSIGNMENT_SHOWN)[number]>),
    delivery: null,
    reservedFor: null,
    receiptAlarm: null,
    radioConfirmed: null,
    lateRejection: null,
    duePrompt: null,
    assignedBy: assignment.force,
  };
}

/**
 * The log at the assist tier. The holder works the incident with the owner, so it reads the operational log: what
 * officers and dispatchers wrote (notes, whole: what a person writes in a shared log is theirs to keep to what the
 * job needs, as on the radio), and the system's lines of the incident's course (deployments, statuses, receipts,
 * grade, type and location changes, shares, transfers, handoffs, closing). It is not given the caller's personal
 * data, which it does not need to work the job (Data Protection Act 2018 s.37, data minimisation; the owner keeps it
 * and can act on it): the caller's number and name, their account of what happened (the incident's description), the
 * THRIVE answers. A system line that carries any of these is **redacted, not withheld**: the holder reads the same
 * line in other words without them (`sharedText`, written with the line by the command that knows what its words
 * carry, shared/commands/system-log.ts), so it still learns that a further call came in, that risk was assessed,
 * that the caller's details were corrected, and the log reads in order on both desks with nothing missing. A system
 * line with no `sharedText` at all was written before lines were sorted so: its words are unknown, so it is
 * **withheld** (fail closed). Of the entry's fields only those in LOG_ENTRY_SHOWN go; a field added later goes to no
 * other force until it is named there.
 */

/** Another force assisting reads this in place of the caller's details a line carried. */
export const CALLER_NOT_SHARED = 'caller details not shared';

/** Another force assisting reads this in place of a THRIVE assessment's answers. */
export const THRIVE_NOT_SHARED = 'THRIVE assessment recorded (the answers are not shared)';

/** The incident's descriptive fields that are the caller's: a line recording their change is redacted for other forces. */
export const CALLER_FIELDS: ReadonlySet<keyof DescriptiveFields> = new Set(['callerName', 'callerNumber', 'description']);

/** A log entry's fields another force assisting may read (its text as logEntryCut gives it). */
export const LOG_ENTRY_SHOWN = ['id', 'force', 'incidentId', 'kind', 'text', 'author', 'workstation', 'at', 'relay', 'backEntered', 'byForce', 'signedIn'] as const satisfies readonly (keyof LogEntry)[];

/** A log entry's fields no other force is sent: its words for other forces are given as its text instead. */
export const LOG_ENTRY_WITHHELD = ['sharedText'] as const satisfies readonly (keyof LogEntry)[];

/**
 * A log entry of a shared incident as a force holding it at the assist tier reads it, or null for one it is not sent:
 * a note whole; a system line in its words for other forces (`sharedText`, or as written where that is null); a system
 * line with no such words (written before they were kept), nothing. Only the LOG_ENTRY_SHOWN fields.
 */
export function logEntryCut(entry: LogEntry): LogEntry | null {
  let text: string;
  if (entry.kind === 'note') text = entry.text;
  else if (entry.sharedText === null) text = entry.text;
  else if (typeof entry.sharedText === 'string') text = entry.sharedText;
  else return null;
  const shown: Record<string, unknown> = {};
  for (const field of LOG_ENTRY_SHOWN) if (entry[field] !== undefined) shown[field] = entry[field];
  return { ...(shown as Pick<LogEntry, (typeof LOG_ENTRY_SHOWN)[number]>), text };
}
